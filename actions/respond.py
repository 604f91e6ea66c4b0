"""The one action that answers every message: the dialogue's decision table decides how."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import context_from, message_from, send
from lupus_faq.dialogue import get_assistant
from lupus_faq.dialogue.memory import DISCLAIMER_SLOT
from lupus_faq.dialogue.turn import KIND_RED_FLAG, BotMessage
from lupus_faq.language.languages import ENGLISH


class ActionRespond(Action):
    """Every user message: lupus_faq reads its facts, walks knowledge/dialogue.yml and
    replies (an emergency, an answer, a decline, "Did you mean", small talk...)."""

    def name(self) -> Text:
        return "action_respond"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        assistant = get_assistant()
        turn = assistant.turn(message_from(tracker), context_from(tracker))
        # False: this session started without it (actions/session.py); None: an older one
        due = tracker.get_slot(DISCLAIMER_SLOT) is False
        if due:
            # the disclaimer opens the reply, after the emergency reply when there is one (an
            # emergency comes before everything; a past one told with a question is followed
            # by the answer)
            notice = BotMessage(assistant.disclaimer(turn.context.language or ENGLISH))
            at = 1 if turn.kind == KIND_RED_FLAG else 0
            turn = replace(turn, messages=(*turn.messages[:at], notice, *turn.messages[at:]))
        events = send(turn, dispatcher, tracker)
        return [*events, SlotSet(DISCLAIMER_SLOT, True)] if due else events
