"""Deterministic red-flag check: emergencies recognised by their words, classifier or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.terms import TermSet
from lupus_faq.text import words


@dataclass(frozen=True)
class RedFlagCategory:
    """One kind of emergency, with the line the reply adds for it."""

    name: str
    reply: str
    terms: TermSet


class RedFlagChecker:
    """Finds red-flag categories in a message and words the emergency reply."""

    def __init__(
        self, raw: Mapping[str, Any], word_lists: Optional[Mapping[str, Sequence[str]]] = None
    ) -> None:
        """Compile the YAML; ``word_lists`` resolves ``@name`` in terms (see terms.py)."""
        window = int(raw.get("window", 5))
        self._intro = " ".join(raw["reply_intro"].split())
        self._outro = " ".join(raw["reply_outro"].split())
        self.categories: Tuple[RedFlagCategory, ...] = tuple(
            RedFlagCategory(
                name=name,
                reply=" ".join(data["reply"].split()),
                terms=TermSet.from_config(
                    data.get("phrases") or (), data.get("near") or (), window, word_lists
                ),
            )
            for name, data in raw["categories"].items()
        )
        not_now = raw.get("not_now") or {}
        self.not_now_intro = " ".join(str(not_now.get("intro", "")).split())
        self.not_now_offer = " ".join(str(not_now.get("offer", "")).split())
        self._not_now = TermSet.from_config(not_now.get("phrases") or ())
        self._now = TermSet.from_config(not_now.get("now") or ())

    def detect(self, text: str) -> List[str]:
        """Names of the red-flag categories present in ``text`` (empty if none)."""
        tokens = words(text)
        return [c.name for c in self.categories if c.terms.matches(tokens)]

    def may_not_be_now(self, text: str) -> bool:
        """Whether the emergency in ``text`` may not be happening now: its words name none
        (only the classifier saw one: "i'm a chest physician, what does belimumab do?") or
        speak of it as past, hypothetical or read about ("years ago", "what if"), and none
        says it is happening now ("since", "right now")."""
        tokens = words(text)
        named = any(c.terms.matches(tokens) for c in self.categories)
        return (not named or self._not_now.matches(tokens)) and not self._now.matches(tokens)

    def reply(self, categories: List[str]) -> str:
        """The emergency reply: intro, one line per category found, outro."""
        by_name: Dict[str, RedFlagCategory] = {c.name: c for c in self.categories}
        lines = [self._intro, *(by_name[name].reply for name in categories), self._outro]
        return "\n".join(lines)
