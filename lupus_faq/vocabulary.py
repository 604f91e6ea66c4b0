"""Entity vocabulary: mapping what users write to canonical values, and spaCy patterns."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.terms import TermSet
from lupus_faq.text import bare, words

DRUG = "drug"
AGE_GROUP = "age_group"
ORGAN = "organ"
ROUTE = "route"
CELL = "cell"
ENTITIES = (DRUG, AGE_GROUP, ORGAN, ROUTE, CELL)
# Not an entity: a routing key for "the medicine named in this very message", for questions
# whose answer must not follow the conversation ("what is interferon?" after a belimumab one).
DRUG_NAMED = "drug_named"
OTHER = "other"
CHILD = "child"
ADULT = "adult"

# What joins the medicines of a list: "other than rituximab and belimumab", "rituximab or".
_LIST_WORDS = {"and", "or", "nor"}
_AGE_NUMBER = re.compile(r"^(\d{1,3})(yo)?$")
_AGE_UNITS = {"year", "years", "yr", "yrs", "yo", "y"}
_OLD = {"old", "olds"}  # "a 7 year old", "for 2 year olds"
# Words before a bare number that make it an age: "i'm 16", "i am 16", "she's 9", "my son is
# 25", "aged 7". (Folded, "i'm" and "she's" leave "m" and "s" before the number.)
_AGE_PREFIXES = ("m", "im", "am", "s", "hes", "shes", "is", "aged", "age")
# Unknown spellings closer than this to a known name of the page's biologics count as that name.
_FUZZY_CUTOFF = 0.8
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
    referred: bool = False  # not named but called "it" in such a comparison
    excluded: bool = False  # named to leave out: "what other anti-B drugs are there besides it?"
    of_speaker: bool = False  # an age the speaker gives as their own: "i'm 16", "i am a teen"


class Vocabulary:
    """Lookup from folded surface forms to canonical values, built from vocabulary.yml."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._adult_age = int(raw.get("adult_age", 18))
        self._comparisons = TermSet.from_config(raw.get("comparison_words", ()))
        self._exclusions = TermSet.from_config(raw.get("exclusion_words", ()))
        self._speaker = TermSet.from_config(raw.get("speaker_words", ()))
        self._someone_else = TermSet.from_config(raw.get("someone_else_words", ()))
        self._speaker_age = TermSet.from_config(raw.get("speaker_age_words", ()))
        whom = raw.get("whom_follow_up") or {}
        self._whom_openers = TermSet.from_config(whom.get("openers", ()))
        self._whom_max_words = int(whom.get("max_words", 0))
        self._bare_words = frozenset(
            w for phrase in [*whom.get("openers", ()), *whom.get("bare_words", ())]
            for w in words(phrase)
        )
        language = raw.get("other_language") or {}
        # Folded like the message's words, so that "für" in the YAML matches "fur" as said.
        self._foreign_words = frozenset(w for e in language.get("words", ()) for w in words(e))
        self._english_words = frozenset(
            w for e in language.get("english_words", ()) for w in words(e)
        )
        self._min_foreign_words = int(language.get("min_words", 2))
        ratings = raw.get("feedback_replies") or {}
        self._helpful = {bare(reply) for reply in ratings.get("helpful", ())}
        self._not_helpful = {bare(reply) for reply in ratings.get("not_helpful", ())}
        self._polite_no = {bare(reply) for reply in ratings.get("polite_no", ())}
        self._thanks = TermSet.from_config(ratings.get("thanks", ()))
        self._lookup: Dict[Tuple[str, str], Mention] = {}
        self._fuzzy: Dict[str, Mention] = {}
        # Surface forms as written in the YAML: spaCy patterns must keep "grown-up", "i.v."
        self._written: Dict[Tuple[str, str], str] = {}
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
        self._written[(entity, surface.lower())] = value
        if entity == DRUG and value != OTHER:
            self._fuzzy[key] = mention

    def canonical(self, entity: str, surface: str) -> Optional[Mention]:
        """Map an extracted entity text to its canonical mention, or None if unknown."""
        key = " ".join(words(str(surface)))
        found = self._lookup.get((entity, key))
        if found or not key:
            return found
        if entity == AGE_GROUP:
            return self._age_from_number(key)
        if entity == DRUG:
            close = difflib.get_close_matches(key, list(self._fuzzy), n=1, cutoff=_FUZZY_CUTOFF)
            return self._fuzzy[close[0]] if close else None
        return None

    def _age_from_number(self, key: str) -> Optional[Mention]:
        # "8 year old", "8 yo", "8yo" and "i'm 8" are ages; "for 20 years" is how long, not
        # how old.
        tokens = key.split()
        for index, token in enumerate(tokens):
            match = _AGE_NUMBER.match(token)
            unit_old = tokens[index + 1:index + 3]
            years_old = unit_old[:1] == ["yo"] or (
                len(unit_old) == 2 and unit_old[0] in _AGE_UNITS and unit_old[1] in _OLD
            )
            said_as_age = index > 0 and tokens[index - 1] in _AGE_PREFIXES and not unit_old
            if match and (years_old or match.group(2) or said_as_age):
                value = CHILD if int(match.group(1)) < self._adult_age else ADULT
                return Mention(AGE_GROUP, value, value, by_number=True)
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

    def mentions(self, entities: Iterable[Mapping[str, Any]], text: str = "") -> List[Mention]:
        """Canonical mentions of Rasa-style entities, in text order, without repeats.

        With the message's ``text``, a medicine right after a comparison word ("like
        Benlysta") is marked ``compared``, one after an exclusion word ("besides Benlysta", and
        the ones listed with it: "other than rituximab and belimumab") ``excluded``.
        """
        ordered = sorted(entities, key=lambda e: (e.get("start") is None, e.get("start") or 0))
        ordered = [e for e in ordered if not _inside_a_longer(e, ordered)]
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
                    mention = replace(mention, compared=True)
                excluded_until = entity.get("end") if mention.excluded else None
            if mention and mention.entity == AGE_GROUP and text and isinstance(start, int):
                if self._is_speakers_age(text[:start], str(entity.get("value", ""))):
                    mention = replace(mention, of_speaker=True)
            if mention and all(
                (m.entity, m.value, m.name) != (mention.entity, mention.value, mention.name)
                for m in found
            ):
                found.append(mention)
        return found

    def about_speaker_only(self, text: str) -> bool:
        """Whether ``text`` speaks of the user ("can I have it?") and of no one else ("can I
        give it to her?")."""
        tokens = words(text)
        return self._speaker.matches(tokens) and not self._someone_else.matches(tokens)

    def about_someone_else_only(self, text: str) -> bool:
        """Whether ``text`` speaks of another person ("how would she get it?") and not of the
        user."""
        tokens = words(text)
        return self._someone_else.matches(tokens) and not self._speaker.matches(tokens)

    def _is_speakers_age(self, before: str, surface: str) -> bool:
        # "i'm 16" is found as "'m 16" or as "16" after "i'm": look at the words up to the age
        # itself (the number, or the word such as "teenager").
        preceding, said = words(before), words(surface)
        number = next((i for i, token in enumerate(said) if _AGE_NUMBER.match(token)), 0)
        return self._speaker_age.ends([*preceding, *said[:number]])

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

    def rating(self, text: str) -> Optional[bool]:
        """True for a reply that only says the answer helped ("makes sense", "👍"), False for
        one that only says it did not ("kind of", "too vague"), None for anything else."""
        key = bare(text)
        found = self._listed_rating(key)
        opener = _RATING_OPENER.match(key)
        if found is None and opener and key[opener.end():]:
            found = self._listed_rating(key[opener.end():])
            sign = opener.group("sign")
            if found is not None and sign and (sign in _NO_WORDS) == found:
                return None  # "no, that was great": yes and no at once
        return _score(text) if found is None else found

    def _listed_rating(self, key: str) -> Optional[bool]:
        """The rating of one of the `feedback_replies`, None if ``key`` is none of them."""
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

    def is_short_follow_up(self, text: str) -> bool:
        """Whether ``text`` reads as a short follow-up ("and for kids?", "what about my son?")."""
        tokens = words(text)
        return len(tokens) <= self._whom_max_words and self._whom_openers.starts(tokens)

    def is_bare_follow_up(self, text: str, spans: Sequence[Tuple[int, int]]) -> bool:
        """Whether ``text`` is only an opener and names, the ``spans`` (start, end) of the
        entities found in it ("and for kids?", "Saphnelo?"), with no question of its own."""
        if not spans or len(words(text)) > self._whom_max_words:
            return False
        rest = "".join(
            " " if any(start <= i < end for start, end in spans) else char
            for i, char in enumerate(text)
        )
        return all(w in self._bare_words or w.isdigit() for w in words(rest))

    def spacy_patterns(self) -> List[Dict[str, Any]]:
        """entity_ruler patterns: every surface form as a phrase, plus "7 year old", "7 yo", "7yo"
        and "i'm 7" shapes (not "for 20 years": a duration is not an age)."""
        patterns: List[Dict[str, Any]] = [
            {"label": entity, "pattern": surface, "id": value}
            for (entity, surface), value in sorted(self._written.items())
        ]
        number = [{"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}]
        years_old = [
            {"LOWER": {"IN": sorted(_AGE_UNITS)}}, {"ORTH": "-", "OP": "?"},
            {"LOWER": {"IN": sorted(_OLD)}},
        ]
        patterns.append({"label": AGE_GROUP, "pattern": number + years_old})
        patterns.append({"label": AGE_GROUP, "pattern": number + [{"LOWER": "yo"}]})
        patterns.append({"label": AGE_GROUP, "pattern": [{"LOWER": {"REGEX": r"^\d{1,3}yo$"}}]})
        prefix = {"LOWER": {"IN": sorted({*_AGE_PREFIXES, "'m", "'s"})}}
        patterns.append({"label": AGE_GROUP, "pattern": [prefix, {"IS_DIGIT": True}]})
        return patterns


def _inside_a_longer(entity: Mapping[str, Any], entities: Sequence[Mapping[str, Any]]) -> bool:
    """Whether another entity of the same kind spans more of the text around ``entity``:
    "brain fog" said by one extractor beats "brain" said by the other."""
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    for other in entities:
        o_start, o_end = other.get("start"), other.get("end")
        if (
            other.get("entity") == entity.get("entity") and isinstance(o_start, int)
            and isinstance(o_end, int) and o_start <= start and end <= o_end
            and o_end - o_start > end - start
        ):
            return True
    return False


def _score(text: str) -> Optional[bool]:
    """A score given as a rating ("4/5", "3 stars"): helpful above half marks, None if none."""
    said = " ".join(text.casefold().split()).rstrip("!. ")
    if (found := _SCORE.match(said)):
        score, best = int(found[1]), int(found[2])
    elif (stars := _STARS.match(said)):
        score, best = int(stars[1]), 5
    else:
        return None
    if best not in (5, 10) or score > best:
        return None
    return score * 2 > best
