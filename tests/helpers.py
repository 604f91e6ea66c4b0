"""Small helpers shared by the tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict

CARE_TEAM = re.compile(r"rheumatologist|care team", re.IGNORECASE)


def entity(name: str, value: str, start: int = 0) -> Dict[str, Any]:
    """A Rasa-style entity as an extractor returns it."""
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}


def load_nlu(path: Path) -> Any:
    """The NLU examples of a file, or of every NLU file of a folder, read by Rasa's reader."""
    from rasa.shared.data import is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    return TrainingData().merge(*(load_data(str(f)) for f in files if is_nlu_file(str(f))))


def parse_payload(payload: str) -> tuple:
    """Split a button payload "/intent{...}" into (intent, Rasa-style entities)."""
    from lupus_faq.language.choices import parse_payload as parse

    parsed = parse(payload)
    assert parsed, payload
    return parsed


def say(
    assistant: Any,
    text: str,
    intent: Any = None,
    *entities: Dict[str, Any],
    context: Any = None,
    ranking: Any = None,
) -> Any:
    """The assistant's turn for ``text``, as the NLU would hand it over when its classifier
    said ``intent`` (or ``ranking``: {intent: confidence}); red flags, ratings and numbers are
    read from the text as by the pipeline's deterministic components. A text starting with
    "/" is a button's payload."""
    from lupus_faq.dialogue import Context, Guess
    from lupus_faq.dialogue.message import as_the_nlu_reads, button_message
    from lupus_faq.language.choices import parse_payload as parse

    if text.startswith("/"):  # a button's payload, as Rasa's payload handler reads it
        parsed = parse(text)
        assert parsed, text
        return assistant.turn(button_message(text, *parsed), context or Context())
    guesses = [Guess(name, confidence) for name, confidence in (ranking or {}).items()]
    message = as_the_nlu_reads(
        text, intent, guesses, list(entities), assistant.language, assistant.red_flags
    )
    return assistant.turn(message, context or Context())
