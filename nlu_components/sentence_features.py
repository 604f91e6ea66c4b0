"""Rasa NLU component: pretrained sentence embeddings as dense features for DIET.

DIET otherwise learns only from the word and character counts of our training examples; a
pretrained encoder brings what words mean ("kids" near "children", "knock down the immune
system" near "immunosuppressant") to questions written in words the examples never used.

Two encoders are available (nlu_components/encoders/), both shipped inside PyPI packages,
checked against their recorded SHA-256 and read from disk; nothing is downloaded:
- ``minilm``: sentence-transformers/all-MiniLM-L6-v2 (384 dimensions, a 6-layer transformer);
- ``wordllama``: WordLlama's static token embeddings, averaged (256 dimensions).

With ``question_focus`` (the default), a message that tells a story before it asks gets a
second embedding, of its sentences that ask (lupus_faq/language/clauses.py): the question
decides the intent, the story is context. A message that only asks gets the same embedding
twice.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lupus_faq.language import load_language

ENCODERS = ("minilm", "wordllama")


def _encoder(name: str) -> Any:
    if name == "minilm":
        from nlu_components.encoders import minilm

        return minilm.shared()
    if name == "wordllama":
        from nlu_components.encoders import wordllama

        return wordllama.shared()
    raise ValueError(f"unknown encoder {name!r}; choose one of {ENCODERS}")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a sentence-level dense feature (and one of the question part) to each message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The encoder, and whether the sentences that ask get their own embedding."""
        return {**DenseFeaturizer.get_default_config(), "encoder": "minilm",
                "question_focus": True}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """The encoder must be one this project ships."""
        if config.get("encoder") not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, not {config.get('encoder')!r}")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._encoder_name = str(config["encoder"])
        self._focus = bool(config.get("question_focus", True))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEncoderFeaturizer":
        """Builds the component (the encoder itself is loaded, once, on first use)."""
        return cls(config, execution_context.node_name)

    def _features(self, texts: List[str]) -> np.ndarray:
        encoder = _encoder(self._encoder_name)
        whole = encoder.encode(texts)
        if not self._focus:
            return whole
        clauses = load_language().clauses
        asked = [clauses.question_part(t) for t in texts]
        focused = np.array(whole)
        changed = [i for i, (t, a) in enumerate(zip(texts, asked)) if a.strip() != t.strip()]
        if changed:
            focused[changed] = encoder.encode([asked[i] for i in changed])
        return np.concatenate([whole, focused], axis=1)

    def _featurize(self, messages: List[Message]) -> None:
        chosen = [m for m in messages if m.get(TEXT)]
        if not chosen:
            return
        features = self._features([str(m.get(TEXT)) for m in chosen])
        for message, row in zip(chosen, features):
            self.add_features_to_message(None, row[np.newaxis, :], TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every training example's text, in batches."""
        self._featurize(list(training_data.training_examples))
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurizes incoming messages."""
        self._featurize(messages)
        return messages

    @staticmethod
    def required_packages() -> List[Text]:
        """What the encoders read their files with."""
        return ["safetensors", "tokenizers"]
