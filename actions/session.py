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
        # The widget sends "/session_start" when it opens; Rasa has already started the session
        # (and said the disclaimer) for that very message: don't say it twice.
        if _just_restarted(tracker):
            dispatcher.utter_message(text=get_assistant().restarted())
        if not _just_started(tracker):
            dispatcher.utter_message(text=get_assistant().disclaimer())
        # Slots are not carried over: a new session starts without the previous context.
        return [SessionStarted(), ActionExecuted("action_listen")]


def _just_started(tracker: Tracker) -> bool:
    """True if a session started and nothing but "/session_start" was said since."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return True
        if event.get("event") == "user" and event.get("text") != "/session_start":
            return False
    return False


def _just_restarted(tracker: Tracker) -> bool:
    """True if this session starts because the user asked to start over.

    Rasa's own action_restart stays silent (no utter_restart: a response used by no story or
    rule fails `rasa data validate`), so the acknowledgement is said here, before the disclaimer.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "restart":
            return True
        if event.get("event") == "user":
            return False
    return False
