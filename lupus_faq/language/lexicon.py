"""The names of things a message mentions: medicines (brands and misspellings), ages and
people, organs, ways of giving a medicine, T cells; mapped to canonical values."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.knowledge.entities import AGE_GROUP, DRUG, ENTITIES, OTHER
from lupus_faq.language.clauses import inside
from lupus_faq.language.languages import Languages
from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words
from lupus_faq.language.whom import Whom

# What joins the medicines of a list: "other than rituximab and belimumab", "rituximab or".
_LIST_WORDS = {"and", "or", "nor"}
# Unknown spellings closer than this to a known name of the page's biologics count as that name.
_FUZZY_CUTOFF = 0.8


@dataclass(frozen=True)
class Mention:
    """An entity the user mentioned, mapped to its canonical value."""

    entity: str
    value: str  # canonical value, e.g. "belimumab", "child", "other"
    name: str  # how to name it back to the user: "belimumab", "methotrexate"
    brand: Optional[str] = None  # the brand the user wrote, e.g. "Benlysta"
    by_number: bool = False  # an age given as a number ("my 25 year old"), not a word ("son")
    by_relation: bool = False  # an adult known only as a relation ("my husband"): the weakest
    compared: bool = False  # named only to compare with: "is it given monthly like Benlysta?"
    likened: bool = False  # ...by a word of likeness: "is it like Humira?", not "faster than"
    # a medicine said to be what another is: "is Benlysta a steroid?", "a fancier Humira?"
    called: bool = False
    referred: bool = False  # not named but called "it" in such a comparison
    excluded: bool = False  # named to leave out: "what other anti-B drugs are there besides it?"
    of_speaker: bool = False  # an age the speaker gives as their own: "i'm 16", "i am a teen"
    # said in a sentence that asks (lupus_faq/language/clauses.py), not only in the story
    # around it: "can she have Saphnelo? Benlysta didn't help" asks about Saphnelo
    in_question: bool = True


class Lexicon:
    """Lookup from folded surface forms to canonical values, built from vocabulary.yml."""

    def __init__(
        self, raw: Mapping[str, Any], whom: Whom, languages: Optional[Languages] = None
    ) -> None:
        self._whom = whom
        self._languages = languages
        # per language, words that are no mention in a message written in it
        self._false_friends = {
            language: frozenset(w for entry in entries for w in words(str(entry)))
            for language, entries in (raw.get("false_friends") or {}).items()
        }
        likeness = list(raw.get("likeness_words", ()))
        self._likeness = TermSet.from_config(likeness)
        self._comparisons = TermSet.from_config([*raw.get("comparison_words", ()), *likeness])
        self._exclusions = TermSet.from_config(raw.get("exclusion_words", ()))
        self._callings = TermSet.from_config(raw.get("calling_words", ()))
        self._lookup: Dict[Tuple[str, str], Mention] = {}
        self._fuzzy: Dict[str, Mention] = {}
        # Surface forms as written in the YAML: spaCy patterns must keep "grown-up", "i.v."
        self.written: Dict[Tuple[str, str], str] = {}
        self.values: Dict[str, Tuple[str, ...]] = {}
        for entity in ENTITIES:
            groups = raw[entity]
            self.values[entity] = tuple(groups)
            for value, data in groups.items():
                if value != OTHER:  # "other" is a bucket, not a word users write
                    self._add(entity, value, value, None)
                for variant in data.get("variants", ()):
                    name = " ".join(words(variant)) if value == OTHER else value
                    self._add(entity, value, variant, None, name=name)
                for brand, spellings in (data.get("brands") or {}).items():
                    for variant in [brand, *spellings]:
                        self._add(entity, value, variant, brand)
                for relation in data.get("relations", ()):
                    self._add(entity, value, relation, None, by_relation=True)

    def _add(
        self,
        entity: str,
        value: str,
        surface: str,
        brand: Optional[str],
        name: str = "",
        by_relation: bool = False,
    ) -> None:
        key = " ".join(words(surface))
        mention = Mention(entity, value, name or value, brand, by_relation=by_relation)
        self._lookup[(entity, key)] = mention
        self.written[(entity, surface.lower())] = value
        if entity == DRUG and value != OTHER:
            self._fuzzy[key] = mention

    def canonical(self, entity: str, surface: str) -> Optional[Mention]:
        """Map an extracted entity text to its canonical mention, or None if unknown."""
        key = " ".join(words(str(surface)))
        found = self._lookup.get((entity, key))
        if found or not key:
            return found
        if entity == AGE_GROUP:
            value = self._whom.age_from_number(key)
            return Mention(AGE_GROUP, value, value, by_number=True) if value else None
        if entity == DRUG:
            close = difflib.get_close_matches(key, list(self._fuzzy), n=1, cutoff=_FUZZY_CUTOFF)
            return self._fuzzy[close[0]] if close else None
        return None

    def without(self, entity: str, text: str) -> str:
        """``text`` as folded words, minus the one-word names of ``entity`` (e.g. every drug)."""
        return " ".join(w for w in words(text) if (entity, w) not in self._lookup)

    def word_lists(self) -> Dict[str, Tuple[str, ...]]:
        """Every surface form by entity and by value, for ``@`` references in term lists:
        ``drug`` is every name of the page's medicines (brands and misspellings included, the
        "other" bucket not), ``drug:belimumab`` one medicine, ``drug:other`` the others."""
        lists: Dict[str, List[str]] = {}
        for (entity, key), mention in self._lookup.items():
            lists.setdefault(f"{entity}:{mention.value}", []).append(key)
            if mention.value != OTHER:
                lists.setdefault(entity, []).append(key)
        return {name: tuple(keys) for name, keys in lists.items()}

    def surface(self, entity: str, value: str) -> str:
        """A word users write for a canonical value (used to build button payloads)."""
        return next(key for (e, key), m in self._lookup.items() if e == entity and m.value == value)

    def mentions(
        self,
        entities: Iterable[Mapping[str, Any]],
        text: str = "",
        questions: Sequence[Tuple[int, int]] = (),
    ) -> List[Mention]:
        """Canonical mentions of Rasa-style entities, in text order, without repeats.

        With the message's ``text``, a medicine right after a comparison word ("like
        Benlysta") is marked ``compared``, one after an exclusion word ("besides Benlysta", and
        the ones listed with it: "other than rituximab and belimumab") ``excluded``, one after
        a word that says what something is ("a steroid", "just another steroid") ``called``;
        an age the speaker gives as their own ("i'm 16") ``of_speaker``. With the spans of the
        sentences that ask (``questions``), a mention outside them is not ``in_question``.
        """
        ordered = sorted(entities, key=lambda e: (e.get("start") is None, e.get("start") or 0))
        ordered = [e for e in ordered if not _inside_a_longer(e, ordered)]
        written_in = self._languages.detect(text) if text and self._languages else None
        false_friends = self._false_friends.get(written_in or "", frozenset())
        ordered = [
            e for e in ordered if " ".join(words(str(e.get("value", "")))) not in false_friends
        ]
        found: List[Mention] = []
        excluded_until: Optional[int] = None  # where the last medicine left out ends
        for entity in ordered:
            mention = self.canonical(str(entity.get("entity")), str(entity.get("value", "")))
            start = entity.get("start")
            if mention and mention.entity == DRUG and text and isinstance(start, int):
                before = words(text[:start])
                # Exclusions first: "other than" ends with the comparison word "than".
                if self._exclusions.ends(before) or (
                    excluded_until is not None
                    and set(words(text[excluded_until:start])) <= _LIST_WORDS
                ):
                    mention = replace(mention, excluded=True)
                elif self._comparisons.ends(before):
                    mention = replace(mention, compared=True, likened=self._likeness.ends(before))
                elif self._callings.ends(before) or self._callings.ends(before[:-1]):
                    mention = replace(mention, called=True)  # one word between: "a fancier"
                excluded_until = entity.get("end") if mention.excluded else None
            if mention and mention.entity == AGE_GROUP and text and isinstance(start, int):
                if self._whom.is_speakers_age(text[:start], str(entity.get("value", ""))):
                    mention = replace(mention, of_speaker=True)
            if mention and questions and not inside(questions, start, entity.get("end")):
                mention = replace(mention, in_question=False)
            if not mention:
                continue
            same = next(
                (
                    i
                    for i, m in enumerate(found)
                    if (m.entity, m.value, m.name) == (mention.entity, mention.value, mention.name)
                ),
                None,
            )
            if same is None:
                found.append(mention)
            elif mention.in_question and not found[same].in_question:  # named again, asked
                found[same] = replace(found[same], in_question=True)
        return found


def _inside_a_longer(entity: Mapping[str, Any], entities: List[Mapping[str, Any]]) -> bool:
    """Whether another entity of the same kind spans more of the text around ``entity``:
    "brain fog" said by one extractor beats "brain" said by the other."""
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    for other in entities:
        o_start, o_end = other.get("start"), other.get("end")
        if (
            other.get("entity") == entity.get("entity")
            and isinstance(o_start, int)
            and isinstance(o_end, int)
            and o_start <= start
            and end <= o_end
            and o_end - o_start > end - start
        ):
            return True
    return False
