"""Actions that help the user find a question: "did you mean ...?" and the help menu."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import (
    context_from,
    feedback_asked,
    latest_entities,
    latest_ranking,
    latest_text,
    previous_reply,
    send,
)
from lupus_faq.conversation import get_assistant


class ActionClarify(Action):
    """Unsure classification: offer the nearest questions; if that did not help, the help menu."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        assistant, text, context = get_assistant(), latest_text(tracker), context_from(tracker)
        said = [str(message.get("text") or "") for message in previous_reply(tracker)]
        turn = assistant.clarify(
            ranking=latest_ranking(tracker),
            text=text,
            entities=latest_entities(tracker),
            context=context,
            repeated=assistant.asked_did_you_mean(said),
        )
        turn = assistant.with_rating(turn, text, feedback_asked(tracker), context)
        return send(turn, dispatcher, tracker)


class ActionShowHelp(Action):
    """What the assistant can answer, with suggested questions as buttons."""

    def name(self) -> Text:
        return "action_show_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return send(get_assistant().help(context_from(tracker)), dispatcher, tracker)
