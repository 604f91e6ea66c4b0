"""A message that only asks to start over is Rasa's restart, in English and in French, and
nothing else is."""

from __future__ import annotations

from typing import Optional

import pytest

from lupus_faq.language import load_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("start over", "en"),
        ("Restart please", "en"),
        ("can we start over?", "en"),
        ("New chat!", "en"),
        ("recommencer à zéro", "fr"),
        ("On recommence à zéro !", "fr"),
        ("nouvelle conversation svp", "fr"),
        ("s'il vous plaît, réinitialiser la conversation", "fr"),
        ("effacer la conversation", "fr"),
    ],
)
def test_a_message_that_only_asks_to_start_over_is_read_in_its_language(
    text: str, language: str
) -> None:
    assert load_language().start_over.language_of(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "how do I restart belimumab after a break?",
        "can I start Benlysta again after stopping?",
        "recommencer le benlysta après une pause ?",
        "on peut recommencer le traitement ?",
        # after the decline of stopping a treatment, these ask about the medicine
        "on peut recommencer ?",
        "recommencer ?",
        "je voudrais recommencer",
        "can we start again?",
        "please",
        "svp",
        "/restart",
        "",
    ],
)
def test_anything_else_is_not_a_request_to_start_over(text: str) -> None:
    found: Optional[str] = load_language().start_over.language_of(text)
    assert found is None


def test_the_nlu_component_makes_a_restart_of_a_request_the_classifier_took_for_a_feeling() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.start_over import StartOverRequest

    feeling = {"name": "share_feelings", "confidence": 0.65}
    asked, treatment = (
        Message({"text": "on recommence à zéro", "intent": feeling}),
        Message({"text": "on peut recommencer le traitement ?", "intent": feeling}),
    )
    StartOverRequest().process([asked, treatment])
    assert asked.get("intent")["name"] == "restart"
    assert asked.get("intent_ranking")[0]["name"] == "restart"
    assert treatment.get("intent") == feeling
