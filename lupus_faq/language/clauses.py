"""Which parts of a message ask and which only tell: "I'm on 5 mg of pred. How does Benlysta
work?" asks how Benlysta works; the dose is part of the story.

A message is cut into sentences (at . ! ? ; and line breaks, and before the words that start
the question in "..., but my actual question is ..."). A sentence asks when it ends with a
question mark, or starts (after a greeting or a filler word) with a question word or one of
the phrases that introduce a question ("explain", "tell me"), or holds a phrase such as "I want
to know", or ends with a word that asks there (French as it is texted: "ça agit comment",
"c'est pour qui"). A sentence that only asks whether what was said is true ("is that true?")
asks the sentence before it: "My doctor says Benlysta is safe. Is that true?" asks about
safety. A message where no sentence asks is asked as a whole ("i'm pregnant", "benlysta
kids"). The word lists are knowledge/vocabulary.yml's `questions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words

# Sentence ends, keeping decimals ("38.5") and initials ("e.g.") reasonably together; a
# sentence may end with a number ("my daughter is 9. explain it simply").
_SENTENCE_END = re.compile(r"(?<!\d)[.]|[.](?!\d)|[!?;]+|\n+|(?<=\))\s+(?=[A-Z])")

Span = Tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a message: where it is, and whether it asks."""

    start: int
    end: int
    asks: bool


class Clauses:
    """Tells the sentences that ask from those that tell."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        language_of: Callable[[str], Optional[str]] = lambda text: None,
    ) -> None:
        """Compile ``raw`` (vocabulary.yml `questions`); ``language_of`` tells a sentence's
        language, for the question words that ask at its end in that language only."""
        self._openers = TermSet.from_config(raw.get("openers", ()))
        self._fillers = frozenset(w for f in raw.get("fillers", ()) for w in words(f))
        self._markers = TermSet.from_config(raw.get("markers", ()))
        self._asking_words = TermSet.from_config(raw.get("asking_words", ()))
        self._enders = {
            language: frozenset(w for e in enders for w in words(e))
            for language, enders in (raw.get("enders") or {}).items()
        }
        self._language_of = language_of
        self._confirmations = frozenset(" ".join(words(c)) for c in raw.get("confirmations", ()))
        self._turns = [
            re.compile(r"\b" + re.escape(p) + r"\b", re.IGNORECASE) for p in raw.get("turns", ())
        ]

    def sentences(self, text: str) -> List[Sentence]:
        """The sentences of ``text``, in order."""
        cuts = {0, len(text)}
        for match in _SENTENCE_END.finditer(text):
            cuts.add(match.end())
        for turn in self._turns:  # "..., but my actual question is, does it ..."
            for match in turn.finditer(text):
                cuts.add(match.start())
        bounds = sorted(cuts)
        found: List[Sentence] = []
        for start, end in zip(bounds, bounds[1:]):
            piece = text[start:end]
            if not words(piece):
                continue
            if found and self.confirms(piece):
                # "My doctor says Benlysta is safe. Is that true?" asks about what was said
                found[-1] = Sentence(found[-1].start, end, True)
            else:
                found.append(Sentence(start, end, self._asks(piece)))
        return found

    def confirms(self, sentence: str) -> bool:
        """Whether ``sentence`` only asks if what was said before is true ("is that true?",
        "right?"); a single word asks so only with its question mark ("Really." tells)."""
        tokens = words(sentence)
        if not tokens:
            return False
        if len(tokens) == 1 and not sentence.rstrip().endswith("?"):
            return False
        while len(tokens) > 1 and tokens[0] in self._fillers:
            tokens = tokens[1:]
        return " ".join(tokens) in self._confirmations

    def _asks(self, sentence: str) -> bool:
        if sentence.rstrip().endswith("?"):
            return True
        tokens = words(sentence)
        while tokens and tokens[0] in self._fillers:
            tokens = tokens[1:]
        return (
            self._openers.starts(tokens)
            or self._markers.matches(tokens)
            or bool(tokens and self._ends_with_a_question_word(sentence, tokens[-1]))
        )

    def _ends_with_a_question_word(self, sentence: str, last: str) -> bool:
        """ "ça agit comment": a question word that asks at the end, in the sentence's language
        ("no comment" is English)."""
        enders = self._enders.get(self._language_of(sentence) or "")
        return bool(enders and last in enders)

    def question_spans(self, text: str) -> List[Span]:
        """Where the sentences that ask are; the whole text when none does."""
        spans = [(s.start, s.end) for s in self.sentences(text) if s.asks]
        return spans or [(0, len(text))]

    def question_part(self, text: str) -> str:
        """The sentences of ``text`` that ask, joined (``text`` itself when none does)."""
        return " ".join(text[start:end].strip() for start, end in self.question_spans(text))

    def has_question(self, text: str) -> bool:
        """Whether a sentence of ``text`` asks something (not only tells)."""
        return any(s.asks for s in self.sentences(text))

    def part_asks(self, part: str) -> bool:
        """Whether a part of a question asks something of its own: it reads as a question, or
        holds a question word anywhere ("Benlysta: from what age for kids"); "my son is 7"
        only tells."""
        return self.has_question(part) or self._asking_words.matches(words(part))


def inside(spans: Sequence[Span], start: Any, end: Any) -> bool:
    """Whether the characters ``start``..``end`` lie in one of ``spans`` (True when unknown)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return True
    return any(s <= start and end <= e for s, e in spans)
