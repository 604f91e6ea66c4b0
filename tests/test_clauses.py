"""Which parts of a message ask and which only tell (lupus_faq/language/clauses.py)."""

from __future__ import annotations

import pytest

from lupus_faq.language import load_language


@pytest.mark.parametrize(
    "message, question",
    [
        # the story before the question is context
        ("I'm on 5 mg of pred. How does Benlysta work?", "How does Benlysta work?"),
        ("my daughter is 9. explain rituximab simply", "explain rituximab simply"),
        # French as it is texted: the question word at the end of the sentence
        ("benlysta ok avec plaquenil. et ça agit comment", "et ça agit comment"),
        ("on m'a parlé du saphnelo. c'est pour qui", "c'est pour qui"),
        ("mon fils a 12 ans. le rituximab ça sert à quoi", "le rituximab ça sert à quoi"),
        # "is that true?" asks about what was said before it
        (
            "My aunt says anifrolumab is totally safe. Is that right?",
            "My aunt says anifrolumab is totally safe. Is that right?",
        ),
        (
            "je suis sous plaquenil. on m'a dit que le saphnelo guérit. c'est vrai ?",
            "on m'a dit que le saphnelo guérit. c'est vrai ?",
        ),
        # a message where nothing asks is asked as a whole
        ("benlysta kids", "benlysta kids"),
    ],
)
def test_the_question_of_a_message_is_the_sentences_that_ask(message: str, question: str) -> None:
    assert load_language().clauses.question_part(message) == question


@pytest.mark.parametrize(
    "sentence",
    ["my son, who is 7, has lupus", "je ne sais pas ou", "mon fils a commencé le benlysta"],
)
def test_a_sentence_that_tells_does_not_ask(sentence: str) -> None:
    assert not load_language().clauses.has_question(sentence)


def test_a_decimal_is_not_the_end_of_a_sentence() -> None:
    assert len(load_language().clauses.sentences("she had a fever of 38.5 last night")) == 1
