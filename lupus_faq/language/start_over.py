"""Messages that only ask to start the conversation over ("start over", "on recommence à
zéro"), and the language they ask it in."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from lupus_faq.language.languages import SPOKEN
from lupus_faq.language.text import bare


class StartOver:
    """The whole messages of knowledge/vocabulary.yml `start_over`, by language; the polite
    words around them ("please", "svp") change nothing."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._asked = {language: {bare(p) for p in raw.get(language) or ()} for language in SPOKEN}
        # longest first, so "s il vous plait" goes before "plait" would
        self._polite = sorted({bare(p) for p in raw.get("polite") or ()}, key=len, reverse=True)

    def language_of(self, text: str) -> Optional[str]:
        """The language ``text`` asks to start over in (en, fr); None if it asks anything
        else, or is a button's payload ("/restart" has no language of its own)."""
        if text.lstrip().startswith("/"):
            return None
        key = self._without_polite_words(bare(text))
        return next((language for language, asked in self._asked.items() if key in asked), None)

    def _without_polite_words(self, key: str) -> str:
        changed = True
        while changed and key:
            changed = False
            for polite in self._polite:
                if key == polite:
                    return ""
                if key.startswith(polite + " "):
                    key, changed = key[len(polite) + 1 :], True
                elif key.endswith(" " + polite):
                    key, changed = key[: -len(polite) - 1], True
        return key
