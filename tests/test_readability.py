"""Every English reply reads at grade 8 or below, the answers at a median of grade 6 or below,
by the project's own Flesch-Kincaid function (lupus_faq/language/readability.py, whose rules
are stated in its docstring)."""

from __future__ import annotations

import statistics

import pytest

from lupus_faq.knowledge import Knowledge
from lupus_faq.language.readability import Readability, syllables

MAX_GRADE, MAX_MEDIAN = 8.0, 6.0


@pytest.fixture(scope="module")
def readability(knowledge: Knowledge) -> Readability:
    return Readability(knowledge.vocabulary["plain_terms"])


def _answers(knowledge: Knowledge) -> dict:
    return {
        e.id: e.render(drug="belimumab") if e.placeholders else e.text
        for e in knowledge.entries.values()
    }


def test_every_answer_is_at_grade_8_or_below_and_the_median_at_6(knowledge, readability) -> None:
    grades = {i: readability.grade(t) for i, t in _answers(knowledge).items()}
    too_hard = {i: round(g, 1) for i, g in grades.items() if g > MAX_GRADE}
    assert too_hard == {}
    assert statistics.median(grades.values()) <= MAX_MEDIAN


def test_every_decline_and_longer_message_is_at_grade_8_or_below(knowledge, readability) -> None:
    texts = {name: t["text"] for name, t in knowledge.not_covered["topics"].items()}
    texts["generic"] = knowledge.not_covered["generic"]
    texts.update(
        {k: v for k, v in knowledge.messages.items() if isinstance(v, str) and len(v.split()) >= 12}
    )
    too_hard = {
        k: round(readability.grade(t), 1)
        for k, t in texts.items()
        if readability.grade(t) > MAX_GRADE
    }
    assert too_hard == {}


@pytest.mark.parametrize(
    "word,count",
    [("cat", 1), ("table", 2), ("make", 1), ("biology", 3), ("treatment", 2), ("immune", 2)],
)
def test_syllables_are_counted_by_vowel_groups(word: str, count: int) -> None:
    assert syllables(word) == count


def test_a_plain_term_counts_as_one_short_word() -> None:
    plain, counted = Readability(["immunosuppressant"]), Readability()
    text = "A biologic is an immunosuppressant."
    assert plain.grade(text) < counted.grade(text)
    assert plain.words(text) == ["A", "biologic", "is", "an", "term"]


def test_long_sentences_and_long_words_read_harder() -> None:
    grade = Readability().grade
    assert grade("The cat sat. The dog ran.") < grade("The cat sat and the dog ran.")
    assert grade("It is used in kids.") < grade("It is administered to paediatric patients.")


def test_the_reading_level_page_shows_before_and_after_within_the_target(tmp_path) -> None:
    from eval import reading_level

    out = tmp_path / "reading-level.md"
    reading_level.main(["--out", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "| replies | median before | max before | median now | max now |" in page
    answers = next(line for line in page.splitlines() if line.startswith("| answers |"))
    median_before, max_before, median_now, max_now = (
        float(cell) for cell in answers.strip("|").split("|")[1:]
    )
    assert max_now <= MAX_GRADE and median_now <= MAX_MEDIAN
    assert median_before > median_now  # the "before" record is the one of the rewrite
