"""Which parts of a message ask and which only tell (lupus_faq/language/clauses.py)."""

from __future__ import annotations

from typing import List

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
        # "what is that?" asks about what the sentence before it named
        (
            "Her consultant brought up anifrolumab today. What is that exactly?",
            "Her consultant brought up anifrolumab today. What is that exactly?",
        ),
        (
            "elle prend du plaquenil. le médecin a parlé de biothérapie. c'est quoi ?",
            "le médecin a parlé de biothérapie. c'est quoi ?",
        ),
        # a diary sentence that opens with an auxiliary and leaves out its subject tells
        (
            "Did four rounds of cyclophosphamide in 2021. Has been on steroids since. "
            "Could anifrolumab help her skin?",
            "Could anifrolumab help her skin?",
        ),
        ("Was diagnosed at 15. is benlysta for teens", "is benlysta for teens"),
        # ...but a number after "is" asks, and so does a clause after a comma that asks
        (
            "Is 16 old enough for Benlysta. What about Saphnelo?",
            "Is 16 old enough for Benlysta. What about Saphnelo?",
        ),
        # ...but one that names whom it asks about still asks, without its question mark
        (
            "Does Saphnelo help joints. Is it ok for kids?",
            "Does Saphnelo help joints. Is it ok for kids?",
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


@pytest.mark.parametrize(
    "sentence",
    ["Have been on Benlysta 6 months, is it normal to feel tired", "Does Saphnelo help joints"],
)
def test_a_sentence_that_opens_with_an_auxiliary_and_asks_is_a_question(sentence: str) -> None:
    assert load_language().clauses.has_question(sentence)


@pytest.mark.parametrize(
    "sentence", ["Did six months of CellCept and steroids", "Have been on Benlysta since May"]
)
def test_a_diary_sentence_that_opens_with_an_auxiliary_tells(sentence: str) -> None:
    assert not load_language().clauses.has_question(sentence)


def test_a_decimal_is_not_the_end_of_a_sentence() -> None:
    assert len(load_language().clauses.sentences("she had a fever of 38.5 last night")) == 1


# --- Whom a correction speaks of, and a message that says it did not understand -------------


@pytest.mark.parametrize(
    "text,speaker_only",
    [
        ("sorry I meant Saphnelo", False),  # the one asking, about nobody
        ("non pardon je voulais dire le benlysta", False),
        ("I think I can take it myself?", True),  # a second "I" is still the speaker
        ("I think I'm pregnant, can I take it?", True),  # "I think" is not only asking
        ("I was wondering if she could have it", False),  # someone else only
        ("can I have it?", True),
    ],
)
def test_the_i_of_the_one_asking_does_not_make_the_question_about_them(
    text: str, speaker_only: bool
) -> None:
    assert load_language().whom.about_speaker_only(text) is speaker_only


@pytest.mark.parametrize(
    "text,not_understood",
    [
        ("??", True),
        ("huh?", True),
        ("I didn't understand", True),
        ("je n'ai pas compris", True),
        ("what?", True),
        ("😳", False),  # a feeling, not a question
        ("what is interferon?", False),  # a question of its own
        ("i dont understand what interferon is", False),
        ("can you say that more simply?", True),
    ],
)
def test_a_whole_message_that_says_it_did_not_understand_asks_the_answer_again(
    text: str, not_understood: bool
) -> None:
    assert load_language().follow_ups.asks_simpler(text) is not_understood


# --- Questions of their own ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,questions",
    [
        (
            "what does saphnelo do and how often do you get it?",
            ["what does saphnelo do", "how often do you get it?"],
        ),
        ("What is belimumab? How is it given?", ["What is belimumab?", "How is it given?"]),
        (
            "my son is 7. what is benlysta, and is it ok for kids",
            ["what is benlysta", "is it ok for kids"],
        ),
        (
            "c'est quoi le benlysta et ça se donne comment ?",
            ["c'est quoi le benlysta", "ça se donne comment ?"],
        ),
        # Quebec French "pis" joins; "puis-je" asks and joins nothing
        (
            "c'est quoi le saphnelo pis ça se donne comment ?",
            ["c'est quoi le saphnelo", "ça se donne comment ?"],
        ),
        (
            "comment agit le saphnelo et puis-je le prendre en injection ?",
            ["comment agit le saphnelo", "puis-je le prendre en injection ?"],
        ),
    ],
)
def test_a_message_that_asks_two_questions_gives_each(text: str, questions: List[str]) -> None:
    assert load_language().clauses.questions(text) == questions


@pytest.mark.parametrize(
    "text",
    [
        "how does benlysta work",
        "can I take benlysta and plaquenil together?",  # one question about two medicines
        "Is Benlysta for kids and adults?",
        "My son is 7 and he has lupus. How is Benlysta given?",  # the story asks nothing
    ],
)
def test_a_message_that_asks_one_question_gives_none(text: str) -> None:
    assert load_language().clauses.questions(text) == []
