"""The NLU training data and the held-out test set: size, coverage, independence."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import load_nlu

ROOT = Path(__file__).resolve().parent.parent
MIN_TRAINING_EXAMPLES_PER_FAQ_INTENT = 25
MIN_HELD_OUT_EXAMPLES = 150


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.fixture(scope="module")
def training():
    return load_nlu(ROOT / "data")


@pytest.fixture(scope="module")
def held_out():
    return load_nlu(ROOT / "tests" / "nlu_test.yml")


def test_every_domain_intent_has_training_examples(training, domain) -> None:
    assert set(domain["intents"]) == set(training.intents)


def test_faq_intents_have_enough_varied_examples(training) -> None:
    counts = Counter(e.get("intent") for e in training.intent_examples)
    for intent, count in counts.items():
        if intent.startswith("faq_"):
            assert count >= MIN_TRAINING_EXAMPLES_PER_FAQ_INTENT, (intent, count)
    assert counts["out_of_scope"] >= 100 and counts["ask_not_covered"] >= 100


def test_entities_are_the_domain_entities(training, held_out, domain) -> None:
    assert training.entities == set(domain["entities"])
    assert held_out.entities <= set(domain["entities"])


def test_held_out_set_is_large_and_covers_every_intent(held_out, training) -> None:
    assert len(held_out.intent_examples) >= MIN_HELD_OUT_EXAMPLES
    assert held_out.intents == training.intents


def test_held_out_examples_never_appear_in_training(training, held_out) -> None:
    seen = {_normalise(e.get("text")) for e in training.intent_examples}
    copied = [e.get("text") for e in held_out.intent_examples if _normalise(e.get("text")) in seen]
    assert not copied, f"held-out examples found in the training data: {copied}"


def test_no_training_example_is_a_near_twin_of_a_blind_message(training) -> None:
    """The blind sets measure understanding only if the training data holds no copy of their
    messages: no training example of five words or more is within character n-gram cosine 0.9
    of a blind message (eval/leakage.py; greetings and bare follow-ups may coincide)."""
    from eval.leakage import NEAR, blind_texts, nearest

    blind = [
        t
        for folder in sorted((ROOT / "tests" / "blind").iterdir())
        if folder.is_dir()
        for t in blind_texts(folder)
    ]
    assert len(blind) > 800, "the blind sets are in tests/blind/"
    examples = [
        str(e.get("text")) for e in training.intent_examples if len(str(e.get("text")).split()) >= 5
    ]
    twins = [
        (round(score, 2), example, text)
        for score, example, text in nearest(examples, blind)
        if score >= NEAR
    ]
    assert twins == []
