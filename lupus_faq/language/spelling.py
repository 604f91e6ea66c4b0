"""Words written for another word where it changes what is asked: "how dose anifrolumab
work?" asks how it works (does), not about a dose.

Each entry of knowledge/vocabulary.yml's `spellings` names the word as written, the word it
stands for, the words that must follow it for it to stand for that word (at least `between`
words later, within `window` words: "dose it work" has its subject between), and the words
just before or just after it that keep it as written ("my dose", "a higher dose", "dose of
pred"). The
correction is made once, before the NLU reads the message (nlu_components/spelling.py), so
the classifier, the entities and every word-based check read the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, List, Mapping, Sequence, Tuple

from lupus_faq.language.text import words

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

Edit = Tuple[int, int, str]  # start, end, replacement


@dataclass(frozen=True)
class Spelling:
    """One word written for another, and the words around it that say so."""

    written: str
    means: str
    followed_by: FrozenSet[str]
    between: int
    window: int
    not_after: FrozenSet[str]
    not_before: FrozenSet[str]


class Spellings:
    """Corrects the words written for another word, by the words around them."""

    def __init__(self, raw: Sequence[Mapping[str, Any]]) -> None:
        self._by_word = {
            entry["written"].casefold(): Spelling(
                written=entry["written"].casefold(),
                means=str(entry["means"]),
                followed_by=frozenset(w for f in entry.get("followed_by", ()) for w in words(f)),
                between=int(entry.get("between", 0)),
                window=int(entry.get("window", 3)),
                not_after=frozenset(w for f in entry.get("not_after", ()) for w in words(f)),
                not_before=frozenset(w for f in entry.get("not_before", ()) for w in words(f)),
            )
            for entry in raw
        }

    def edits(self, text: str) -> List[Edit]:
        """Where ``text`` has a word written for another, and that word."""
        found = list(_WORD.finditer(text))
        folded = [words(m.group())[0] if words(m.group()) else "" for m in found]
        edits = []
        for i, match in enumerate(found):
            spelling = self._by_word.get(folded[i])
            if (
                spelling is None
                or (i and folded[i - 1] in spelling.not_after)
                or folded[i + 1 : i + 2]
                and folded[i + 1] in spelling.not_before
            ):
                continue
            after = folded[i + 1 + spelling.between : i + 1 + spelling.window]
            if spelling.followed_by.intersection(after):
                edits.append((match.start(), match.end(), _cased(spelling.means, match.group())))
        return edits

    def correct(self, text: str) -> str:
        """``text`` with its words written for another replaced by that word."""
        return apply(text, self.edits(text))


def apply(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (in order, not overlapping) made."""
    out, last = [], 0
    for start, end, replacement in edits:
        out += [text[last:start], replacement]
        last = end
    return "".join(out) + text[last:]


def shifted(position: int, edits: Sequence[Edit]) -> int:
    """Where the character at ``position`` of a text is once ``edits`` are made."""
    return position + sum(
        len(replacement) - (end - start) for start, end, replacement in edits if end <= position
    )


def _cased(word: str, like: str) -> str:
    """``word`` capitalised as ``like`` is ("Dose" -> "Does")."""
    return (
        word.upper()
        if like.isupper() and len(like) > 1
        else (word[:1].upper() + word[1:] if like[:1].isupper() else word)
    )
