"""A user's message as the NLU read it: the input of one turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from lupus_faq.language import Language, reading
from lupus_faq.language.choices import parse_payload
from lupus_faq.language.languages import OTHER
from lupus_faq.safety import RedFlagChecker

NLU_FALLBACK = "nlu_fallback"  # Rasa's FallbackClassifier: the classifier is not sure


@dataclass(frozen=True)
class Guess:
    """One intent of the classifier's ranking."""

    name: str
    confidence: float


@dataclass(frozen=True)
class UserMessage:
    """What arrived, and what the NLU made of it."""

    text: str
    intent: Optional[str] = None  # nlu_fallback when the FallbackClassifier was not sure
    ranking: Tuple[Guess, ...] = ()
    entities: Tuple[Mapping[str, Any], ...] = ()
    by_button: bool = False  # a button's payload, not typed words
    # What the deterministic NLU components found (lupus_faq.language.reading):
    red_flags: Tuple[str, ...] = ()
    language: Optional[str] = None  # en, fr, other; None: no language of its own ("2", "👍")
    choice: Optional[int] = None
    rating: Optional[bool] = None
    leading_rating: Optional[bool] = None
    # The page question the part of a mixed question beside its uncovered topic asks, read on
    # its own ("what does Saphnelo do" in "what does Saphnelo do and can I take it pregnant?"),
    # and that part's words
    part: Optional[Guess] = None
    part_text: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_parse(cls, parse: Mapping[str, Any]) -> "UserMessage":
        """A message from Rasa's parse data (``tracker.latest_message``, or what
        ``/model/parse`` returns).

        A button's payload ("/intent{...}") reaches Rasa as text and is read by Rasa's payload
        handler, not by the NLU pipeline: a text that is a payload for the very intent it was
        given is how a button press arrives, and this is the one place that decides it."""
        intent = (parse.get("intent") or {}).get("name")
        text = str(parse.get("text") or "")
        payload = parse_payload(text) if text.startswith("/") else None
        by_button = bool(payload and payload[0] == intent)
        ranking = tuple(
            Guess(str(r.get("name")), float(r.get("confidence") or 0.0))
            for r in parse.get("intent_ranking") or ()
        )
        if intent and not ranking:
            ranking = (Guess(intent, float((parse.get("intent") or {}).get("confidence") or 1)),)
        return cls(
            text=text,
            intent=intent,
            ranking=ranking,
            entities=tuple(dict(e) for e in parse.get("entities") or ()),
            by_button=by_button,
            red_flags=tuple(parse.get(reading.RED_FLAGS) or ()),
            language=parse.get(reading.LANGUAGE),
            choice=parse.get(reading.CHOICE),
            rating=parse.get(reading.RATING),
            leading_rating=parse.get(reading.LEADING_RATING),
            part=_guess(parse.get(reading.PART_INTENT)),
            part_text=str((parse.get(reading.PART_INTENT) or {}).get("text") or ""),
        )

    @property
    def sure(self) -> bool:
        """Whether the classifier was sure (Rasa's FallbackClassifier did not step in)."""
        return self.intent != NLU_FALLBACK

    def as_parse(self) -> Dict[str, Any]:
        """The message back as parse data (for logs and `make explain`)."""
        return {
            "text": self.text,
            "intent": {"name": self.intent},
            "intent_ranking": [{"name": g.name, "confidence": g.confidence} for g in self.ranking],
            "entities": [dict(e) for e in self.entities],
            "by_button": self.by_button,
        }


def button_message(payload: str, intent: str, entities: Sequence[Mapping[str, Any]]) -> UserMessage:
    """The message a button sends: its payload, already an intent and entities."""
    return UserMessage(
        text=payload,
        intent=intent,
        ranking=(Guess(intent, 1.0),),
        entities=tuple(dict(e) for e in entities),
        by_button=True,
    )


def as_the_nlu_reads(
    text: str,
    intent: Optional[str],
    ranking: Sequence[Guess],
    entities: Sequence[Mapping[str, Any]],
    language: Language,
    red_flags: RedFlagChecker,
    part: Optional[Guess] = None,
    part_text: str = "",
) -> UserMessage:
    """The message the NLU pipeline hands the dialogue when its classifier said ``intent`` and
    ``ranking``: the deterministic components of config.yml run on the text in the pipeline's
    order (another language, a bare option number, a rating, a red flag), each replacing the
    intent when it applies; ``part`` and ``part_text``: what the classifier made of the other
    part of a mixed question, and its words. For tools and tests that have no trained model."""
    found = reading.read_words(text, language)
    categories = tuple(red_flags.detect(text))
    ranked = list(ranking) or ([Guess(intent, 1.0)] if intent else [])
    rating = found.get(reading.RATING)
    for applies, name in (
        (found.get(reading.LANGUAGE) == OTHER, reading.OTHER_LANGUAGE_INTENT),
        (reading.CHOICE in found, reading.CHOOSE_OPTION_INTENT),
        (rating is not None, reading.AFFIRM_INTENT if rating else reading.DENY_INTENT),
        (categories, reading.RED_FLAG_INTENT),
    ):
        if applies:
            intent = name
            ranked = [Guess(name, 1.0), *(g for g in ranked if g.name != name)]
    return UserMessage(
        text=text,
        intent=intent,
        ranking=tuple(ranked),
        entities=tuple(dict(e) for e in entities),
        red_flags=categories,
        language=found.get(reading.LANGUAGE),
        choice=found.get(reading.CHOICE),
        rating=rating,
        leading_rating=found.get(reading.LEADING_RATING),
        part=part,
        part_text=part_text,
    )


def _guess(raw: Any) -> Optional[Guess]:
    """A Guess from parse data's ``{name, confidence}``, or None."""
    if not isinstance(raw, Mapping) or not raw.get("name"):
        return None
    return Guess(str(raw["name"]), float(raw.get("confidence") or 0.0))
