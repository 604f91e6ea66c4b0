"""What the assistant replies to one user turn: safety first, then declines, then answers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.buttons import parse_payload
from lupus_faq.knowledge import ANSWER, Entry, Knowledge, load_knowledge
from lupus_faq.not_covered import NotCoveredChecker, UncoveredTopic
from lupus_faq.red_flags import RedFlagChecker
from lupus_faq.routing import Router
from lupus_faq.vocabulary import (
    ADULT, AGE_GROUP, CELL, CHILD, DRUG, DRUG_NAMED, ORGAN, OTHER, ROUTE, Mention, Vocabulary,
)

# Intents with a meaning of their own in this module (the FAQ intents come from routes.yml).
RED_FLAG = "red_flag"
ASK_ABOUT_DRUG = "ask_about_drug"
ASK_NOT_COVERED = "ask_not_covered"
OUT_OF_SCOPE = "out_of_scope"
OTHER_LANGUAGE = "other_language"
SHARE_FEELINGS = "share_feelings"
NLU_FALLBACK = "nlu_fallback"  # Rasa's FallbackClassifier, ranked first when it is unsure
DEFAULT_FOLLOW_UP_INTENT = "faq_drug_mechanism"
# ...and when the conversation is about a child: "my 10 year old has lupus" then "Benlysta?".
CHILD_FOLLOW_UP_INTENT = "faq_drug_children"
# ...and when the message itself names adults: "anifrolumab adults only?".
ADULT_FOLLOW_UP_INTENT = "faq_drug_eligibility"
# ...and when it names only an organ after a question about a medicine: "and the heart?".
ORGAN_FOLLOW_UP_INTENT = "faq_drug_effectiveness"
# An unsure message about a medicine that names a way of giving it ("is there a tablet form
# of belimumab?") asks how it is given.
ROUTE_QUESTION_INTENT = "faq_drug_administration"

# Kinds of turn, recorded with each reply (feedback, curation reports, benchmarks).
KIND_ANSWER = "answer"
KIND_NOT_COVERED = "not_covered"
KIND_RED_FLAG = "red_flag"
KIND_OUT_OF_SCOPE = "out_of_scope"
KIND_CLARIFY = "clarify"
KIND_HELP = "help"
KIND_FEEDBACK = "feedback"
KIND_SUPPORT = "support"

# What the feedback buttons send: the same intents as a typed "yes" / "no".
FEEDBACK_YES_PAYLOAD = "/affirm"
FEEDBACK_NO_PAYLOAD = "/deny"
# ...and what a typed rating is read as (nlu_components/feedback_reply.py).
AFFIRM = "affirm"
DENY = "deny"
FEEDBACK_INTENTS = (AFFIRM, DENY)

MAX_BUTTONS = 3
# "Did you mean ...?" offers at least this many questions when it offers any.
MIN_SUGGESTIONS = 2
# Intents below this confidence are not offered as "Did you mean ...?" buttons.
MIN_SUGGESTION_CONFIDENCE = 0.05
# An unsure classifier whose near guesses all lead to one answer gets that answer, if together
# they are this sure (the FallbackClassifier threshold of config.yml).
MIN_SINGLE_ANSWER_CONFIDENCE = 0.5
# ...and the lead its best guess needs over the next (its ambiguity_threshold).
AMBIGUITY_MARGIN = 0.1
# In an unsure message in parts, one part not covered, the other part is answered when the
# classifier's best guess for it is this sure.
MIN_PART_ANSWER_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Button:
    """A quick reply: what it says, and what it sends back."""

    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        """The form Rasa channels expect."""
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class BotMessage:
    """One message of a reply."""

    text: str
    buttons: Tuple[Button, ...] = ()


@dataclass(frozen=True)
class Context:
    """What the conversation remembers for follow-up questions."""

    last_intent: Optional[str] = None
    drugs: Tuple[str, ...] = ()
    last_answers: Tuple[str, ...] = ()  # entries of the last answer, for its feedback
    # Whom the questions are about, once said: someone else ("my 8 year old has lupus") or
    # the speaker ("i'm 16"), child or adult; and which of the two the conversation is about.
    age_group: Optional[str] = None
    speaker_age_group: Optional[str] = None
    about_speaker: bool = False
    # The topic the last reply declined (knowledge/not_covered.yml), for "and Saphnelo?" next.
    declined_topic: Optional[str] = None

    @property
    def current_age_group(self) -> Optional[str]:
        """The age group of the person the conversation is about now."""
        return self.speaker_age_group if self.about_speaker else self.age_group


@dataclass(frozen=True)
class Turn:
    """The assistant's reply to one user turn, and the context to remember afterwards."""

    kind: str
    messages: Tuple[BotMessage, ...]
    context: Context
    entry_ids: Tuple[str, ...] = field(default=())
    # Set when the user rated the last answer: {"helpful": bool, "answers": [entry ids]}.
    feedback: Optional[Dict[str, Any]] = None

    @property
    def text(self) -> str:
        """All message texts, joined (for logs and tests)."""
        return "\n".join(m.text for m in self.messages)


