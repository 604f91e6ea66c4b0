"""A message in another language is recognised by its words or its script, not only by the
classifier, and gets the English-only reply (with the emergency number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lupus_faq.dialogue import Assistant
from tests.helpers import load_nlu

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", ["Comment fonctionne le Saphnelo ?", "belimumab pour les enfants ?",
                                  "¿cómo funciona el anifrolumab?", "kann mein Kind Benlysta bekommen?",
                                  "что такое биологическая терапия?", "狼疮的生物制剂是什么？",
                                  "ciao, quali sono i farmaci per il lupus?"])
def test_a_message_in_another_language_is_recognised(assistant: Assistant, text: str) -> None:
    assert assistant.language.languages.is_other_language(text)


def test_no_english_example_is_taken_for_another_language(assistant: Assistant) -> None:
    english = [
        example.get("text")
        for path in (ROOT / "data", ROOT / "tests" / "nlu_test.yml")
        for example in load_nlu(path).intent_examples
        if example.get("intent") != "other_language"
    ]
    assert len(english) > 1500
    assert [text for text in english if assistant.language.languages.is_other_language(text)] == []


def test_the_nlu_component_overrides_the_classifier_for_another_language() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.other_language import OtherLanguage

    unsure = {"name": "nlu_fallback", "confidence": 0.5}
    french, english = Message({"text": "comment fonctionne le Saphnelo ?", "intent": unsure}), Message(
        {"text": "how does Saphnelo work?", "intent": unsure}
    )
    OtherLanguage().process([french, english])
    assert french.get("intent")["name"] == "other_language"
    assert english.get("intent") == unsure
