"""Translating between the Rasa SDK (tracker, dispatcher, events) and lupus_faq."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lupus_faq.conversation import FEEDBACK_NO_PAYLOAD, FEEDBACK_YES_PAYLOAD, Context, Turn

SLOT_DRUGS = "drugs"
SLOT_LAST_FAQ = "last_faq"
SLOT_LAST_ANSWERS = "last_answers"
SLOT_AGE_GROUP = "person_age_group"
SLOT_SPEAKER_AGE_GROUP = "speaker_age_group"
SLOT_ABOUT_SPEAKER = "about_speaker"
SLOT_FEEDBACK = "feedback"
SLOT_DECLINED_TOPIC = "declined_topic"


def context_from(tracker: Tracker) -> Context:
    """What the conversation remembers, read from the slots."""
    drugs = tracker.get_slot(SLOT_DRUGS) or []
    if isinstance(drugs, str):  # a slot set by hand in a test or by an older model
        drugs = [drugs]
    return Context(
        last_intent=tracker.get_slot(SLOT_LAST_FAQ),
        drugs=tuple(drugs),
        last_answers=tuple(tracker.get_slot(SLOT_LAST_ANSWERS) or ()),
        age_group=tracker.get_slot(SLOT_AGE_GROUP),
        speaker_age_group=tracker.get_slot(SLOT_SPEAKER_AGE_GROUP),
        about_speaker=bool(tracker.get_slot(SLOT_ABOUT_SPEAKER)),
        declined_topic=tracker.get_slot(SLOT_DECLINED_TOPIC),
    )


def latest_text(tracker: Tracker) -> str:
    """The text of the user's latest message ("" if none)."""
    return str(tracker.latest_message.get("text") or "")


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the user's latest message, as the NLU pipeline decided it."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_entities(tracker: Tracker) -> List[Dict[str, Any]]:
    """The entities of the user's latest message."""
    return list(tracker.latest_message.get("entities") or [])


def latest_ranking(tracker: Tracker) -> List[Dict[str, Any]]:
    """The classifier's intent ranking for the user's latest message, best first."""
    return list(tracker.latest_message.get("intent_ranking") or [])


def previous_reply(tracker: Tracker) -> List[Dict[str, Any]]:
    """The bot's messages just before the user's latest message, in order (empty if none)."""
    messages: List[Dict[str, Any]] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break  # reached the turn before: nothing was said since
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            messages.append(event)
    return messages[::-1]


def offered_buttons(tracker: Tracker) -> List[Dict[str, Any]]:
    """The buttons of the bot's reply just before the user's latest message."""
    for message in reversed(previous_reply(tracker)):
        buttons = (message.get("data") or {}).get("buttons")
        if buttons:
            return list(buttons)
    return []


def feedback_asked(tracker: Tracker) -> bool:
    """Whether the bot's last reply asked "Was this helpful?" (offered its yes/no buttons)."""
    payloads = {button.get("payload") for button in offered_buttons(tracker)}
    return {FEEDBACK_YES_PAYLOAD, FEEDBACK_NO_PAYLOAD} <= payloads


def send(turn: Turn, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Utter the turn's messages; return the slot events that store its context."""
    for message in turn.messages:
        dispatcher.utter_message(
            text=message.text, buttons=[button.as_dict() for button in message.buttons]
        )
    events: List[EventType] = []
    before = context_from(tracker)
    if turn.context.drugs != before.drugs:
        events.append(SlotSet(SLOT_DRUGS, list(turn.context.drugs) or None))
    if turn.context.last_intent != before.last_intent:
        events.append(SlotSet(SLOT_LAST_FAQ, turn.context.last_intent))
    if turn.context.last_answers != before.last_answers:
        events.append(SlotSet(SLOT_LAST_ANSWERS, list(turn.context.last_answers) or None))
    if turn.context.age_group != before.age_group:
        events.append(SlotSet(SLOT_AGE_GROUP, turn.context.age_group))
    if turn.context.speaker_age_group != before.speaker_age_group:
        events.append(SlotSet(SLOT_SPEAKER_AGE_GROUP, turn.context.speaker_age_group))
    if turn.context.about_speaker != before.about_speaker:
        events.append(SlotSet(SLOT_ABOUT_SPEAKER, turn.context.about_speaker))
    if turn.context.declined_topic != before.declined_topic:
        events.append(SlotSet(SLOT_DECLINED_TOPIC, turn.context.declined_topic))
    if turn.feedback is not None:
        events.append(SlotSet(SLOT_FEEDBACK, turn.feedback))
    return events
