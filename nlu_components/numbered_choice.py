"""Rasa NLU component: a message that is only a number chooses an option just offered.

On channels without buttons the options are sent as a numbered list; "2" must then mean
"the second option", not whatever the classifier makes of a digit.
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

from lupus_faq.buttons import parse_choice

CHOOSE_OPTION = "choose_option"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class NumberedChoice(GraphComponent, IntentClassifier):
    """Sets the intent to ``choose_option`` for "2", "option 2", "#2"."""

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
    ) -> "NumberedChoice":
        """Builds the component."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent of messages that are a bare option number."""
        for message in messages:
            if parse_choice(message.get(TEXT) or "") is None:
                continue
            chosen = {"name": CHOOSE_OPTION, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CHOOSE_OPTION]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
