"""`make chat`'s shell: Ctrl-C at a button menu ends the chat (Rasa 3.6.21 crashed and hung)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import pytest
from rasa.cli import utils as cli_utils
from rasa.core.channels import console

from scripts import rasa_shell

ANSWER = {
    "recipient_id": "me",
    "text": "Belimumab can be given in two ways...\nWas this helpful?",
    "buttons": [
        {
            "title": "Can children take belimumab?",
            "payload": '/faq_drug_children{"drug":"belimumab"}',
        },
        {"title": "Yes, it helped", "payload": "/affirm"},
    ],
}


class Menu:
    """A button menu whose user picks ``choice`` (None: pressed Ctrl-C)."""

    def __init__(self, choice: Optional[str]) -> None:
        self.choice = choice

    async def ask_async(self) -> Optional[str]:
        return self.choice


def user_input_after(answer: dict, choice: Optional[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """What Rasa's shell reads from the user after showing ``answer`` with its menu."""
    monkeypatch.setattr(console, "_print_bot_output", lambda *args, **kwargs: Menu(choice))
    return asyncio.run(console._get_user_input(answer))


@pytest.fixture
def fixed_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli_utils, "payload_from_button_question", cli_utils.payload_from_button_question
    )
    rasa_shell.install()


def test_ctrl_c_at_a_button_menu_ends_the_chat(fixed_shell: None, monkeypatch) -> None:
    # Rasa's shell loop stops when it reads None, as after Ctrl-C at the text prompt.
    assert user_input_after(ANSWER, None, monkeypatch) is None


def test_a_chosen_button_sends_its_payload(fixed_shell: None, monkeypatch) -> None:
    choice = '1: Can children take belimumab? (/faq_drug_children{"drug":"belimumab"})'
    assert user_input_after(ANSWER, choice, monkeypatch) == '/faq_drug_children{"drug":"belimumab"}'
    assert user_input_after(ANSWER, "2: Yes, it helped (/affirm)", monkeypatch) == "/affirm"
