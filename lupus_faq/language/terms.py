"""Deterministic term matching used by the red-flag and not-covered checks.

A term is a sequence of words. A word ending in ``*`` matches any word starting with it; a word
starting with ``re:`` is a regular expression that must match one whole word. In a phrase or a
near-rule's word group, ``@name`` stands for every term of a named list (``@drug``: the names of
the page's medicines in knowledge/vocabulary.yml), so those names are written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.language.text import words

WordTest = Callable[[str], bool]


def _compile_word(pattern: str) -> WordTest:
    if pattern.startswith("re:"):
        regex = re.compile(pattern[3:])
        return lambda word: regex.fullmatch(word) is not None
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return lambda word: word.startswith(prefix)
    return lambda word: word == pattern


Term = Tuple[WordTest, ...]


def _compile_term(term: str) -> Tuple[Optional[str], bool, Term]:
    """Compile a phrase, folding its words the way user text is folded ("can't" -> "cant");
    with what its first word must be, or start with (the flag), when that is known (None for
    a `re:` pattern)."""
    tests: List[WordTest] = []
    first: Optional[str] = None
    is_prefix = False
    for raw in term.split():
        if raw.startswith("re:"):
            tests.append(_compile_word(raw))
            continue
        star = raw.endswith("*")
        pieces = words(raw.rstrip("*"))  # "self-harm" is two words once folded
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            if not tests:
                first, is_prefix = piece, star and last
            tests.append(_compile_word(piece + ("*" if star and last else "")))
    return first, is_prefix, tuple(tests)


# Terms starting with `word*` are filed under the word's first letters, at most this many.
_PREFIX_KEY = 3


@dataclass(frozen=True)
class Terms:
    """Compiled terms, filed by their first word: at each word of a message only the terms
    that can start there are tried (every message meets a few thousand terms, @drug names
    expanded)."""

    all: Tuple[Term, ...]
    by_first: Mapping[str, Tuple[Term, ...]]  # first word exact
    by_prefix: Mapping[str, Tuple[Term, ...]]  # first word `word*`, by its first letters
    open_first: Tuple[Term, ...]  # first word a pattern (`re:`)

    @classmethod
    def compile(cls, terms: Iterable[str]) -> "Terms":
        """Compile ``terms`` (phrases in the YAML syntax)."""
        compiled: List[Term] = []
        by_first: Dict[str, List[Term]] = {}
        by_prefix: Dict[str, List[Term]] = {}
        open_first: List[Term] = []
        for term in terms:
            first, is_prefix, tests = _compile_term(term)
            compiled.append(tests)
            if first is None:
                open_first.append(tests)
            elif is_prefix:
                by_prefix.setdefault(first[:_PREFIX_KEY], []).append(tests)
            else:
                by_first.setdefault(first, []).append(tests)
        return cls(
            tuple(compiled),
            {w: tuple(t) for w, t in by_first.items()},
            {w: tuple(t) for w, t in by_prefix.items()},
            tuple(open_first),
        )

    def start_at(self, tokens: Sequence[str], start: int) -> bool:
        """True if one of the terms occurs in ``tokens`` from position ``start``."""
        token = tokens[start]
        for term in self.by_first.get(token, ()):
            if _starts_at(tokens, start, term):
                return True
        if self.by_prefix:
            for size in range(1, min(len(token), _PREFIX_KEY) + 1):
                for term in self.by_prefix.get(token[:size], ()):
                    if _starts_at(tokens, start, term):
                        return True
        return any(_starts_at(tokens, start, term) for term in self.open_first)

    def length_at(self, tokens: Sequence[str], start: int) -> int:
        """How many words the longest term occurring at ``start`` spans (0: none)."""
        return max((len(t) for t in self.all if _starts_at(tokens, start, t)), default=0)

    def positions(self, tokens: Sequence[str]) -> List[int]:
        """Where in ``tokens`` one of the terms starts."""
        return [i for i in range(len(tokens)) if self.start_at(tokens, i)]

    def occur_in(self, tokens: Sequence[str]) -> bool:
        """True if one of the terms occurs anywhere in ``tokens``."""
        return any(self.start_at(tokens, i) for i in range(len(tokens)))


@dataclass(frozen=True)
class NearRule:
    """One term of every group, each at a word of its own, all starting within ``window``
    words of the first group's term."""

    groups: Tuple[Terms, ...]
    window: int


@dataclass(frozen=True)
class TermSet:
    """Phrases (any one matches) and proximity rules."""

    phrases: Terms
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
            compiled = tuple(Terms.compile(_expand(group, named or {})) for group in groups)
            rules.append(NearRule(compiled, size))
        expanded = [p for phrase in phrases for p in _expand_phrase(phrase, named or {})]
        return cls(Terms.compile(expanded), tuple(rules))

    def matches(self, tokens: Sequence[str]) -> bool:
        """True if any phrase occurs in ``tokens`` or any near-rule is satisfied."""
        return self.phrases.occur_in(tokens) or any(
            _has_near(tokens, rule.groups, rule.window) for rule in self.near
        )

    def starts(self, tokens: Sequence[str]) -> bool:
        """True if ``tokens`` begin with one of the phrases."""
        return any(_starts_at(tokens, 0, p) for p in self.phrases.all)

    def ends(self, tokens: Sequence[str]) -> bool:
        """True if ``tokens`` end with one of the phrases ("like" before "Benlysta")."""
        return any(
            0 < len(p) <= len(tokens) and _starts_at(tokens, len(tokens) - len(p), p)
            for p in self.phrases.all
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
        if not isinstance(item, str):  # YAML reads a bare on, off, yes, no as true or false
            raise ValueError(f"term {item!r} is not text: quote it in the YAML ('on', 'no')")
        if not item.startswith("@"):
            terms.append(item)
        elif item[1:] in named:
            terms.extend(named[item[1:]])
        else:
            raise ValueError(f"unknown word list {item!r}; known: {', '.join(sorted(named))}")
    return terms


def _starts_at(tokens: Sequence[str], start: int, phrase: Term) -> bool:
    return len(phrase) <= len(tokens) - start and all(
        test(tokens[start + i]) for i, test in enumerate(phrase)
    )


def _has_near(tokens: Sequence[str], groups: Tuple[Terms, ...], window: int) -> bool:
    positions: List[List[int]] = []
    for group in groups:
        positions.append(group.positions(tokens))
        if not positions[-1]:  # most messages miss the first group: stop there
            return False
    # Each group needs one hit near an anchor of the first group, and a word of its own: in
    # "@drug with @drug", "Benlysta with food" must not count "Benlysta" twice.
    return any(_placed(positions[1:], anchor, window, (anchor,)) for anchor in positions[0])


def _placed(
    rest: Sequence[Sequence[int]], anchor: int, window: int, taken: Tuple[int, ...]
) -> bool:
    """Whether each group of ``rest`` has a hit within ``window`` of ``anchor`` at a word
    not ``taken`` by another group."""
    if not rest:
        return True
    return any(
        _placed(rest[1:], anchor, window, taken + (p,))
        for p in rest[0]
        if abs(p - anchor) <= window and p not in taken
    )
