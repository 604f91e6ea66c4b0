"""Reading grade of a text: the Flesch-Kincaid grade level, by the project's own rules.

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

- Sentences end at ".", "!", "?" or ":" followed by a space or the end; a text has at least one.
- Words are runs of letters (apostrophes and hyphens inside a word keep it whole: "don't",
  "add-on" are one word); numbers are not words.
- Syllables: groups of vowels (a, e, i, o, u, y; accented letters folded), minus a silent final
  "e" (not after "l" as in "table"), at least one per word.
- The medicine names and the page's technical terms (knowledge/vocabulary.yml `plain_terms`:
  belimumab, lymphocyte, interferon, immunosuppressant, subcutaneous, monoclonal, antibody...)
  count as one word of one syllable: a patient meets those words anyway, and the target is
  about everything around them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, List

_SENTENCE = re.compile(r"[.!?:]+(?=\s|$)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWELS = re.compile(r"[aeiouy]+")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def syllables(word: str) -> int:
    """The syllables of one word, by vowel groups (see the module's rules)."""
    folded = _fold(word)
    count = len(_VOWELS.findall(folded))
    if folded.endswith("e") and not folded.endswith("le") and count > 1:
        count -= 1
    return max(1, count)


class Readability:
    """The grade of texts, with ``plain_terms`` counted as short words."""

    def __init__(self, plain_terms: Iterable[str] = ()) -> None:
        # Multi-word terms ("type I interferon") are replaced before counting.
        terms = sorted({t.lower() for t in plain_terms}, key=len, reverse=True)
        self._terms = (
            re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")s?\b", re.IGNORECASE)
            if terms
            else None
        )

    def words(self, text: str) -> List[str]:
        """The words of ``text``, each plain term as the one-syllable word "term"."""
        if self._terms is not None:
            text = self._terms.sub("term", text)
        return _WORD.findall(text)

    def grade(self, text: str) -> float:
        """The Flesch-Kincaid grade of ``text`` (0 for a text without words)."""
        found = self.words(text)
        if not found:
            return 0.0
        sentences = max(1, len([s for s in _SENTENCE.split(text) if _WORD.search(s)]))
        syllable_count = sum(1 if w == "term" else syllables(w) for w in found)
        return 0.39 * len(found) / sentences + 11.8 * syllable_count / len(found) - 15.59
