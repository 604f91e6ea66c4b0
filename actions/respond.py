"""The one action that answers every message: the dialogue's decision table decides how."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import context_from, message_from, send
from lupus_faq.dialogue import get_assistant
from lupus_faq.dialogue.memory import DISCLAIMER_SLOT
from lupus_faq.dialogue.turn import KIND_RED_FLAG
from lupus_faq.language.languages import ENGLISH


class ActionRespond(Action):
    """Every user message: lupus_faq reads its facts, walks knowledge/dialogue.yml and
    replies (an emergency, an answer, a decline, "Did you mean", small talk...)."""

    def name(self) -> Text:
        return "action_respond"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        assistant = get_assistant()
        turn = assistant.turn(message_from(tracker), context_from(tracker))
        # False: this session started without it (actions/session.py); None: an older one
        due = tracker.get_slot(DISCLAIMER_SLOT) is False
        # An emergency reply comes before everything, the disclaimer too.
        emergency_first = turn.kind == KIND_RED_FLAG
        disclaimer = assistant.disclaimer(turn.context.language or ENGLISH)
        if due and not emergency_first:
            dispatcher.utter_message(text=disclaimer)
        events = send(turn, dispatcher, tracker)
        if due and emergency_first:
            dispatcher.utter_message(text=disclaimer)
        return [*events, SlotSet(DISCLAIMER_SLOT, True)] if due else events
