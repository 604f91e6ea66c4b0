"""Words written for another word where it changes what is asked ("how dose it work?")."""

from __future__ import annotations

import pytest

from lupus_faq.language import load_language


@pytest.mark.parametrize(
    "written, meant",
    [
        ("how dose saphnelo work?", "how does saphnelo work?"),
        ("Dose Benlysta help with joint pain?", "Does Benlysta help with joint pain?"),
        ("what dose rituximab actually do in lupus", "what does rituximab actually do in lupus"),
        ("HOW DOSE IT WORK", "HOW DOES IT WORK"),
    ],
)
def test_dose_where_a_question_needs_does_is_read_as_does(written: str, meant: str) -> None:
    assert load_language().spellings.correct(written) == meant


@pytest.mark.parametrize(
    "message",
    [
        "what dose of benlysta will my son get?",  # the dose of a medicine
        "which dose works best for kids?",  # the dose is what works
        "my dose doesn't seem to work anymore",
        "is a higher dose going to help?",
        "la dose de saphnelo, ça agit comment ?",
        "dose",
        # the word after it is no subject, or the verb is in another clause
        "at what dose does it work for kids?",
        "what dose usually helps with skin",
        "is there any dose that works for children",
        "how much dose actually helps?",
        "my son's dose seems to help",
        "what dose she needs to help",
        "what dose benlysta works best for kids",
        "Saphnelo dose? and does it work fast?",
        "benlysta dose, how does it work",
        "la dose a changé pour ma fille ?",
        "quelle dose en cure d'attaque ?",
    ],
)
def test_dose_meaning_a_dose_stays_as_written(message: str) -> None:
    assert load_language().spellings.correct(message) == message


def test_the_nlu_component_corrects_the_text_and_keeps_entities_on_their_words() -> None:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu_components.spelling import SpellingCorrector

    text = "how dose it work for my grandson, he's 7?"
    start = text.index("grandson")
    grandson = {"entity": "age_group", "value": "child", "start": start, "end": start + 8}
    example = Message({"text": text, "intent": "faq_drug_mechanism", "entities": [grandson]})
    SpellingCorrector().process_training_data(TrainingData([example]))
    corrected = example.get("text")
    assert corrected == "how does it work for my grandson, he's 7?"
    assert corrected[grandson["start"] : grandson["end"]] == "grandson"


def test_an_entity_after_a_longer_or_shorter_word_moves_with_it() -> None:
    from lupus_faq.language.spelling import apply, shifted

    text = "u take benlysta"
    edits = [(0, 1, "you")]
    start, end = text.index("benlysta"), len(text)
    corrected = apply(text, edits)
    assert corrected[shifted(start, edits) : shifted(end, edits)] == "benlysta"


def test_no_training_example_is_changed_by_the_corrections() -> None:
    """The model is trained on corrected examples, but Rasa's training cache does not see the
    vocabulary: a spelling that changed an example would need `rasa train --force`."""
    import re
    from pathlib import Path

    import yaml

    spellings = load_language().spellings
    root = Path(__file__).resolve().parent.parent
    changed = []
    for path in sorted((root / "data").glob("nlu*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line.lstrip(" -"))
                if spellings.edits(text):
                    changed.append((path.name, text))
    assert not changed, changed


def test_a_spelling_word_the_yaml_read_as_true_or_false_fails_when_loading() -> None:
    from lupus_faq.language.spelling import Spellings

    with pytest.raises(ValueError, match="quote it"):
        Spellings([{"written": "dose", "means": "does", "not_after": [False]}])
