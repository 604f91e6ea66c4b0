"""Every fact about a message the decision table may look at, computed once per turn."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.dialogue.memory import AWAITING_RATING, Context
from lupus_faq.dialogue.message import Guess, UserMessage, button_message
from lupus_faq.dialogue.questions import Questions, Routed
from lupus_faq.dialogue.sureness import Sureness
from lupus_faq.dialogue.whom import about_whom, with_whom
from lupus_faq.knowledge.entities import AGE_GROUP, CELL, DRUG, ORGAN, OTHER, ROUTE
from lupus_faq.language import Language, Mention, UncoveredTopic, reading
from lupus_faq.language.choices import parse_payload
from lupus_faq.language.languages import ENGLISH, SPOKEN
from lupus_faq.language.text import words
from lupus_faq.safety import RedFlagChecker

# Intents with a meaning of their own to the dialogue (the FAQ intents come from routes.yml),
# as the deterministic NLU components set them.
RED_FLAG = reading.RED_FLAG_INTENT
AFFIRM = reading.AFFIRM_INTENT
CHOOSE_OPTION = reading.CHOOSE_OPTION_INTENT
RATING_INTENTS = (reading.AFFIRM_INTENT, reading.DENY_INTENT)
SHARE_FEELINGS = "share_feelings"


@dataclass(frozen=True)
class Settings:
    """The dialogue's numbers, from knowledge/dialogue.yml `settings`."""

    max_buttons: int
    min_suggestions: int
    min_suggestion_confidence: float
    min_part_answer_confidence: float
    story_words: int  # a message this long or longer is a story, not a short question
    questions_intents: Tuple[str, ...]  # intents that ask something of the page as a whole

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "Settings":
        """From the mapping of knowledge/dialogue.yml."""
        return cls(
            max_buttons=int(raw["max_buttons"]),
            min_suggestions=int(raw["min_suggestions"]),
            min_suggestion_confidence=float(raw["min_suggestion_confidence"]),
            min_part_answer_confidence=float(raw["min_part_answer_confidence"]),
            story_words=int(raw["story_words"]),
            questions_intents=tuple(raw["question_intents"]),
        )


def fact(doc: str) -> Any:
    """A field the decision table can test, with what it means (shown by `make explain`)."""
    return field(default=None, metadata={"doc": doc})


