"""Rasa NLU component: a reply that only rates the answer is a yes or a no.

"Makes sense", "got it", "kind of" or "👍" after "Was this helpful?" are read by the classifier
as questions ("makes sense" looks like "how is it made?"); the lists in
knowledge/vocabulary.yml (`feedback_replies`) say what they are. A rating a longer message
opens with ("no it didn't, what about Saphnelo?") goes with the message too
(`leading_rating`), for the dialogue to store when it asked for one.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.language import load_language, reading
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FeedbackReply(IntentOverride):
    """Sets the intent to ``affirm`` or ``deny`` for a message that only rates an answer."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``affirm`` or ``deny`` for a rating, None for anything else."""
        ratings = load_language().ratings
        leading = ratings.leading_rating(text)
        if leading is not None:
            message.set(reading.LEADING_RATING, leading, add_to_output=True)
        helpful = ratings.rating(text)
        if helpful is None:
            return None
        message.set(reading.RATING, helpful, add_to_output=True)
        return reading.AFFIRM_INTENT if helpful else reading.DENY_INTENT
