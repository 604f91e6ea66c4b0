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
        names = raw.get("names_not_symptoms") or {}
        self._names = Terms.compile(names.get("names") or ())
        self._symptom_words = Terms.compile(names.get("words") or ())
        self._names_kept_with = Terms.compile(names.get("unless") or ())
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
        """``tokens`` without the symptom's words of the names that only contain one ("hay
        fever", "the yellow fever vaccine"), unless the message holds a temperature: the rest
        of the name and of the message is still read."""
        if self._names_kept_with.occur_in(tokens):
            return tokens
        left_out = set()
        for start in range(len(tokens)):
            for i in range(start, start + self._names.length_at(tokens, start)):
                if self._symptom_words.start_at(tokens, i):
                    left_out.add(i)
        return [token for i, token in enumerate(tokens) if i not in left_out]

    def told_as_past(self, text: str) -> bool:
        """Whether ``text`` tells of its emergency as something past ("she had seizures last
        year", "a rash after her first infusion but it went away"): the emergency reply still
        comes first, and the question asked is answered after it."""
        return self._past.matches(words(text))
