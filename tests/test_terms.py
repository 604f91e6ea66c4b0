"""The word matching behind the red-flag and not-covered checks (lupus_faq/terms.py)."""

from __future__ import annotations

import pytest

from lupus_faq.knowledge import load_knowledge
from lupus_faq.not_covered import NotCoveredChecker
from lupus_faq.terms import TermSet
from lupus_faq.text import words
from lupus_faq.vocabulary import Vocabulary

LISTS = {"drug": ("belimumab", "benlysta", "mab thera")}


def matches(terms: TermSet, text: str) -> bool:
    return terms.matches(words(text))


def test_a_named_list_in_a_near_rule_matches_any_of_its_names_multi_word_ones_too() -> None:
    terms = TermSet.from_config((), [{"window": 3, "groups": [["home"], ["@drug"]]}], named=LISTS)
    assert matches(terms, "can i have Benlysta at home")
    assert matches(terms, "can i get mab thera at home")
    assert not matches(terms, "can i have saphnelo at home")
    assert not matches(terms, "i'm at home with my kids today, how does benlysta work")


def test_a_named_list_in_a_phrase_keeps_the_word_order() -> None:
    terms = TermSet.from_config(["stop my @drug"], named=LISTS)
    assert matches(terms, "can i stop my mab thera")
    assert not matches(terms, "will benlysta stop my flares")


def test_an_unknown_list_name_fails_when_loading_not_when_a_patient_asks() -> None:
    with pytest.raises(ValueError, match="@drugs"):
        TermSet.from_config((), [[["home"], ["@drugs"]]], named=LISTS)


def test_every_list_the_not_covered_topics_name_exists_in_the_vocabulary() -> None:
    knowledge = load_knowledge()
    lists = Vocabulary(knowledge.vocabulary).word_lists()
    assert {"drug", "drug:other", "drug:belimumab"} <= set(lists)
    assert "benlysta" in lists["drug"] and "methotrexate" not in lists["drug"]
    NotCoveredChecker(knowledge.not_covered, lists)  # raises on a misspelt '@' name
