"""The assistant's reply to one message: what it says, what it remembers, which rule decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from lupus_faq.dialogue.memory import Context

# Kinds of turn, recorded with each reply (feedback, curation reports, benchmarks).
KIND_ANSWER = "answer"
KIND_NOT_COVERED = "not_covered"
KIND_RED_FLAG = "red_flag"
KIND_OUT_OF_SCOPE = "out_of_scope"
KIND_CLARIFY = "clarify"
KIND_HELP = "help"
KIND_FEEDBACK = "feedback"
KIND_SUPPORT = "support"
KIND_SMALL_TALK = "small_talk"


@dataclass(frozen=True)
class Button:
    """A quick reply: what it says, and what it sends back."""

    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        """The form Rasa channels expect."""
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class BotMessage:
    """One message of a reply."""

    text: str
    buttons: Tuple[Button, ...] = ()


@dataclass(frozen=True)
class Turn:
    """The reply to one message, and the context to remember afterwards."""

    kind: str
    messages: Tuple[BotMessage, ...]
    context: Context
    entry_ids: Tuple[str, ...] = ()
    # Set when the user rated the last answer: {"helpful": bool, "answers": [entry ids]}.
    feedback: Optional[Dict[str, Any]] = None
    rule: str = ""  # the rule of knowledge/dialogue.yml that decided it
    declined: Optional[str] = None  # the uncovered topic it declined (not_covered.yml)
    facts: Any = field(default=None, repr=False, compare=False)  # what the rule looked at

    @property
    def text(self) -> str:
        """All message texts, joined (for logs and tests)."""
        return "\n".join(m.text for m in self.messages)