class Assistant:
    """The assistant's decisions, independent of any chat framework."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.vocabulary = Vocabulary(knowledge.vocabulary)
        self.router = Router(knowledge.routes)
        self.red_flags = RedFlagChecker(knowledge.red_flags, self.vocabulary.word_lists())
        self.not_covered = NotCoveredChecker(knowledge.not_covered, self.vocabulary.word_lists())

    # --- public entry points -------------------------------------------------------------

    def respond(
        self,
        intent: Optional[str],
        text: str,
        entities: Iterable[Mapping[str, Any]] = (),
        context: Context = Context(),
        ranking: Sequence[Mapping[str, Any]] = (),
    ) -> Turn:
        """Reply to a question-like turn (FAQ, follow-up, decline, out of scope, red flag).

        ``ranking`` is the classifier's intent ranking, for the questions a message asks
        beside the one it was classified as."""
        entities = list(entities)
        mentions = self.vocabulary.mentions(entities, text)
        declined, context = self._take_declined(context)
        emergency = self.emergency(text, intent)
        if emergency:  # whom and what it named still count: "how will I get it?" afterwards
            return replace(emergency, context=_after_naming(context, mentions))
        before, context = context, self._whom(text, context)

        drugs = [m for m in mentions if m.entity == DRUG]
        context_after_decline = _after_naming(context, mentions)

        if intent == SHARE_FEELINGS:
            # "scared of Benlysta's side effects" and "tired after my infusion" are declined
            # too; "i feel depressed" alone is a feeling, not a side-effect question.
            named = any(m.entity in (DRUG, ROUTE) for m in mentions)
            topic = self.not_covered.detect(text) if named else None
            return self._support(topic, context_after_decline)

        if intent in (OUT_OF_SCOPE, OTHER_LANGUAGE):
            topic = self.not_covered.detect(text) if intent == OUT_OF_SCOPE else None
            if topic:
                return self._decline_topic(topic, {}, context_after_decline)
            return self._help(intent, context_after_decline, kind=KIND_OUT_OF_SCOPE)

        target = self._again_for_whom(
            self._target_intent(intent, context, mentions), text, mentions, context
        )
        target = self._again_for_organ(target, text, mentions, context)
        topic = self.not_covered.detect(text)
        again = self._after_a_decline(
            declined, topic, target, text, entities, mentions, before, context
        )
        if again:
            return again
        if topic:
            asks_more = self.not_covered.leaves_a_question(text, topic)
            if target and asks_more:
                return self._decline_and_answer(topic.text, target, mentions, context)
            if not target and asks_more:
                # "How much is Benlysta? And can my child have it?" classified as a whole as
                # not covered: the other question is offered as the classifier ranked it.
                nearest = self._candidates(ranking, mentions, context, text)[0]
                if nearest:
                    also = f"{topic.text}\n{self.knowledge.message('also_asked')}"
                    return self._decline_topic(topic, nearest, context_after_decline, also)
            nearest = self._route(target, mentions, context, text) if target else {}
            return self._decline_topic(topic, nearest, context_after_decline)

        if intent == ASK_NOT_COVERED or target is None:
            others = [m for m in drugs if m.value == OTHER]
            if others:
                entry = self.knowledge.entry("other_drug")
                text_out = entry.render(drug=others[0].name)
                nearest = dict.fromkeys(entry.related)
                return self._decline(text_out, nearest, context_after_decline, entry.id)
            if intent == ASK_NOT_COVERED:
                return self._decline(self.not_covered.generic, {}, context_after_decline)
            return self._help("not_understood", context_after_decline, kind=KIND_CLARIFY)

        return self._answer(target, mentions, context, is_button=text.startswith("/"))

    def emergency(self, text: str, intent: Optional[str] = None) -> Optional[Turn]:
        """The emergency reply if ``text`` holds a red flag (or the classifier says so)."""
        categories = self.red_flags.detect(text)
        if not categories and intent != RED_FLAG:
            return None
        return Turn(KIND_RED_FLAG, (BotMessage(self.red_flags.reply(categories)),), Context())

    def clarify(
        self,
        ranking: Sequence[Mapping[str, Any]],
        text: str,
        entities: Iterable[Mapping[str, Any]] = (),
        context: Context = Context(),
        repeated: bool = False,
    ) -> Turn:
        """"Did you mean ...?" with the nearest questions, or the help menu if still unclear.

        A message about a topic the page does not cover ("is lupus contagious?") gets that
        topic's decline instead: its words say more than an unsure classifier.
        """
        entities = list(entities)
        mentions = self.vocabulary.mentions(entities, text)
        declined, context = self._take_declined(context)
        emergency = self.emergency(text)
        if emergency:
            return replace(emergency, context=_after_naming(context, mentions))
        before, context = context, self._whom(text, context)
        after = _after_naming(context, mentions)
        topic = self.not_covered.detect(text)
        guess = self._target_intent(_best_guess(ranking), before, mentions)
        again = self._after_a_decline(
            declined, topic, guess, text, entities, mentions, before, context
        )
        if again:
            return again
        if not topic and self._is_child_follow_up(text, mentions, context):
            return self.respond(CHILD_FOLLOW_UP_INTENT, text, entities, context)
        organ_follow_up = None if topic else self._organ_follow_up(text, mentions, context)
        if organ_follow_up:
            return self.respond(organ_follow_up, text, entities, context)
        about_a_drug = context.drugs or any(m.entity == DRUG for m in mentions)
        if not topic and about_a_drug and _names_a_route_only(mentions):
            return self.respond(ROUTE_QUESTION_INTENT, text, entities, context)
        if not topic and _best_guess(ranking) == SHARE_FEELINGS:  # "i'm a wreck": no question
            return self._support(None, after)
        nearest, best, best_confidence, total = self._candidates(ranking, mentions, context, text)
        # Unsure between intents that all lead to the same answer ("can she have Saphnelo?"
        # after "my daughter is 7": eligibility or children): nothing to choose, answer it.
        if not topic and best and len(nearest) == 1 and total >= MIN_SINGLE_ANSWER_CONFIDENCE:
            return self.respond(best, text, entities, context)
        if repeated and not topic:
            return self._help("still_unclear", after, kind=KIND_CLARIFY)
        if topic:
            if best and best_confidence >= MIN_PART_ANSWER_CONFIDENCE and (
                self.not_covered.leaves_a_question(text, topic)
            ):  # "is belimumab given monthly? also can I drink alcohol with it?"
                return self.respond(best, text, entities, context)
            return self._decline_topic(topic, nearest, after)
        buttons = self._buttons(self._with_related(nearest))
        if not buttons:
            return self._help("not_understood", after, kind=KIND_CLARIFY)
        message = BotMessage(self.knowledge.message("did_you_mean"), buttons)
        return Turn(KIND_CLARIFY, (message,), after)

    def asked_did_you_mean(self, previous_texts: Sequence[str]) -> bool:
        """Whether the previous reply was "Did you mean ...?" (so the next unclear message gets
        the help menu; after the help menu, suggestions again, not the same menu twice)."""
        question = self.knowledge.message("did_you_mean")
        return any(text.startswith(question) for text in previous_texts)

    def choose(
        self, option: int, offered: Sequence[Mapping[str, Any]], context: Context = Context()
    ) -> Turn:
        """The user typed the number of one of the buttons of the previous message."""
        if 1 <= option <= len(offered):
            parsed = parse_payload(str(offered[option - 1].get("payload", "")))
            if parsed:
                intent, entities = parsed
                return self.respond(intent, str(offered[option - 1]["payload"]), entities, context)
        context = replace(context, declined_topic=None)
        buttons = tuple(Button(str(b.get("title")), str(b.get("payload"))) for b in offered)
        if not buttons:
            return self._help("not_understood", context, kind=KIND_CLARIFY)
        return Turn(KIND_CLARIFY, (BotMessage(self.knowledge.message("no_such_option"), buttons),), context)

    def feedback(
        self,
        helpful: bool,
        asked: bool,
        context: Context = Context(),
        text: str = "",
        entities: Iterable[Mapping[str, Any]] = (),
        ranking: Sequence[Mapping[str, Any]] = (),
    ) -> Turn:
        """A yes/no: the rating of the last answer if it was just asked for, else small talk.

        A rating that goes on to ask more ("very helpful, can my son have it?") is kept, and
        the rest is answered, or its nearest questions offered, as for an unsure message."""
        context = replace(context, declined_topic=None)
        opening = self.vocabulary.leading_rating(text) if asked else None
        if opening is not None:  # the words' rating, not the classifier's guess, is stored
            entities = list(entities)
            names_something = bool(self.vocabulary.mentions(entities, text))
            others = _without_feedback(ranking, rescaled=names_something)
            sure = self._sure_intent(others)
            if sure:  # as sure of the rest as the classifier would have to be of a message
                rest = self.respond(sure, text, entities, context, ranking=others)
            else:
                rest = self.clarify(others, text, entities, context)
            if rest.kind != KIND_CLARIFY or rest.messages[0].text == self.knowledge.message(
                "did_you_mean"
            ):
                noted = () if rest.kind == KIND_RED_FLAG else (
                    BotMessage(self.knowledge.message("feedback_noted")),
                )  # nothing comes before an emergency reply
                return replace(
                    rest, messages=(*noted, *rest.messages), feedback=_rating(opening, context)
                )
        if not asked:
            # A yes after an answer is a nod to it; a yes before any ("Hello! What would you
            # like to know?" / "yes") wants to know what can be asked, as a no does.
            if helpful and context.last_intent:
                return Turn(KIND_FEEDBACK, (BotMessage(self.knowledge.message("glad")),), context)
            return self._help("help_intro", context, kind=KIND_HELP)
        record = _rating(helpful, context)
        if helpful:
            message = BotMessage(self.knowledge.message("feedback_thanks"))
        else:
            message = BotMessage(self.knowledge.message("feedback_sorry"), self._suggestions())
        return Turn(KIND_FEEDBACK, (message,), context, feedback=record)

    def _sure_intent(self, ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
        """The question intent ``ranking`` is sure of, by the FallbackClassifier's rule."""
        ranked = sorted(ranking, key=lambda r: -float(r.get("confidence", 0.0)))
        if not ranked:
            return None
        name, best = ranked[0].get("name"), float(ranked[0].get("confidence", 0.0))
        second = float(ranked[1].get("confidence", 0.0)) if len(ranked) > 1 else 0.0
        asks = self.router.handles(name) or name in (ASK_ABOUT_DRUG, ASK_NOT_COVERED)
        sure = best >= MIN_SINGLE_ANSWER_CONFIDENCE and best - second >= AMBIGUITY_MARGIN
        return str(name) if asks and sure else None

    def thanked(
        self, text: str, asked: bool, context: Context = Context()
    ) -> Optional[Dict[str, Any]]:
        """A "thank you" right after "Was this helpful?" is a yes (a "no thanks" is not): the
        rating to store, if any."""
        return _rating(True, context) if asked and not self.vocabulary.is_polite_no(text) else None

    def with_rating(self, turn: Turn, text: str, asked: bool, context: Context) -> Turn:
        """``turn``, storing the rating its message opened with if "Was this helpful?" was just
        asked ("no it didn't, what about Saphnelo?"); ``context`` is the one before the turn."""
        helpful = self.vocabulary.leading_rating(text) if asked else None
        if helpful is None or turn.feedback is not None:
            return turn
        return replace(turn, feedback=_rating(helpful, context))

    def help(self, context: Context = Context()) -> Turn:
        """What the assistant can answer, with suggested questions as buttons."""
        return self._help("help_intro", replace(context, declined_topic=None), kind=KIND_HELP)

    def suggested_questions(self) -> Tuple[Button, ...]:
        """A few questions the page answers, as buttons (for replies that answer nothing)."""
        return self._suggestions()

    def restarted(self) -> str:
        """Said when the user starts over, before the new session's disclaimer."""
        return self.knowledge.message("restarted")

    def disclaimer(self) -> str:
        """The opening message of every conversation."""
        return " ".join(self.knowledge.message("disclaimer").split())

    # --- helpers -------------------------------------------------------------------------

    def _whom(self, text: str, context: Context) -> Context:
        """The context, about the speaker if ``text`` speaks only of them ("can I have it
        myself?"), about someone else if only of another person ("how would she get it?")."""
        if self.vocabulary.about_speaker_only(text):
            return replace(context, about_speaker=True)
        if self.vocabulary.about_someone_else_only(text):
            return replace(context, about_speaker=False)
        return context

    def _target_intent(
        self, intent: Optional[str], context: Context, mentions: Sequence[Mention] = ()
    ) -> Optional[str]:
        """The FAQ intent to answer; a bare "what about X?" re-asks the last question, and
        a medicine with an age ("anifrolumab 16yo") asks whether they can have it."""
        if intent == ASK_ABOUT_DRUG:
            if not mentions:  # "???" names nobody and nothing to ask the question about
                return None
            last = context.last_intent
            by_drug = last and any(self.router.uses(last, key) for key in (DRUG, DRUG_NAMED))
            if by_drug:
                return last
            if _with_whom(context, mentions).current_age_group == CHILD:
                return CHILD_FOLLOW_UP_INTENT
            if _age_group(mentions) == ADULT:
                return ADULT_FOLLOW_UP_INTENT
            return DEFAULT_FOLLOW_UP_INTENT
        return intent if self.router.handles(intent) else None

    def _take_declined(self, context: Context) -> Tuple[Optional[UncoveredTopic], Context]:
        """The topic the last reply declined, and the context without it: a decline counts
        for the next question only."""
        return self.not_covered.named(context.declined_topic), replace(context, declined_topic=None)

    def _after_a_decline(
        self,
        declined: Optional[UncoveredTopic],
        topic: Optional[UncoveredTopic],
        target: Optional[str],
        text: str,
        entities: Sequence[Mapping[str, Any]],
        mentions: Sequence[Mention],
        before: Context,
        context: Context,
    ) -> Optional[Turn]:
        """The reply to a message sent right after ``declined`` was declined, if the message
        (about no uncovered ``topic`` of its own) is still about it; else None. "And
        Saphnelo?" or "what about for children?" gets the same decline for them, not the answer
        to the question asked before the decline. A question the topic lists in
        `repeated_before` ("can I take Saphnelo?" after "I'm pregnant") gets the decline once
        more, then its answer, for as long as the questions are about the same person ("can my
        daughter take it?" is not). ``before`` is the context before the message, ``context``
        the one once the message's words said whom it is about."""
        if not declined or topic or text.startswith("/"):  # a button asks its own question
            return None
        names_only = bool(mentions) and all(
            m.entity in (AGE_GROUP, ORGAN) or (m.entity == DRUG and m.value != OTHER)
            for m in mentions
        )
        spans = [(int(e["start"]), int(e["end"])) for e in entities if "start" in e and "end" in e]
        if names_only and self.vocabulary.is_bare_follow_up(text, spans):
            return self._decline_topic(declined, {}, _after_naming(context, mentions))
        same_person = _with_whom(context, mentions).current_age_group == before.current_age_group
        if target in declined.repeated_before and same_person:  # still the same situation
            turn = self._decline_and_answer(declined.text, target, mentions, context)
            return replace(turn, context=_declining(turn.context, declined))
        return None

    def _is_child_follow_up(self, text: str, mentions: Sequence[Mention], context: Context) -> bool:
        """Whether ``text`` is a short follow-up naming only a child ("and for my daughter,
        she's 11?") in a conversation about a question already asked."""
        return (
            bool(context.last_intent)
            and bool(mentions)
            and all(m.entity == AGE_GROUP for m in mentions)
            and _age_group(mentions) == CHILD
            and self.vocabulary.is_short_follow_up(text)
        )

    def _again_for_whom(
        self, intent: Optional[str], text: str, mentions: Sequence[Mention], context: Context
    ) -> Optional[str]:
        """The last question again for whom a short follow-up names ("and for kids?" after
        "how is belimumab given?"), when the page answers it differently for them."""
        last = context.last_intent  # set whenever _is_child_follow_up holds
        if intent != CHILD_FOLLOW_UP_INTENT or last == intent:
            return intent
        if not self._is_child_follow_up(text, mentions, context) or not self.router.handles(last):
            return intent
        for_them = self._route(last, mentions, context, text)
        nobody = replace(context, age_group=None, speaker_age_group=None)
        for_anyone = self._route(last, [], nobody, text)
        return last if set(for_them) != set(for_anyone) else intent

    def _again_for_organ(
        self, intent: Optional[str], text: str, mentions: Sequence[Mention], context: Context
    ) -> Optional[str]:
        """The last question again for the organ a short follow-up names ("and for mouth
        ulcers?" after "does belimumab help the joints?"), whatever the classifier took it for."""
        again = self._organ_follow_up(text, mentions, context)
        last = context.last_intent
        # A classifier that took the follow-up for another question keeps it ("and when the
        # brain is affected?" is the brain question), unless it only repeats the last one
        # ("and the heart?" after "how does belimumab work?").
        if again and (again == last or self._target_intent(intent, context, mentions) == last):
            return again
        return intent

    def _organ_follow_up(
        self, text: str, mentions: Sequence[Mention], context: Context
    ) -> Optional[str]:
        """The question a short follow-up naming only an organ asks: the last one again if it
        was about organs, else whether the medicine talked about works there ("and the
        heart?" after "how does belimumab work?"); None if it is no such follow-up."""
        last = context.last_intent
        only_organs = bool(mentions) and all(m.entity == ORGAN for m in mentions)
        if not last or not only_organs or not self.vocabulary.is_short_follow_up(text):
            return None
        if self.router.uses(last, ORGAN):
            return last
        return ORGAN_FOLLOW_UP_INTENT if context.drugs else None

    def _candidates(
        self,
        ranking: Sequence[Mapping[str, Any]],
        mentions: Sequence[Mention],
        context: Context,
        text: str,
    ) -> Tuple[Dict[str, Optional[Mention]], Optional[str], float, float]:
        """The answers the classifier's ranked intents lead to, with the best intent, its
        confidence and the confidence of all of them together."""
        nearest: Dict[str, Optional[Mention]] = {}
        best: Optional[str] = None
        best_confidence = total = 0.0
        for candidate in ranking:
            asked = str(candidate.get("name"))
            confidence = float(candidate.get("confidence") or 0)
            name = asked
            if name == ASK_ABOUT_DRUG:  # "what about X?": the question it would re-ask
                name = self._target_intent(name, context, mentions)
            if not self.router.handles(name) or confidence < MIN_SUGGESTION_CONFIDENCE:
                continue
            if best is None:
                best, best_confidence = asked, confidence
            total += confidence
            for entry_id, drug in self._route(name, mentions, context, text).items():
                nearest.setdefault(entry_id, drug)
        return nearest, best, best_confidence, total

    def _values(
        self,
        mentions: Sequence[Mention],
        drug: Optional[Mention],
        context: Context,
        is_button: bool,
    ) -> Dict[str, Optional[str]]:
        def first(entity: str) -> Optional[str]:
            return next((m.value for m in mentions if m.entity == entity), None)

        # A button asks its own question: whom earlier questions were about does not change it.
        whom = _with_whom(Context() if is_button else context, mentions)
        return {
            DRUG: drug.value if drug else None,
            DRUG_NAMED: drug.value if drug and (drug in mentions or drug.referred) else None,
            ORGAN: first(ORGAN),
            AGE_GROUP: whom.current_age_group,
            CELL: first(CELL),
            ROUTE: first(ROUTE),
        }

    def _drugs_for(
        self, intent: str, mentions: Sequence[Mention], context: Context, is_button: bool
    ) -> List[Optional[Mention]]:
        follows_context = self.router.uses(intent, DRUG)
        if not follows_context and not self.router.uses(intent, DRUG_NAMED):
            return [None]
        named = [m for m in mentions if m.entity == DRUG and not m.excluded]
        if not named and any(m.entity == DRUG for m in mentions):
            return [None]  # "other anti-B cell drugs besides belimumab?": not belimumab
        # "Can kids have it like Benlysta?" asks about the medicine being talked about, and
        # compares it with the one it names: both are answered, also for questions answered
        # only about a medicine named ("is it an antibody like Benlysta?"): "it" names one.
        if named and all(m.compared for m in named) and not is_button:
            referred = [
                Mention(DRUG, value, value, referred=True)
                for value in context.drugs if value not in {n.value for n in named}
            ]
            return referred + named
        if named:
            return named
        if follows_context and context.drugs and not is_button:
            return [Mention(DRUG, value, value) for value in context.drugs]
        return [None]

    def _route(
        self, intent: str, mentions: Sequence[Mention], context: Context, text: str
    ) -> Dict[str, Optional[Mention]]:
        """The entries ``intent`` leads to, each with the medicine it was routed for."""
        routed: Dict[str, Optional[Mention]] = {}
        is_button = text.startswith("/")
        for drug in self._drugs_for(intent, mentions, context, is_button):
            values = self._values(mentions, drug, context, is_button)
            routed.setdefault(self.router.resolve(intent, values), drug)
        return routed

    def _answer(
        self, intent: str, mentions: Sequence[Mention], context: Context, is_button: bool
    ) -> Turn:
        drugs = self._drugs_for(intent, mentions, context, is_button)
        messages: List[BotMessage] = []
        entries: List[Entry] = []
        for drug in drugs:
            values = self._values(mentions, drug, context, is_button)
            entry = self.knowledge.entry(self.router.resolve(intent, values))
            if entry in entries:
                continue
            entries.append(entry)
            lines = []
            if len(drugs) > 1 and drug is not None:
                lines.append(self.knowledge.message("drug_heading", drug=drug.name))
            if drug is not None and drug.brand:
                lines.append(self.knowledge.message("brand_note", brand=drug.brand, drug=drug.value))
            lines.append(entry.render(drug=drug.name) if drug else entry.render())
            if entry.quotes:
                lines.append(self.knowledge.messages["source"]["citation"])
            messages.append(BotMessage("\n".join(lines)))
        related = [r for e in entries for r in e.related if r not in {x.id for x in entries}]
        buttons = self._buttons(dict.fromkeys(related))
        kind = KIND_ANSWER if all(e.kind == ANSWER for e in entries) else KIND_NOT_COVERED
        entry_ids = tuple(e.id for e in entries)
        if kind == KIND_ANSWER:  # curators want to know which answers did not help
            last = messages[-1]
            text = f"{last.text}\n{self.knowledge.message('feedback_question')}"
            buttons += (
                Button(self.knowledge.message("feedback_yes"), FEEDBACK_YES_PAYLOAD),
                Button(self.knowledge.message("feedback_no"), FEEDBACK_NO_PAYLOAD),
            )
            messages[-1] = replace(last, text=text)
        messages[-1] = replace(messages[-1], buttons=buttons)
        named = tuple(d.value for d in drugs if d is not None and d.value != OTHER)
        if drugs == [None]:  # "Which was approved first?" then "how is it given?": belimumab
            named = tuple(dict.fromkeys(e.about for e in entries if e.about))
        answered = entry_ids if kind == KIND_ANSWER else context.last_answers
        after = replace(_with_whom(context, mentions), last_intent=intent, drugs=named,
                        last_answers=answered)
        return Turn(kind, tuple(messages), after, entry_ids)

    def _decline_and_answer(
        self, declined: str, intent: str, mentions: Sequence[Mention], context: Context
    ) -> Turn:
        """The decline of the part the page does not cover, then the answer to the rest."""
        answer = self._answer(intent, mentions, context, is_button=False)
        return replace(answer, messages=(BotMessage(declined), *answer.messages))

    def _decline_topic(
        self,
        topic: UncoveredTopic,
        nearest: Mapping[str, Optional[Mention]],
        context: Context,
        text: str = "",
    ) -> Turn:
        """The decline of ``topic`` (its own text unless ``text`` is given), remembered for
        the next question."""
        return self._decline(text or topic.text, nearest, _declining(context, topic))

    def _decline(
        self,
        text: str,
        nearest: Mapping[str, Optional[Mention]],
        context: Context,
        entry_id: str = "",
    ) -> Turn:
        buttons = (
            self._buttons(nearest) or self._buttons(self._about_drugs(context))
            or self._suggestions()
        )
        message = BotMessage(text, buttons)
        return Turn(KIND_NOT_COVERED, (message,), context, (entry_id,) if entry_id else ())

    def _with_related(
        self, nearest: Mapping[str, Optional[Mention]]
    ) -> Dict[str, Optional[Mention]]:
        """``nearest``, and when the classifier offers only one question, the questions
        related to it (for the same medicine), so that "Did you mean" has a choice."""
        chosen = dict(nearest)
        for entry_id, drug in nearest.items():
            if len(chosen) >= MIN_SUGGESTIONS:
                break
            for related in self.knowledge.entry(entry_id).related:
                chosen.setdefault(related, drug)
        return chosen

    def _about_drugs(self, context: Context) -> Dict[str, Optional[Mention]]:
        """The page's questions about the medicines talked about, for a decline with no
        nearer question ("im breastfeeding, can i have saphnelo?" offers anifrolumab's)."""
        routed = self._route(DEFAULT_FOLLOW_UP_INTENT, [], context, "") if context.drugs else {}
        about: Dict[str, Optional[Mention]] = {}
        for entry_id, drug in routed.items():
            for related in (entry_id, *self.knowledge.entry(entry_id).related):
                if self.knowledge.entry(related).kind == ANSWER:
                    about.setdefault(related, drug)
        return about

    def _support(self, topic: Optional[UncoveredTopic], context: Context) -> Turn:
        """A kind word for someone who says how they feel, then the decline of ``topic`` (a
        topic the page does not cover, if the message asked about one) or what can be asked:
        the questions about the medicine talked about, or the help menu's."""
        then = topic.text if topic else self.knowledge.message("share_feelings_offer")
        context = _declining(context, topic) if topic else context
        buttons = self._buttons(self._about_drugs(context)) or self._suggestions(limit=None)
        kind_word = BotMessage(" ".join(self.knowledge.message("share_feelings").split()))
        return Turn(KIND_SUPPORT, (kind_word, BotMessage(" ".join(then.split()), buttons)), context)

    def _help(self, intro_key: str, context: Context, kind: str) -> Turn:
        intro = " ".join(self.knowledge.message(intro_key).split())
        return Turn(kind, (BotMessage(intro, self._suggestions(limit=None)),), context)

    def _suggestions(self, limit: Optional[int] = MAX_BUTTONS) -> Tuple[Button, ...]:
        return self._buttons(dict.fromkeys(self.knowledge.messages["help_suggestions"]), limit)

    def _buttons(
        self, entries: Mapping[str, Optional[Mention]], limit: Optional[int] = MAX_BUTTONS
    ) -> Tuple[Button, ...]:
        """Buttons asking the questions of ``entries``, each mapped to the medicine it was
        routed for (or None), so that an entry worded for any medicine ("... whether {drug} is
        used for other diseases") asks about that one, and is left out when none is known."""
        buttons: List[Button] = []
        for entry_id, drug in entries.items():
            entry = self.knowledge.entry(entry_id)
            if entry.placeholders and drug is None:
                continue
            payload = self.router.payload(entry_id, self.vocabulary, drug.value if drug else None)
            if payload:
                title = entry.question.format(drug=drug.name) if drug else entry.question
                buttons.append(Button(title, payload))
        return tuple(buttons[:limit] if limit else buttons)


