"""Ratings of an answer: "makes sense", "👍", "4/5", and a rating that opens a longer message
("no it didn't, what about Saphnelo?")."""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import bare, words

# A score out of 5 or 10 ("4/5", "7 out of 10") or a number of stars ("3 stars", out of 5).
_SCORE = re.compile(r"^(\d{1,2})\s*(?:/|out of)\s*(\d{1,2})$")
_STARS = re.compile(r"^([0-5])\s*stars?$")
# "no, that was useless", "yes it was very clear": a rating after an opening yes or no and "that
# was"; the yes or no must agree with it.
_RATING_OPENER = re.compile(
    r"^(?:(?P<sign>no|nope|nah|yes|yeah|yep)\s+)?(?:(?:that|it|this)\s+(?:was|is)|thats|its)\s+"
)
_NO_WORDS = {"no", "nope", "nah"}
# Where a rating that opens a longer message ends: "no it didn't, what about Saphnelo?"
_CLAUSE_END = re.compile(r"[,.;:!?]+|\s[-–—]\s|\bbut\b", re.IGNORECASE)


class Ratings:
    """The replies of knowledge/vocabulary.yml `feedback_replies` and scores."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._helpful = {bare(reply) for reply in raw.get("helpful", ())}
        self._not_helpful = {bare(reply) for reply in raw.get("not_helpful", ())}
        self._polite_no = {bare(reply) for reply in raw.get("polite_no", ())}
        self._thanks = TermSet.from_config(raw.get("thanks", ()))

    def rating(self, text: str) -> Optional[bool]:
        """True for a reply that only says the answer helped ("makes sense", "👍"), False for
        one that only says it did not ("kind of", "too vague"), None for anything else."""
        key = bare(text)
        found = self._listed(key)
        opener = _RATING_OPENER.match(key)
        if found is None and opener and key[opener.end() :]:
            found = self._listed(key[opener.end() :])
            sign = opener.group("sign")
            if found is not None and sign and (sign in _NO_WORDS) == found:
                return None  # "no, that was great": yes and no at once
        return _score(text) if found is None else found

    def _listed(self, key: str) -> Optional[bool]:
        if key in self._helpful:
            return True
        if key in self._not_helpful:
            return False
        return None

    def leading_rating(self, text: str) -> Optional[bool]:
        """The rating a longer message opens with, before it asks more ("no it didn't, what
        about Saphnelo?" is a no; "yes, and for kids?" a yes); None if it opens with none."""
        parts = _CLAUSE_END.split(text, maxsplit=1)
        if self.rating(text) is not None or len(parts) < 2 or not words(parts[1]):
            return None  # "Yes, very clear!" is a rating and nothing more
        rest = parts[1]
        if self.rating(rest) is not None or self._thanks.starts(words(rest)):
            return None  # "yes, thank you so much": still only a rating (and a thanks)
        return self.rating(parts[0])

    def is_polite_no(self, text: str) -> bool:
        """Whether ``text`` is a "no thanks": thanks that declines, not thanks for an answer."""
        return bare(text) in self._polite_no


def _score(text: str) -> Optional[bool]:
    """A score given as a rating ("4/5", "3 stars"): helpful above half marks, None if none."""
    said = " ".join(text.casefold().split()).rstrip("!. ")
    if found := _SCORE.match(said):
        score, best = int(found[1]), int(found[2])
    elif stars := _STARS.match(said):
        score, best = int(stars[1]), 5
    else:
        return None
    if best not in (5, 10) or score > best:
        return None
    return score * 2 > best
