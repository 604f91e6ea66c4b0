"""Which parts of a message ask and which only tell: "I'm on 5 mg of pred. How does Benlysta
work?" asks how Benlysta works; the dose is part of the story.

A message is cut into sentences (at . ! ? ; and line breaks, and before the words that start
the question in "..., but my actual question is ..."). A sentence asks when it ends with a
question mark, or starts (after a greeting or a filler word) with a question word or one of
the phrases that introduce a question ("explain", "tell me"), or holds a phrase such as "I want
to know", or ends with a word that asks there (French as it is texted: "ça agit comment",
"c'est pour qui"). A sentence that only asks whether what was said is true ("is that true?"),
or what the thing it names is ("what is that?"), asks the sentence before it: "My doctor says
Benlysta is safe. Is that true?" asks about safety, "The doctor mentioned a biologic. What is
that?" what a biologic is. A message where no sentence asks is asked as a whole ("i'm
pregnant", "benlysta kids"). The word lists are knowledge/vocabulary.yml's `questions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Optional, Pattern, Sequence, Tuple

from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import joining_words, words

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
        self._pointers = frozenset(" ".join(words(p)) for p in raw.get("pointers", ()))
        told = raw.get("told_after_auxiliary") or {}
        self._told_after = {
            auxiliary: TermSet.from_config([*told.get(group, ()), *told.get("any", ())])
            for group, auxiliaries in (raw.get("auxiliaries") or {}).items()
            for auxiliary in (w for a in auxiliaries for w in words(a))
        }
        self._turns = [
            re.compile(r"\b" + re.escape(p) + r"\b", re.IGNORECASE) for p in raw.get("turns", ())
        ]
        self._join = re.compile(joining_words(raw.get("joins", ())), re.IGNORECASE)

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
            if found and self.points_back(piece):
                # "My doctor says Benlysta is safe. Is that true?" asks about what was said
                found[-1] = Sentence(found[-1].start, end, True)
            else:
                found.append(Sentence(start, end, self._asks(piece)))
        return found

    def points_back(self, sentence: str) -> bool:
        """Whether ``sentence`` only asks about what was said before it: whether it is true
        (``confirms``) or what the thing it named is ("what is that?")."""
        return self.confirms(sentence) or self._only(sentence) in self._pointers

    def confirms(self, sentence: str) -> bool:
        """Whether ``sentence`` only asks if what was said before is true ("is that true?",
        "right?"); a single word asks so only with its question mark ("Really." tells)."""
        if len(words(sentence)) == 1 and not sentence.rstrip().endswith("?"):
            return False
        return self._only(sentence) in self._confirmations

    def _only(self, sentence: str) -> str:
        """The folded words of ``sentence`` after its fillers ("so, is that true" -> "is that
        true"); a single word is kept whatever it is."""
        tokens = words(sentence)
        while len(tokens) > 1 and tokens[0] in self._fillers:
            tokens = tokens[1:]
        return " ".join(tokens)

    def _asks(self, sentence: str) -> bool:
        if sentence.rstrip().endswith("?"):
            return True
        tokens = words(sentence)
        while tokens and tokens[0] in self._fillers:
            tokens = tokens[1:]
        if self._tells_after_an_auxiliary(sentence, tokens):
            return False
        return (
            self._openers.starts(tokens)
            or self._markers.matches(tokens)
            or bool(tokens and self._ends_with_a_question_word(sentence, tokens[-1]))
        )

    def _tells_after_an_auxiliary(self, sentence: str, tokens: Sequence[str]) -> bool:
        """A sentence without its question mark that opens with an auxiliary and goes on with
        no one it could ask about tells, its subject left out as in a diary: "Did six months
        of CellCept", "Have been on Benlysta since May", "Was diagnosed in 2019"; "Does
        Benlysta help skin" asks, and so does a clause after a comma that asks ("Have been on
        it 6 months, is it normal to feel tired")."""
        told = self._told_after.get(tokens[0]) if len(tokens) > 1 else None
        if told is None or not told.starts(tokens[1:]):
            return False
        return not any(self._asks(clause) for clause in sentence.split(",")[1:])

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

    def questions(self, text: str, min_words: int = 3) -> List[str]:
        """The questions of their own in ``text``, when it asks more than one: its sentences
        that ask, each cut at a joining word ("and", "et") when every clause asks by its own
        words ("what does Saphnelo do and how often do you get it?"; "can I take Benlysta and
        Plaquenil?" is one question). Pieces shorter than ``min_words`` words are left out;
        none when fewer than two are left."""
        found = []
        for sentence in self.sentences(text):
            if not sentence.asks:
                continue
            written = text[sentence.start : sentence.end]
            pieces = self.cut(written, self._join) or [written]
            found += [p.strip(" ,") for p in pieces if len(words(p)) >= min_words]
        return found if len(found) > 1 else []

    def cut(self, sentence: str, at: Pattern[str]) -> Optional[List[str]]:
        """The clauses of ``sentence`` cut ``at`` a joining word, when there are several and
        every one asks by its own words, not by the question mark that ends them all ("what
        does it do and how is it given?"; "can I take benlysta and plaquenil together?" is
        one question); None otherwise."""
        pieces = [piece for piece in at.split(sentence) if words(piece)]
        if len(pieces) > 1 and all(self.part_asks(piece.rstrip("?! ")) for piece in pieces):
            return pieces
        return None

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
