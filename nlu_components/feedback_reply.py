"""Rasa NLU component: a reply that only rates the answer is a yes or a no.

"Makes sense", "got it", "kind of" or "👍" after "Was this helpful?" are read by the classifier
as questions ("makes sense" looks like "how is it made?"); the lists in
knowledge/vocabulary.yml (`feedback_replies`) say what they are.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.conversation import get_assistant

AFFIRM = "affirm"
DENY = "deny"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class FeedbackReply(GraphComponent, IntentClassifier):
    """Sets the intent to ``affirm`` or ``deny`` for a message that only rates an answer."""

    @classmethod
    def required_components(cls) -> List[type]:
        """Runs after the trained intent classifier."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No settings."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FeedbackReply":
        """Builds the component; the word lists are loaded once per process."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent of messages that only say whether the answer helped."""
        vocabulary = get_assistant().vocabulary
        for message in messages:
            helpful = vocabulary.rating(message.get(TEXT) or "")
            if helpful is None:
                continue
            rated = {"name": AFFIRM if helpful else DENY, "confidence": 1.0}
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != rated["name"]
            ]
            message.set(INTENT, rated, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [rated, *ranking], add_to_output=True)
        return messages
