"""What the conversation remembers between turns, declared once.

Each field of ``Context`` is stored in one Rasa slot; its name and type are given here and
nowhere else: the action adapter reads and writes slots from ``SLOTS``, and a test checks that
domain.yml declares exactly these slots with these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

# What the last reply asked, so that the next message can be read as its answer.
AWAITING_RATING = "rating"  # "Was this helpful?"
AWAITING_CHOICE = "did_you_mean"  # "Did you mean one of these?"


def _slot(name: str, kind: str, doc: str) -> Dict[str, str]:
    return {"slot": name, "type": kind, "doc": doc}


@dataclass(frozen=True)
class Option:
    """A button of the last reply: what it said and what it sends back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Context:
    """What the conversation remembers for the next message."""

    last_intent: Optional[str] = field(
        default=None,
        metadata=_slot("last_faq", "text", "the page question last answered, for 'and for kids?'"),
    )
    drugs: Tuple[str, ...] = field(
        default=(),
        metadata=_slot("drugs", "list", "the medicines talked about, for 'how is it given?'"),
    )
    organ: Optional[str] = field(
        default=None,
        metadata=_slot(
            "last_organ", "text", "the organ the last question was about, for 'and Saphnelo?'"
        ),
    )
    last_answers: Tuple[str, ...] = field(
        default=(),
        metadata=_slot("last_answers", "list", "the entries of the last answer, for its rating"),
    )
    age_group: Optional[str] = field(
        default=None,
        metadata=_slot(
            "person_age_group", "text", "child or adult: the person the questions are about"
        ),
    )
    speaker_age_group: Optional[str] = field(
        default=None,
        metadata=_slot(
            "speaker_age_group", "text", "child or adult: the speaker, once they said ('i'm 16')"
        ),
    )
    about_speaker: bool = field(
        default=False,
        metadata=_slot("about_speaker", "bool", "whether the questions are about the speaker now"),
    )
    declined_topic: Optional[str] = field(
        default=None,
        metadata=_slot(
            "declined_topic", "text", "the topic the last reply declined, for 'and Saphnelo?'"
        ),
    )
    awaiting: Optional[str] = field(
        default=None,
        metadata=_slot("awaiting", "text", "what the last reply asked: 'rating' or 'did_you_mean'"),
    )
    options: Tuple[Option, ...] = field(
        default=(),
        metadata=_slot("options", "any", "the buttons of the last reply, for a typed '2'"),
    )
    language: Optional[str] = field(
        default=None,
        metadata=_slot(
            "language", "text", "the conversation's language (en, fr), for 'oui', '2' or '👍'"
        ),
    )

    @property
    def current_age_group(self) -> Optional[str]:
        """The age group of the person the conversation is about now."""
        return self.speaker_age_group if self.about_speaker else self.age_group

    def forget_last_reply(self) -> "Context":
        """This context without what only the last reply asked or declined."""
        return replace(self, declined_topic=None, awaiting=None, options=())


# Slot written with a turn but never read back: a rating of the last answer
# ({"helpful": true/false, "answers": [entry ids]}), kept for the curators' report.
FEEDBACK_SLOT = "feedback"

# Slot of the session, not of the dialogue: whether its opening disclaimer has been said (False:
# not yet, the first reply says it; None: a conversation from before it existed).
DISCLAIMER_SLOT = "disclaimer_said"

# slot name -> Rasa slot type, for every slot the dialogue uses.
SLOTS: Dict[str, str] = {
    **{f.metadata["slot"]: f.metadata["type"] for f in fields(Context)},
    FEEDBACK_SLOT: "any",
    DISCLAIMER_SLOT: "bool",
}


def _to_slot(value: Any) -> Any:
    if isinstance(value, tuple):
        items = [
            {"title": v.title, "payload": v.payload} if isinstance(v, Option) else v for v in value
        ]
        return items or None
    return value


def to_slots(context: Context) -> Dict[str, Any]:
    """``context`` as slot values (tuples as lists, empty ones as None)."""
    return {f.metadata["slot"]: _to_slot(getattr(context, f.name)) for f in fields(Context)}


def from_slots(get: Callable[[str], Any]) -> Context:
    """The context stored in the slots, read with ``get(slot name)``."""
    values: Dict[str, Any] = {}
    for f in fields(Context):
        raw = get(f.metadata["slot"])
        if f.name == "options":
            values[f.name] = tuple(
                Option(str(o.get("title", "")), str(o.get("payload", "")))
                for o in raw or ()
                if isinstance(o, Mapping)
            )
        elif f.metadata["type"] == "list":
            values[f.name] = tuple([raw] if isinstance(raw, str) else raw or ())
        elif f.metadata["type"] == "bool":
            values[f.name] = bool(raw)
        else:
            values[f.name] = raw
    return Context(**values)


def changed_slots(before: Context, after: Context) -> Dict[str, Any]:
    """The slot values that differ between two contexts."""
    old, new = to_slots(before), to_slots(after)
    return {name: value for name, value in new.items() if old[name] != value}
