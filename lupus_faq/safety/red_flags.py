"""Deterministic red-flag check: emergencies recognised by their words, classifier or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.language.terms import Terms, TermSet
from lupus_faq.language.text import words


@dataclass(frozen=True)
class RedFlagCategory:
    """One kind of emergency and its terms (its reply line is a text of the knowledge, said in
    the conversation's language: lupus_faq/knowledge/texts.py)."""

    name: str
    terms: TermSet


class RedFlagChecker:
    """Finds the red-flag categories of a message."""

    def __init__(
        self, raw: Mapping[str, Any], word_lists: Optional[Mapping[str, Sequence[str]]] = None
    ) -> None:
        """Compile the YAML; ``word_lists`` resolves ``@name`` in terms (see terms.py)."""
        window = int(raw.get("window", 5))
        past = raw.get("told_as_past") or {}
        self._past = TermSet.from_config(
            past.get("phrases") or (), past.get("near") or (), window, word_lists
        )
        self._names = Terms.compile(raw.get("names_not_symptoms") or ())
        self.categories: Tuple[RedFlagCategory, ...] = tuple(
            RedFlagCategory(
                name=name,
                terms=TermSet.from_config(
                    data.get("phrases") or (), data.get("near") or (), window, word_lists
                ),
            )
            for name, data in raw["categories"].items()
        )

    def detect(self, text: str) -> List[str]:
        """Names of the red-flag categories present in ``text`` (empty if none)."""
        tokens = self._without_names(words(text))
        return [c.name for c in self.categories if c.terms.matches(tokens)]

    def _without_names(self, tokens: List[str]) -> List[str]:
        """``tokens`` without the names that only contain a symptom's word ("hay fever", "the
        yellow fever vaccine"): what is around them is still read."""
        kept: List[str] = []
        i = 0
        while i < len(tokens):
            length = self._names.length_at(tokens, i)
            if length:
                i += length
            else:
                kept.append(tokens[i])
                i += 1
        return kept

    def told_as_past(self, text: str) -> bool:
        """Whether ``text`` tells of its emergency as something past ("she had seizures last
        year", "a rash after her first infusion but it went away"): the emergency reply still
        comes first, and the question asked is answered after it."""
        return self._past.matches(words(text))
