"""The shape of a short follow-up: "and for kids?", "what about my son?", "Saphnelo?"."""

from __future__ import annotations

from typing import Any, Mapping, Sequence, Tuple

from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words


class FollowUps:
    """Short follow-ups, from knowledge/vocabulary.yml `whom_follow_up`, corrections of the
    last question (`corrections`) and asks for the last answer in simpler words (`simpler`, or
    a whole message of `not_understood_words`)."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        corrections: Sequence[str] = (),
        simpler: Sequence[str] = (),
        not_understood: Sequence[str] = (),
    ) -> None:
        self._corrections = TermSet.from_config(corrections)
        self._simpler = TermSet.from_config(simpler)
        self._not_understood = frozenset(" ".join(words(phrase)) for phrase in not_understood)
        self._openers = TermSet.from_config(raw.get("openers", ()))
        self._max_words = int(raw.get("max_words", 0))
        self._bare_words = frozenset(
            w
            for phrase in [*raw.get("openers", ()), *raw.get("bare_words", ())]
            for w in words(phrase)
        )

    def is_short(self, text: str) -> bool:
        """Whether ``text`` reads as a short follow-up ("and for kids?", "what about my son?")."""
        tokens = words(text)
        return len(tokens) <= self._max_words and self._openers.starts(tokens)

    def is_correction(self, text: str) -> bool:
        """Whether ``text`` corrects what was just asked ("sorry I meant belimumab", "no
        wait, the nurse said Saphnelo")."""
        return self._corrections.matches(words(text))

    def asks_simpler(self, text: str) -> bool:
        """Whether ``text`` asks for the last answer in simpler words ("plus simple svp",
        "can you say that more simply?"), or only says it was not understood ("??", "huh?",
        "j'ai pas compris")."""
        tokens = words(text)
        if not tokens:
            return "?" in text
        return self._simpler.matches(tokens) or " ".join(tokens) in self._not_understood

    def is_brief(self, text: str) -> bool:
        """Whether ``text`` is short enough to be only a follow-up ("she's only 4 though")."""
        return len(words(text)) <= self._max_words

    def is_bare(self, text: str, spans: Sequence[Tuple[int, int]]) -> bool:
        """Whether ``text`` is only an opener and names, the ``spans`` (start, end) of the
        entities found in it ("and for kids?", "Saphnelo?"), with no question of its own."""
        if not spans or len(words(text)) > self._max_words:
            return False
        rest = "".join(
            " " if any(start <= i < end for start, end in spans) else char
            for i, char in enumerate(text)
        )
        return all(w in self._bare_words or w.isdigit() for w in words(rest))
