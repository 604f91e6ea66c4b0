"""The project's own spaCy pipeline, as Rasa's SpacyNLP loads it (package en_lupus_biologics)."""

from __future__ import annotations

import pytest

from lupus_faq.knowledge.entities import DRUG, ENTITIES, OTHER


@pytest.fixture(scope="module")
def nlp():
    import spacy

    try:
        return spacy.load("en_lupus_biologics")
    except OSError as error:  # pragma: no cover - explains how to fix a missing build
        pytest.fail(f"en_lupus_biologics is not installed; run `make spacy` ({error})")


def ents(nlp, text: str) -> list:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


def test_pipeline_is_blank_english_with_lemmatizer_and_ruler(nlp) -> None:
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["lemmatizer", "entity_ruler"]
    assert nlp.path is not None  # Rasa's SpacyNLP refuses a pipeline not loaded from disk


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Can my kids take Benlysta?",
            [("kids", "age_group", "child"), ("Benlysta", "drug", "belimumab")],
        ),
        (
            "is saphnello given by IV",
            [("saphnello", "drug", "anifrolumab"), ("IV", "route", "infusion")],
        ),
        ("what about MabThera", [("MabThera", "drug", "rituximab")]),
        (
            "rituxan or rituximib",
            [("rituxan", "drug", "rituximab"), ("rituximib", "drug", "rituximab")],
        ),
        (
            "belimunab for lupus nephritis",
            [("belimunab", "drug", "belimumab"), ("lupus nephritis", "organ", "kidney")],
        ),
        (
            "BENLISTA injections",
            [("BENLISTA", "drug", "belimumab"), ("injections", "route", "injection")],
        ),
        ("does it help the nervous system", [("nervous system", "organ", "brain")]),
        (
            "can benlysta help my headaches",
            [("benlysta", "drug", "belimumab"), ("headaches", "organ", OTHER)],
        ),
        (
            "does saphnelo help brain fog",
            [("saphnelo", "drug", "anifrolumab"), ("brain fog", "organ", OTHER)],
        ),
        (
            "my 8 year old daughter",
            [("8 year old", "age_group", ""), ("daughter", "age_group", "child")],
        ),
        ("my 8 yo", [("8 yo", "age_group", "")]),
        ("is it for 2 year olds", [("2 year olds", "age_group", "")]),
        ("my 6yo just got diagnosed", [("6yo", "age_group", "")]),
        ("lupus for 20 years", []),
        (
            "can i take saphnelo if im 16",
            [("saphnelo", "drug", "anifrolumab"), ("m 16", "age_group", "")],
        ),
        ("my son is 25", [("son", "age_group", "child"), ("is 25", "age_group", "")]),
        ("and plaquenil?", [("plaquenil", "drug", OTHER)]),
        ("what are T-cells", [("T-cells", "cell", "t_lymphocyte")]),
        ("t lymphocytes vs b cells", [("t lymphocytes", "cell", "t_lymphocyte")]),
    ],
)
def test_brands_misspellings_and_entities(nlp, text: str, expected: list) -> None:
    assert ents(nlp, text) == expected


def test_lookup_lemmatizer_is_loaded(nlp) -> None:
    assert [t.lemma_ for t in nlp("children were given injections")] == [
        "child",
        "be",
        "give",
        "injection",
    ]


def test_every_vocabulary_word_is_recognised(nlp, assistant) -> None:
    raw = assistant.knowledge.vocabulary
    for label in ENTITIES:
        for value, data in raw[label].items():
            spellings = list(data.get("variants", [])) + list(data.get("relations", []))
            for brand, more in (data.get("brands") or {}).items():
                spellings += [brand, *more]
            for spelling in spellings:
                found = ents(nlp, spelling)
                assert found and found[0][1] == label, (label, spelling, found)
                if label == DRUG:
                    assert found[0][2] == value, (spelling, found)
