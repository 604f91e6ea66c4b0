"""Rasa NLU component: the deterministic red-flag check overrides the classifier's intent.

Placed last in the pipeline, after the FallbackClassifier, so that an emergency is answered
as one whatever the classifier guessed (an FAQ question, out of scope, or "not sure").
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

from lupus_faq.conversation import RED_FLAG, get_assistant

RED_FLAG_CATEGORIES = "red_flag_categories"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagIntent(GraphComponent, IntentClassifier):
    """Sets the intent to ``red_flag`` when the message holds a red-flag term."""

    @classmethod
    def required_components(cls) -> List[type]:
        """Runs after the trained intent classifier."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No settings: the terms live in knowledge/red_flags.yml."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagIntent":
        """Builds the component; the red-flag terms are loaded once per process."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the intent of every message with a red flag."""
        checker = get_assistant().red_flags
        for message in messages:
            categories = checker.detect(message.get(TEXT) or "")
            if not categories:
                continue
            override = {"name": RED_FLAG, "confidence": 1.0}
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != RED_FLAG
            ]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
            message.set(RED_FLAG_CATEGORIES, categories, add_to_output=True)
        return messages
