"""The actions, run as the action server runs them, on tracker fixtures: what the user sees
and what the conversation remembers in its slots."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.respond import ActionRespond
from actions.session import ActionSessionStart
from tests.helpers import entity


def run(action: Any, tracker: Any, domain: dict) -> tuple:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def texts(messages: List[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def slots_of(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_the_action_server_registers_exactly_the_domain_actions(domain: dict) -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")  # what `rasa run actions` does
    assert set(executor.actions) == set(domain["actions"])


def test_an_answer_is_sent_with_its_buttons_and_its_context_stored(make_tracker, domain) -> None:
    tracker = make_tracker(
        "can my daughter take benlysta",
        "faq_drug_children",
        [entity("age_group", "daughter", 7), entity("drug", "benlysta", 21)],
    )
    messages, events = run(ActionRespond(), tracker, domain)
    assert "from 5 years of age" in texts(messages)
    assert messages[-1]["buttons"]
    slots = slots_of(events)
    assert slots["drugs"] == ["belimumab"] and slots["last_faq"] == "faq_drug_children"
    assert slots["person_age_group"] == "child" and slots["awaiting"] == "rating"
    assert [o["payload"] for o in slots["options"]] == [
        b["payload"] for b in messages[-1]["buttons"]
    ]


def test_a_follow_up_reads_the_context_from_the_slots(make_tracker, domain) -> None:
    tracker = make_tracker(
        "how is it given?",
        "faq_drug_administration",
        slots={
            "drugs": ["belimumab"],
            "last_faq": "faq_drug_children",
            "person_age_group": "child",
        },
    )
    messages, events = run(ActionRespond(), tracker, domain)
    assert "does not say which of these is used for children" in texts(messages)
    assert "person_age_group" not in slots_of(events)  # unchanged: not written again


def test_a_decline_is_remembered_in_its_slot_for_the_next_message(make_tracker, domain) -> None:
    tracker = make_tracker(
        "can i take benlysta when pregnant", "ask_not_covered", [entity("drug", "benlysta", 11)]
    )
    _, events = run(ActionRespond(), tracker, domain)
    assert slots_of(events)["declined_topic"] == "pregnancy"
    tracker = make_tracker(
        "and saphnelo?",
        "ask_about_drug",
        [entity("drug", "saphnelo", 4)],
        slots={"declined_topic": "pregnancy", "drugs": ["belimumab"]},
    )
    messages, events = run(ActionRespond(), tracker, domain)
    assert "Pregnancy" in texts(messages) and "monoclonal" not in texts(messages)
    assert slots_of(events)["drugs"] == ["anifrolumab"]


def test_the_red_flags_the_nlu_found_are_the_ones_answered(make_tracker, domain) -> None:
    """Red flags are detected once, by the NLU component; the action reads its finding."""
    tracker = make_tracker("something is wrong", "red_flag")
    tracker.latest_message["red_flag_categories"] = ["breathing"]
    messages, _ = run(ActionRespond(), tracker, domain)
    assert "call your local emergency number now" in texts(messages)
    assert "Trouble breathing" in texts(messages)


def test_what_was_asked_is_read_from_its_slot_not_from_the_last_message(
    make_tracker, domain
) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "faq_overview", "confidence": 0.45},
        {"name": "faq_biologic_definition", "confidence": 0.4},
    ]
    first = make_tracker("biologic thing?", "nlu_fallback", ranking=ranking)
    messages, events = run(ActionRespond(), first, domain)
    assert "Did you mean" in texts(messages) and slots_of(events)["awaiting"] == "did_you_mean"
    second = make_tracker(
        "hmm no", "nlu_fallback", ranking=ranking, slots={"awaiting": "did_you_mean"}
    )
    messages, _ = run(ActionRespond(), second, domain)
    assert "still didn't understand" in texts(messages)


def test_a_typed_number_picks_a_button_stored_in_the_options_slot(make_tracker, domain) -> None:
    options = [
        {
            "title": "How is belimumab given?",
            "payload": '/faq_drug_administration{"drug":"belimumab"}',
        },
        {
            "title": "Who is anifrolumab for?",
            "payload": '/faq_drug_eligibility{"drug":"anifrolumab"}',
        },
    ]
    tracker = make_tracker("2", "choose_option", slots={"options": options})
    tracker.latest_message["choice"] = 2
    messages, _ = run(ActionRespond(), tracker, domain)
    assert "adults with" in texts(messages)


def test_a_rating_is_stored_with_the_answers_it_rates(make_tracker, domain) -> None:
    tracker = make_tracker(
        "/deny", "deny", slots={"last_answers": ["biologic_production"], "awaiting": "rating"}
    )
    messages, events = run(ActionRespond(), tracker, domain)
    assert SlotSet("feedback", {"helpful": False, "answers": ["biologic_production"]}) in events
    assert "Sorry it didn't help" in texts(messages)


def test_a_button_asks_its_own_question_whoever_was_talked_about(make_tracker, domain) -> None:
    payload = '/faq_drug_administration{"drug":"belimumab"}'
    tracker = make_tracker(
        payload,
        "faq_drug_administration",
        [{"entity": "drug", "value": "belimumab"}],
        slots={"person_age_group": "child", "drugs": ["belimumab"]},
    )
    messages, _ = run(ActionRespond(), tracker, domain)
    assert "Belimumab can be given in two" in texts(messages)
    assert "children" not in texts(messages)


def test_session_start_opens_with_the_disclaimer(make_tracker, domain) -> None:
    messages, events = run(ActionSessionStart(), make_tracker(""), domain)
    assert "automated assistant" in texts(messages)
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_starting_over_says_so_before_the_disclaimer(domain) -> None:
    from rasa_sdk import Tracker

    # What Rasa sends after its own action_restart: the restart is the latest event.
    events = [
        {
            "event": "user",
            "text": "let's start over",
            "parse_data": {"intent": {"name": "restart"}},
        },
        {"event": "action", "name": "action_restart"},
        {"event": "restart"},
    ]
    tracker = Tracker("test-user", {}, {}, events, False, None, None, None)
    messages, _ = run(ActionSessionStart(), tracker, domain)
    assert "start again" in messages[0]["text"]
    assert "automated assistant" in messages[1]["text"]
    # An ordinary new session does not say it.
    fresh, _ = run(
        ActionSessionStart(), Tracker("test-user", {}, {}, [], False, None, None, None), domain
    )
    assert "start again" not in texts(fresh)


def test_the_disclaimer_is_said_once_when_the_widget_opens(make_tracker, domain) -> None:
    started = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "bot", "text": "Hello, I'm the Lupus Biologics Assistant"},
        {"event": "action", "name": "action_listen"},
    ]
    messages, events = run(
        ActionSessionStart(),
        make_tracker("/session_start", "session_start", events=started),
        domain,
    )
    assert messages == []
    assert [e["event"] for e in events] == ["session_started", "action"]
