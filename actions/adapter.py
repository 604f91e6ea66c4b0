"""Translating between the Rasa SDK (tracker, dispatcher, events) and lupus_faq.dialogue."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lupus_faq.dialogue import Context, Turn, UserMessage
from lupus_faq.dialogue.memory import FEEDBACK_SLOT, changed_slots, from_slots


def context_from(tracker: Tracker) -> Context:
    """What the conversation remembers, read from the slots (lupus_faq/dialogue/memory.py)."""
    return from_slots(tracker.get_slot)


def message_from(tracker: Tracker) -> UserMessage:
    """The user's latest message as the NLU (or Rasa's payload handler) read it."""
    return UserMessage.from_parse(tracker.latest_message or {})


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
