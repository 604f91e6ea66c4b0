"""Rasa's own command line, several commands in one process, random generators seeded first.

    python -m eval.rasa_cli --seed 2611 COMMANDS.json

COMMANDS.json is a list of steps, run in order:
    {"rasa": ["train", "nlu", "--config", ...]}                   a `rasa ...` command
    {"rasa": ["test", "nlu", "--cross-validation", ...], "record_folds": "folds.json"}
    {"parse": {"model": "m.tar.gz", "data": "test.yml", "out": "parses.json"}}  (eval/parse.py)

Why one process: importing Rasa and TensorFlow costs some ten seconds, paid once per system
instead of once per command. Each command is Rasa's own CLI entry point with the same arguments
as on the command line.

Why the seeding: `rasa test nlu --cross-validation` splits the data with
`StratifiedKFold(shuffle=True)` and no `random_state`, i.e. with NumPy's global generator, so
every run would get different folds. Seeding that generator before each command makes the
folds reproducible without changing anything in Rasa. ``record_folds`` writes the texts of
each test fold as Rasa made them, so the run can check that the TF-IDF baseline, which uses
`StratifiedKFold(random_state=seed)`, was scored on the same folds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shlex
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple


@contextlib.contextmanager
def recording_folds(path: Path) -> Iterator[None]:
    """While active, rasa.nlu.test.generate_folds writes each test fold's texts to ``path``."""
    import rasa.nlu.test

    original = rasa.nlu.test.generate_folds

    def recording(n: int, training_data: Any) -> Iterator[Tuple[Any, Any]]:
        folds: List[List[str]] = []
        for train, test in original(n, training_data):
            folds.append([message.get("text") for message in test.intent_examples])
            path.write_text(json.dumps(folds, ensure_ascii=False, indent=1), encoding="utf-8")
            yield train, test

    rasa.nlu.test.generate_folds = recording
    try:
        yield
    finally:
        rasa.nlu.test.generate_folds = original


def rasa_command(argv: Sequence[str]) -> None:
    """`rasa ARGV` through Rasa's own entry point; raises if it exits with an error."""
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    try:
        rasa_main()
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise RuntimeError(f"rasa {shlex.join(argv)} exited with {exit_.code}") from exit_


def run_step(step: Dict[str, Any], seed: int) -> None:
    """One step of COMMANDS.json."""
    import numpy

    random.seed(seed)
    numpy.random.seed(seed)
    if "rasa" in step:
        print("$ rasa " + shlex.join(step["rasa"]), flush=True)
        folds = step.get("record_folds")
        with recording_folds(Path(folds)) if folds else contextlib.nullcontext():
            rasa_command(step["rasa"])
    elif "parse" in step:
        from eval.parse import parse_to_file

        print(f"$ parse {step['parse']}", flush=True)
        parse_to_file(
            Path(step["parse"]["model"]), Path(step["parse"]["data"]), Path(step["parse"]["out"])
        )
    else:
        raise ValueError(f"unknown step {step}")


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run every step of the commands file, in order."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("commands", type=Path)
    args = parser.parse_args(argv)
    for step in json.loads(args.commands.read_text(encoding="utf-8")):
        run_step(step, args.seed)


if __name__ == "__main__":
    main()
