"""The three Rasa pipelines: their configs, and training and testing them with Rasa's own CLI.

Every model is trained with `rasa train nlu` (the project's with `rasa train`, because the
same model is then served for the answer-level test) and scored with `rasa test nlu`, on the
held-out set and by cross-validation, as a Rasa engineer would do it by hand. The commands of
one system run in one process (eval/rasa_cli.py); they and their output are in
<workdir>/logs/<system>.log.
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = Path(__file__).resolve().parent / "configs"
PROJECT_CONFIG = ROOT / "config.yml"
ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}
# Components whose size is cut down by --quick.
_TRAINED = ("DIETClassifier", "ResponseSelector")


@dataclass(frozen=True)
class System:
    """One of the compared NLU systems."""

    key: str  # used in file names
    label: str  # used in tables
    config: Optional[Path]  # None for the TF-IDF baseline


PROJECT = System("project", "project (config.yml)", PROJECT_CONFIG)
RASA_INIT = System("rasa-init", "`rasa init` default", CONFIGS / "rasa-init.yml")
COUNT_VECTORS = System("count-vectors", "count vectors only", CONFIGS / "count-vectors.yml")
TFIDF = System("tfidf", "TF-IDF nearest question", None)
RASA_SYSTEMS = (PROJECT, COUNT_VECTORS, RASA_INIT)
SYSTEMS = (*RASA_SYSTEMS, TFIDF)


@dataclass
class NluScores:
    """Intent and entity scores of one system on one test set."""

    accuracy: float
    macro_f1: float
    n: int
    entity_f1: Optional[float] = None  # DIET's entities, as `rasa test nlu` scores them
    entity_f1_used: Optional[float] = None  # entities the bot uses (project: DIET + spaCy)
    errors: List[Dict[str, Any]] = field(default_factory=list)
    pairs: List[Tuple[str, str]] = field(default_factory=list)  # (gold, predicted) per example
    seconds: float = 0.0


def load_config(system: System) -> Dict[str, Any]:
    """The system's Rasa config as a dict (the project's is read from config.yml itself)."""
    assert system.config is not None
    return yaml.safe_load(system.config.read_text(encoding="utf-8"))


def count_vectors_pipeline(project_pipeline: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What eval/configs/count-vectors.yml must be: config.yml's pipeline with whitespace
    tokens instead of spaCy (as scripts/compare_nlu_pipelines.py derives it)."""
    out: List[Dict[str, Any]] = []
    for component in project_pipeline:
        if component["name"] in ("SpacyNLP", "SpacyEntityExtractor"):
            continue
        out.append(
            {"name": "WhitespaceTokenizer"} if component["name"] == "SpacyTokenizer" else component
        )
    return out


def count_vectors_drift() -> Optional[str]:
    """None if count-vectors.yml is still config.yml minus spaCy, else what differs."""
    expected = count_vectors_pipeline(load_config(PROJECT)["pipeline"])
    actual = load_config(COUNT_VECTORS)["pipeline"]
    if expected == actual:
        return None
    return (
        f"eval/configs/count-vectors.yml no longer matches config.yml without spaCy: "
        f"expected {expected}, found {actual}"
    )


def write_config(system: System, directory: Path, epochs: Optional[int] = None) -> Path:
    """A copy of the system's config in ``directory`` (Rasa may rewrite a config file it is
    given, so the repository's files are never passed to it). With ``epochs`` (a smoke run),
    DIET and ResponseSelector train that many epochs, eagerly: TensorFlow's graph tracing
    costs some 15 s per model trained or loaded, far more than one epoch on a few examples."""
    config = copy.deepcopy(load_config(system))
    if epochs is not None:
        for component in config["pipeline"]:
            if component["name"] in _TRAINED:
                component["epochs"] = epochs
                component["run_eagerly"] = True
    path = directory / f"{system.key}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Plan:
    """Where one Rasa system's model and results go, and the Rasa commands that make them."""

    system: System
    config: Path
    model: Path
    held_out: Path  # `rasa test nlu` results on the held-out set
    cv: Path  # `rasa test nlu --cross-validation` results (and folds.json)
    parses: Path  # eval/parse.py output on the held-out set
    steps: Tuple[Dict[str, Any], ...]


