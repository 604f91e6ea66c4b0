"""The entity_ruler patterns of the project's spaCy pipeline, generated from the lexicon."""

from __future__ import annotations

from typing import Any, Dict, List

from lupus_faq.knowledge.entities import AGE_GROUP
from lupus_faq.language.lexicon import Lexicon
from lupus_faq.language.whom import (
    AGE_HEDGES,
    AGE_PREFIXES,
    AGE_UNITS,
    FRENCH_AGE_PREFIXES,
    FRENCH_YEARS,
    OLD,
)


def spacy_patterns(lexicon: Lexicon) -> List[Dict[str, Any]]:
    """Every surface form as a phrase, plus "7 year old", "7 yo", "7yo" and "i'm 7" shapes (not
    "for 20 years": a duration is not an age)."""
    patterns: List[Dict[str, Any]] = [
        {"label": entity, "pattern": surface, "id": value}
        for (entity, surface), value in sorted(lexicon.written.items())
    ]
    number = [{"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}]
    years_old = [
        {"LOWER": {"IN": sorted(AGE_UNITS)}},
        {"ORTH": "-", "OP": "?"},
        {"LOWER": {"IN": sorted(OLD)}},
    ]
    patterns.append({"label": AGE_GROUP, "pattern": number + years_old})
    patterns.append({"label": AGE_GROUP, "pattern": number + [{"LOWER": "yo"}]})
    patterns.append({"label": AGE_GROUP, "pattern": [{"LOWER": {"REGEX": r"^\d{1,3}yo$"}}]})
    prefix = {"LOWER": {"IN": sorted({*AGE_PREFIXES, "'m", "'s"})}}
    hedge = {"LOWER": {"IN": sorted(AGE_HEDGES)}, "OP": "?"}
    patterns.append({"label": AGE_GROUP, "pattern": [prefix, hedge, {"IS_DIGIT": True}]})
    # French: "a 8 ans", "de 8 ans", "âgée de 8 ans" (not "depuis 8 ans": how long)
    french = {"LOWER": {"IN": sorted({*FRENCH_AGE_PREFIXES, "âgé", "âgée", "âgés", "âgées"})}}
    patterns.append(
        {
            "label": AGE_GROUP,
            "pattern": [french, {"LIKE_NUM": True}, {"LOWER": {"IN": sorted(FRENCH_YEARS)}}],
        }
    )
    return patterns
