"""Questions the page does not answer, recognised by their words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple

from lupus_faq.terms import TermSet
from lupus_faq.text import words


@dataclass(frozen=True)
class UncoveredTopic:
    """A topic outside the page (doses, pregnancy...) and its decline."""

    name: str
    text: str
    terms: TermSet
    # Words that make the topic's terms mean something the page does answer: "is Saphnelo
    # taken alongside other treatment or on its own?" asks whether it is an add-on.
    unless: TermSet = TermSet.from_config((), ())

    def matches(self, tokens: Sequence[str]) -> bool:
        """Whether a message's folded words are about this topic."""
        return self.terms.matches(tokens) and not self.unless.matches(tokens)


class NotCoveredChecker:
    """Finds the first uncovered topic a message is about."""

    def __init__(
        self, raw: Mapping[str, Any], word_lists: Optional[Mapping[str, Sequence[str]]] = None
    ) -> None:
        """Compile the YAML; ``word_lists`` resolves ``@name`` in terms (see terms.py)."""
        window = int(raw.get("window", 4))
        self.generic = " ".join(raw["generic"].split())
        self.topics: Tuple[UncoveredTopic, ...] = tuple(
            UncoveredTopic(
                name=name,
                text=" ".join(data["text"].split()),
                terms=TermSet.from_config(
                    data.get("phrases") or (), data.get("near") or (), window, word_lists
                ),
                unless=TermSet.from_config(data.get("unless") or (), ()),
            )
            for name, data in raw["topics"].items()
        )

    def detect(self, text: str) -> Optional[UncoveredTopic]:
        """The first topic whose terms occur in ``text``, or None."""
        tokens = words(text)
        return next((t for t in self.topics if t.matches(tokens)), None)
