"""Conversation start: every conversation opens with the disclaimer."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import asked_language, language_of
from lupus_faq.dialogue import get_assistant


class ActionSessionStart(Action):
    """Starts a session with the "automated assistant, general information" disclaimer."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        # Rasa's own action_restart stays silent (no utter_restart: a response used by no story
        # or rule fails `rasa data validate`), so starting over is acknowledged here.
        assistant, language = get_assistant(), language_of(tracker)
        restarting = _since_the_user_spoke(tracker, "restart")
        if restarting:
            dispatcher.utter_message(text=assistant.restarted(language))
        # Rasa starts a session before it reads the message that opened it: unless the widget's
        # page asked for a language, or the user asked to start over, the disclaimer waits for
        # the first reply (actions/respond.py), in the language that message is written in.
        # The widget sends "/session_start" when it opens; Rasa has already started the session
        # (and said the disclaimer) for that very message: don't say it twice.
        known = restarting or asked_language(tracker) is not None
        if known and not _since_the_user_spoke(
            tracker, "session_started", ignoring="/session_start"
        ):
            dispatcher.utter_message(text=assistant.disclaimer(language))
        # Slots are not carried over: a new session starts without the previous context.
        return [SessionStarted(), ActionExecuted("action_listen")]


def _since_the_user_spoke(tracker: Tracker, event_name: str, ignoring: str = "") -> bool:
    """True if an ``event_name`` event came after the user's last message (a message whose
    text is ``ignoring`` does not count)."""
    for event in reversed(tracker.events):
        if event.get("event") == event_name:
            return True
        if event.get("event") == "user" and not (ignoring and event.get("text") == ignoring):
            return False
    return False
