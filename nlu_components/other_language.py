"""Rasa NLU component: a message in another language gets the English-only reply.

The classifier, trained mostly on English, often takes "comment fonctionne le Saphnelo ?" for
an unclear English question and offers English suggestions; the words listed in
knowledge/vocabulary.yml (`other_language`) say what it is.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import load_language, reading
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class OtherLanguage(IntentOverride):
    """Sets the intent to ``other_language`` for a message written in another language."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``other_language`` when the words or the script say so, else None."""
        if not load_language().languages.is_other_language(text):
            return None
        message.set(reading.OTHER_LANGUAGE, True, add_to_output=True)
        return reading.OTHER_LANGUAGE_INTENT
