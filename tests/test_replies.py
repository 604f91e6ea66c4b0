"""What every reply of a kind looks like, and the safety wording a patient must meet.
Which reply a message gets is specified by the dialogues of tests/dialogues/."""

from __future__ import annotations

import re

import pytest

from lupus_faq.dialogue import Assistant, Context
from tests.helpers import CARE_TEAM, entity, parse_payload, say

CITATION = "What is the interest of biotherapy in lupus?"
CARE_TEAM_FR = re.compile(r"rhumatologue|équipe soignante", re.IGNORECASE)


def test_answers_end_with_the_source_and_offer_follow_ups(assistant: Assistant) -> None:
    turn = say(assistant, "how are biologics made", "faq_biologic_production")
    lines = turn.messages[-1].text.splitlines()
    assert lines[-2].endswith(f"“{CITATION}”") and lines[-1] == "Was this helpful?"
    related = [b for b in turn.messages[-1].buttons if b.payload not in ("/affirm", "/deny")]
    assert 1 <= len(related) <= 3
    assert [b.payload for b in turn.messages[-1].buttons][-2:] == ["/affirm", "/deny"]
    for button in related:  # each follow-up button gets an answer from the page
        follow = say(assistant, button.payload)
        assert follow.kind in ("answer", "not_covered") and follow.entry_ids


def test_buttons_are_self_contained_whatever_the_context(assistant: Assistant) -> None:
    context = Context(last_intent="faq_drug_children", drugs=("anifrolumab",), age_group="child")
    for entry_id in assistant.knowledge.entries:
        payload = assistant.router.payload(entry_id, assistant.language.lexicon)
        if payload:
            parse_payload(payload)
            assert say(assistant, payload, context=context).entry_ids == (entry_id,), payload


@pytest.mark.parametrize("text", ["i'm sad", "i feel depressed", "i'm so worried about my son"])
def test_someone_who_says_how_they_feel_gets_a_kind_word_not_a_decline(assistant, text) -> None:
    turn = say(assistant, text, "share_feelings")
    assert turn.text.startswith("I'm sorry you're going through this")
    assert CARE_TEAM.search(turn.messages[0].text)
    assert "thoughts of harming yourself, call your local emergency number" in turn.text
    assert "aren't covered" not in turn.text and "Goodbye" not in turn.text
    assert turn.messages[-1].buttons


def test_a_feeling_about_an_uncovered_topic_gets_the_kind_word_then_the_decline(assistant) -> None:
    text = "i'm scared of the side effects of benlysta"
    turn = say(assistant, text, "share_feelings", entity("drug", "benlysta", text.index("benl")))
    assert turn.text.startswith("I'm sorry you're going through this")
    assert "Side effects, risks and safety aren't covered" in turn.messages[-1].text
    assert CARE_TEAM.search(turn.messages[-1].text)


def test_another_language_is_answered_politely_with_the_emergency_advice(assistant) -> None:
    turn = say(assistant, "qu'est-ce qu'un biomédicament ?", "other_language")
    assert "English" in turn.text and "emergency number" in turn.text


def test_out_of_scope_says_what_it_can_do(assistant: Assistant) -> None:
    turn = say(assistant, "what's the weather tomorrow", "out_of_scope")
    assert "biologic treatments in lupus" in turn.text and turn.messages[-1].buttons


def test_disclaimer_says_automated_general_information_not_advice(assistant) -> None:
    text = assistant.disclaimer()
    assert "automated assistant" in text and "patient-information page" in text
    assert "can't give personal medical advice" in text and "emergency number" in text


def test_help_lists_suggested_questions(assistant: Assistant) -> None:
    turn = say(assistant, "what can you do", "ask_capabilities")
    assert "I can answer questions about biologic treatments in lupus" in turn.text
    assert {b.title for b in turn.messages[0].buttons} >= {"What is a biologic?"}


@pytest.mark.parametrize(
    ("text", "care_team"),
    [
        ("my daughter's school wants a letter about her biologic", CARE_TEAM),
        ("l'école de ma fille veut un papier pour sa biothérapie", CARE_TEAM_FR),
    ],
)
def test_did_you_mean_also_says_where_to_ask_a_question_none_of_its_guesses_is(
    assistant: Assistant, text: str, care_team: re.Pattern
) -> None:
    ranking = {"nlu_fallback": 0.5, "faq_drug_children": 0.42, "faq_biologic_definition": 0.38}
    turn = say(assistant, text, "nlu_fallback", ranking=ranking)
    assert turn.rule == "did_you_mean" and turn.messages[-1].buttons
    assert care_team.search(turn.messages[0].text)


def test_the_assistant_judges_sureness_as_rasas_fallback_classifier_does(assistant) -> None:
    """An unsure message answered by the assistant itself (the rest of a rating) meets the bar
    config.yml sets for the classifier, decided by Rasa's own FallbackClassifier rule."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
    from rasa.shared.nlu.training_data.message import Message

    from lupus_faq.dialogue import Guess

    sureness = assistant.interpreter.sureness
    rasa = FallbackClassifier(
        {"threshold": sureness.threshold, "ambiguity_threshold": sureness.ambiguity_threshold}
    )
    for top, second in [(0.9, 0.05), (0.49, 0.1), (0.55, 0.46), (0.6, 0.5), (0.5, 0.39)]:
        ranking = [{"name": "a", "confidence": top}, {"name": "b", "confidence": second}]
        message = Message({"text": "x", "intent": ranking[0], "intent_ranking": ranking})
        rasa_sure = not rasa._should_fallback(message)
        assert sureness.is_sure([Guess("a", top), Guess("b", second)]) == rasa_sure, (top, second)


def test_medicines_compared_in_one_answer_say_which_brand_is_which(assistant) -> None:
    text = "benlysta vs saphnelo, what's the difference"
    turn = say(
        assistant,
        text,
        "faq_drug_mechanism",
        entity("drug", "benlysta", text.index("benlysta")),
        entity("drug", "saphnelo", text.index("saphnelo")),
    )
    assert turn.entry_ids == ("b_lymphocytes_anifrolumab",)
    assert "Benlysta is a brand name of belimumab" in turn.text
    assert "Saphnelo is a brand name of anifrolumab" in turn.text
