"""The simplest sensible FAQ bot: TF-IDF of character n-grams, nearest training question wins.

No training beyond the vectorizer, no entities, no confidence threshold. The n-gram range is the
Rasa pipelines' character featurizer's (char_wb, 1-4), so the difference is the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, classification_report
from sklearn.model_selection import StratifiedKFold

from eval.data import Example


@dataclass(frozen=True)
class Prediction:
    """The intent of the nearest training question, and its cosine similarity."""

    intent: str
    similarity: float
    nearest: str


class NearestQuestion:
    """TF-IDF (char_wb 1-4) + cosine nearest neighbour over the training examples."""

    def __init__(self) -> None:
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True)

    def fit(self, examples: Sequence[Example]) -> "NearestQuestion":
        """Index the training examples."""
        self.texts = [e.text for e in examples]
        self.intents = [e.intent for e in examples]
        self.matrix = self.vectorizer.fit_transform(self.texts)  # rows are L2-normalised
        return self

    def predict(self, texts: Sequence[str]) -> List[Prediction]:
        """The nearest training example of each text (cosine = dot product of unit rows)."""
        similarities = (self.vectorizer.transform(list(texts)) @ self.matrix.T).toarray()
        best = similarities.argmax(axis=1)  # ties: the first training example, deterministic
        return [
            Prediction(self.intents[i], float(similarities[row, i]), self.texts[i])
            for row, i in enumerate(best)
        ]


def intent_scores(targets: Sequence[str], predictions: Sequence[str]) -> Tuple[float, float, Dict]:
    """(accuracy, macro-F1, report) computed as Rasa's get_evaluation_metrics does: the labels
    are the gold intents, so macro-F1 averages over the same intents as `rasa test nlu`."""
    labels = sorted(set(targets))
    report = classification_report(
        list(targets), list(predictions), labels=labels, output_dict=True, zero_division=0
    )
    return (
        float(accuracy_score(targets, predictions)),
        float(report["macro avg"]["f1-score"]),
        report,
    )


def held_out(train: Sequence[Example], test: Sequence[Example]) -> List[Prediction]:
    """Fit on all training examples, predict the held-out set."""
    return NearestQuestion().fit(train).predict([e.text for e in test])


def cross_validation_folds(examples: Sequence[Example], folds: int, seed: int) -> List[np.ndarray]:
    """Test-fold indices of StratifiedKFold(folds, shuffle=True, random_state=seed), on the
    examples in Rasa's order (what `rasa test nlu --cross-validation` does when NumPy's global
    generator is seeded with the same seed)."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    intents = [e.intent for e in examples]
    return [test for _, test in splitter.split(np.zeros(len(intents)), intents)]


def cross_validate(
    examples: Sequence[Example], folds: int, seed: int
) -> Tuple[List[str], List[str]]:
    """(gold, predicted) intents over all test folds."""
    gold: List[str] = []
    predicted: List[str] = []
    for test_index in cross_validation_folds(examples, folds, seed):
        in_test = set(test_index.tolist())
        train = [e for i, e in enumerate(examples) if i not in in_test]
        test = [examples[i] for i in test_index]
        gold += [e.intent for e in test]
        predicted += [
            p.intent for p in NearestQuestion().fit(train).predict([e.text for e in test])
        ]
    return gold, predicted
