"""The source page: its sentences, and whether a quote occurs in it verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

# A sentence ends at ., ? or ! followed by a space; "(rheumatoid arthritis,...)" stays whole.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace (line breaks of a page layout included) into one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class SourcePage:
    """The patient-information page every medical statement must come from."""

    text: str

    @classmethod
    def read(cls, path: Path) -> "SourcePage":
        """Read the page as stored in the repository."""
        return cls(path.read_text(encoding="utf-8"))

    @property
    def flat_text(self) -> str:
        """The page with its layout line breaks turned into single spaces."""
        return collapse_whitespace(self.text)

    def sentences(self) -> Tuple[str, ...]:
        """The page's sentences, in order, with layout whitespace collapsed."""
        return tuple(s for s in _SENTENCE_END.split(self.flat_text) if s)

    def contains(self, quote: str) -> bool:
        """True if ``quote`` occurs in the page character for character (whitespace runs aside)."""
        return collapse_whitespace(quote) in self.flat_text
