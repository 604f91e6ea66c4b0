"""Text normalisation shared by every word-based check."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, List

_APOSTROPHES = re.compile(r"['’‘`´]")
# French elision: "l'anifrolumab", "qu'est-ce", "j'ai" are two words ("l anifrolumab"); English
# contractions join ("can't" -> "cant", "I'm" -> "im").
_ELISION = re.compile(r"\b(qu|[cdjlmnst])['’‘`´](?=[^\W\d_])", re.IGNORECASE)
# Keep decimals ("38.5") together; everything else that is not a letter or digit splits words.
_NON_WORD = re.compile(r"(?:(?<!\d)[.,]|[.,](?!\d)|[^\w.,])+")


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes ("Can't" -> "cant", "fièvre" -> "fievre"),
    French elisions apart ("l'anifrolumab" -> "l anifrolumab")."""
    decomposed = unicodedata.normalize("NFKD", _ELISION.sub(r"\1 ", text))
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", without_marks.casefold())


def words(text: str) -> List[str]:
    """Split text into folded words, underscores and punctuation removed."""
    return [w for w in _NON_WORD.sub(" ", fold(text).replace("_", " ")).split() if w]


def bare(text: str) -> str:
    """Folded, without punctuation or emoji modifiers, spaces collapsed: "Yes, thanks!!" and
    "yes thanks" compare equal, and so do "👍🏽" and "👍"."""
    kept = "".join(
        ch if not unicodedata.category(ch).startswith(("P", "Sk", "Mn", "Cf")) else " "
        for ch in fold(text)
    )
    return " ".join(kept.split())


def joining_words(listed: Iterable[str]) -> str:
    """A pattern for any of ``listed`` as a word of its own that joins what is around it, not
    before a hyphen ("puis-je" asks, it does not join); it never matches when none is listed."""
    alternatives = "|".join(re.escape(word) for word in listed)
    return rf"\b(?:{alternatives})\b(?![-\u2010])" if alternatives else r"(?!)"
