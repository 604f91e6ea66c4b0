"""Train NLU pipeline variants on data/ and score each on the held-out tests/nlu_test.yml.

    .venv/bin/python -m scripts.compare_nlu_pipelines [--only NAME ...]

Each variant is config.yml with its pipeline replaced; everything else (data, seeds, policies)
is the same. Prints intent accuracy, macro-F1 and training time, one line per variant, and
writes the table to results/pipeline-comparison.md. This is how config.yml's pipeline was chosen.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")


def _project_pipeline() -> List[Dict[str, Any]]:
    return yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]


def _replace(
    pipeline: List[Dict[str, Any]], name: str, new: List[Dict[str, Any]]
) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for component in pipeline:
        out.extend(new if component["name"] == name else [component])
    return out


def variants() -> Dict[str, List[Dict[str, Any]]]:
    """The pipelines compared, derived from config.yml so they differ only where named."""
    project = _project_pipeline()
    whitespace = [c for c in project if c["name"] not in ("SpacyNLP", "SpacyEntityExtractor")]
    whitespace = _replace(whitespace, "SpacyTokenizer", [{"name": "WhitespaceTokenizer"}])
    no_lexical = [c for c in project if c["name"] != "LexicalSyntacticFeaturizer"]
    return {
        "project (spaCy lemmas + char n-grams)": project,
        "count vectors only (whitespace tokens + char n-grams)": whitespace,
        "project without LexicalSyntacticFeaturizer": no_lexical,
    }


def _override(pipeline: List[Dict[str, Any]], settings: List[str]) -> List[Dict[str, Any]]:
    pipeline = copy.deepcopy(pipeline)
    for setting in settings:
        target, value = setting.split("=", 1)
        component, key = target.split(".", 1)
        for item in pipeline:
            if item["name"] == component:
                item[key] = yaml.safe_load(value)
    return pipeline


def evaluate(name: str, pipeline: List[Dict[str, Any]], workdir: Path) -> Dict[str, Any]:
    """Train the NLU part with ``pipeline`` and test it on the held-out set."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config["pipeline"] = copy.deepcopy(pipeline)
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower())[:40]
    config_path = workdir / f"{slug}.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    started = time.monotonic()
    subprocess.run(
        [
            RASA,
            "train",
            "nlu",
            "--config",
            str(config_path),
            "--nlu",
            "data",
            "--out",
            str(workdir),
            "--fixed-model-name",
            slug,
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    out = workdir / f"{slug}-results"
    subprocess.run(
        [
            RASA,
            "test",
            "nlu",
            "--nlu",
            "tests/nlu_test.yml",
            "--model",
            str(workdir / f"{slug}.tar.gz"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    report = json.loads((out / "intent_report.json").read_text())
    return {
        "variant": name,
        "accuracy": report["accuracy"],
        "macro_f1": report["macro avg"]["f1-score"],
        "train_seconds": seconds,
    }


def main() -> None:
    """Run every variant (or those named with --only) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", nargs="*", default=None, help="run the variants whose name contains one of these"
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="COMPONENT.KEY=VALUE",
        help="override a setting in every variant, e.g. DIETClassifier.epochs=50",
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, pipeline in variants().items():
            if args.only and not any(o in name for o in args.only):
                continue
            row = evaluate(name, _override(pipeline, args.set), Path(tmp))
            rows.append(row)
            print(
                f"{row['variant']:<55} accuracy {row['accuracy']:.3f}  macro-F1 "
                f"{row['macro_f1']:.3f}  training {row['train_seconds']:.0f} s",
                flush=True,
            )
    lines = ["| pipeline | intent accuracy | macro-F1 | NLU training (s) |", "|---|---|---|---|"]
    lines += [
        f"| {r['variant']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['train_seconds']:.0f} |"
        for r in rows
    ]
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "pipeline-comparison.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
