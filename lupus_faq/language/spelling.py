"""Words written for another word where it changes what is asked: "how dose anifrolumab
work?" asks how it works (does), not about a dose.

Each entry of knowledge/vocabulary.yml's `spellings` names the word as written, the word it
stands for, the words that may come right after it for it to stand for that word (`subjects`:
"dose it", "dose Saphnelo"; `@name` stands for a list of the vocabulary, `@drug` for every
name of a medicine), the words that must follow within `window` words of it (`followed_by`:
"dose it work"), all in the same clause, and the words before it that keep it as written
("my dose it..."). The correction is made once, before the NLU reads the message
(nlu_components/spelling.py), so the classifier, the entities and every word-based check read
the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.language.text import words

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

Edit = Tuple[int, int, str]  # start, end, replacement


@dataclass(frozen=True)
class Spelling:
    """One word written for another, and the words around it that say so."""

    written: str
    means: str
    subjects: FrozenSet[str]
    followed_by: FrozenSet[str]
    window: int
    not_after: FrozenSet[str]


class Spellings:
    """Corrects the words written for another word, by the words around them."""

    def __init__(
        self,
        raw: Sequence[Mapping[str, Any]],
        word_lists: Optional[Mapping[str, Sequence[str]]] = None,
    ) -> None:
        """Compile the YAML; ``word_lists`` resolves ``@name`` (one-word names only)."""
        lists = word_lists or {}

        def single_words(terms: Sequence[Any]) -> FrozenSet[str]:
            found = set()
            for term in terms:
                if not isinstance(term, str):
                    raise ValueError(f"spelling word {term!r} is not text: quote it ('no', 'on')")
                if term.startswith("@") and term[1:] not in lists:
                    raise ValueError(f"spelling word {term!r} names no list of the vocabulary")
                for name in lists[term[1:]] if term.startswith("@") else [term]:
                    folded = words(name)
                    if len(folded) == 1:
                        found.add(folded[0])
            return frozenset(found)

        self._by_word = {
            str(entry["written"]).casefold(): Spelling(
                written=str(entry["written"]).casefold(),
                means=str(entry["means"]),
                subjects=single_words(entry.get("subjects", ())),
                followed_by=single_words(entry.get("followed_by", ())),
                window=int(entry.get("window", 3)),
                not_after=single_words(entry.get("not_after", ())),
            )
            for entry in raw
        }

    def edits(self, text: str) -> List[Edit]:
        """Where ``text`` has a word written for another, and that word."""
        found = list(_WORD.finditer(text))
        folded = [(words(m.group()) or [""])[0] for m in found]
        # the words of one clause: no punctuation between a word and the one before it
        joined = [
            i > 0 and not text[found[i - 1].end() : m.start()].strip() for i, m in enumerate(found)
        ]
        edits = []
        for i, match in enumerate(found):
            spelling = self._by_word.get(folded[i])
            if spelling is None or (i and joined[i] and folded[i - 1] in spelling.not_after):
                continue
            if i + 1 >= len(found) or not joined[i + 1] or folded[i + 1] not in spelling.subjects:
                continue
            clause = []
            for j in range(i + 2, min(i + 1 + spelling.window, len(found))):
                if not joined[j]:
                    break
                clause.append(folded[j])
            if spelling.followed_by.intersection(clause):
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
