"""The evaluation data: training examples (data/) and the held-out set, read the way Rasa does.

Rasa's own reader is used so that the texts, entity offsets and example order are exactly those
`rasa test nlu` sees (the cross-validation folds depend on that order).
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = ROOT / "data"
HELD_OUT = ROOT / "tests" / "nlu_test.yml"
DOMAIN = ROOT / "domain.yml"
# NLU files of data/ are found by Rasa itself; these are the dialogue files a full model needs.
DIALOGUE_FILES = (TRAINING_DATA / "rules.yml", TRAINING_DATA / "stories.yml")


@dataclass(frozen=True)
class Example:
    """One annotated user message."""

    text: str
    intent: str
    entities: Tuple[Dict[str, Any], ...] = field(default=())
    annotated: str = ""  # the example as written in the YAML ("can [kids](age_group) ...")


def _load(path: Path) -> List[Example]:
    from rasa.shared.importers.importer import TrainingDataImporter

    with warnings.catch_warnings():
        # Loading the domain warns about slot auto-fill (custom mappings): not ours to fix.
        warnings.simplefilter("ignore")
        data = TrainingDataImporter.load_from_dict(
            training_data_paths=[str(path)], domain_path=str(DOMAIN)
        ).get_nlu_data()
    examples = []
    for message in data.intent_examples:
        entities = tuple(
            {k: e[k] for k in ("entity", "value", "start", "end") if k in e}
            for e in message.get("entities") or []
        )
        examples.append(
            Example(
                message.get("text"),
                message.get("intent"),
                entities,
                _annotated(message.get("text"), entities),
            )
        )
    return examples


def _annotated(text: str, entities: Sequence[Dict[str, Any]]) -> str:
    """The example in Rasa's markup, so that a subset can be written back as YAML."""
    out, last = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        out += [
            text[last : entity["start"]],
            f"[{text[entity['start'] : entity['end']]}]({entity['entity']})",
        ]
        last = entity["end"]
    return "".join(out) + text[last:]


def training_examples(path: Path = TRAINING_DATA) -> List[Example]:
    """Every NLU example of data/ (or of ``path``), in Rasa's order."""
    return _load(path)


def held_out_examples(path: Path = HELD_OUT) -> List[Example]:
    """The held-out test set, tests/nlu_test.yml (or ``path``)."""
    return _load(path)


def every_nth_per_intent(examples: Iterable[Example], n: int, minimum: int) -> List[Example]:
    """A small, stratified, deterministic subset (for --quick): every n-th example of each
    intent, and at least ``minimum`` of each (fewer only if the intent has fewer)."""
    by_intent: Dict[str, List[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    keep = set()
    for group in by_intent.values():
        chosen = group[::n]
        if len(chosen) < minimum:
            chosen = group[:minimum]
        keep.update(id(e) for e in chosen)
    return [e for group in by_intent.values() for e in group if id(e) in keep]


def write_nlu_yaml(examples: Iterable[Example], path: Path) -> Path:
    """Write examples as a Rasa NLU YAML file (entity markup kept)."""
    by_intent: Dict[str, List[str]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example.annotated)
    blocks = [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in by_intent.items()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return path
