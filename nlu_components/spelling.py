"""Rasa NLU component: words written for another word, corrected before anything reads the
message ("how dose anifrolumab work?" -> "how does anifrolumab work?").

First in the pipeline, so that spaCy, the classifiers, the entities and the decision table's
word checks all read the same words; the training examples are read the same way. Which words,
and by which neighbours, is knowledge/vocabulary.yml's `spellings`
(lupus_faq/language/spelling.py). The message as written stays in the tracker's event; the
corrected text is what the NLU's parse carries.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lupus_faq.language import load_language
from lupus_faq.language.spelling import apply, shifted
from nlu_components.knowledge_component import KnowledgeComponent


# A featurizer for Rasa's recipe: the kind of component it runs on the training data as well
# as on each message, in pipeline order.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SpellingCorrector(KnowledgeComponent):
    """Replaces the words written for another word (knowledge/vocabulary.yml `spellings`)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Corrects the training examples as the messages will be."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Corrects each message's text, keeping annotated entities on their words."""
        spellings = load_language().spellings
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            edits = spellings.edits(text)
            if not edits:
                continue
            message.set(TEXT, apply(text, edits))
            for entity in message.get(ENTITIES) or []:
                for key in (ENTITY_ATTRIBUTE_START, ENTITY_ATTRIBUTE_END):
                    if isinstance(entity.get(key), int):
                        entity[key] = shifted(entity[key], edits)
        return messages
