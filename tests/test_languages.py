"""The language of each message is recognised by its words or its script: the reply is written
in it (English or French); another language gets the polite "English and French only" reply
with the emergency numbers; a message with no language of its own ("2", "👍") keeps the
conversation's."""

from __future__ import annotations

from pathlib import Path

import pytest

from lupus_faq.dialogue import Assistant
from tests.helpers import load_nlu

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text,language",
    [
        ("Comment fonctionne le Saphnelo ?", "fr"),
        ("belimumab pour les enfants ?", "fr"),
        ("c koi le benlysta stp", "fr"),
        ("et pour ma fille de 8 ans ?", "fr"),
        ("oui merci", "fr"),
        ("qu'est-ce qu'une biothérapie", "fr"),
        ("how does Saphnelo work?", "en"),
        ("and for kids?", "en"),
        ("thanks", "en"),
        ("¿cómo funciona el anifrolumab?", "other"),
        ("kann mein Kind Benlysta bekommen?", "other"),
        ("что такое биологическая терапия?", "other"),
        ("狼疮的生物制剂是什么？", "other"),
        ("ciao, quali sono i farmaci per il lupus?", "other"),
        ("2", None),
        ("👍", None),
        ("Benlysta?", None),
    ],
)
def test_the_language_of_a_message(assistant: Assistant, text: str, language) -> None:
    assert assistant.language.languages.detect(text) == language


FRENCH_FILES = sorted((ROOT / "data").glob("nlu_fr*.yml"))


def _examples(paths) -> list:
    return [
        e.get("text")
        for path in paths
        for e in load_nlu(path).intent_examples
        if e.get("intent") != "other_language"
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_training_example_in_english_or_french_is_taken_for_another_language(
    assistant: Assistant, language: str
) -> None:
    assert FRENCH_FILES, "the French examples are in data/nlu_fr*.yml"
    if language == "fr":
        examples = _examples(FRENCH_FILES)
    else:  # the English files, without the French ones
        french = set(_examples(FRENCH_FILES))
        examples = [t for t in _examples([ROOT / "data"]) if t not in french]
    others = [t for t in examples if assistant.language.languages.detect(t) == "other"]
    assert others == []
    wrong = [t for t in examples if assistant.language.languages.detect(t) not in (language, None)]
    assert len(wrong) <= len(examples) // 20, wrong  # a few mixed messages ("merci, how...")


def test_the_nlu_component_records_the_language_and_stops_only_other_languages() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.message_language import MessageLanguage

    unsure = {"name": "nlu_fallback", "confidence": 0.5}
    french, spanish, english = (
        Message({"text": t, "intent": unsure})
        for t in (
            "comment fonctionne le Saphnelo ?",
            "¿cómo funciona el Saphnelo?",
            "how does Saphnelo work?",
        )
    )
    MessageLanguage().process([french, spanish, english])
    assert french.get("language") == "fr" and french.get("intent") == unsure
    assert spanish.get("language") == "other" and spanish.get("intent")["name"] == "other_language"
    assert english.get("language") == "en" and english.get("intent") == unsure
