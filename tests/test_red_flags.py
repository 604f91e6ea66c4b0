"""Emergencies are recognised by their words, and come before any answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lupus_faq.dialogue import Assistant
from tests.helpers import entity, load_nlu, say

PHRASINGS = yaml.safe_load(
    (Path(__file__).parent / "red_flag_phrasings.yml").read_text(encoding="utf-8")
)
POSITIVES = [(cat, text) for cat, texts in PHRASINGS["positives"].items() for text in texts]


def test_the_phrasing_list_is_broad(assistant: Assistant) -> None:
    assert set(PHRASINGS["positives"]) == {c.name for c in assistant.red_flags.categories}
    assert all(len(texts) >= 20 for texts in PHRASINGS["positives"].values())
    assert len(PHRASINGS["negatives"]) >= 60


@pytest.mark.parametrize("category,text", POSITIVES)
def test_red_flags_are_caught(assistant: Assistant, category: str, text: str) -> None:
    found = assistant.red_flags.detect(text)
    assert found, f"missed a {category} emergency: {text!r}"
    if category == "suicidal":  # its reply names crisis help: the category must be right
        assert "suicidal" in found


@pytest.mark.parametrize("text", PHRASINGS["negatives"])
def test_ordinary_questions_are_not_red_flags(assistant: Assistant, text: str) -> None:
    assert assistant.red_flags.detect(text) == []


ROOT = Path(__file__).resolve().parent.parent


def test_no_question_written_as_a_non_emergency_trips_the_emergency_words(assistant) -> None:
    # Thousands of patient-style questions, from the training data and the held-out set: an
    # emergency reply to any of them is a term that over-triggers.
    examples = [
        example
        for path in (ROOT / "data", ROOT / "tests" / "nlu_test.yml")
        for example in load_nlu(path).intent_examples
        if example.get("intent") != "red_flag"
    ]
    assert len(examples) > 1500
    found = (
        (e.get("intent"), e.get("text"), assistant.red_flags.detect(e.get("text")))
        for e in examples
    )
    assert [hit for hit in found if hit[2]] == []


@pytest.mark.parametrize(
    "intent", ["faq_drug_mechanism", "greet", "out_of_scope", "ask_not_covered", None]
)
def test_the_emergency_reply_comes_first_whatever_the_intent(assistant: Assistant, intent) -> None:
    turn = say(
        assistant,
        "i have chest pain since my benlysta infusion, how does it work?",
        intent,
        entity("drug", "benlysta", 28),
    )
    assert turn.kind == "red_flag"
    assert "call your local emergency number now" in turn.text
    assert "Chest pain" in turn.text
    assert "B lymphocytes" not in turn.text  # no FAQ answer in the same breath


def test_the_classifier_alone_is_enough_too(assistant: Assistant) -> None:
    turn = say(assistant, "something is very wrong with my daughter", "red_flag")
    assert turn.kind == "red_flag"
    assert "emergency number" in turn.text and "care team" in turn.text


def test_suicidal_thoughts_get_crisis_wording(assistant: Assistant) -> None:
    turn = say(assistant, "i want to end my life", "faq_overview")
    assert "suicide crisis line" in turn.text


def test_fever_on_treatment_points_to_the_care_team(assistant: Assistant) -> None:
    turn = say(assistant, "temp of 39 after my saphnelo infusion", "ask_not_covered")
    assert "high fever" in turn.text and "care team now" in turn.text


def test_a_rash_after_a_dose_is_named_as_a_possible_allergic_reaction(assistant: Assistant) -> None:
    turn = say(assistant, "i got a rash after my infusion", "ask_not_covered")
    assert turn.kind == "red_flag"
    assert "a rash soon after a dose" in turn.text and "allergic reaction" in turn.text


def test_clarification_checks_red_flags_too(assistant: Assistant) -> None:
    turn = say(
        assistant,
        "my lips are swelling up",
        "nlu_fallback",
        ranking={"nlu_fallback": 0.5, "faq_interferon": 0.3},
    )
    assert turn.kind == "red_flag"


def test_several_emergencies_are_all_named(assistant: Assistant) -> None:
    categories = assistant.red_flags.detect("i cant breathe and my face is swelling")
    assert categories == ["breathing", "swelling"]
