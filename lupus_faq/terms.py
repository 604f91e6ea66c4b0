"""Deterministic term matching used by the red-flag and not-covered checks.

A term is a sequence of words. A word ending in ``*`` matches any word starting with it; a word
starting with ``re:`` is a regular expression that must match one whole word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, List, Mapping, Sequence, Tuple

from lupus_faq.text import words

WordTest = Callable[[str], bool]


def _compile_word(pattern: str) -> WordTest:
    if pattern.startswith("re:"):
        regex = re.compile(pattern[3:])
        return lambda word: regex.fullmatch(word) is not None
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return lambda word: word.startswith(prefix)
    return lambda word: word == pattern


def _compile_term(term: str) -> Tuple[WordTest, ...]:
    """Compile a phrase, folding its words the way user text is folded ("can't" -> "cant")."""
    tests: List[WordTest] = []
    for raw in term.split():
        if raw.startswith("re:"):
            tests.append(_compile_word(raw))
            continue
        star = raw.endswith("*")
        pieces = words(raw.rstrip("*"))  # "self-harm" is two words once folded
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            tests.append(_compile_word(piece + ("*" if star and last else "")))
    return tuple(tests)


@dataclass(frozen=True)
class NearRule:
    """One word of every group, all within ``window`` words of each other."""

    groups: Tuple[Tuple[WordTest, ...], ...]
    window: int


@dataclass(frozen=True)
class TermSet:
    """Phrases (any one matches) and proximity rules."""

    phrases: Tuple[Tuple[WordTest, ...], ...]
    near: Tuple[NearRule, ...]

    @classmethod
    def from_config(
        cls, phrases: Iterable[str], near: Iterable[Any] = (), window: int = 5
    ) -> "TermSet":
        """Compile the YAML form: phrases, and near-rules given either as a list of word groups
        (using ``window``) or as ``{window: n, groups: [...]}``."""
        rules = []
        for rule in near:
            groups = rule["groups"] if isinstance(rule, Mapping) else rule
            size = int(rule.get("window", window)) if isinstance(rule, Mapping) else window
            compiled = tuple(tuple(_compile_word(_fold_word(w)) for w in g) for g in groups)
            rules.append(NearRule(compiled, size))
        return cls(tuple(_compile_term(p) for p in phrases), tuple(rules))

    def matches(self, tokens: Sequence[str]) -> bool:
        """True if any phrase occurs in ``tokens`` or any near-rule is satisfied."""
        return any(_has_phrase(tokens, p) for p in self.phrases) or any(
            _has_near(tokens, rule.groups, rule.window) for rule in self.near
        )


def _fold_word(pattern: str) -> str:
    if pattern.startswith("re:"):
        return pattern
    star = pattern.endswith("*")
    return "".join(words(pattern.rstrip("*"))) + ("*" if star else "")


def _has_phrase(tokens: Sequence[str], phrase: Tuple[WordTest, ...]) -> bool:
    size = len(phrase)
    return any(
        all(test(tokens[start + i]) for i, test in enumerate(phrase))
        for start in range(len(tokens) - size + 1)
    )


def _has_near(tokens: Sequence[str], groups: Tuple[Tuple[WordTest, ...], ...], window: int) -> bool:
    positions = [
        [i for i, token in enumerate(tokens) if any(test(token) for test in group)]
        for group in groups
    ]
    if not all(positions):
        return False
    # Each group needs one hit; check every anchor of the first group against the others.
    for anchor in positions[0]:
        if all(any(abs(p - anchor) <= window for p in hits) for hits in positions[1:]):
            return True
    return False
