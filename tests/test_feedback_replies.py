"""Replies that only rate an answer are read as a yes or a no, not as a new question."""

from __future__ import annotations

import pytest

from lupus_faq.conversation import Assistant


@pytest.mark.parametrize("text", ["Yes, very clear!", "makes sense", "got it", "👍", "👍🏽 thanks",
                                  "not bad", "YES!!!", "10/10"])
def test_a_reply_saying_the_answer_helped_is_a_yes(assistant: Assistant, text: str) -> None:
    assert assistant.vocabulary.rating(text) is True


@pytest.mark.parametrize("text", ["kind of", "a little", "I don't understand", "too vague",
                                  "👎"])
def test_a_reply_saying_it_did_not_help_is_a_no(assistant: Assistant, text: str) -> None:
    assert assistant.vocabulary.rating(text) is False


@pytest.mark.parametrize("text", ["how is it given?", "yes, and for kids?", "a little boy",
                                  "clear the chat", "clear", "thank you", "no thanks"])
def test_anything_more_than_a_rating_is_left_to_the_classifier(assistant, text: str) -> None:
    assert assistant.vocabulary.rating(text) is None


def test_the_nlu_component_overrides_the_classifier_for_a_rating() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.feedback_reply import FeedbackReply

    guessed = {"name": "faq_biologic_production", "confidence": 0.56}
    rated, asked = Message({"text": "makes sense", "intent": guessed}), Message(
        {"text": "how is it made?", "intent": guessed}
    )
    FeedbackReply().process([rated, asked])
    assert rated.get("intent")["name"] == "affirm"
    assert rated.get("intent_ranking")[0]["name"] == "affirm"
    assert asked.get("intent") == guessed
