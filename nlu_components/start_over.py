"""Rasa NLU component: a message that only asks to start over is Rasa's ``restart``.

The classifier learnt "start over" from English examples; "on recommence à zéro" it read as a
feeling (and replied with the support message). The whole messages of
knowledge/vocabulary.yml (`start_over`, English and French) are a restart whatever it said;
data/rules.yml runs Rasa's restart for the intent, and the new session opens in that message's
language (actions/session.py).
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import load_language, reading
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class StartOverRequest(IntentOverride):
    """Sets the intent to ``restart`` for "start over", "recommencer à zéro", "nouvelle
    conversation"."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``restart`` for a message that only asks to start over."""
        if load_language().start_over.language_of(text) is None:
            return None
        return reading.RESTART_INTENT
