"""Rasa NLU component: a reply that only rates the answer is a yes or a no.

"Makes sense", "got it", "kind of" or "👍" after "Was this helpful?" are read by the classifier
as questions ("makes sense" looks like "how is it made?"); the lists in
knowledge/vocabulary.yml (`feedback_replies`) say what they are.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from lupus_faq.conversation import AFFIRM, DENY, get_assistant
from nlu_components.intent_override import IntentOverride


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class FeedbackReply(IntentOverride):
    """Sets the intent to ``affirm`` or ``deny`` for a message that only rates an answer."""

    def intent_for(self, message: Message, text: str) -> Optional[str]:
        """``affirm`` or ``deny`` for a rating, None for anything else."""
        helpful = get_assistant().vocabulary.rating(text)
        if helpful is None:
            return None
        return AFFIRM if helpful else DENY
