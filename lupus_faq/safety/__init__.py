"""Emergencies recognised by their words, before anything else (knowledge/red_flags.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

from lupus_faq.knowledge import Knowledge, load_knowledge
from lupus_faq.language import load_language
from lupus_faq.safety.red_flags import RedFlagCategory, RedFlagChecker

__all__ = ["RedFlagCategory", "RedFlagChecker", "load_red_flags"]

_BUILT: Dict[Path, RedFlagChecker] = {}


def load_red_flags(knowledge: Optional[Knowledge] = None) -> RedFlagChecker:
    """The red-flag check for ``knowledge`` (the repository's by default), built once."""
    knowledge = knowledge or load_knowledge()
    if knowledge.directory not in _BUILT:
        word_lists = load_language(knowledge).lexicon.word_lists()
        _BUILT[knowledge.directory] = RedFlagChecker(knowledge.red_flags, word_lists)
    return _BUILT[knowledge.directory]
