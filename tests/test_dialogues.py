"""Every dialogue of tests/dialogues/*.yml, played through the assistant (tests/dialogue_runner.py
says how they are written). Rewording an answer in knowledge/answers.yml breaks none of them:
they name entries, topics and rules, not words."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from lupus_faq.dialogue import Assistant
from tests.dialogue_runner import load_dialogues, play

DIALOGUES = load_dialogues()


@pytest.mark.parametrize("name,dialogue", DIALOGUES, ids=[name for name, _ in DIALOGUES])
def test_dialogue(assistant: Assistant, name: str, dialogue: Dict[str, Any]) -> None:
    play(assistant, name, dialogue)


def test_every_rule_of_the_table_is_shown_by_a_dialogue(assistant: Assistant) -> None:
    fired = {turn.rule for name, dialogue in DIALOGUES for turn in play(assistant, name, dialogue)}
    assert set(assistant.table.names()) - fired == set()
