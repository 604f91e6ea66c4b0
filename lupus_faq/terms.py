"""Deterministic term matching used by the red-flag and not-covered checks.

A term is a sequence of words. A word ending in ``*`` matches any word starting with it; a word
starting with ``re:`` is a regular expression that must match one whole word. In a phrase or a
near-rule's word group, ``@name`` stands for every term of a named list (``@drug``: the names of
the page's medicines in knowledge/vocabulary.yml), so those names are written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, List, Mapping, Optional, Sequence, Tuple

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
    """One term of every group, all starting within ``window`` words of each other."""

    groups: Tuple[Tuple[Tuple[WordTest, ...], ...], ...]
    window: int


@dataclass(frozen=True)
class TermSet:
    """Phrases (any one matches) and proximity rules."""

    phrases: Tuple[Tuple[WordTest, ...], ...]
    near: Tuple[NearRule, ...]

    @classmethod
    def from_config(
        cls,
        phrases: Iterable[str],
        near: Iterable[Any] = (),
        window: int = 5,
        named: Optional[Mapping[str, Sequence[str]]] = None,
    ) -> "TermSet":
        """Compile the YAML form: phrases, and near-rules given either as a list of word groups
        (using ``window``) or as ``{window: n, groups: [...]}``; ``@name`` in a group expands
        to the terms of ``named[name]`` (an unknown name is an error, not a silent no-match)."""
        rules = []
        for rule in near:
            groups = rule["groups"] if isinstance(rule, Mapping) else rule
            size = int(rule.get("window", window)) if isinstance(rule, Mapping) else window
            compiled = tuple(
                tuple(_compile_term(term) for term in _expand(group, named or {}))
                for group in groups
            )
            rules.append(NearRule(compiled, size))
        expanded = [p for phrase in phrases for p in _expand_phrase(phrase, named or {})]
        return cls(tuple(_compile_term(p) for p in expanded), tuple(rules))

    def matches(self, tokens: Sequence[str]) -> bool:
        """True if any phrase occurs in ``tokens`` or any near-rule is satisfied."""
        return any(_has_phrase(tokens, p) for p in self.phrases) or any(
            _has_near(tokens, rule.groups, rule.window) for rule in self.near
        )

    def starts(self, tokens: Sequence[str]) -> bool:
        """True if ``tokens`` begin with one of the phrases."""
        return any(_starts_at(tokens, 0, p) for p in self.phrases)

    def ends(self, tokens: Sequence[str]) -> bool:
        """True if ``tokens`` end with one of the phrases ("like" before "Benlysta")."""
        return any(
            0 < len(p) <= len(tokens) and _starts_at(tokens, len(tokens) - len(p), p)
            for p in self.phrases
        )


def _expand_phrase(phrase: str, named: Mapping[str, Sequence[str]]) -> List[str]:
    """A phrase with ``@name`` words ("stop my @drug"), as one phrase per name."""
    variants = [""]
    for word in phrase.split():
        names = _expand([word], named) if word.startswith("@") else [word]
        variants = [f"{v} {n}".strip() for v in variants for n in names]
    return variants


def _expand(group: Iterable[str], named: Mapping[str, Sequence[str]]) -> List[str]:
    terms: List[str] = []
    for item in group:
        if not item.startswith("@"):
            terms.append(item)
        elif item[1:] in named:
            terms.extend(named[item[1:]])
        else:
            raise ValueError(f"unknown word list {item!r}; known: {', '.join(sorted(named))}")
    return terms


def _has_phrase(tokens: Sequence[str], phrase: Tuple[WordTest, ...]) -> bool:
    return any(_starts_at(tokens, start, phrase) for start in range(len(tokens)))


def _starts_at(tokens: Sequence[str], start: int, phrase: Tuple[WordTest, ...]) -> bool:
    return len(phrase) <= len(tokens) - start and all(
        test(tokens[start + i]) for i, test in enumerate(phrase)
    )


def _has_near(
    tokens: Sequence[str], groups: Tuple[Tuple[Tuple[WordTest, ...], ...], ...], window: int
) -> bool:
    positions = [
        [i for i in range(len(tokens)) if any(_starts_at(tokens, i, term) for term in group)]
        for group in groups
    ]
    if not all(positions):
        return False
    # Each group needs one hit; check every anchor of the first group against the others.
    for anchor in positions[0]:
        if all(any(abs(p - anchor) <= window for p in hits) for hits in positions[1:]):
            return True
    return False