@dataclass(frozen=True)
class Facts:
    """What a message is, says and asks, in its conversation. The fields declared with
    ``fact`` are what knowledge/dialogue.yml's rules test; the others carry what the reply
    needs (mentions, routed entries, the context)."""

    # --- safety and how it arrived
    language_asked: Optional[str] = fact(
        "the message only asks for the answers in a language ('in English please', 'en "
        "français svp'), no page question the classifier is sure of"
    )
    language: Optional[str] = fact(
        "the language of the reply: the one asked for, else the message's (en, fr), "
        "else the conversation's"
    )
    simpler_asked: bool = fact(
        "the message asks for the last answer of the page in simpler words ('plus simple svp', "
        "'can you say that more simply?') or only says it was not understood ('??', 'huh?'), "
        "names no medicine, organ, cell or way of giving one, and asks no page question the "
        "classifier is sure of"
    )
    red_flag: bool = fact("an emergency: a red-flag term, or the classifier's red_flag")
    red_flag_past: bool = fact("the emergency is told as past ('she had seizures last year')")
    by_button: bool = fact("a button's payload (or its number typed), not typed words")
    bad_choice: bool = fact("a typed option number that matches no button of the last reply")
    options_offered: bool = fact("the last reply had buttons")
    # --- what the last reply asked
    awaiting: Optional[str] = fact("what the last reply asked: rating, did_you_mean or none")
    answered_before: bool = fact("a page question was answered earlier in the conversation")
    declined_before: Optional[str] = fact("the topic the last reply declined")
    # --- ratings
    rating: Optional[bool] = fact("the message rates the last answer (true: it helped)")
    asks: bool = fact("the message asks or tells more than a rating")
    polite_no: bool = fact("a 'no thanks'")
    feeling: bool = fact("the classifier heard a feeling, and the message asks a question too")
    # --- the classifier
    intent: Optional[str] = fact("the classifier's intent (its best guess when unsure)")
    sure: bool = fact("the classifier is sure (config.yml's FallbackClassifier thresholds)")
    guess_likely: bool = fact(
        "the likeliest page question in the classifier's ranking is likely enough to answer "
        "beside a decline (settings: min_part_answer_confidence)"
    )
    candidates_agree: bool = fact(
        "unsure, but every near guess leads to the same answer, "
        "together as sure as the classifier must be"
    )
    has_candidates: bool = fact("there are page questions near the message to offer")
    # --- words
    topic: Optional[str] = fact("a topic the page does not cover, named where the message asks")
    asks_uncovered: bool = fact(
        "a sentence of the message asks something ('?', a question word), and it names the "
        "topic: small talk with such a question is not only small talk"
    )
    topic_mentioned: Optional[str] = fact(
        "a topic the page does not cover, named only in the "
        "story around the question ('I'm on 5 mg of pred')"
    )
    topic_leaves_a_question: bool = fact("the message asks something of its own beside the topic")
    topic_weak: bool = fact(
        "the topic is named only by words that can also describe an "
        "alternative ('instead of', 'replace', 'forever')"
    )
    topic_with_the_answer: bool = fact(
        "the topic is asked of other people ('has anyone had it?'): a page question the "
        "classifier is sure of is answered beside it (not_covered.yml `with_the_answer`)"
    )
    topic_whole_message: bool = fact(
        "the topic concerns the whole sentence that names it (taking two "
        "medicines together, a cold on treatment): only another sentence, or a clause "
        "after ', and', that asks and names what it asks about is answered beside its decline"
    )
    names_a_treatment: bool = fact("the message names a medicine or a way of giving one")
    topic_side_by_side: bool = fact(
        "the topic ranks medicines (not_covered.yml side_by_side) and the message names two or "
        "more of the page's medicines"
    )
    asks_off_the_page: bool = fact(
        "the message asks something and names nothing the page is about: no medicine, way of "
        "giving one, cell or organ, no word of knowledge/vocabulary.yml page_subject (nor, "
        "outside a story, of page_subject_whom)"
    )
    story: bool = fact("the message is long enough to tell a story (settings: story_words)")
    other_drug: Optional[str] = fact("a medicine the page does not describe, named")
    compared_with_another_medicine: bool = fact(
        "the question names one of the page's medicines and likens it to one the page does not "
        "describe, or calls it one ('is Benlysta like Humira?', 'is Benlysta a steroid?'; not "
        "'faster than prednisone?')"
    )
    # --- follow-ups
    follow_up: Optional[str] = fact(
        "the shape of a follow-up: correction ('sorry I meant belimumab'), child, organ or route"
    )
    bare_follow_up: bool = fact("only names and small words ('and Saphnelo?')")
    still_about_declined: bool = fact(
        "asks a question the declined topic still concerns "
        "('can I take it?' after 'I'm pregnant'), same person"
    )
    question: Optional[str] = fact("the page question (FAQ intent) the message asks")
    part_question: Optional[str] = fact(
        "the page question the part beside the topic asks, read on its own by the NLU "
        "('what does Saphnelo do' in 'what does Saphnelo do and can I take it pregnant?'), or, "
        "with no topic, a second page question asked on its own ('how often do you get it' in "
        "'what does Saphnelo do and how often do you get it?')"
    )
    mentioned_topic_concerns_question: bool = fact(
        "the topic named only in the story still concerns the question asked ('I'm pregnant. "
        "Can I take Benlysta?': not_covered.yml repeated_before)"
    )

    # --- carried for the reply, not tested by rules
    message: Optional[UserMessage] = field(default=None, repr=False)
    mentions: Tuple[Mention, ...] = field(default=(), repr=False)
    part_mentions: Tuple[Mention, ...] = field(default=(), repr=False)  # in part_question's part
    part_first: bool = field(default=False, repr=False)  # ... and that part was asked first
    before: Context = field(default=Context(), repr=False)  # the context as it came in
    context: Context = field(default=Context(), repr=False)  # ... once whom was read
    uncovered: Optional[UncoveredTopic] = field(default=None, repr=False)
    uncovered_mentioned: Optional[UncoveredTopic] = field(default=None, repr=False)
    declined: Optional[UncoveredTopic] = field(default=None, repr=False)
    follow_up_question: Optional[str] = field(default=None, repr=False)
    candidate_question: Optional[str] = field(default=None, repr=False)  # the best candidate's
    # what a medicine likened to another is, or the medicines ranked are, side by side
    compared_question: Optional[str] = field(default=None, repr=False)
    routed: Routed = field(default_factory=dict, repr=False)  # the entries `question` leads to
    # the question names the biologics in general ("... are the lupus biologics?")
    in_general: bool = field(default=False, repr=False)
    candidates: Routed = field(default_factory=dict, repr=False)  # from the classifier's ranking

    def tested(self) -> Dict[str, Any]:
        """The facts rules can test, by name (for `make explain` and the table's check)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if "doc" in f.metadata}

    @staticmethod
    def names() -> Tuple[str, ...]:
        """Names of the facts rules can test."""
        return tuple(f.name for f in fields(Facts) if "doc" in f.metadata)

    @staticmethod
    def doc(name: str) -> str:
        """What the fact ``name`` means."""
        return next(f.metadata["doc"] for f in fields(Facts) if f.name == name)


class Interpreter:
    """Computes the facts of a message in its conversation."""

    def __init__(
        self,
        language: Language,
        red_flags: RedFlagChecker,
        questions: Questions,
        sureness: Sureness,
        settings: Settings,
    ) -> None:
        self.language = language
        self.red_flags = red_flags
        self.questions = questions
        self.sureness = sureness
        self.settings = settings

    def facts(self, message: UserMessage, before: Context) -> Facts:
        """Every fact of ``message`` arriving in a conversation that remembers ``before``."""
        message, bad_choice = self._chosen(message, before)
        awaiting_rating = before.awaiting == AWAITING_RATING
        rating: Optional[bool] = None
        if awaiting_rating and message.leading_rating is not None and not message.by_button:
            rating = message.leading_rating  # "no it didn't, what about Saphnelo?"
        elif awaiting_rating and message.intent in RATING_INTENTS:
            rating = message.intent == AFFIRM  # "makes sense", "👍", the "No" button

        text = message.text
        # What the message asks is read from its sentences that ask; the rest is its story.
        asking = self.language.clauses.question_spans(text)
        asked = " ".join(text[start:end] for start, end in asking)
        mentions = tuple(self.language.lexicon.mentions(message.entities, text, asking))
        red_flag_past = bool(message.red_flags) and self.red_flags.told_as_past(text)
        feeling = (
            message.sure
            and message.intent == SHARE_FEELINGS
            and self.language.clauses.has_question(text)
        )
        intent, ranking, sure = self._classification(
            message, mentions, awaiting_rating, red_flag_past or feeling
        )
        declined = self.language.uncovered.named(before.declined_topic)
        context = about_whom(text, before.forget_last_reply(), self.language)
        topic = self.language.uncovered.detect(asked)
        mentioned = None if topic else self.language.uncovered.detect(text)
        leaves = topic is not None and self.language.uncovered.leaves_a_question(asked, topic)
        # what the other part of a mixed question names: "what does Saphnelo do and can I take
        # Benlysta pregnant?" asks about Saphnelo only (a medicine named outside the part is
        # the one its "it" means: "what does Saphnelo do and how often do you get it?")
        part_start = text.find(message.part_text) if message.part_text else -1
        part_mentions = (
            tuple(
                self.language.lexicon.mentions(
                    message.entities, text, [(part_start, part_start + len(message.part_text))]
                )
            )
            if part_start >= 0
            else mentions
        )

        spans = [
            (int(e["start"]), int(e["end"]))
            for e in message.entities
            if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
        ]
        bare = self.language.follow_ups.is_bare(text, spans)
        if sure:
            question = self.questions.asked(intent, text, mentions, context, bare)
        else:
            question = self.questions.target(self._best(ranking), before, mentions)
        follow_up, follow_up_question = self._follow_up(message, mentions, context, topic)
        mentions = self._with_remembered_organ(
            mentions, context, intent, question or follow_up_question, follow_up
        )
        candidates, best, best_confidence, total = self._candidates(
            ranking, mentions, context, message
        )
        in_general = self.language.subject.names_biologics(asked)
        routed = (
            self.questions.route(question, mentions, context, message.by_button, in_general)
            if question
            else {}
        )
        same_person = with_whom(context, mentions).current_age_group == before.current_age_group
        names_only = bool(mentions) and all(
            m.entity in (AGE_GROUP, ORGAN) or (m.entity == DRUG and m.value != OTHER)
            for m in mentions
        )
        # another medicine named only to compare with ("is Benlysta like Humira?") is context
        others = [m for m in mentions if m.entity == DRUG and m.value == OTHER and not m.compared]
        asked_drugs = [m for m in mentions if m.entity == DRUG and m.in_question and not m.excluded]
        # "is Benlysta like Humira?", "is Benlysta a steroid?", "a fancier Humira?"; not
        # "stronger than prednisone?" (ranked), "is CellCept like Benlysta?" (asked of it) nor
        # "is paracetamol ok on Benlysta?"
        compared_with_another = any(
            m.value != OTHER and not m.compared for m in asked_drugs
        ) and any(m.value == OTHER and (m.likened or m.called) for m in asked_drugs)
        ranked = bool(
            topic
            and topic.side_by_side
            and len({m.value for m in asked_drugs if m.value != OTHER}) > 1
        )
        story = len(words(text)) >= self.settings.story_words
        spoken = message.language if message.language in SPOKEN else None
        asked_for = self.language.languages.asked_for(text)
        return Facts(
            language_asked=None if sure and question else asked_for,
            language=asked_for or spoken or before.language or ENGLISH,
            simpler_asked=(
                bool(before.last_answers)
                and not (sure and question)
                and self.language.follow_ups.asks_simpler(text)
                and not any(m.entity in (DRUG, ORGAN, ROUTE, CELL) for m in mentions)
            ),
            red_flag=bool(message.red_flags) or (sure and intent == RED_FLAG),
            red_flag_past=red_flag_past,
            by_button=message.by_button,
            bad_choice=bad_choice,
            options_offered=bool(before.options),
            awaiting=before.awaiting,
            answered_before=before.last_intent is not None,
            declined_before=declined.name if declined else None,
            rating=rating,
            asks=self._asks(message, intent, sure, topic, follow_up, candidates),
            polite_no=self.language.ratings.is_polite_no(message.text),
            feeling=feeling,
            intent=intent,
            sure=sure,
            guess_likely=best_confidence >= self.settings.min_part_answer_confidence,
            candidates_agree=(
                not sure and len(candidates) == 1 and total >= self.sureness.threshold
            ),
            has_candidates=bool(candidates),
            topic=topic.name if topic else None,
            asks_uncovered=topic is not None and self.language.clauses.has_question(text),
            topic_mentioned=mentioned.name if mentioned else None,
            topic_whole_message=bool(topic and topic.whole_message),
            topic_with_the_answer=bool(topic and topic.with_the_answer),
            topic_weak=bool(topic and self.language.uncovered.only_weakly(asked, topic)),
            topic_leaves_a_question=leaves,
            topic_side_by_side=ranked,
            names_a_treatment=any(m.entity in (DRUG, ROUTE) for m in mentions),
            asks_off_the_page=(
                self.language.clauses.has_question(text)
                and not self.language.subject.named_in(text, mentions, story)
            ),
            story=story,
            other_drug=others[0].name if others else None,
            compared_with_another_medicine=compared_with_another,
            follow_up=follow_up,
            bare_follow_up=names_only and bare,
            still_about_declined=bool(
                declined and question in declined.repeated_before and same_person
            ),
            question=question,
            part_question=self._part_question(
                message,
                text,
                part_mentions,
                context,
                bare,
                question if topic is None else None,
                leaves or topic is None,
            ),
            mentioned_topic_concerns_question=bool(
                mentioned and question in mentioned.repeated_before
            ),
            message=message,
            mentions=mentions,
            part_mentions=part_mentions,
            # nothing asked before the part: "what is benlysta and is it for kids?"
            part_first=part_start >= 0 and not text[asking[0][0] : part_start].strip(),
            before=before,
            context=context,
            uncovered=topic,
            uncovered_mentioned=mentioned,
            declined=declined,
            follow_up_question=follow_up_question,
            candidate_question=(
                self.questions.asked(best, text, mentions, context, bare) if best else None
            ),
            compared_question=(
                self.questions.asked(self.questions.follow_ups.compared, text, mentions, context)
                if compared_with_another or ranked
                else None
            ),
            routed=routed,
            in_general=in_general,
            candidates=candidates,
        )

    # --- pieces --------------------------------------------------------------------------

    def _with_remembered_organ(
        self,
        mentions: Tuple[Mention, ...],
        context: Context,
        intent: Optional[str],
        question: Optional[str],
        follow_up: Optional[str],
    ) -> Tuple[Mention, ...]:
        """``mentions``, with the organ the last question was about when the message asks it
        again for another medicine and names no organ of its own: "et le Saphnelo ?" after
        "le Benlysta peut aider pour les reins ?" asks about the kidneys too."""
        again = follow_up == "correction" or intent == self.questions.follow_ups.ask_about_drug
        if (
            not again
            or not context.organ
            or question != context.last_intent
            or any(m.entity == ORGAN for m in mentions)
        ):
            return mentions
        return (*mentions, Mention(ORGAN, context.organ, context.organ, in_question=False))

    def _chosen(self, message: UserMessage, before: Context) -> Tuple[UserMessage, bool]:
        """A typed option number becomes the message of the button it names; a number that
        names none is a bad choice."""
        if message.intent != CHOOSE_OPTION or message.choice is None:
            return message, False
        number = message.choice
        if 1 <= number <= len(before.options):
            payload = before.options[number - 1].payload
            parsed = parse_payload(payload)
            if parsed:
                return button_message(payload, *parsed), False
        return message, True

    def _part_question(
        self,
        message: UserMessage,
        text: str,
        part_mentions: Sequence[Mention],
        context: Context,
        bare: bool,
        same: Optional[str],
        read: bool,
    ) -> Optional[str]:
        """The page question the part the NLU read on its own asks (when ``read``: beside a
        topic that leaves a question, or with no topic at all), unless it is ``same`` (the
        message's own question, when the part would be a second one)."""
        if not (read and message.part):
            return None
        asked = self.questions.asked(message.part.name, text, part_mentions, context, bare)
        return asked if asked != same else None

    def _classification(
        self,
        message: UserMessage,
        mentions: Sequence[Mention],
        awaiting_rating: bool,
        asks_besides: bool,
    ) -> Tuple[Optional[str], Tuple[Guess, ...], bool]:
        """The intent, the ranking the dialogue reads and whether the classifier is sure.

        Some intents say what a message is rather than what it asks: a message that opens
        with a rating and goes on ("very helpful, can my son have it?"), a feeling told with a
        question ("my wife was just diagnosed, I'm so worried. What is a biologic?"), an
        emergency told as past (``asks_besides``) is classified as a whole as that: its
        question is read from the ranking without it. When it names something (a medicine, a
        person...), or asks in so many words, those words account for the rest, so its share
        is rescaled to the whole; otherwise ("yes it did, you star") the weak guesses stay as
        weak as they were."""
        ranking = tuple(g for g in message.ranking if g.name != "nlu_fallback")
        opens_a_rating = (
            awaiting_rating
            and message.leading_rating is not None
            and message.intent in RATING_INTENTS
        )
        if not (opens_a_rating or (asks_besides and message.sure)):
            return (message.intent if message.sure else self._best(ranking)), ranking, message.sure
        form = RATING_INTENTS if opens_a_rating else (message.intent,)
        rest = tuple(g for g in ranking if g.name not in form)
        total = sum(g.confidence for g in rest)
        if (mentions or asks_besides) and total > 0:
            rest = tuple(Guess(g.name, g.confidence / total) for g in rest)
        best = self._best(rest)
        asks = best is not None and (
            self.questions.router.handles(best) or best in self.settings.questions_intents
        )
        return best, rest, asks and self.sureness.is_sure(rest)

    @staticmethod
    def _best(ranking: Sequence[Guess]) -> Optional[str]:
        return max(ranking, key=lambda g: g.confidence).name if ranking else None

    def _asks(
        self,
        message: UserMessage,
        intent: Optional[str],
        sure: bool,
        topic: Optional[UncoveredTopic],
        follow_up: Optional[str],
        candidates: Routed,
    ) -> bool:
        """Whether the message asks or tells more than a rating of the last answer."""
        if message.intent in RATING_INTENTS and message.leading_rating is None:
            return False
        if sure:
            return intent not in RATING_INTENTS
        return bool(topic or follow_up or candidates) or intent == SHARE_FEELINGS

    def _follow_up(
        self,
        message: UserMessage,
        mentions: Sequence[Mention],
        context: Context,
        topic: Optional[UncoveredTopic],
    ) -> Tuple[Optional[str], Optional[str]]:
        """The shape of a follow-up, and the page question it asks: a correction of the last
        question ("sorry I meant belimumab", "no wait, for my son"), a child ("and for my
        daughter, she's 11?", "she's only 4 though"), an organ ("and the heart?"), a way of
        giving a medicine talked about ("saphnelo jab?")."""
        if topic or message.by_button:
            return None, None
        text = message.text
        shape: Optional[str] = None
        asks: Optional[str] = None
        if context.last_intent and mentions and self.language.follow_ups.is_correction(text):
            shape, asks = "correction", self.questions.follow_ups.ask_about_drug
        elif self.questions.is_child_follow_up(text, mentions, context):
            shape, asks = "child", self.questions.follow_ups.child
        elif self.questions.organ_follow_up(text, mentions, context):
            shape, asks = "organ", self.questions.organ_follow_up(text, mentions, context)
        elif (context.drugs or any(m.entity == DRUG for m in mentions)) and _names_a_route_only(
            mentions
        ):
            shape, asks = "route", self.questions.follow_ups.route
        if shape and asks:
            return shape, self.questions.asked(asks, text, mentions, context)
        return None, None

    def _candidates(
        self,
        ranking: Sequence[Guess],
        mentions: Sequence[Mention],
        context: Context,
        message: UserMessage,
    ) -> Tuple[Routed, Optional[str], float, float]:
        """The answers the classifier's ranked intents lead to (above the suggestion
        threshold), with the best such intent, its confidence and all of theirs together."""
        nearest: Routed = {}
        best: Optional[str] = None
        best_confidence = total = 0.0
        for guess in sorted(ranking, key=lambda g: -g.confidence):
            name: Optional[str] = guess.name
            if name == self.questions.follow_ups.ask_about_drug:  # the question it re-asks
                name = self.questions.target(name, context, mentions)
            if (
                name is None
                or not self.questions.router.handles(name)
                or guess.confidence < self.settings.min_suggestion_confidence
            ):
                continue
            if best is None:
                best, best_confidence = guess.name, guess.confidence
            total += guess.confidence
            for entry_id, drug in self.questions.route(
                name, mentions, context, message.by_button
            ).items():
                nearest.setdefault(entry_id, drug)
        return nearest, best, best_confidence, total


def _names_a_route_only(mentions: Sequence[Mention]) -> bool:
    """Whether a message names a way of giving a medicine and nothing the answer to how it is
    given would leave aside (an organ, T cells): at most medicines and ages besides."""
    return any(m.entity == ROUTE for m in mentions) and all(
        m.entity in (ROUTE, DRUG, AGE_GROUP) for m in mentions
    )


def describe(facts: Facts) -> List[str]:
    """The tested facts as lines "name = value" (for `make explain`)."""
    return [f"{name} = {value!r}" for name, value in facts.tested().items()]
