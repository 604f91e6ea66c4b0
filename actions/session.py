"""Conversation start: every conversation opens with the disclaimer."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from lupus_faq.conversation import get_assistant


class ActionSessionStart(Action):
    """Starts a session with the "automated assistant, general information" disclaimer."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        # Slots are not carried over: a new session starts without the previous context.
        dispatcher.utter_message(text=get_assistant().disclaimer())
        return [SessionStarted(), ActionExecuted("action_listen")]
