"""Leakage: how close each test message is to its nearest training example.

A blind or held-out message that has a near twin in the training data (character n-gram
cosine >= 0.9) measures memory, not understanding. `make eval` reports the count; it should be
none.

    python -m eval.leakage tests/blind/2026-12-06 tests/nlu_test.yml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Sequence, Tuple

NEAR = 0.9


def blind_texts(folder: Path) -> List[str]:
    """Every turn's text of a blind set."""
    from eval.blind import load_items

    return [str(t["text"]) for item in load_items(folder) for t in item["turns"]]


def nearest(tests: Sequence[str], training: Sequence[str]) -> List[Tuple[float, str, str]]:
    """(cosine, test message, nearest training example) for each test message."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True)
    train = vectorizer.fit_transform(training)
    found = []
    for start in range(0, len(tests), 256):
        chunk = tests[start : start + 256]
        similarity = cosine_similarity(vectorizer.transform(chunk), train)
        for row, text in enumerate(chunk):
            best = int(similarity[row].argmax())
            found.append((float(similarity[row, best]), text, training[best]))
    return found


def main(argv: Sequence[str]) -> int:
    """Print the near twins of each test set given (blind set folders or NLU files)."""
    from eval.data import held_out_examples, training_examples

    training = [e.text for e in training_examples()]
    for name in argv:
        path = Path(name)
        texts = blind_texts(path) if path.is_dir() else [e.text for e in held_out_examples()]
        pairs = nearest(texts, training)
        twins = [p for p in pairs if p[0] >= NEAR]
        print(
            f"{name}: {len(texts)} messages, {len(twins)} with a training example at cosine "
            f">= {NEAR}; median nearest {sorted(p[0] for p in pairs)[len(pairs) // 2]:.2f}"
        )
        for score, text, example in sorted(twins, reverse=True):
            print(f"  {score:.2f}  {text!r}\n        ~ {example!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
