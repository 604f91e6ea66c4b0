"""Every medical sentence the assistant says is grounded in the source page."""

from __future__ import annotations

import itertools
import re
import string
from pathlib import Path

import pytest

from lupus_faq.knowledge import ANSWER, NOT_COVERED, Knowledge, load_knowledge
from lupus_faq.knowledge.routing import Router
from tests.helpers import CARE_TEAM

ROOT = Path(__file__).resolve().parent.parent
DRUGS = ["belimumab", "anifrolumab", "rituximab", "other", None]
ORGANS = ["brain", "kidney", "skin", "joints", "other", None]
AGES = ["child", "adult", None]
CELLS = ["t_lymphocyte", None]
ROUTES = ["infusion", "injection", "oral", None]
TOGETHER = [
    "anifrolumab+belimumab",
    "anifrolumab+rituximab",
    "belimumab+rituximab",
    "anifrolumab+belimumab+rituximab",
    None,
]
BRANDS = ["benlysta", "saphnelo", "rituxan", "mabthera"]
KNOWLEDGE = load_knowledge()


def all_reply_texts(knowledge: Knowledge) -> list:
    texts = [e.text for e in knowledge.entries.values()]
    texts += [t["text"] for t in knowledge.not_covered["topics"].values()]
    texts += [knowledge.not_covered["generic"]]
    texts += [c["reply"] for c in knowledge.red_flags["categories"].values()]
    texts += [knowledge.red_flags["reply_intro"], knowledge.red_flags["reply_outro"]]
    texts += [v for v in knowledge.messages.values() if isinstance(v, str)]
    return texts


def test_source_is_the_patient_information_page(knowledge: Knowledge) -> None:
    text = (ROOT / "knowledge" / "source.txt").read_text(encoding="utf-8")
    assert text.startswith("What is the interest of biotherapy in lupus?")
    assert "Belimumab works by reducing the activity of self-reactive B lymphocytes." in text


@pytest.mark.parametrize("entry_id", sorted(KNOWLEDGE.entries))
def test_every_quote_occurs_verbatim_in_the_source(knowledge: Knowledge, entry_id: str) -> None:
    entry = knowledge.entry(entry_id)
    for quote in entry.quotes:
        assert knowledge.source.contains(quote), f"{entry_id}: not in the source: {quote!r}"


def test_every_answer_carries_its_quotes(knowledge: Knowledge) -> None:
    for entry in knowledge.entries.values():
        assert entry.kind in (ANSWER, NOT_COVERED), entry.id
        if entry.kind == ANSWER:
            assert entry.quotes, f"{entry.id} is an answer without a supporting quote"


def test_every_sentence_of_the_source_is_quoted(knowledge: Knowledge) -> None:
    quoted = " ".join(q for e in knowledge.entries.values() for q in e.quotes)
    sentences = knowledge.source.sentences()
    assert len(sentences) >= 20
    unquoted = [
        s for s in sentences if s not in quoted and s not in knowledge.unquoted_source_lines
    ]
    assert not unquoted, f"source sentences no answer quotes: {unquoted}"
    for line in knowledge.unquoted_source_lines:
        assert knowledge.source.contains(line)


def test_no_figure_appears_that_the_source_does_not_have(knowledge: Knowledge) -> None:
    source_numbers = set(re.findall(r"\d+", knowledge.source.text))
    for text in all_reply_texts(knowledge):
        for number in re.findall(r"\d+", text):
            assert number in source_numbers, f"{number!r} is not in the source: {text!r}"
        assert not re.search(r"\b(mg|ml|milligrams?|micrograms?)\b", text, re.IGNORECASE), text


def test_the_garbled_sentence_is_not_completed(knowledge: Knowledge) -> None:
    for entry in knowledge.entries.values():
        assert "T and lymphocytes" not in entry.text
        assert "T and B lymphocytes" not in entry.text
        if "T lymphocytes" in entry.text:
            assert "blocking T lymphocytes" in entry.text


def test_brand_names_add_no_facts(knowledge: Knowledge) -> None:
    for entry in knowledge.entries.values():
        for brand in BRANDS:
            assert brand not in entry.text.lower(), f"{entry.id} mentions {brand}"


def test_declines_refer_to_the_care_team(knowledge: Knowledge) -> None:
    declines = [e.text for e in knowledge.entries.values() if e.kind == NOT_COVERED]
    declines += [t["text"] for t in knowledge.not_covered["topics"].values()]
    declines += [knowledge.not_covered["generic"]]
    for text in declines:
        assert CARE_TEAM.search(text), text


def test_anifrolumab_administration_never_gives_belimumab_schedule(knowledge: Knowledge) -> None:
    text = knowledge.entry("anifrolumab_administration").text.lower()
    assert "does not say how anifrolumab is given" in text
    for word in ("monthly", "weekly", "once a", "subcutaneous", "iv ", "infusion"):
        assert word not in text


def test_domain_faq_intents_and_routes_match(knowledge: Knowledge, domain: dict) -> None:
    faq_intents = {i for i in domain["intents"] if i.startswith("faq_")}
    assert faq_intents == set(knowledge.routes)


@pytest.mark.parametrize("intent", sorted(KNOWLEDGE.routes))
def test_every_intent_resolves_for_every_combination(knowledge: Knowledge, intent: str) -> None:
    router = Router(knowledge.routes)
    combinations = itertools.product(DRUGS, [True, False], ORGANS, AGES, CELLS, ROUTES, TOGETHER)
    for drug, named, organ, age, cell, route, compared in combinations:
        values = {
            "drug": drug,
            "drug_named": drug if named else None,
            "organ": organ,
            "age_group": age,
            "cell": cell,
            "route": route,
            "compared": compared,
        }
        entry_id = router.resolve(intent, values)
        assert entry_id in knowledge.entries, f"{intent} -> unknown entry {entry_id}"


def test_every_entry_is_reachable_and_every_related_link_is_a_button(assistant, knowledge) -> None:
    routed = {reply for _, _, reply in assistant.router.cases()}
    assert routed == set(knowledge.entries)
    linked = {r for e in knowledge.entries.values() for r in e.related}
    linked |= set(knowledge.messages["help_suggestions"])
    for entry_id in linked:
        assert entry_id in knowledge.entries, entry_id
        payload = assistant.router.payload(entry_id, assistant.language.lexicon)
        assert payload, f"no button payload reaches {entry_id}"


def test_a_question_names_only_what_its_answer_is_worded_for(knowledge: Knowledge) -> None:
    # A button title "Is {drug} used for other diseases?" is filled in with the medicine its
    # answer is given for; a placeholder the answer does not have would stay unfilled.
    for entry in knowledge.entries.values():
        named = {name for _, name, _, _ in string.Formatter().parse(entry.question) if name}
        assert named <= set(entry.placeholders), entry.id


def test_entries_have_at_most_three_related_questions(knowledge: Knowledge) -> None:
    for entry in knowledge.entries.values():
        assert 1 <= len(entry.related) <= 3, entry.id
        assert entry.id not in entry.related


def test_an_answer_said_to_be_about_a_medicine_names_it(knowledge: Knowledge) -> None:
    # "it" in the next question is taken to mean that medicine: the answer must have said it.
    about = [e for e in knowledge.entries.values() if e.about]
    assert about
    for entry in about:
        assert entry.about in entry.text.lower(), entry.id
        assert not entry.placeholders, entry.id
