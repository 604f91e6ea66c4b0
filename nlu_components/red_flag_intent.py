"""Rasa NLU component: the deterministic red-flag check overrides the classifier's intent.

Placed last in the pipeline, after the FallbackClassifier, so that an emergency is answered
as one whatever the classifier guessed (an FAQ question, out of scope, or "not sure"). The
categories found go with the message (`red_flag_categories`): the dialogue names them in its
reply without looking for them again.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import reading
from lupus_faq.safety import load_red_flags
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagIntent(IntentOverride):
    """Sets the intent to ``red_flag`` when the message holds a red-flag term."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``red_flag`` for a message with an emergency term; its categories go with it."""
        categories = load_red_flags().detect(text)
        if not categories:
            return None
        message.set(reading.RED_FLAGS, categories, add_to_output=True)
        return reading.RED_FLAG_INTENT
