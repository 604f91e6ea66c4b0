"""Rasa NLU component: a message that is only a number chooses an option just offered.

On channels without buttons the options are sent as a numbered list; "2" must then mean
"the second option", not whatever the classifier makes of a digit. The number goes with the
message (`choice`); the dialogue maps it to the button it names.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import reading
from lupus_faq.language.choices import parse_choice
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NumberedChoice(IntentOverride):
    """Sets the intent to ``choose_option`` for "2", "option 2", "#2"."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``choose_option`` for a bare option number."""
        number = parse_choice(text)
        if number is None:
            return None
        message.set(reading.CHOICE, number, add_to_output=True)
        return reading.CHOOSE_OPTION_INTENT
