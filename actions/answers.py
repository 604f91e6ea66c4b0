"""Actions that answer questions from the knowledge base, or decline, or raise the alarm."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import context_from, latest_entities, latest_intent, latest_text, send
from lupus_faq.conversation import RED_FLAG, get_assistant


class ActionAnswerQuestion(Action):
    """Every FAQ turn: red flags first, then "not covered" declines, then the routed answer."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        turn = get_assistant().respond(
            latest_intent(tracker),
            latest_text(tracker),
            latest_entities(tracker),
            context_from(tracker),
        )
        return send(turn, dispatcher, tracker)


class ActionRedFlag(Action):
    """An emergency: tell the person to call their emergency number or care team now."""

    def name(self) -> Text:
        return "action_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        turn = get_assistant().respond(RED_FLAG, latest_text(tracker), (), context_from(tracker))
        return send(turn, dispatcher, tracker)
