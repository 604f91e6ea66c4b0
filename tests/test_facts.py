"""The facts of a message, each computed once, on their own (tests/facts.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from lupus_faq.dialogue import Assistant
from tests.dialogue_runner import context_from, message

CASES = yaml.safe_load((Path(__file__).parent / "facts.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["user"] for c in CASES])
def test_the_facts_of_a_message(assistant: Assistant, case: Dict[str, Any]) -> None:
    facts = assistant.interpreter.facts(message(assistant, case), context_from(case.get("context")))
    got = {name: getattr(facts, name) for name in case["facts"]}
    assert got == case["facts"]
