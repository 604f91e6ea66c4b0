"""The custom actions, run as the action server runs them, on tracker fixtures."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion, ActionRedFlag
from actions.feedback import ActionRecordFeedback, ActionRecordThanks
from actions.guidance import ActionClarify, ActionShowHelp
from actions.session import ActionSessionStart
from tests.helpers import entity


def run(action: Any, tracker: Any, domain: dict) -> tuple:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def texts(messages: List[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_the_action_server_registers_exactly_the_domain_actions(domain: dict) -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")  # what `rasa run actions` does
    assert set(executor.actions) == set(domain["actions"])


def test_answer_sends_text_buttons_and_remembers_the_drug(make_tracker, domain) -> None:
    tracker = make_tracker("can my daughter take benlysta", "faq_drug_children",
                           [entity("age_group", "daughter", 7), entity("drug", "benlysta", 21)])
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "from 5 years of age" in texts(messages)
    assert messages[-1]["buttons"]
    assert SlotSet("drugs", ["belimumab"]) in events
    assert SlotSet("last_faq", "faq_drug_children") in events
    assert SlotSet("person_age_group", "child") in events


def test_a_speaker_who_gives_their_age_is_remembered_as_such(make_tracker, domain) -> None:
    tracker = make_tracker("i'm 16 and have lupus", "faq_drug_children",
                           [entity("age_group", "'m 16", 1)])
    _, events = run(ActionAnswerQuestion(), tracker, domain)
    assert SlotSet("speaker_age_group", "child") in events
    assert SlotSet("about_speaker", True) in events
    tracker = make_tracker("can i have saphnelo?", "faq_drug_eligibility",
                           [entity("drug", "saphnelo", 11)],
                           slots={"speaker_age_group": "child", "about_speaker": True})
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    assert "only for adults" in texts(messages)


def test_a_declined_question_offers_what_else_the_classifier_heard(make_tracker, domain) -> None:
    text = "how much does belimumab cost? and can my child have it?"
    tracker = make_tracker(text, "ask_not_covered",
                           [entity("drug", "belimumab", text.index("belimumab"))],
                           ranking=[{"name": "ask_not_covered", "confidence": 0.55},
                                    {"name": "faq_drug_children", "confidence": 0.11}])
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    assert "Cost" in texts(messages)
    assert [b["title"] for b in messages[-1]["buttons"]] == ["Can children take belimumab?"]


def test_follow_up_reads_the_slots(make_tracker, domain) -> None:
    tracker = make_tracker("how is it given?", "faq_drug_administration",
                           slots={"drugs": ["belimumab"], "last_faq": "faq_drug_children"})
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "once a week" in texts(messages)
    assert SlotSet("last_faq", "faq_drug_administration") in events


def test_follow_up_about_a_child_said_before(make_tracker, domain) -> None:
    tracker = make_tracker("how is it given?", "faq_drug_administration",
                           slots={"drugs": ["belimumab"], "last_faq": "faq_drug_children",
                                  "person_age_group": "child"})
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "does not say which of these is used for children" in texts(messages)
    assert not [e for e in events if e.get("name") == "person_age_group"]


def test_what_about_another_drug(make_tracker, domain) -> None:
    tracker = make_tracker("what about anifrolumab?", "ask_about_drug",
                           [entity("drug", "anifrolumab", 11)],
                           slots={"drugs": ["belimumab"], "last_faq": "faq_drug_administration"})
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "does not say how anifrolumab is given" in texts(messages)
    assert SlotSet("drugs", ["anifrolumab"]) in events


def test_red_flag_in_an_faq_turn(make_tracker, domain) -> None:
    tracker = make_tracker("my son is having a seizure, is rituximab ok", "faq_drug_mechanism",
                           [entity("drug", "rituximab", 30)])
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "call your local emergency number now" in texts(messages)
    assert "rituximab" not in texts(messages)
    # ...and the medicine it named is the one "it" means afterwards.
    assert events == [SlotSet("drugs", ["rituximab"])]


def test_red_flag_action(make_tracker, domain) -> None:
    messages, _ = run(ActionRedFlag(), make_tracker("i want to kill myself", "red_flag"), domain)
    assert "suicide crisis line" in texts(messages)


def test_red_flag_action_remembers_whom_and_what_it_named(make_tracker, domain) -> None:
    tracker = make_tracker("my 9 year old is on benlysta and cant breathe", "red_flag",
                           [entity("age_group", "9 year old", 3), entity("drug", "benlysta", 22)])
    messages, events = run(ActionRedFlag(), tracker, domain)
    assert "Trouble breathing" in texts(messages)
    assert SlotSet("drugs", ["belimumab"]) in events
    assert SlotSet("person_age_group", "child") in events


def test_not_covered(make_tracker, domain) -> None:
    tracker = make_tracker("side effects of saphnelo?", "ask_not_covered",
                           [entity("drug", "saphnelo", 16)])
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    assert "Side effects" in texts(messages) and "care team" in texts(messages)


def test_a_decline_is_remembered_for_the_follow_up(make_tracker, domain) -> None:
    tracker = make_tracker("can i take benlysta when pregnant", "ask_not_covered",
                           [entity("drug", "benlysta", 11)])
    _, events = run(ActionAnswerQuestion(), tracker, domain)
    assert SlotSet("declined_topic", "pregnancy") in events
    tracker = make_tracker("and saphnelo?", "ask_about_drug", [entity("drug", "saphnelo", 4)],
                           slots={"declined_topic": "pregnancy", "drugs": ["belimumab"]})
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert "Pregnancy" in texts(messages) and "Anifrolumab is a monoclonal" not in texts(messages)
    assert SlotSet("drugs", ["anifrolumab"]) in events


def test_clarify_offers_buttons_then_help(make_tracker, domain) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_overview", "confidence": 0.45},
               {"name": "faq_biologic_definition", "confidence": 0.4}]
    first = make_tracker("biologic thing?", "nlu_fallback", ranking=ranking)
    messages, _ = run(ActionClarify(), first, domain)
    assert "Did you mean" in texts(messages)
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Why are biologics used in lupus?", "What is a biologic?"]

    def after(reply: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
        return [{"event": "user", "text": text},
                {"event": "action", "name": "action_clarify"},
                *({"event": "bot", "text": m["text"], "data": {"buttons": m["buttons"]}} for m in reply),
                {"event": "action", "name": "action_listen"}]

    history = after(messages, "biologic thing?")
    second = make_tracker("hmm no", "nlu_fallback", ranking=ranking, events=history)
    messages, _ = run(ActionClarify(), second, domain)
    assert "still didn't understand" in texts(messages)
    assert "Did you mean" not in texts(messages)

    # After the help menu, the next unclear message gets suggestions again, not the same menu.
    history += after(messages, "hmm no")
    third = make_tracker("biologic stuff", "nlu_fallback", ranking=ranking, events=history)
    messages, _ = run(ActionClarify(), third, domain)
    assert "Did you mean" in texts(messages)
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Why are biologics used in lupus?", "What is a biologic?"]


def test_help(make_tracker, domain) -> None:
    messages, _ = run(ActionShowHelp(), make_tracker("what can you do", "ask_capabilities"), domain)
    assert len(messages[0]["buttons"]) >= 3


def test_session_start_opens_with_the_disclaimer(make_tracker, domain) -> None:
    messages, events = run(ActionSessionStart(), make_tracker(""), domain)
    assert "automated assistant" in texts(messages)
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_starting_over_says_so_before_the_disclaimer(domain) -> None:
    from rasa_sdk import Tracker

    # What Rasa sends after its own action_restart: the restart is the latest event.
    events = [{"event": "user", "text": "let's start over", "parse_data": {"intent": {"name": "restart"}}},
              {"event": "action", "name": "action_restart"},
              {"event": "restart"}]
    tracker = Tracker("test-user", {}, {}, events, False, None, None, None)
    messages, _ = run(ActionSessionStart(), tracker, domain)
    assert "start again" in messages[0]["text"]
    assert "automated assistant" in messages[1]["text"]
    # An ordinary new session does not say it.
    fresh, _ = run(ActionSessionStart(), Tracker("test-user", {}, {}, [], False, None, None, None), domain)
    assert "start again" not in texts(fresh)


def test_a_number_chooses_an_option_of_the_previous_reply(make_tracker, domain) -> None:
    offered = [{"title": "How is belimumab given?", "payload": '/faq_drug_administration{"drug":"belimumab"}'},
               {"title": "Who is anifrolumab for?", "payload": '/faq_drug_eligibility{"drug":"anifrolumab"}'}]
    history = [{"event": "user", "text": "can kids take benlysta"},
               {"event": "bot", "text": "The page says ...", "data": {"buttons": offered}}]
    messages, _ = run(ActionAnswerQuestion(), make_tracker("2", "choose_option", events=history), domain)
    assert "adults with systemic lupus" in texts(messages)

    messages, _ = run(ActionAnswerQuestion(), make_tracker("7", "choose_option", events=history), domain)
    assert "no option with that number" in texts(messages)
    assert [b["title"] for b in messages[0]["buttons"]] == [b["title"] for b in offered]


def test_a_number_with_nothing_offered_gets_the_help_menu(make_tracker, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(), make_tracker("3", "choose_option"), domain)
    assert "didn't understand" in texts(messages) and "still" not in texts(messages)


def test_an_answer_asks_for_feedback_and_a_no_is_recorded(make_tracker, domain) -> None:
    tracker = make_tracker("how are biologics made", "faq_biologic_production")
    messages, events = run(ActionAnswerQuestion(), tracker, domain)
    assert messages[-1]["text"].endswith("Was this helpful?")
    assert [b["payload"] for b in messages[-1]["buttons"]][-2:] == ["/affirm", "/deny"]
    assert SlotSet("last_answers", ["biologic_production"]) in events

    history = [{"event": "user", "text": "how are biologics made"},
               {"event": "bot", "text": messages[-1]["text"], "data": {"buttons": messages[-1]["buttons"]}}]
    no = make_tracker("/deny", "deny", events=history, slots={"last_answers": ["biologic_production"]})
    messages, events = run(ActionRecordFeedback(), no, domain)
    assert SlotSet("feedback", {"helpful": False, "answers": ["biologic_production"]}) in events
    assert "Sorry it didn't help" in texts(messages)


def test_a_rating_that_goes_on_to_ask_more_is_recorded_and_the_rest_answered(make_tracker, domain) -> None:
    tracker = make_tracker("how does benlysta work", "faq_drug_mechanism", [entity("drug", "benlysta", 9)])
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    history = [{"event": "user", "text": "how does benlysta work"},
               {"event": "bot", "text": messages[-1]["text"], "data": {"buttons": messages[-1]["buttons"]}}]
    # as the model ranked it: the yes takes nearly all the confidence
    ranking = [{"name": "affirm", "confidence": 0.921}, {"name": "faq_drug_children", "confidence": 0.039},
               {"name": "faq_drug_eligibility", "confidence": 0.006},
               {"name": "faq_add_on_therapy", "confidence": 0.004}]
    rated = make_tracker("very helpful, can my son have it?", "affirm", [entity("age_group", "son", 23)],
                         events=history, ranking=ranking,
                         slots={"last_answers": ["belimumab_mechanism"], "drugs": ["belimumab"],
                                "last_faq": "faq_drug_mechanism"})
    messages, events = run(ActionRecordFeedback(), rated, domain)
    assert SlotSet("feedback", {"helpful": True, "answers": ["belimumab_mechanism"]}) in events
    # the yes explains most of the classifier's confidence; the rest clearly asks about children
    assert "Thank you" in texts(messages) and "5 years" in texts(messages)
    assert "Did you mean" not in texts(messages)

    # ...but words that name nothing are not taken for a question on the strength of rescaling
    faint = [{"name": "affirm", "confidence": 0.96}, {"name": "faq_drug_children", "confidence": 0.03},
             {"name": "thank", "confidence": 0.01}]
    cheers = make_tracker("yes it did, you star", "affirm", events=history, ranking=faint,
                          slots={"last_answers": ["belimumab_mechanism"]})
    messages, events = run(ActionRecordFeedback(), cheers, domain)
    assert "5 years" not in texts(messages) and "Did you mean" not in texts(messages)
    assert SlotSet("feedback", {"helpful": True, "answers": ["belimumab_mechanism"]}) in events

    # A rating and nothing more keeps its own reply, whatever else the classifier ranked.
    plain = make_tracker("no, not clear", "deny", events=history, ranking=ranking,
                         slots={"last_answers": ["belimumab_mechanism"]})
    messages, events = run(ActionRecordFeedback(), plain, domain)
    assert "Sorry it didn't help" in texts(messages) and "Did you mean" not in texts(messages)
    assert SlotSet("feedback", {"helpful": False, "answers": ["belimumab_mechanism"]}) in events


def test_a_yes_out_of_the_blue_is_not_recorded(make_tracker, domain) -> None:
    after_an_answer = make_tracker("ok", "affirm", slots={"last_faq": "faq_drug_mechanism"})
    messages, events = run(ActionRecordFeedback(), after_an_answer, domain)
    assert "Glad to hear it" in texts(messages)
    assert not any(e.get("name") == "feedback" for e in events)
    # before anything was answered, a yes is told what can be asked
    messages, events = run(ActionRecordFeedback(), make_tracker("yes", "affirm"), domain)
    assert "Glad to hear it" not in texts(messages) and "I can answer questions" in texts(messages)
    assert messages[-1]["buttons"]
    assert not any(e.get("name") == "feedback" for e in events)


def test_thanks_for_an_answer_just_rated_counts_as_a_yes(make_tracker, domain) -> None:
    tracker = make_tracker("how are biologics made", "faq_biologic_production")
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    history = [{"event": "user", "text": "how are biologics made"},
               {"event": "bot", "text": messages[-1]["text"], "data": {"buttons": messages[-1]["buttons"]}}]
    thanks = make_tracker("thank you!", "thank", events=history,
                          slots={"last_answers": ["biologic_production"]})
    _, events = run(ActionRecordThanks(), thanks, domain)
    assert SlotSet("feedback", {"helpful": True, "answers": ["biologic_production"]}) in events
    _, events = run(ActionRecordThanks(), make_tracker("thanks", "thank"), domain)
    assert events == []  # nothing was asked: a thanks is only a thanks
    no_thanks = make_tracker("no thanks", "thank", events=history,
                             slots={"last_answers": ["biologic_production"]})
    _, events = run(ActionRecordThanks(), no_thanks, domain)
    assert events == []


def test_a_question_that_opens_with_a_rating_is_answered_and_the_rating_kept(make_tracker, domain) -> None:
    tracker = make_tracker("how does benlysta work", "faq_drug_mechanism", [entity("drug", "benlysta", 9)])
    messages, _ = run(ActionAnswerQuestion(), tracker, domain)
    history = [{"event": "user", "text": "how does benlysta work"},
               {"event": "bot", "text": messages[-1]["text"], "data": {"buttons": messages[-1]["buttons"]}}]
    slots = {"last_answers": ["belimumab_mechanism"], "drugs": ["belimumab"], "last_faq": "faq_drug_mechanism"}
    follow_up = make_tracker("no it didn't, what about saphnelo?", "ask_about_drug",
                             [entity("drug", "saphnelo", 23)], events=history, slots=slots)
    messages, events = run(ActionAnswerQuestion(), follow_up, domain)
    assert "type I interferon" in texts(messages)
    assert SlotSet("feedback", {"helpful": False, "answers": ["belimumab_mechanism"]}) in events
    unasked = make_tracker("no it didn't, what about saphnelo?", "ask_about_drug",
                           [entity("drug", "saphnelo", 23)], slots=slots)
    _, events = run(ActionAnswerQuestion(), unasked, domain)
    assert not any(e.get("name") == "feedback" for e in events)


def test_the_disclaimer_is_said_once_when_the_widget_opens(make_tracker, domain) -> None:
    started = [{"event": "action", "name": "action_session_start"},
               {"event": "session_started"},
               {"event": "bot", "text": "Hello, I'm the Lupus Biologics Assistant"},
               {"event": "action", "name": "action_listen"}]
    messages, events = run(ActionSessionStart(), make_tracker("/session_start", "session_start", events=started), domain)
    assert messages == []
    assert [e["event"] for e in events] == ["session_started", "action"]
