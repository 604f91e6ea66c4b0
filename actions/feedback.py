"""The user's "yes" / "no": usually the rating of the answer just given."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import (
    SLOT_FEEDBACK,
    context_from,
    feedback_asked,
    latest_entities,
    latest_intent,
    latest_ranking,
    latest_text,
    send,
)
from lupus_faq.conversation import AFFIRM, get_assistant


class ActionRecordFeedback(Action):
    """Stores "Was this helpful?" answers in the `feedback` slot, with the answers rated
    (and answers what a rating goes on to ask)."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        turn = get_assistant().feedback(
            helpful=latest_intent(tracker) == AFFIRM,
            asked=feedback_asked(tracker),
            context=context_from(tracker),
            text=latest_text(tracker),
            entities=latest_entities(tracker),
            ranking=latest_ranking(tracker),
        )
        return send(turn, dispatcher, tracker)


class ActionRecordThanks(Action):
    """After "You're welcome": a thanks for an answer just asked about ("Was this helpful?")
    is stored as a yes."""

    def name(self) -> Text:
        return "action_record_thanks"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        rating = get_assistant().thanked(
            latest_text(tracker), feedback_asked(tracker), context_from(tracker)
        )
        return [SlotSet(SLOT_FEEDBACK, rating)] if rating else []
