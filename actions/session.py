"""Conversation start: every session opens with the disclaimer, at once or with its first reply."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import asked_language, language_of, language_slots
from lupus_faq.dialogue import get_assistant
from lupus_faq.dialogue.memory import DISCLAIMER_SLOT

# What the widget sends when it opens (web/): a session start, not a question.
SESSION_START_MESSAGE = "/session_start"


class ActionSessionStart(Action):
    """Starts a session: the "automated assistant, general information" disclaimer now when
    its language is known, else the slot that makes the first reply say it."""

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
        kept = language_slots(language) if restarting else []
        # The widget sends "/session_start" when it opens; Rasa has already started the session
        # for that very message (and said the disclaimer if the page gave a language): keep
        # what that start did.
        said = bool(tracker.get_slot(DISCLAIMER_SLOT))
        if not _since_the_user_spoke(tracker, "session_started", ignoring=SESSION_START_MESSAGE):
            # Rasa starts a session before it reads the message that opened it: unless the
            # widget's page gave a language, or the user asked to start over, the disclaimer
            # waits for the first reply (actions/respond.py), in that message's language.
            say = restarting or asked_language(tracker, session_start=True) is not None
            said = say
        else:
            # "/session_start" with no language: no first reply will come to say it
            say = not said and _opened_by(tracker) == SESSION_START_MESSAGE
            said = said or say
        if say:
            dispatcher.utter_message(text=assistant.disclaimer(language))
        # Slots are not carried over: a new session starts without the previous context.
        return [
            SessionStarted(),
            SlotSet(DISCLAIMER_SLOT, said),
            *kept,
            ActionExecuted("action_listen"),
        ]


def _opened_by(tracker: Tracker) -> str:
    """The text of the latest user message ("" before any)."""
    return str((tracker.latest_message or {}).get("text") or "")


def _since_the_user_spoke(tracker: Tracker, event_name: str, ignoring: str = "") -> bool:
    """True if an ``event_name`` event came after the user's last message (a message whose
    text is ``ignoring`` does not count)."""
    for event in reversed(tracker.events):
        if event.get("event") == event_name:
            return True
        if event.get("event") == "user" and not (ignoring and event.get("text") == ignoring):
            return False
    return False
