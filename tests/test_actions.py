"""The actions, run as the action server runs them, on tracker fixtures: what the user sees
and what the conversation remembers in its slots."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
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


def _session_start(
    domain: dict,
    slots: Optional[Dict[str, Any]] = None,
    latest: Optional[Dict[str, Any]] = None,
    events: Optional[list] = None,
) -> tuple:
    """What action_session_start says and returns for a tracker as Rasa sends it: a session
    starts before the message that opened it is read (``latest``: the previous session's last
    message, if any)."""
    from rasa_sdk import Tracker

    tracker = Tracker(
        "test-user",
        dict(slots or {}),
        dict(latest or {}),
        list(events or []),
        False,
        None,
        None,
        None,
    )
    return run(ActionSessionStart(), tracker, domain)


def _disclaimer_said(events: List[Dict[str, Any]]) -> Optional[bool]:
    return slots_of(events).get("disclaimer_said")


def _written_in(language: str, tracker: Any) -> Any:
    """The tracker, its latest message read by the NLU as written in ``language``."""
    from lupus_faq.language.reading import LANGUAGE

    tracker.latest_message[LANGUAGE] = language
    return tracker


def _question(make_tracker: Any, text: str, language: str, said: Optional[bool]) -> Any:
    """A tracker whose latest message asks how belimumab is given, in ``language``, in a
    session whose disclaimer slot is ``said``."""
    tracker = make_tracker(
        text,
        "faq_drug_administration",
        [entity("drug", "belimumab", text.lower().index("belimumab"))],
        slots={"disclaimer_said": said},
    )
    return _written_in(language, tracker)


def test_the_disclaimer_opens_the_first_reply_in_the_language_it_is_written_in(
    make_tracker, domain
) -> None:
    # Rasa starts the session before it reads the message: nothing is said yet...
    messages, events = _session_start(domain)
    assert messages == []
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert _disclaimer_said(events) is False
    # ...the first reply opens with it, in French for a French message, and remembers it.
    french = _question(make_tracker, "comment on donne le belimumab ?", "fr", said=False)
    messages, events = run(ActionRespond(), french, domain)
    assert "assistant automatique" in messages[0]["text"]
    assert "15 (SAMU) ou le 112" in messages[0]["text"]
    assert "perfusion IV" in texts(messages[1:])
    assert "automated assistant" not in texts(messages)
    assert _disclaimer_said(events) is True
    english = _question(make_tracker, "how is belimumab given?", "en", said=False)
    messages, _ = run(ActionRespond(), english, domain)
    assert "automated assistant" in messages[0]["text"]
    assert "once a month" in texts(messages[1:])


def test_an_emergency_in_the_first_message_comes_before_the_disclaimer(
    make_tracker, domain
) -> None:
    tracker = make_tracker("I can't breathe", "red_flag", slots={"disclaimer_said": False})
    tracker.latest_message["red_flag_categories"] = ["breathing"]
    messages, events = run(ActionRespond(), tracker, domain)
    assert "call your local emergency number now" in messages[0]["text"]
    assert "automated assistant" in messages[-1]["text"]
    assert _disclaimer_said(events) is True
    # a past emergency told with a question: the emergency reply, the disclaimer, the answer
    # (the red-flag component put `red_flag` above the classifier's ranking)
    text = "she had a seizure last year, how is belimumab given?"
    tracker = make_tracker(
        text,
        "red_flag",
        [entity("drug", "belimumab", text.index("belimumab"))],
        slots={"disclaimer_said": False},
        ranking=[
            {"name": "red_flag", "confidence": 1.0},
            {"name": "faq_drug_administration", "confidence": 0.9},
        ],
    )
    tracker.latest_message["red_flag_categories"] = ["seizure"]
    messages, _ = run(ActionRespond(), tracker, domain)
    assert "emergency number" in messages[0]["text"]
    assert "automated assistant" in messages[1]["text"]
    assert "once a month" in texts(messages[2:])


def test_the_disclaimer_is_said_once_a_session(make_tracker, domain) -> None:
    said = _question(make_tracker, "how is belimumab given?", "en", said=True)
    messages, events = run(ActionRespond(), said, domain)
    assert "automated assistant" not in texts(messages)
    assert "once a month" in texts(messages)
    assert "disclaimer_said" not in slots_of(events)
    # a conversation from before the slot existed is not told it in the middle
    older = _question(make_tracker, "how is belimumab given?", "en", said=None)
    messages, _ = run(ActionRespond(), older, domain)
    assert "automated assistant" not in texts(messages)


def test_a_session_that_expired_starts_again_in_the_language_of_its_page(domain) -> None:
    # the previous session's last message came from an English page; the new one from French
    messages, events = _session_start(
        domain,
        slots={"session_started_metadata": {"lang": "fr"}, "disclaimer_said": True},
        latest={"text": "thanks", "metadata": {"lang": "en"}},
        events=[{"event": "user", "text": "thanks"}, {"event": "bot", "text": "..."}],
    )
    assert "assistant automatique" in texts(messages)
    assert _disclaimer_said(events) is True
    # without a page language, an expired session waits for its first reply again
    messages, events = _session_start(
        domain,
        slots={"disclaimer_said": True},
        latest={"text": "thanks"},
        events=[{"event": "user", "text": "thanks"}, {"event": "bot", "text": "..."}],
    )
    assert messages == []
    assert _disclaimer_said(events) is False


def test_a_page_that_asks_for_french_opens_in_french_at_once(domain) -> None:
    # The widget's embed (data-lang="fr") sends its language with "/session_start"; Rasa keeps
    # it for the session start in the session_started_metadata slot.
    messages, events = _session_start(domain, slots={"session_started_metadata": {"lang": "fr"}})
    assert "assistant automatique" in texts(messages)
    assert _disclaimer_said(events) is True


def test_starting_over_says_so_before_the_disclaimer(domain) -> None:
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
    messages, events = _session_start(domain, events=events)
    assert "start again" in messages[0]["text"]
    assert "automated assistant" in messages[1]["text"]
    assert _disclaimer_said(events) is True
    # An ordinary new session does not say it.
    fresh, _ = _session_start(domain)
    assert "start again" not in texts(fresh)


@pytest.mark.parametrize(
    ("before", "asked"),
    [
        # in French words: Rasa's restart empties the latest message, so the one that asked is
        # read from the events
        ([], "on recommence à zéro"),
        # with no words of its own, in a French conversation: the conversation's language
        ([{"event": "slot", "name": "language", "value": "fr"}], "/restart"),
    ],
)
def test_starting_over_in_french_says_so_and_the_disclaimer_in_french(
    domain, before: List[Dict[str, Any]], asked: str
) -> None:
    events = [
        *before,
        {"event": "user", "text": asked, "parse_data": {}},
        {"event": "action", "name": "action_restart"},
        {"event": "restart"},
    ]
    messages, events = _session_start(domain, events=events)
    assert "on recommence" in messages[0]["text"]
    assert "assistant automatique" in messages[1]["text"]
    assert "automated assistant" not in texts(messages)
    # the new session is in French: "oui" or "2" next is answered in French too
    assert slots_of(events)["language"] == "fr"


def _widget_opened(make_tracker: Any, said: bool) -> Any:
    """The tracker of the widget's "/session_start", for which Rasa has already started the
    session (saying the disclaimer or not: ``said``), as the tracker store loads it: the events
    of the session from its session_started event on."""
    opened = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "slot", "name": "disclaimer_said", "value": said},
        {"event": "action", "name": "action_listen"},
    ]
    return make_tracker(
        "/session_start", "session_start", slots={"disclaimer_said": said}, events=opened
    )


def test_the_disclaimer_is_said_once_when_the_widget_opens(make_tracker, domain) -> None:
    # Rasa started the session and said the disclaimer in the page's language
    tracker = _widget_opened(make_tracker, said=True)
    tracker.latest_message["metadata"] = {"lang": "fr"}
    messages, events = run(ActionSessionStart(), tracker, domain)
    assert messages == []
    assert _disclaimer_said(events) is True
    # ...and the first question after it is answered without saying it again.
    question = _question(make_tracker, "comment on donne le belimumab ?", "fr", said=True)
    messages, _ = run(ActionRespond(), question, domain)
    assert "assistant automatique" not in texts(messages)
    assert "perfusion IV" in messages[0]["text"]


def test_a_session_start_message_without_a_language_is_still_told_the_disclaimer(
    make_tracker, domain
) -> None:
    # no page language, and no question will follow the "/session_start" to carry it
    messages, events = run(ActionSessionStart(), _widget_opened(make_tracker, said=False), domain)
    assert "automated assistant" in texts(messages)
    assert _disclaimer_said(events) is True
