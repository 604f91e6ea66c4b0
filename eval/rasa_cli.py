"""Rasa's own command line, with Python's and NumPy's global random generators seeded first.

    python -m eval.rasa_cli --seed 2611 [--record-folds folds.json] test nlu --cross-validation ...

Why: `rasa test nlu --cross-validation` splits the data with
`StratifiedKFold(shuffle=True)` and no `random_state`, i.e. with NumPy's global generator, so
every run gets different folds. Seeding that generator before Rasa starts makes the folds
reproducible without changing anything else in Rasa. ``--record-folds`` writes the texts of
each test fold as Rasa made them, so the run can check that the TF-IDF baseline, which uses
`StratifiedKFold(random_state=seed)`, was scored on the same folds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional, Sequence, Tuple


def _record_folds(path: Path) -> None:
    """Wrap rasa.nlu.test.generate_folds so that each test fold's texts are written to ``path``."""
    import rasa.nlu.test

    original = rasa.nlu.test.generate_folds

    def recording(n: int, training_data: Any) -> Iterator[Tuple[Any, Any]]:
        folds: List[List[str]] = []
        for train, test in original(n, training_data):
            folds.append([message.get("text") for message in test.intent_examples])
            path.write_text(json.dumps(folds, ensure_ascii=False, indent=1), encoding="utf-8")
            yield train, test

    rasa.nlu.test.generate_folds = recording


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Seed, optionally record the folds, then hand the remaining arguments to Rasa."""
    # No abbreviations: every other option belongs to Rasa.
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--record-folds", type=Path, default=None)
    args, rasa_args = parser.parse_known_args(argv)

    import numpy

    random.seed(args.seed)
    numpy.random.seed(args.seed)
    if args.record_folds:
        _record_folds(args.record_folds)

    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *rasa_args]
    rasa_main()


if __name__ == "__main__":
    main()
