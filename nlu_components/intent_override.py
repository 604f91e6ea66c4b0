"""Base of the NLU components that replace the classifier's intent when a deterministic
check knows better (another language, a bare option number, a rating of the answer, an
emergency)."""

from __future__ import annotations

from typing import List, Optional

from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.knowledge_component import KnowledgeComponent


class IntentOverride(KnowledgeComponent, IntentClassifier):
    """Sets the intent a subclass's ``intent_for`` gives, at the top of the ranking."""

    @classmethod
    def required_components(cls) -> List[type]:
        """Runs after the trained intent classifier."""
        return [IntentClassifier]

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """The intent ``text`` certainly has, or None to keep the classifier's."""
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent of the messages ``intent_for`` recognises."""
        for message in messages:
            name = self.intent_for(message, message.get(TEXT) or "")
            if name is None:
                continue
            override = {"name": name, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
        return messages
