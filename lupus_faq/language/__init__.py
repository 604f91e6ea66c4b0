"""What a message says in words, from the lists of knowledge/vocabulary.yml and
knowledge/not_covered.yml: the things it names (``lexicon``), whom it is about (``whom``),
ratings (``ratings``), follow-up shapes (``follow_ups``), other languages (``languages``),
topics the page does not cover (``uncovered``), what the page is about (``subject``), words
written for another word (``spellings``), asks to start over (``start_over``), numbered choices
and button payloads (``choices``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from lupus_faq.knowledge import Knowledge, load_knowledge
from lupus_faq.language.clauses import Clauses
from lupus_faq.language.follow_ups import FollowUps
from lupus_faq.language.languages import Languages
from lupus_faq.language.lexicon import Lexicon, Mention
from lupus_faq.language.ratings import Ratings
from lupus_faq.language.spelling import Spellings
from lupus_faq.language.start_over import StartOver
from lupus_faq.language.subject import Subject
from lupus_faq.language.uncovered import NotCoveredChecker, UncoveredTopic
from lupus_faq.language.whom import Whom

__all__ = ["Language", "Mention", "UncoveredTopic", "load_language"]

_BUILT: Dict[Path, "Language"] = {}


@dataclass(frozen=True)
class Language:
    """Every word-based reader, built once from one knowledge directory."""

    lexicon: Lexicon
    whom: Whom
    ratings: Ratings
    follow_ups: FollowUps
    languages: Languages
    uncovered: NotCoveredChecker
    clauses: Clauses
    subject: Subject
    spellings: Spellings
    start_over: StartOver

    @classmethod
    def build(cls, knowledge: Knowledge) -> "Language":
        """Compile the word lists of ``knowledge``."""
        raw = knowledge.vocabulary
        whom = Whom(raw)
        languages = Languages(raw.get("languages") or {})
        lexicon = Lexicon(raw, whom, languages)
        word_lists = lexicon.word_lists()
        clauses = Clauses(raw.get("questions") or {}, languages.detect)
        return cls(
            lexicon=lexicon,
            whom=whom,
            ratings=Ratings(raw.get("feedback_replies") or {}),
            follow_ups=FollowUps(
                raw.get("whom_follow_up") or {},
                raw.get("corrections") or (),
                raw.get("simpler") or (),
                raw.get("not_understood_words") or (),
            ),
            languages=languages,
            uncovered=NotCoveredChecker(knowledge.not_covered, word_lists, clauses),
            clauses=clauses,
            subject=Subject(
                raw.get("page_subject") or (),
                word_lists,
                in_general=raw.get("biologics_in_general") or (),
                whom=raw.get("page_subject_whom") or (),
            ),
            spellings=Spellings(raw.get("spellings") or (), word_lists),
            start_over=StartOver(raw.get("start_over") or {}),
        )


def load_language(knowledge: Optional[Knowledge] = None) -> Language:
    """The readers for ``knowledge`` (the repository's by default), built once per process."""
    knowledge = knowledge or load_knowledge()
    if knowledge.directory not in _BUILT:
        _BUILT[knowledge.directory] = Language.build(knowledge)
    return _BUILT[knowledge.directory]
