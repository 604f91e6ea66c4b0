"""Small helpers shared by the tests."""

from __future__ import annotations

import re
from typing import Any, Dict

CARE_TEAM = re.compile(r"rheumatologist|care team", re.IGNORECASE)


def entity(name: str, value: str, start: int = 0) -> Dict[str, Any]:
    """A Rasa-style entity as an extractor returns it."""
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}



def parse_payload(payload: str) -> tuple:
    """Split a button payload "/intent{...}" into (intent, Rasa-style entities)."""
    from lupus_faq.buttons import parse_payload as parse

    parsed = parse(payload)
    assert parsed, payload
    return parsed
