"""Which language a message is written in: English, French, another one, or none of its own.

Decided by its words (knowledge/vocabulary.yml `languages`): the language with the most common
words in the message; a message mostly in a non-Latin script, or with at least `min_words`
common words of another language and more than twice as many of them as of English or French
ones, is in another language. A message with no word of any list ("2", "👍", "Benlysta?") has
no language of its own (None): the conversation's is used.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Mapping, Optional

from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words

ENGLISH = "en"
FRENCH = "fr"
SPOKEN = (ENGLISH, FRENCH)  # the languages the assistant answers in
OTHER = "other"


class Languages:
    """The word lists of each language, and the decision."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        # Folded like the message's words, so that "für" in the YAML matches "fur" as said.
        self._words = {
            name: frozenset(w for entry in raw.get(name, ()) for w in words(str(entry)))
            for name in (*SPOKEN, OTHER)
        }
        self._min_other = int(raw.get("min_words", 2))
        asked_for = raw.get("asked_for") or {}
        self._asked_for = {name: TermSet.from_config(asked_for.get(name, ())) for name in SPOKEN}

    def asked_for(self, text: str) -> Optional[str]:
        """The language ``text`` asks the answers to be in ("in English please", "en français
        svp"), or None."""
        tokens = words(text)
        asked = [name for name, terms in self._asked_for.items() if terms.matches(tokens)]
        return asked[0] if len(asked) == 1 else None

    def detect(self, text: str) -> Optional[str]:
        """``en``, ``fr``, ``other`` or None (no language of its own)."""
        letters = [ch for ch in text if ch.isalpha()]
        latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
        if letters and latin * 2 < len(letters):
            return OTHER
        tokens = words(text)
        counts = {
            name: sum(1 for t in tokens if t in vocabulary)
            for name, vocabulary in self._words.items()
        }
        spoken = max(counts[ENGLISH], counts[FRENCH])
        # An English or French word or two among many foreign ones is a loan: Italian "i".
        if counts[OTHER] >= self._min_other and counts[OTHER] > 2 * spoken:
            return OTHER
        if spoken == 0:
            return None
        return FRENCH if counts[FRENCH] > counts[ENGLISH] else ENGLISH

    def is_other_language(self, text: str) -> bool:
        """Whether ``text`` is written in a language the assistant does not answer in."""
        return self.detect(text) == OTHER
