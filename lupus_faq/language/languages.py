"""Which language a message is written in (English, or another one)."""

from __future__ import annotations

import unicodedata
from typing import Any, Mapping

from lupus_faq.language.text import words


class Languages:
    """Another language than English, by script or by common words (knowledge/vocabulary.yml
    `other_language`)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        # Folded like the message's words, so that "für" in the YAML matches "fur" as said.
        self._foreign_words = frozenset(w for e in raw.get("words", ()) for w in words(e))
        self._english_words = frozenset(w for e in raw.get("english_words", ()) for w in words(e))
        self._min_foreign_words = int(raw.get("min_words", 2))

    def is_other_language(self, text: str) -> bool:
        """Whether ``text`` is written in another language than English: mostly in a
        non-Latin script, or with several common words of another language and no English."""
        letters = [ch for ch in text if ch.isalpha()]
        latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
        if letters and latin * 2 < len(letters):
            return True
        tokens = words(text)
        foreign = sum(1 for token in tokens if token in self._foreign_words)
        # An English word or two among many foreign ones is a loan or an article: Italian "i".
        english = sum(1 for token in tokens if token in self._english_words)
        return foreign >= self._min_foreign_words and foreign > 2 * english