def plan(
    system: System, config: Path, train_data: Sequence[Path], held_out: Path, folds: int, work: Path
) -> Plan:
    """The commands for one system: train on ``train_data`` (the project: a full model with
    `rasa train`, because the same model is served for the answer-level test; the others:
    `rasa train nlu`), `rasa test nlu` on ``held_out``, parse ``held_out``, and
    `rasa test nlu --cross-validation` on the NLU part of ``train_data``."""
    from eval.data import DOMAIN

    models, results = work / "models", work / "results" / system.key
    model = models / f"{system.key}.tar.gz"
    nlu = train_data[0]
    if system is PROJECT:
        train = [
            "train",
            "--config",
            str(config),
            "--domain",
            str(DOMAIN),
            "--data",
            *map(str, train_data),
        ]
    else:
        train = ["train", "nlu", "--config", str(config), "--nlu", str(nlu)]
    train += ["--out", str(models), "--fixed-model-name", system.key]
    held, cv, parses = results / "held-out", results / "cv", results / "parses.json"
    steps: Tuple[Dict[str, Any], ...] = (
        {"rasa": train},
        {
            "rasa": [
                "test",
                "nlu",
                "--nlu",
                str(held_out),
                "--model",
                str(model),
                "--out",
                str(held),
                "--successes",
            ]
        },
        {"parse": {"model": str(model), "data": str(held_out), "out": str(parses)}},
        {
            "rasa": [
                "test",
                "nlu",
                "--nlu",
                str(nlu),
                "--config",
                str(config),
                "--cross-validation",
                "--folds",
                str(folds),
                "--out",
                str(cv),
            ],
            "record_folds": str(cv / "folds.json"),
        },
    )
    if not folds:  # no cross-validation: the plan's last step goes
        steps = steps[:-1]
    return Plan(system, config, model, held, cv, parses, steps)


def execute(plan_: Plan, seed: int, log: Path) -> float:
    """Run the plan's commands in one Rasa process (eval/rasa_cli.py), output to ``log``.
    Returns the seconds it took; raises with the end of the log if it fails."""
    plan_.cv.mkdir(parents=True, exist_ok=True)
    commands = log.with_suffix(".json")
    log.parent.mkdir(parents=True, exist_ok=True)
    commands.write_text(json.dumps(list(plan_.steps), indent=1), encoding="utf-8")
    command = [sys.executable, "-m", "eval.rasa_cli", "--seed", str(seed), str(commands)]
    env = {
        **os.environ,
        **ENV,
        # Rasa's training cache, kept with this run and this system: nothing restored from,
        # or added to, the project's .rasa/cache, and no two processes writing one cache.
        "RASA_CACHE_DIRECTORY": str(log.parent.parent / "rasa-cache" / plan_.system.key),
    }
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + shlex.join(command) + "\n")
        out.flush()
        result = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{shlex.join(command)} failed ({result.returncode}):\n{tail}")
    return time.monotonic() - started


def _scores(results: Path) -> NluScores:
    """Read the reports `rasa test nlu` wrote to ``results``."""
    report = json.loads((results / "intent_report.json").read_text())
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    successes_file = results / "intent_successes.json"
    successes = json.loads(successes_file.read_text()) if successes_file.exists() else []
    entity_report = results / "DIETClassifier_report.json"
    entity_f1 = None
    if entity_report.exists():
        entities = json.loads(entity_report.read_text())
        # Over entity types, token by token (Rasa's definition); "micro avg" because Rasa
        # leaves the no-entity label out.
        entity_f1 = (entities.get("micro avg") or entities.get("weighted avg") or {}).get(
            "f1-score"
        )
    return NluScores(
        accuracy=report["accuracy"],
        macro_f1=report["macro avg"]["f1-score"],
        n=int(report["macro avg"]["support"]),
        entity_f1=entity_f1,
        errors=errors,
        pairs=[(item["intent"], item["intent_prediction"]["name"]) for item in successes + errors],
    )


def held_out_scores(plan_: Plan) -> NluScores:
    """The held-out scores `rasa test nlu` wrote."""
    return _scores(plan_.held_out)


def cv_scores(plan_: Plan) -> Optional[NluScores]:
    """The cross-validation scores `rasa test nlu --cross-validation` wrote (None when the
    plan has no cross-validation: ``folds`` 0)."""
    if not any("record_folds" in step for step in plan_.steps):
        return None
    return _scores(plan_.cv)


def recorded_folds(plan_: Plan) -> List[List[str]]:
    """The test folds Rasa used (texts), as recorded by eval.rasa_cli."""
    return json.loads((plan_.cv / "folds.json").read_text(encoding="utf-8"))


def parses(plan_: Plan) -> Dict[str, Any]:
    """eval/parse.py's output for the held-out set."""
    return json.loads(plan_.parses.read_text(encoding="utf-8"))
