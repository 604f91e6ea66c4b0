"""Rasa NLU component: the language a message is written in.

The language goes with the message (`language`: en, fr, other, or nothing for "2" or "👍"), so
that the reply is written in it. A message in a language the assistant does not answer in
gets the intent `other_language` (the polite "English and French only" reply), whatever the
classifier made of it. The word lists are knowledge/vocabulary.yml's `languages`.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import load_language, reading
from lupus_faq.language.languages import OTHER
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageLanguage(IntentOverride):
    """Records the message's language; ``other_language`` for a language it does not speak."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``other_language`` for another language, else None (the classifier's intent)."""
        language = load_language().languages.detect(text)
        if language is not None:
            message.set(reading.LANGUAGE, language, add_to_output=True)
        return reading.OTHER_LANGUAGE_INTENT if language == OTHER else None
