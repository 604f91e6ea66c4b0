"""Questions the page does not answer, recognised by their words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.language.clauses import Clauses
from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import joining_words, words

# What closes a sentence: its marks and the spaces around them ("ça se donne comment ?")
_CLOSING = re.compile(r"[?.;!\s]+$")


@dataclass(frozen=True)
class UncoveredTopic:
    """A topic outside the page (doses, pregnancy...), recognised by its words (its decline is
    a text of the knowledge, said in the conversation's language: lupus_faq/knowledge/texts.py)."""

    name: str
    terms: TermSet
    # Words that also describe an alternative or a comparison ("instead of", "replace"): they
    # make the topic only when the classifier does not take the message for a page question.
    weak: TermSet = TermSet.from_config((), ())
    # Words that make the topic's terms mean something the page does answer: "is Saphnelo
    # taken alongside other treatment or on its own?" asks whether it is an add-on.
    unless: TermSet = TermSet.from_config((), ())
    # The topic is about the whole sentence that names it (taking two medicines together):
    # that sentence is cut at its "and" only when every clause asks by its own words; another
    # sentence, or such a clause, that names what it asks about is answered beside the decline.
    whole_message: bool = False
    # Questions that, asked right after this decline, are still about it: "can I take
    # Saphnelo?" after "I'm pregnant" gets the pregnancy decline again before its answer.
    repeated_before: Tuple[str, ...] = ()
    # The topic comes with a page question: it is asked of other people ("has anyone had
    # it?"), of a word the page names without explaining it ("what is a fusion protein?"), or
    # of where it is given ("at home?"): a page question the classifier is sure of is answered
    # beside its decline.
    with_the_answer: bool = False
    # The topic ranks medicines ("which is better?"): when the message names two or more of
    # the page's medicines, what the page says of each is given beside its decline.
    side_by_side: bool = False

    def matches(self, tokens: Sequence[str]) -> bool:
        """Whether a message's folded words are about this topic (by any of its terms)."""
        return self.matches_strongly(tokens) or (
            self.weak.matches(tokens) and not self.unless.matches(tokens)
        )

    def matches_strongly(self, tokens: Sequence[str]) -> bool:
        """Whether a message's words are about this topic by terms that are not weak."""
        return self.terms.matches(tokens) and not self.unless.matches(tokens)


class NotCoveredChecker:
    """Finds the first uncovered topic a message is about."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        word_lists: Optional[Mapping[str, Sequence[str]]] = None,
        clauses: Optional[Clauses] = None,
    ) -> None:
        """Compile the YAML; ``word_lists`` resolves ``@name`` in terms (see terms.py);
        ``clauses`` tells whether a part of a message asks something of its own ("my son is
        7" only tells; "is that true?" asks about what was said)."""
        window = int(raw.get("window", 4))
        self.topics: Tuple[UncoveredTopic, ...] = tuple(
            UncoveredTopic(
                name=name,
                terms=TermSet.from_config(
                    data.get("phrases") or (), data.get("near") or (), window, word_lists
                ),
                weak=TermSet.from_config(data.get("weak") or (), (), window, word_lists),
                unless=TermSet.from_config(data.get("unless") or (), (), window, word_lists),
                whole_message=bool(data.get("whole_message", False)),
                repeated_before=tuple(data.get("repeated_before") or ()),
                with_the_answer=bool(data.get("with_the_answer", False)),
                side_by_side=bool(data.get("side_by_side", False)),
            )
            for name, data in raw["topics"].items()
        )
        self._by_name = {topic.name: topic for topic in self.topics}
        parts = raw.get("parts") or {}
        breaks = joining_words(parts.get("break_words", ()))
        self._part_break = re.compile(breaks, re.IGNORECASE)
        # ...or only at a comma before one ("can she have belimumab, and is it ok to mix the
        # two together?")
        self._clause_break = re.compile(rf",\s*(?={breaks})", re.IGNORECASE)
        self._part_min_words = int(parts.get("min_words", 3))
        self._own_subject = TermSet.from_config(
            parts.get("own_subject") or (), (), window, word_lists
        )
        self._clauses = clauses

    def detect(self, text: str) -> Optional[UncoveredTopic]:
        """The first topic whose terms occur in ``text`` (by a term that is not weak, else by
        a weak one), or None."""
        tokens = words(text)
        return next((t for t in self.topics if t.matches_strongly(tokens)), None) or next(
            (t for t in self.topics if t.matches(tokens)), None
        )

    def only_weakly(self, text: str, topic: UncoveredTopic) -> bool:
        """Whether ``topic`` is in ``text`` by its weak words only ("instead of B cells")."""
        tokens = words(text)
        return topic.matches(tokens) and not topic.matches_strongly(tokens)

    def named(self, name: Optional[str]) -> Optional[UncoveredTopic]:
        """The topic called ``name`` (None for None or a name no longer in the YAML)."""
        return self._by_name.get(name) if name else None

    def leaves_a_question(self, text: str, topic: UncoveredTopic) -> bool:
        """Whether ``text``, found to be about ``topic``, has a part of its own that no topic
        matches ("what does anifrolumab do" in "what does anifrolumab do and what are its side
        effects?"; see free_parts). Not only the parts that ask: "im 16 w lupus, can i do the
        benlysta shots at home?" asks a page question in the topic's own part, and requiring
        an asking part declined more page questions than it saved wrong answers (dev sets)."""
        return bool(self.free_parts(text, topic))

    def asking_parts(self, text: str, topic: UncoveredTopic) -> List[str]:
        """The free parts of ``text`` that ask something of their own, which the classifier
        reads on its own: "my son is 7" beside the topic only tells (see free_parts)."""
        clauses = self._clauses
        return [
            part
            for part, marked in self._free_pieces(text, topic)
            if marked or clauses is None or clauses.part_asks(part)
        ]

    def free_parts(self, text: str, topic: UncoveredTopic) -> List[str]:
        """The parts of ``text`` (found to be about ``topic``) that no topic matches, as
        written: what is asked beside the topic, which the classifier reads on its own
        (nlu_components/embedding_classifier.py). Cut at . ? ! ; , and at the break words,
        whatever is left may be the page question the classifier heard ("my lupus is hard to
        treat" beside "what can I try?"); "is that true?" asks about the topic, not beside
        it. A whole-message topic is read by ``_questions_beside``."""
        return [part for part, _ in self._free_pieces(text, topic)]

    def _free_pieces(self, text: str, topic: UncoveredTopic) -> List[Tuple[str, bool]]:
        """The free parts of ``text``, each with whether the sentence's question mark asks
        it (see _sentence_pieces)."""
        if topic.whole_message:
            return [(part, True) for part in self._questions_beside(text)]
        clauses = self._clauses
        return [
            (piece, marked)
            for sentence in re.findall(r"[^?.;!]+[?.;!]*", text)
            for piece, marked in self._sentence_pieces(sentence)
            if len(words(piece)) >= self._part_min_words
            and self.detect(piece) is None
            and not (clauses and clauses.confirms(piece))
        ]

    def _sentence_pieces(self, sentence: str) -> List[Tuple[str, bool]]:
        """``sentence`` cut at its commas and break words, each piece as written, with
        whether the sentence's question mark asks it: a question's last piece ("there are
        like 50 drugs being tested right?"), or the piece before a tag question ("loads are
        being studied, right?")."""
        body = _CLOSING.sub("", sentence)
        pieces = [
            piece.strip() for chunk in body.split(",") for piece in self._part_break.split(chunk)
        ]
        pieces = [piece for piece in pieces if words(piece)]
        marked = [False] * len(pieces)
        if pieces and "?" in sentence[len(body) :]:
            clauses = self._clauses
            tagged = len(pieces) > 1 and clauses is not None and clauses.confirms(pieces[-1] + "?")
            marked[-2 if tagged else -1] = True
        return list(zip(pieces, marked))

    def _questions_beside(self, text: str) -> List[str]:
        """The questions of their own beside a whole-message topic: its sentence is one
        question ("can I take benlysta and plaquenil together?"), so only another sentence,
        or a clause after a break word ("and") when every clause of the sentence asks by its
        own words (else after ", and" when those do), counts, if it asks and names what it
        asks about ("can he get anifrolumab"; "will it still work?" asks about the two
        medicines together)."""
        clauses = self._clauses
        if clauses is None:
            return []
        found = []
        for sentence in clauses.sentences(text):
            written = text[sentence.start : sentence.end]
            # cut at every break word, or else only at those after a comma ("can he get X, and
            # is it ok to mix A and B?"), when every clause asks by its own words
            pieces = (
                clauses.cut(written, self._part_break)
                or clauses.cut(written, self._clause_break)
                or [written]
            )
            found += [
                piece.strip(" ,")
                for piece in pieces
                if len(words(piece)) >= self._part_min_words
                and self.detect(piece) is None
                and clauses.part_asks(piece)
                and not clauses.confirms(piece)
                and self._own_subject.matches(words(piece))
            ]
        return found
