"""Ages and whom a message is about: "my 8 year old", "i'm 16", "can she have it?"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.knowledge.entities import ADULT, AGE_GROUP, CHILD
from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words

AGE_NUMBER = re.compile(r"^(\d{1,3})(yo)?$")
AGE_UNITS = {"year", "years", "yr", "yrs", "yo", "y"}
OLD = {"old", "olds"}  # "a 7 year old", "for 2 year olds"
# Words before a bare number that make it an age: "i'm 16", "i am 16", "she's 9", "my son is
# 25", "aged 7". (Folded, "i'm" and "she's" leave "m" and "s" before the number.)
AGE_PREFIXES = ("m", "im", "am", "s", "hes", "shes", "is", "aged", "age")
# ...with a word between them: "she's only 4", "he is nearly 12".
AGE_HEDGES = ("only", "just", "nearly", "almost", "about", "around", "barely")
# French: "8 ans" is an age ("ma fille a 8 ans", "de 8 ans"), not after these words, where it
# is how long ("depuis 10 ans", "il y a 2 ans").
FRENCH_YEARS = ("ans", "an")
FRENCH_AGE_PREFIXES = ("a", "ai", "as", "de", "agee", "age", "ages", "agees", "aura", "avait")
FRENCH_DURATION = ("depuis", "pendant", "durant", "y", "dans")


@dataclass(frozen=True)
class AgeSaid:
    """An age group found in a number: "8 year old" is a child, "is 25" an adult."""

    value: str


class Whom:
    """Whom a message speaks of, from knowledge/vocabulary.yml (speaker_words,
    someone_else_words, speaker_age_words, adult_age)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.adult_age = int(raw.get("adult_age", 18))
        self._speaker = TermSet.from_config(raw.get("speaker_words", ()))
        self._someone_else = TermSet.from_config(raw.get("someone_else_words", ()))
        self._speaker_age = TermSet.from_config(raw.get("speaker_age_words", ()))
        self._asking: List[Tuple[str, ...]] = sorted(
            (tuple(words(phrase)) for phrase in raw.get("speaker_asking_words", ())),
            key=len,
            reverse=True,
        )

    def age_from_number(self, key: str) -> Optional[str]:
        """``child`` or ``adult`` for an age said as a number ("8 year old", "8 yo", "8yo",
        "i'm 8"); None for anything else ("for 20 years" is how long, not how old)."""
        tokens = key.split()
        for index, token in enumerate(tokens):
            match = AGE_NUMBER.match(token)
            unit_old = tokens[index + 1 : index + 3]
            years_old = unit_old[:1] == ["yo"] or (
                len(unit_old) == 2 and unit_old[0] in AGE_UNITS and unit_old[1] in OLD
            )
            before = tokens[max(0, index - 2) : index]
            if before[-1:] and before[-1] in AGE_HEDGES:
                before = before[:-1]
            said_as_age = bool(before) and before[-1] in AGE_PREFIXES and not unit_old
            french = (
                unit_old[:1]
                and unit_old[0] in FRENCH_YEARS
                and not (index > 0 and tokens[index - 1] in FRENCH_DURATION)
            )
            if match and (years_old or match.group(2) or said_as_age or french):
                return CHILD if int(match.group(1)) < self.adult_age else ADULT
        return None

    def is_speakers_age(self, before: str, surface: str) -> bool:
        """Whether an age said as ``surface`` after the text ``before`` is the speaker's own
        ("i'm 16" is found as "'m 16" or as "16" after "i'm": look at the words up to the age
        itself, the number or the word such as "teenager")."""
        preceding, said = words(before), words(surface)
        number = next((i for i, token in enumerate(said) if AGE_NUMBER.match(token)), 0)
        return self._speaker_age.ends([*preceding, *said[:number]])

    def about_speaker_only(self, text: str) -> bool:
        """Whether ``text`` speaks of the user ("can I have it?") and of no one else ("can I
        give it to her?")."""
        tokens = self._spoken_of(text)
        return self._speaker.matches(tokens) and not self._someone_else.matches(tokens)

    def about_someone_else_only(self, text: str) -> bool:
        """Whether ``text`` speaks of another person ("how would she get it?") and not of the
        user."""
        tokens = self._spoken_of(text)
        return self._someone_else.matches(tokens) and not self._speaker.matches(tokens)

    def _spoken_of(self, text: str) -> List[str]:
        """The words of ``text`` without those where the speaker only speaks as the one asking
        ("sorry, I meant Saphnelo" speaks of nobody: the person asked about stays the same)."""
        tokens, kept, index = words(text), [], 0
        while index < len(tokens):
            phrase = next(
                (p for p in self._asking if tuple(tokens[index : index + len(p)]) == p), ()
            )
            kept += [] if phrase else [tokens[index]]
            index += len(phrase) or 1
        return kept


def strongest_age(mentions: Sequence[Any]) -> Optional[Any]:
    """The mention that says whom a message is about (child or adult), if any.

    An age said as a number beats a word for a person: "my 25 year old son" is an adult; a
    relation is the weakest: "my husband and I ask if our son can have it" is a child.
    """
    ages: List[Any] = sorted(
        (m for m in mentions if m.entity == AGE_GROUP),
        key=lambda m: (not m.by_number, m.by_relation),
    )
    return ages[0] if ages else None


def age_group(mentions: Sequence[Any]) -> Optional[str]:
    """Whom a message is about (child or adult), if it says."""
    mention = strongest_age(mentions)
    return mention.value if mention else None
