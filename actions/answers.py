"""Actions that answer questions from the knowledge base, or decline, or raise the alarm."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import (
    context_from,
    feedback_asked,
    latest_entities,
    latest_intent,
    latest_ranking,
    latest_text,
    offered_buttons,
    send,
)
from lupus_faq.buttons import parse_choice
from lupus_faq.conversation import RED_FLAG, get_assistant

CHOOSE_OPTION = "choose_option"


class ActionAnswerQuestion(Action):
    """Every FAQ turn: red flags first, then "not covered" declines, then the routed answer.
    A bare number chooses one of the options the previous reply offered; a rating the question
    opens with ("no, what about Saphnelo?") is stored as feedback on the answer before."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        assistant, text, intent = get_assistant(), latest_text(tracker), latest_intent(tracker)
        context = context_from(tracker)
        option = parse_choice(text) if intent == CHOOSE_OPTION else None
        if option is not None:
            turn = assistant.choose(option, offered_buttons(tracker), context)
        else:
            turn = assistant.respond(
                intent, text, latest_entities(tracker), context, ranking=latest_ranking(tracker)
            )
        turn = assistant.with_rating(turn, text, feedback_asked(tracker), context)
        return send(turn, dispatcher, tracker)


class ActionRedFlag(Action):
    """An emergency: tell the person to call their emergency number or care team now."""

    def name(self) -> Text:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        turn = get_assistant().respond(
            RED_FLAG, latest_text(tracker), latest_entities(tracker), context_from(tracker)
        )
        return send(turn, dispatcher, tracker)
