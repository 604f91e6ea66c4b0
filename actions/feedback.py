"""The user's "yes" / "no": usually the rating of the answer just given."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import context_from, latest_intent, offered_buttons, send
from lupus_faq.conversation import FEEDBACK_NO_PAYLOAD, FEEDBACK_YES_PAYLOAD, get_assistant


class ActionRecordFeedback(Action):
    """Stores "Was this helpful?" answers in the `feedback` slot, with the answers rated."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        payloads = {button.get("payload") for button in offered_buttons(tracker)}
        asked = {FEEDBACK_YES_PAYLOAD, FEEDBACK_NO_PAYLOAD} <= payloads
        turn = get_assistant().feedback(
            helpful=latest_intent(tracker) == "affirm", asked=asked, context=context_from(tracker)
        )
        return send(turn, dispatcher, tracker)
