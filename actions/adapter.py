"""Translating between the Rasa SDK (tracker, dispatcher, events) and lupus_faq.dialogue."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lupus_faq.dialogue import Context, Turn, UserMessage
from lupus_faq.dialogue.memory import FEEDBACK_SLOT, changed_slots, from_slots

# Where Rasa keeps the metadata of the message that started a session (a default slot).
SESSION_METADATA_SLOT = "session_started_metadata"


def context_from(tracker: Tracker) -> Context:
    """What the conversation remembers, read from the slots (lupus_faq/dialogue/memory.py);
    before it has a language of its own, the one the widget's page asked for (metadata)."""
    context = from_slots(tracker.get_slot)
    if context.language is None:
        context = replace(context, language=asked_language(tracker))
    return context


def asked_language(tracker: Tracker, session_start: bool = False) -> Optional[str]:
    """The language the widget's page asked for (metadata `lang`): the latest message's, or,
    at a session start (``session_start``), the one Rasa keeps for the message that started
    it (the latest message is then the previous session's, or none)."""
    from lupus_faq.language.languages import SPOKEN

    latest = (tracker.latest_message or {}).get("metadata")
    started = tracker.get_slot(SESSION_METADATA_SLOT)
    sources = (started, latest) if session_start else (latest, started)
    for metadata in sources:
        if isinstance(metadata, dict) and metadata.get("lang"):
            asked = str(metadata["lang"])[:2].lower()
            return asked if asked in SPOKEN else None
    return None


def message_from(tracker: Tracker) -> UserMessage:
    """The user's latest message as the NLU (or Rasa's payload handler) read it."""
    return UserMessage.from_parse(tracker.latest_message or {})


def language_of(tracker: Tracker) -> str:
    """The language to start over in: the one the page embedding the widget asked for
    (metadata `lang`), else the one of the message that asked to start over ("on recommence à
    zéro"), else the conversation's before it ("/restart" in a French conversation), else
    English."""
    from lupus_faq.language import load_language
    from lupus_faq.language.languages import ENGLISH, SPOKEN

    asked = asked_language(tracker, session_start=True)
    if asked:
        return asked
    # Rasa's restart empties the latest message: the one that asked is the last user event
    text = str((tracker.latest_message or {}).get("text") or "") or _last_user_text(tracker)
    language = load_language()
    said = language.start_over.language_of(text) or language.languages.detect(text)
    if said in SPOKEN:
        return str(said)
    before = from_slots(lambda name: _last_slot_value(tracker, name)).language
    return before if before in SPOKEN else ENGLISH


def language_slots(language: str) -> List[EventType]:
    """The slot events that make ``language`` the conversation's (a new session's, started
    over in it: "oui" or "2" next is answered in it too)."""
    changed = changed_slots(Context(), Context(language=language))
    return [SlotSet(name, value) for name, value in changed.items()]


def _last_user_text(tracker: Tracker) -> str:
    """The text of the user's last message in the tracker's events ("" before any)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("text") or "")
    return ""


def _last_slot_value(tracker: Tracker, name: str) -> Any:
    """The last value the events set slot ``name`` to, even before a restart reset it."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def send(turn: Turn, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Utter the turn's messages; return the slot events that store its context and rating."""
    for message in turn.messages:
        dispatcher.utter_message(
            text=message.text, buttons=[button.as_dict() for button in message.buttons]
        )
    changed = changed_slots(context_from(tracker), turn.context)
    events: List[EventType] = [SlotSet(name, value) for name, value in changed.items()]
    if turn.feedback is not None:
        events.append(SlotSet(FEEDBACK_SLOT, turn.feedback))
    return events