def _best_guess(ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The classifier's most likely intent, Rasa's fallback left out."""
    names = (str(r.get("name")) for r in ranking)
    return next((name for name in names if name != NLU_FALLBACK), None)


def _without_feedback(
    ranking: Sequence[Mapping[str, Any]], rescaled: bool
) -> List[Dict[str, Any]]:
    """The ranking of a message that opened with a rating, without the yes/no intents.

    When the rest names something (a medicine, a person...), it is a question: the words
    account for the rating, so the question's share is rescaled to the whole (in "very
    helpful, can my son have it?" the yes takes most of the confidence). Otherwise ("yes it
    did, you star") the weak guesses stay as weak as they were."""
    others = [dict(r) for r in ranking if r.get("name") not in FEEDBACK_INTENTS]
    total = sum(float(r.get("confidence", 0.0)) for r in others)
    if rescaled and total > 0:
        for r in others:
            r["confidence"] = float(r.get("confidence", 0.0)) / total
    return others


def _rating(helpful: bool, context: Context) -> Dict[str, Any]:
    """What is stored of a "Was this helpful?" answer: the rating and the answers rated."""
    return {"helpful": helpful, "answers": list(context.last_answers)}


def _declining(context: Context, topic: UncoveredTopic) -> Context:
    """The context after a reply that declined ``topic``."""
    return replace(context, declined_topic=topic.name)


def _after_naming(context: Context, mentions: Sequence[Mention]) -> Context:
    """The context once a message that is not answered from the page names medicines.

    Naming only other medicines ("and hydroxychloroquine?") ends the talk about a biologic:
    the next "is it given by IV?" must not be answered for the one before.
    """
    context = _with_whom(context, mentions)
    drugs = [m for m in mentions if m.entity == DRUG]
    if not drugs:
        return context
    return replace(context, drugs=tuple(m.value for m in drugs if m.value != OTHER))


def _names_a_route_only(mentions: Sequence[Mention]) -> bool:
    """Whether a message names a way of giving a medicine and nothing the answer to how it is
    given would leave aside (an organ, T cells): at most medicines and ages besides."""
    return any(m.entity == ROUTE for m in mentions) and all(
        m.entity in (ROUTE, DRUG, AGE_GROUP) for m in mentions
    )


def _age_mention(mentions: Sequence[Mention]) -> Optional[Mention]:
    """The mention that says whom a message is about (child or adult), if any.

    An age said as a number beats a word for a person: "my 25 year old son" is an adult; a
    relation is the weakest: "my husband and I ask if our son can have it" is a child.
    """
    ages = sorted(
        (m for m in mentions if m.entity == AGE_GROUP),
        key=lambda m: (not m.by_number, m.by_relation),
    )
    return ages[0] if ages else None


def _age_group(mentions: Sequence[Mention]) -> Optional[str]:
    """Whom a message is about (child or adult), if it says."""
    mention = _age_mention(mentions)
    return mention.value if mention else None


def _with_whom(context: Context, mentions: Sequence[Mention]) -> Context:
    """The context once a message has said whom it is about: the speaker ("i'm 16"), someone
    else ("my son is 9"), or both ("i'm 45 and my daughter is 12, can she have it?": which one
    the question is about was decided by its words, see ``Assistant._whom``)."""
    speaker = _age_mention([m for m in mentions if m.of_speaker])
    other = _age_mention([m for m in mentions if not m.of_speaker])
    if speaker:
        context = replace(context, speaker_age_group=speaker.value)
    if other:
        context = replace(context, age_group=other.value)
    if bool(speaker) != bool(other):
        context = replace(context, about_speaker=bool(speaker))
    return context


_ASSISTANT: Dict[str, Assistant] = {}


def get_assistant(knowledge: Optional[Knowledge] = None) -> Assistant:
    """The assistant for the repository's knowledge base, built once per process."""
    knowledge = knowledge or load_knowledge()
    key = str(knowledge.directory)
    if key not in _ASSISTANT:
        _ASSISTANT[key] = Assistant(knowledge)
    return _ASSISTANT[key]
