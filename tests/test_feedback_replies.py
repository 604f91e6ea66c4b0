"""Replies that only rate an answer are read as a yes or a no, not as a new question."""

from __future__ import annotations

import pytest

from lupus_faq.dialogue import Assistant


@pytest.mark.parametrize(
    "text",
    [
        "Yes, very clear!",
        "makes sense",
        "got it",
        "👍",
        "👍🏽 thanks",
        "not bad",
        "YES!!!",
        "10/10",
        "4/5",
        "3 stars",
        "7 out of 10",
        "yes it was very clear",
        "that was helpful",
    ],
)
def test_a_reply_saying_the_answer_helped_is_a_yes(assistant: Assistant, text: str) -> None:
    assert assistant.language.ratings.rating(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "kind of",
        "a little",
        "I don't understand",
        "too vague",
        "👎",
        "useless",
        "5/10",
        "1 star",
        "2/5",
        "no, that was useless",
        "it was too vague",
    ],
)
def test_a_reply_saying_it_did_not_help_is_a_no(assistant: Assistant, text: str) -> None:
    assert assistant.language.ratings.rating(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "how is it given?",
        "yes, and for kids?",
        "a little boy",
        "clear the chat",
        "clear",
        "thank you",
        "no thanks",
        "6/5",
        "2",
        "1/0",
        "no that was great",
        "yes it was unclear",
        "that was",
        "12/12",
        "1/1",
    ],
)
def test_anything_more_than_a_rating_is_left_to_the_classifier(assistant, text: str) -> None:
    assert assistant.language.ratings.rating(text) is None


@pytest.mark.parametrize(
    "text, helpful",
    [
        ("No it didn't, what about Saphnelo?", False),
        ("no. how is it given?", False),
        ("yes, and for kids?", True),
        ("Makes sense - is it monthly?", True),
        ("got it but can my son have it", True),
    ],
)
def test_a_question_that_opens_with_a_rating_carries_it(assistant, text, helpful) -> None:
    assert assistant.language.ratings.leading_rating(text) is helpful


@pytest.mark.parametrize(
    "text",
    [
        "No it didn't",
        "how is it given? no idea",
        "nobody told me, is it IV?",
        "a little boy, can he have it?",
    ],
)
def test_a_question_that_does_not_open_with_a_rating_carries_none(assistant, text) -> None:
    assert assistant.language.ratings.leading_rating(text) is None


@pytest.mark.parametrize(
    "text",
    ["Yes, very clear!", "yes, thanks", "Yes, thank you so much!", "no, not clear", "yes, it was"],
)
def test_a_rating_and_nothing_more_is_not_taken_for_a_rating_and_a_question(
    assistant, text
) -> None:
    assert assistant.language.ratings.leading_rating(text) is None


def test_the_nlu_component_overrides_the_classifier_for_a_rating() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.feedback_reply import FeedbackReply

    guessed = {"name": "faq_biologic_production", "confidence": 0.56}
    rated, asked = (
        Message({"text": "makes sense", "intent": guessed}),
        Message({"text": "how is it made?", "intent": guessed}),
    )
    FeedbackReply().process([rated, asked])
    assert rated.get("intent")["name"] == "affirm"
    assert rated.get("intent_ranking")[0]["name"] == "affirm"
    assert asked.get("intent") == guessed
