"""What each outcome of the decision table says, and what the conversation remembers after
it. Every text comes from knowledge/ (answers.yml, messages.yml, not_covered.yml,
red_flags.yml); nothing medical is written here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from lupus_faq.dialogue.facts import Facts, Settings
from lupus_faq.dialogue.memory import Context
from lupus_faq.dialogue.questions import Questions, Routed
from lupus_faq.dialogue.turn import (
    KIND_ANSWER,
    KIND_CLARIFY,
    KIND_FEEDBACK,
    KIND_HELP,
    KIND_NOT_COVERED,
    KIND_OUT_OF_SCOPE,
    KIND_RED_FLAG,
    KIND_SMALL_TALK,
    KIND_SUPPORT,
    BotMessage,
    Button,
    Turn,
)
from lupus_faq.dialogue.whom import after_naming, with_whom
from lupus_faq.knowledge import ANSWER, Entry, Knowledge
from lupus_faq.knowledge.entities import DRUG, ORGAN, OTHER
from lupus_faq.knowledge.routing import OTHER_DRUG_ENTRY
from lupus_faq.knowledge.texts import ENGLISH, Texts
from lupus_faq.language import Language, Mention, UncoveredTopic
from lupus_faq.language.choices import suggested_questions
from lupus_faq.language.languages import SPOKEN
from lupus_faq.safety import RedFlagChecker

# What the feedback buttons send: the same intents as a typed "yes" / "no".
FEEDBACK_YES_PAYLOAD = "/affirm"
FEEDBACK_NO_PAYLOAD = "/deny"

# The kind of turn the help menu makes, by its opening message.
_HELP_KINDS = {
    "help_intro": KIND_HELP,
    "out_of_scope": KIND_OUT_OF_SCOPE,
    "other_language": KIND_OUT_OF_SCOPE,
}

Outcome = Callable[..., Turn]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def rating_record(helpful: bool, context: Context) -> Dict[str, Any]:
    """What is stored of a "Was this helpful?" answer: the rating and the answers rated."""
    return {"helpful": helpful, "answers": list(context.last_answers)}


def declining(context: Context, topic: UncoveredTopic) -> Context:
    """The context after a reply that declined ``topic``: remembered for the next message."""
    return replace(context, declined_topic=topic.name)


class Outcomes:
    """The outcomes knowledge/dialogue.yml can name, by name."""

    def __init__(
        self,
        knowledge: Knowledge,
        language: Language,
        questions: Questions,
        red_flags: RedFlagChecker,
        settings: Settings,
    ) -> None:
        self.knowledge = knowledge
        self.language = language
        self.questions = questions
        self.red_flags = red_flags
        self.settings = settings
        self.by_name: Dict[str, Outcome] = {
            "emergency": self.emergency,
            "emergency_then_answer": self.emergency_then_answer,
            "emergency_then_decline": self.emergency_then_decline,
            "no_such_option": self.no_such_option,
            "help": self.help,
            "record_rating": self.record_rating,
            "glad": self.glad,
            "welcome": self.welcome,
            "say": self.say,
            "support": self.support,
            "decline": self.decline,
            "decline_and_answer": self.decline_and_answer,
            "decline_and_offer": self.decline_and_offer,
            "decline_again": self.decline_again,
            "decline_again_and_answer": self.decline_again_and_answer,
            "decline_other_drug": self.decline_other_drug,
            "decline_generic": self.decline_generic,
            "answer": self.answer,
            "answer_again": self.answer_again,
            "did_you_mean": self.did_you_mean,
        }

    # --- texts and contexts ------------------------------------------------------------

    def _texts(self, facts: Facts) -> Texts:
        """What is said in the conversation's language."""
        return self.knowledge.texts(facts.language or ENGLISH)

    @staticmethod
    def _fresh(facts: Facts) -> Context:
        """The context as it came, less what only the last reply asked or declined."""
        return facts.before.forget_last_reply()

    @staticmethod
    def _named(facts: Facts) -> Context:
        """The context once the message said whom and which medicines it is about."""
        return after_naming(facts.context, facts.mentions)

    # --- safety --------------------------------------------------------------------------

    def emergency(self, facts: Facts) -> Turn:
        """Call the emergency number or the care team now. Whom and what the message named
        still count ("how will I get it?" afterwards)."""
        categories = list(facts.message.red_flags if facts.message else ())
        text = self._texts(facts).emergency(categories)
        context = after_naming(self._fresh(facts), facts.mentions)
        return Turn(KIND_RED_FLAG, (BotMessage(text),), context)

    def emergency_then_answer(self, facts: Facts, decline: bool = False) -> Turn:
        """An emergency told as past: the emergency reply first, then (when ``decline``) the
        decline of the topic the page does not cover that the message asks, then the page's
        answer to what else it asks (no rating asked after an emergency reply)."""
        first = self.emergency_then_decline(facts) if decline else self.emergency(facts)
        answer = self.answer(facts, "asked", ask_rating=False)
        return replace(
            answer,
            kind=KIND_RED_FLAG,
            messages=(*first.messages, *answer.messages),
            declined=first.declined,
        )

    def emergency_then_decline(self, facts: Facts) -> Turn:
        """An emergency told as past with a question the page does not cover: the emergency
        reply first, then the topic's decline."""
        alarm = self.emergency(facts)
        assert facts.uncovered is not None, "the table declines only a message with a topic"
        decline = BotMessage(self._texts(facts).decline(facts.uncovered.name))
        return replace(alarm, messages=(*alarm.messages, decline), declined=facts.uncovered.name)

    # --- choices, ratings, small talk ----------------------------------------------------

    def no_such_option(self, facts: Facts) -> Turn:
        """A number that picks none of the buttons offered: the same buttons again."""
        buttons = tuple(Button(o.title, o.payload) for o in facts.before.options)
        message = BotMessage(self._texts(facts).message("no_such_option"), buttons)
        return Turn(KIND_CLARIFY, (message,), self._fresh(facts))

    def help(self, facts: Facts, intro: str) -> Turn:
        """What can be asked, with the help menu's questions as buttons."""
        texts = self._texts(facts)
        kind = _HELP_KINDS.get(intro, KIND_CLARIFY)
        text = _one_line(texts.message(intro))
        if intro == "other_language":  # a language it does not speak: say it in both it does
            text = "\n".join(
                _one_line(self.knowledge.texts(language).message(intro)) for language in SPOKEN
            )
        return Turn(
            kind, (BotMessage(text, self._suggestions(texts, limit=None)),), self._named(facts)
        )

    def record_rating(self, facts: Facts) -> Turn:
        """Thanks for the rating (with more to try after a no); the rating is stored."""
        texts, helpful = self._texts(facts), bool(facts.rating)
        if helpful:
            message = BotMessage(texts.message("feedback_thanks"))
        else:
            message = BotMessage(
                _one_line(texts.message("feedback_sorry")), self._suggestions(texts)
            )
        return Turn(
            KIND_FEEDBACK,
            (message,),
            self._fresh(facts),
            feedback=rating_record(helpful, facts.before),
        )

    def glad(self, facts: Facts) -> Turn:
        """A yes after an answer, with no rating asked: a nod to it."""
        return Turn(
            KIND_FEEDBACK, (BotMessage(self._texts(facts).message("glad")),), self._fresh(facts)
        )

    def welcome(self, facts: Facts) -> Turn:
        """You're welcome. A thanks right after "Was this helpful?" is a yes (a "no thanks"
        is not)."""
        rated = facts.awaiting == "rating" and not facts.polite_no
        feedback = rating_record(True, facts.before) if rated else None
        message = BotMessage(_one_line(self._texts(facts).message("welcome")))
        return Turn(KIND_SMALL_TALK, (message,), self._fresh(facts), feedback=feedback)

    def say(self, facts: Facts, message: str) -> Turn:
        """One message of knowledge/messages.yml."""
        text = BotMessage(_one_line(self._texts(facts).message(message)))
        return Turn(KIND_SMALL_TALK, (text,), self._fresh(facts))

    def support(self, facts: Facts, decline: bool) -> Turn:
        """A kind word for someone who says how they feel, then the decline of the topic
        the message asked about, or what can be asked: the questions about the medicine
        talked about, or the help menu's."""
        texts = self._texts(facts)
        topic = facts.uncovered if decline else None
        then = texts.decline(topic.name) if topic else texts.message("share_feelings_offer")
        context = self._named(facts)
        context = declining(context, topic) if topic else context
        buttons = self._buttons(self._about_drugs(context), texts) or self._suggestions(
            texts, limit=None
        )
        kind_word = BotMessage(_one_line(texts.message("share_feelings")))
        return Turn(
            KIND_SUPPORT,
            (kind_word, BotMessage(_one_line(then), buttons)),
            context,
            declined=topic.name if topic else None,
        )

    # --- declines ------------------------------------------------------------------------

    def decline(self, facts: Facts, offer: str, topic_said: str = "asked") -> Turn:
        """The decline of the topic the message asks about (or, with ``topic_said`` =
        "mentioned", the one its story named), remembered for the next message; the page's
        nearest questions as buttons."""
        topic = facts.uncovered if topic_said == "asked" else facts.uncovered_mentioned
        assert topic is not None, "the table declines only a message with a topic"
        nearest = {"routed": facts.routed, "candidates": facts.candidates}.get(offer, {})
        texts = self._texts(facts)
        return self._decline(
            texts.decline(topic.name),
            nearest,
            texts,
            declining(self._named(facts), topic),
            declined=topic.name,
        )

    def decline_and_offer(self, facts: Facts) -> Turn:
        """The decline, and the other question the classifier heard, to pick."""
        topic = facts.uncovered
        assert topic is not None
        texts = self._texts(facts)
        text = f"{texts.decline(topic.name)}\n{texts.message('also_asked')}"
        return self._decline(
            text, facts.candidates, texts, declining(self._named(facts), topic), declined=topic.name
        )

    def decline_and_answer(self, facts: Facts, question: str, topic_said: str = "asked") -> Turn:
        """The decline of the part the page does not cover (the topic asked, or the one the
        story named), then the answer to the rest."""
        topic = facts.uncovered if topic_said == "asked" else facts.uncovered_mentioned
        assert topic is not None
        answer = self.answer(facts, question)
        decline = BotMessage(self._texts(facts).decline(topic.name))
        return replace(answer, messages=(decline, *answer.messages), declined=topic.name)

    def decline_again(self, facts: Facts) -> Turn:
        """The decline of the message before, for what this one names ("and Saphnelo?")."""
        declined = facts.declined
        assert declined is not None
        texts = self._texts(facts)
        return self._decline(
            texts.decline(declined.name),
            {},
            texts,
            declining(self._named(facts), declined),
            declined=declined.name,
        )

    def decline_again_and_answer(self, facts: Facts) -> Turn:
        """The decline of the message before once more, then the answer ("can I take
        Saphnelo?" after "I'm pregnant"); the decline is still remembered."""
        declined = facts.declined
        assert declined is not None
        answer = self.answer(facts, "asked")
        decline = BotMessage(self._texts(facts).decline(declined.name))
        return replace(
            answer,
            messages=(decline, *answer.messages),
            context=declining(answer.context, declined),
            declined=declined.name,
        )

    def decline_other_drug(self, facts: Facts) -> Turn:
        """A medicine the page does not describe, named back."""
        texts, entry = self._texts(facts), self.knowledge.entry(OTHER_DRUG_ENTRY)
        text = texts.answer(entry, drug=facts.other_drug or "")
        return self._decline(
            text, dict.fromkeys(entry.related), texts, self._named(facts), entry_id=entry.id
        )

    def decline_generic(self, facts: Facts) -> Turn:
        """A question the page does not answer, of no topic listed."""
        texts = self._texts(facts)
        return self._decline(
            texts.generic_decline(), {}, texts, self._named(facts), declined="generic"
        )

    def _decline(
        self,
        text: str,
        nearest: Mapping[str, Optional[Mention]],
        texts: Texts,
        context: Context,
        entry_id: str = "",
        declined: Optional[str] = None,
    ) -> Turn:
        buttons = (
            self._buttons(nearest, texts)
            or self._buttons(self._about_drugs(context), texts)
            or self._suggestions(texts)
        )
        return Turn(
            KIND_NOT_COVERED,
            (BotMessage(text, buttons),),
            context,
            (entry_id,) if entry_id else (),
            declined=declined,
        )

    # --- answers -------------------------------------------------------------------------

    def answer(
        self, facts: Facts, question: str, ask_rating: bool = True, also: Optional[str] = None
    ) -> Turn:
        """The page's answer to the question ``question`` names (asked, follow_up, candidate,
        part, compared: what a medicine likened to another is or the medicines ranked are,
        or last: the last question answered, again), for each medicine it is about, or in one
        entry for the medicines it compares; its source; related questions and "Was this
        helpful?" as buttons. ``also``: a second question the message asks on its own, whose
        answer follows (its buttons and the rating end the reply)."""
        if also is not None:
            return self._two_answers(facts, question, also)
        intent = {
            "asked": facts.question,
            "follow_up": facts.follow_up_question,
            "candidate": facts.candidate_question,
            "part": facts.part_question,
            "compared": facts.compared_question,
            "last": facts.context.last_intent,
        }[question]
        assert intent is not None, f"the table answers only a message with a {question} question"
        mentions = facts.part_mentions if question == "part" else facts.mentions
        context, by_button = facts.context, facts.by_button
        drugs = self.questions.drugs_for(intent, mentions, context, by_button, facts.in_general)
        routed = self.questions.route_drugs(intent, drugs, mentions, context, by_button)
        return self._answered(facts, intent, routed, drugs, mentions, ask_rating)

    def _two_answers(self, facts: Facts, question: str, also: str) -> Turn:
        """The answers to the message's question and to the ``also`` one asked on its own
        beside it, in the order they were asked. The message's question is about the
        medicines named outside the other one's part when that part names its own ("what is
        benlysta and how is saphnelo given?"). The second answer's buttons and rating end
        the reply, and the conversation remembers it: a rating, "plus simple svp" or a
        follow-up is about the last answer given."""
        own = {m.value for m in facts.part_mentions if m.entity == DRUG and m.in_question}
        rest = tuple(m for m in facts.mentions if not (m.entity == DRUG and m.value in own))
        if any(m.entity == DRUG for m in rest):
            facts = replace(facts, mentions=rest)
        one, other = (also, question) if facts.part_first else (question, also)
        first, second = self.answer(facts, one, False), self.answer(facts, other)
        if set(second.entry_ids) <= set(first.entry_ids):  # nothing new: one answer
            return self.answer(facts, one)
        before = first.messages[:-1] + (replace(first.messages[-1], buttons=()),)
        return replace(
            second,
            messages=before + second.messages,
            entry_ids=first.entry_ids + second.entry_ids,
        )

    def answer_again(self, facts: Facts) -> Turn:
        """The last answer again, as it was given, in the language of this message ("plus
        simple svp", "in English please" ask for nothing new), the medicines talked about
        still remembered. Answers given in turn for several medicines were routed in the
        order the medicines are remembered, so each gets its heading again."""
        context = facts.context
        if not context.last_answers:  # the last reply only said a medicine is not described
            return self.answer(facts, "last")
        assert context.last_intent, "the table repeats only an answer"
        talked_about = [Mention(DRUG, value, value) for value in context.drugs]
        in_turn = len(talked_about) > 1 and len(talked_about) == len(context.last_answers)
        routed: Routed = {}
        for index, entry_id in enumerate(context.last_answers):
            if in_turn:
                routed[entry_id] = talked_about[index]
            elif talked_about and self.knowledge.entry(entry_id).placeholders:
                routed[entry_id] = talked_about[0]
            else:
                routed[entry_id] = None
        drugs: List[Optional[Mention]] = [*talked_about] or [None]
        mentions = list(facts.mentions)
        if context.organ:  # still remembered
            mentions.append(Mention(ORGAN, context.organ, context.organ, in_question=False))
        return self._answered(facts, context.last_intent, routed, drugs, mentions)

    def _answered(
        self,
        facts: Facts,
        intent: str,
        routed: Routed,
        drugs: Sequence[Optional[Mention]],
        mentions: Sequence[Mention],
        ask_rating: bool = True,
    ) -> Turn:
        """The reply of the entries ``routed`` answering ``intent``, each for its medicine (a
        heading for each when ``drugs`` are several), and the context it leaves."""
        context = facts.context
        texts = self._texts(facts)
        messages: List[BotMessage] = []
        entries: List[Entry] = []
        for entry_id, drug in routed.items():
            entry = self.knowledge.entry(entry_id)
            entries.append(entry)
            lines = []
            if len(drugs) > 1 and drug is not None:
                lines.append(texts.message("drug_heading", drug=drug.name))
            # one entry for several medicines ("Benlysta vs Saphnelo?") notes every brand named
            for noted in [drug] if drug is not None else [d for d in drugs if d is not None]:
                if noted.brand:
                    lines.append(texts.message("brand_note", brand=noted.brand, drug=noted.value))
            lines.append(texts.answer(entry, drug=drug.name) if drug else texts.answer(entry))
            if entry.quotes:
                lines.append(texts.citation())
            messages.append(BotMessage("\n".join(lines)))
        related = [r for e in entries for r in e.related if r not in {x.id for x in entries}]
        buttons = self._buttons(dict.fromkeys(related), texts)
        kind = KIND_ANSWER if all(e.kind == ANSWER for e in entries) else KIND_NOT_COVERED
        entry_ids = tuple(e.id for e in entries)
        if kind == KIND_ANSWER and ask_rating:  # curators want to know which answers did not help
            last = messages[-1]
            text = f"{last.text}\n{texts.message('feedback_question')}"
            buttons += (
                Button(texts.message("feedback_yes"), FEEDBACK_YES_PAYLOAD),
                Button(texts.message("feedback_no"), FEEDBACK_NO_PAYLOAD),
            )
            messages[-1] = replace(last, text=text)
        messages[-1] = replace(messages[-1], buttons=buttons)
        named = tuple(d.value for d in drugs if d is not None and d.value != OTHER)
        if not named:  # "Which was approved first?" then "how is it given?": belimumab
            named = tuple(dict.fromkeys(e.about for e in entries if e.about))
        # the page's answers of the reply (a reply that also says another medicine is not
        # described keeps them; one that only says so has none to rate or give again)
        answered = tuple(e.id for e in entries if e.kind == ANSWER)
        organ = next((m.value for m in mentions if m.entity == ORGAN), None)
        after = replace(
            with_whom(context, mentions),
            last_intent=intent,
            drugs=named,
            last_answers=answered,
            organ=organ,
        )
        return Turn(kind, tuple(messages), after, entry_ids)

    def did_you_mean(self, facts: Facts) -> Turn:
        """ "Did you mean ...?" with the nearest questions (and, when the classifier is near
        only one, the questions related to it); the help menu if none can be shown."""
        texts = self._texts(facts)
        buttons = self._buttons(self._with_related(facts.candidates), texts)
        if not buttons:
            return self.help(facts, "not_understood")
        message = BotMessage(texts.message("did_you_mean"), buttons)
        return Turn(KIND_CLARIFY, (message,), self._named(facts))

    # --- buttons -------------------------------------------------------------------------

    def _with_related(self, nearest: Routed) -> Routed:
        chosen = dict(nearest)
        for entry_id, drug in nearest.items():
            if len(chosen) >= self.settings.min_suggestions:
                break
            for related in self.knowledge.entry(entry_id).related:
                chosen.setdefault(related, drug)
        return chosen

    def _about_drugs(self, context: Context) -> Routed:
        """The page's questions about the medicines talked about, for a decline with no
        nearer question ("im breastfeeding, can i have saphnelo?" offers anifrolumab's)."""
        if not context.drugs:
            return {}
        routed = self.questions.route(self.questions.follow_ups.default, [], context, False)
        about: Routed = {}
        for entry_id, drug in routed.items():
            for related in (entry_id, *self.knowledge.entry(entry_id).related):
                if self.knowledge.entry(related).kind == ANSWER:
                    about.setdefault(related, drug)
        return about

    def _suggestions(self, texts: Texts, limit: Optional[int] = -1) -> Tuple[Button, ...]:
        """The help menu's questions (all of them with ``limit=None``)."""
        limit = self.settings.max_buttons if limit == -1 else limit
        return tuple(
            Button(b["title"], b["payload"])
            for b in suggested_questions(
                self.knowledge, self.language.lexicon, limit, texts.language
            )
        )

    def suggested_questions(self, language: str = ENGLISH) -> Tuple[Button, ...]:
        """A few questions the page answers, as buttons (for replies that answer nothing)."""
        return self._suggestions(self.knowledge.texts(language))

    def _buttons(
        self, entries: Mapping[str, Optional[Mention]], texts: Texts, limit: Optional[int] = -1
    ) -> Tuple[Button, ...]:
        """Buttons asking the questions of ``entries``, each mapped to the medicine it was
        routed for (or None), so that an entry worded for any medicine ("... whether {drug} is
        used for other diseases") asks about that one, and is left out when none is known."""
        limit = self.settings.max_buttons if limit == -1 else limit
        buttons: List[Button] = []
        for entry_id, drug in entries.items():
            entry = self.knowledge.entry(entry_id)
            if entry.placeholders and drug is None:
                continue
            payload = self.questions.router.payload(
                entry_id, self.language.lexicon, drug.value if drug else None
            )
            if payload:
                question = texts.question(entry)
                title = question.format(drug=drug.name) if drug else question
                buttons.append(Button(title, payload))
        return tuple(buttons[:limit] if limit else buttons)
