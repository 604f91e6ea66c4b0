"""The assistant: one message in, one reply out, decided by knowledge/dialogue.yml."""

from __future__ import annotations

import inspect
import logging
from dataclasses import replace
from typing import Dict, Optional, Tuple

from lupus_faq.dialogue.facts import Facts, Interpreter, Settings
from lupus_faq.dialogue.memory import AWAITING_CHOICE, AWAITING_RATING, Context, Option
from lupus_faq.dialogue.message import UserMessage
from lupus_faq.dialogue.outcomes import Outcomes, rating_record
from lupus_faq.dialogue.questions import FollowUpQuestions, Questions
from lupus_faq.dialogue.sureness import Sureness
from lupus_faq.dialogue.table import DecisionTable
from lupus_faq.dialogue.turn import (
    KIND_ANSWER,
    KIND_CLARIFY,
    KIND_RED_FLAG,
    KIND_SUPPORT,
    BotMessage,
    Button,
    Turn,
)
from lupus_faq.knowledge import Knowledge, load_knowledge
from lupus_faq.knowledge.routing import Router
from lupus_faq.knowledge.texts import ENGLISH, Texts
from lupus_faq.language import load_language
from lupus_faq.safety import load_red_flags

logger = logging.getLogger(__name__)

NEW_CONVERSATION = Context()  # what a conversation remembers before its first message


class Assistant:
    """The assistant's decisions, independent of any chat framework."""

    def __init__(self, knowledge: Knowledge, sureness: Optional[Sureness] = None) -> None:
        self.knowledge = knowledge
        self.language = load_language(knowledge)
        self.red_flags = load_red_flags(knowledge)
        self.router = Router(knowledge.routes)
        dialogue = knowledge.dialogue
        self.settings = Settings.from_config(dialogue["settings"])
        self.questions = Questions(
            self.router,
            self.language,
            FollowUpQuestions.from_config(dialogue["follow_up_questions"]),
            dialogue.get("asked_in_general") or (),
        )
        self.interpreter = Interpreter(
            self.language,
            self.red_flags,
            self.questions,
            sureness or Sureness.from_config(),
            self.settings,
        )
        self.outcomes = Outcomes(
            knowledge, self.language, self.questions, self.red_flags, self.settings
        )
        self.table = DecisionTable(dialogue["rules"], Facts.names(), self.outcomes.by_name)
        for rule in self.table.rules:  # a parameter an outcome does not take fails now
            inspect.signature(self.outcomes.by_name[rule.then]).bind(None, **rule.params)

    def turn(self, message: UserMessage, context: Context = NEW_CONVERSATION) -> Turn:
        """The reply to ``message`` in a conversation that remembers ``context``: its facts,
        the first rule of the table that holds, and that rule's outcome."""
        facts = self.interpreter.facts(message, context)
        rule = self.table.decide(facts.tested())
        turn = self.outcomes.by_name[rule.then](facts, **rule.params)
        turn = self._with_rating(turn, facts, rule.then)
        turn = self._with_kind_word(turn, facts)
        turn = replace(
            turn,
            rule=rule.name,
            facts=facts,
            context=replace(self._asked(turn, rule.then), language=facts.language),
        )
        logger.info(
            "turn rule=%s kind=%s entries=%s declined=%s",
            rule.name,
            turn.kind,
            ",".join(turn.entry_ids) or "-",
            turn.declined or "-",
        )
        return turn

    def _with_rating(self, turn: Turn, facts: Facts, outcome: str) -> Turn:
        """A rating the message opened with before asking more ("no it didn't, what about
        Saphnelo?") is stored, and thanked for before the rest (never before an emergency)."""
        if facts.rating is None or outcome == "record_rating" or turn.feedback is not None:
            return turn
        noted: Tuple[BotMessage, ...] = ()
        if turn.kind != KIND_RED_FLAG:
            noted = (BotMessage(self._texts(facts).message("feedback_noted")),)
        return replace(
            turn,
            messages=(*noted, *turn.messages),
            feedback=rating_record(facts.rating, facts.before),
        )

    def _with_kind_word(self, turn: Turn, facts: Facts) -> Turn:
        """A feeling told with a question ("my wife was just diagnosed, I'm so worried. What is
        a biologic?") gets a kind word before the answer."""
        if not facts.feeling or turn.kind in (KIND_RED_FLAG, KIND_SUPPORT):
            return turn
        kind_word = BotMessage(" ".join(self._texts(facts).message("share_feelings").split()))
        return replace(turn, messages=(kind_word, *turn.messages))

    def _texts(self, facts: Facts) -> Texts:
        return self.knowledge.texts(facts.language or ENGLISH)

    @staticmethod
    def _asked(turn: Turn, outcome: str) -> Context:
        """What the reply asked (a rating, a choice among its nearest questions) and the
        buttons it offered, remembered for the next message."""
        awaiting = None
        if turn.kind == KIND_ANSWER:
            awaiting = AWAITING_RATING
        elif outcome == "did_you_mean" and turn.kind == KIND_CLARIFY and turn.messages[0].buttons:
            awaiting = AWAITING_CHOICE
        buttons = next((m.buttons for m in reversed(turn.messages) if m.buttons), ())
        options = tuple(Option(b.title, b.payload) for b in buttons)
        return replace(turn.context, awaiting=awaiting, options=options)

    # --- what is said outside a turn ---------------------------------------------------------

    def disclaimer(self, language: str = ENGLISH) -> str:
        """The opening message of every conversation."""
        return " ".join(self.knowledge.texts(language).message("disclaimer").split())

    def restarted(self, language: str = ENGLISH) -> str:
        """Said when the user starts over, before the new session's disclaimer."""
        return self.knowledge.texts(language).message("restarted")

    def suggested_questions(self, language: str = ENGLISH) -> Tuple[Button, ...]:
        """A few questions the page answers, as buttons (for replies that answer nothing)."""
        return self.outcomes.suggested_questions(language)


_ASSISTANT: Dict[str, Assistant] = {}


def get_assistant(knowledge: Optional[Knowledge] = None) -> Assistant:
    """The assistant for the repository's knowledge base, built once per process."""
    knowledge = knowledge or load_knowledge()
    key = str(knowledge.directory)
    if key not in _ASSISTANT:
        _ASSISTANT[key] = Assistant(knowledge)
    return _ASSISTANT[key]
