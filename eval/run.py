"""`make eval`: accuracy of the assistant and of three baselines, in one run, same data and seeds.

    python -m eval.run                    # the full run (3 h or more on 2 cores), writes
                                          # docs/benchmarks-accuracy.md and docs/images/accuracy-*.png
    python -m eval.run --folds 0          # the same without cross-validation (about 75 min)
    python -m eval.run --quick --out DIR  # the same code path with tiny sizes (CI smoke test)

1. NLU: the project's pipeline (config.yml), Rasa's `rasa init` default, the project's pipeline
   with count vectors only, and a TF-IDF nearest-question baseline: intent accuracy, macro-F1,
   entity F1 and confusion matrices on the held-out set (tests/nlu_test.yml), and by
   cross-validation on data/. Rasa's pipelines are trained and scored with Rasa's own CLI.
2. Answers: every held-out question is sent as a new conversation to the running assistant
   (action server + Rasa server, REST) and the reply is judged against the reply the gold intent
   and entities lead to (eval/answers.py). Each NLU system is also scored on answers offline.
3. Invented facts: every sentence the server said must come from the curated texts.
4. The tables go to docs/benchmarks-accuracy.md and stdout, the plots to docs/images/.
Benchmarks, not tests: nothing here fails on a low figure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

import yaml

from eval import answers, blind, rasa_nlu, reading_level, report, tfidf_baseline
from eval.data import (
    DIALOGUE_FILES,
    HELD_OUT,
    TRAINING_DATA,
    Example,
    every_nth_per_intent,
    held_out_examples,
    training_examples,
    write_nlu_yaml,
)
from eval.rasa_nlu import COUNT_VECTORS, PROJECT, RASA_INIT, RASA_SYSTEMS, TFIDF, NluScores

ROOT = Path(__file__).resolve().parent.parent
DOC_NAME = "benchmarks-accuracy.md"
IMAGE_PREFIX = "accuracy-"  # docs/images/ is shared with the speed benchmarks

DESCRIPTIONS = {
    PROJECT.key: "config.yml as is: the project's spaCy pipeline (lemmas, entity_ruler), "
    "char n-grams, DIET (1 layer of 256, 50 epochs), FallbackClassifier, "
    "numbered-choice and red-flag overrides",
    COUNT_VECTORS.key: "config.yml with WhitespaceTokenizer instead of spaCy, no SpacyNLP/"
    "SpacyEntityExtractor (eval/configs/count-vectors.yml); overrides kept",
    RASA_INIT.key: "the pipeline a `rasa init` project of Rasa 3.6.21 trains with (default DIET: "
    "2 layers of 256, 100 epochs; eval/configs/rasa-init.yml); no overrides",
    TFIDF.key: "scikit-learn TfidfVectorizer (char_wb 1-4) + cosine nearest training example "
    "(eval/tfidf_baseline.py); no entities",
}


@dataclass
class Settings:
    """What to run, and how big."""

    quick: bool
    out: Path
    workdir: Optional[Path]
    folds: int
    epochs: Optional[int]  # None: the configs' own
    seed: int
    held_out_every: int  # 1: the whole held-out set
    train_every: int  # 1: all of data/
    fresh: bool = False  # also score the fresh blind batch (tests/blind/fresh-*), scored once


def project_config() -> Dict[str, Any]:
    """config.yml as a dict."""
    return yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))


def _component(name: str) -> Dict[str, Any]:
    return next((c for c in project_config()["pipeline"] if c["name"] == name), {})


def default_seed() -> int:
    """One seed for everything: the project's DIET seed."""
    return int(_component("DIETClassifier").get("random_seed", 2611))


def parse_args(argv: Sequence[str]) -> Settings:
    """Command-line options -> Settings."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes (1 epoch, 2 folds, a subset of the data): a smoke run",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"where {DOC_NAME} and images/ go (default: docs/, or build/eval-quick "
        "with --quick, so a smoke run never overwrites the committed results)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep models, rasa test reports and parses here (default: a temporary "
        "directory, deleted)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=None,
        help="cross-validation folds (5; --quick: 2; 0: no cross-validation, which saves "
        "most of the run's hours)",
    )
    parser.add_argument("--seed", type=int, default=None, help="default: config.yml's DIET seed")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="also score the fresh blind batch (tests/blind/fresh-*): the headline "
        "figure, scored once, untouched",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    return Settings(
        quick=quick,
        out=(args.out or (ROOT / "build" / "eval-quick" if quick else ROOT / "docs")).resolve(),
        workdir=args.workdir.resolve() if args.workdir else None,
        folds=args.folds if args.folds is not None else (2 if quick else 5),
        epochs=1 if quick else None,
        seed=args.seed if args.seed is not None else default_seed(),
        held_out_every=16 if quick else 1,
        train_every=12 if quick else 1,
        fresh=args.fresh,
    )


# --- context ----------------------------------------------------------------------------------


def machine() -> str:
    """Cores, CPU model and memory of this machine (no host name)."""
    cpu, memory = platform.processor() or "unknown CPU", ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.machine()}"


def versions() -> str:
    """Versions of what the figures depend on."""
    names = ["rasa", "tensorflow", "spacy", "scikit-learn"]
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def code_version() -> str:
    """The git commit measured, marked when the working tree differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "not a git checkout"
    return f"commit {commit}" + (
        " with uncommitted changes" if git("status", "--porcelain") else ""
    )


_STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stdout, with the elapsed time."""
    elapsed = time.monotonic() - _STARTED
    print(f"[{int(elapsed // 60):3d}:{int(elapsed % 60):02d}] {message}", flush=True)


# --- answers ----------------------------------------------------------------------------------


def _outcome(
    example: Example,
    expected: answers.Reply,
    actual: answers.Reply,
    intent: Optional[str],
    entities: Sequence[Mapping[str, Any]],
) -> answers.Outcome:
    rule, correct = answers.judge(expected, example.intent, actual)
    said = actual.text or ("(conversation restarted)" if actual.restarted else "(nothing)")
    return answers.Outcome(
        text=example.text,
        gold_intent=example.intent,
        family=answers.family(example.intent),
        rule=rule,
        correct=correct,
        said=said,
        predicted_intent=intent,
        cause=""
        if correct
        else answers.cause_of_miss(example.intent, example.entities, intent, entities),
        expected=", ".join(expected.entry_ids) or expected.kind,
    )


@contextlib.contextmanager
def serving(model: Path, work: Path) -> Iterator[Tuple[str, str]]:
    """The project's action server and Rasa server (serving ``model``) on free ports, as
    tests/test_rest_conversation.py starts them; conversations go to a scratch database."""
    from scripts import launch

    token = secrets.token_urlsafe(24)
    overrides = {
        "RASA_API_TOKEN": token,
        "CONVERSATIONS_DB": str(work / "conversations.db"),
        **rasa_nlu.ENV,
    }
    saved = {k: os.environ.get(k) for k in [*overrides, "DATABASE_URL", "REDIS_URL"]}
    os.environ.update(overrides)
    # Never the deployment's database or lock store: these conversations are not patients'.
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    try:
        action_port, rasa_port = launch.free_port(), launch.free_port()
        with (
            launch.action_server(action_port),
            launch.rasa_server(rasa_port, action_port, ["--model", str(model)]),
        ):
            yield f"http://localhost:{rasa_port}", token
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def ask_all(url: str, token: str, examples: Sequence[Example]) -> List[answers.ServerTurn]:
    """Every example as the first message of its own conversation."""
    import requests

    with requests.Session() as session:
        return [answers.ask_server(url, token, e.text, session) for e in examples]


def served_scores(
    examples: Sequence[Example], turns: Sequence[answers.ServerTurn]
) -> report.AnswerScores:
    """Answer-level verdicts of the server's replies."""
    outcomes = [
        _outcome(
            e, answers.expected_reply(e.intent, e.text, e.entities), t.reply(), t.intent, t.entities
        )
        for e, t in zip(examples, turns)
    ]
    return report.AnswerScores(f"{PROJECT.label}, served (REST)", outcomes, key="served")


def with_fallback(parse: Mapping[str, Any], threshold: float, ambiguity: float) -> str:
    """The intent after the project's FallbackClassifier rule (below ``threshold``, or the top
    two within ``ambiguity``: nlu_fallback), for a pipeline that does not apply it itself."""
    ranking = [r for r in parse.get("ranking") or [] if r["name"] != answers.NLU_FALLBACK]
    if parse.get("intent") == answers.NLU_FALLBACK or not ranking:
        return answers.NLU_FALLBACK
    top = float(ranking[0]["confidence"])
    second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
    if top < threshold or top - second < ambiguity:
        return answers.NLU_FALLBACK
    return parse["intent"]


def offline_scores(
    label: str,
    key: str,
    examples: Sequence[Example],
    predictions: Sequence[Tuple[str, List[Dict[str, Any]], List[Dict[str, Any]]]],
    note: str,
) -> report.AnswerScores:
    """Answer-level verdicts of (intent, entities, ranking) predictions, run through the bot's
    rules and assistant without a server."""
    outcomes = []
    for example, (intent, entities, ranking) in zip(examples, predictions):
        actual = answers.bot_reply(intent, example.text, entities, ranking)
        expected = answers.expected_reply(example.intent, example.text, example.entities)
        outcomes.append(_outcome(example, expected, actual, intent, entities))
    return report.AnswerScores(label, outcomes, note=note, key=key)


def ruler_entities(texts: Sequence[str]) -> List[List[Dict[str, Any]]]:
    """The project's spaCy entity_ruler on each text (what SpacyEntityExtractor returns)."""
    import spacy

    spacy_component = _component("SpacyNLP")
    dimensions = set(_component("SpacyEntityExtractor").get("dimensions") or [])
    nlp = spacy.load(spacy_component.get("model", "en_lupus_biologics"))
    return [
        [
            {
                "entity": e.label_,
                "value": e.text,
                "start": e.start_char,
                "end": e.end_char,
                "extractor": "SpacyEntityExtractor",
            }
            for e in nlp(text).ents
            if not dimensions or e.label_ in dimensions
        ]
        for text in texts
    ]


# --- the run ----------------------------------------------------------------------------------


def run(settings: Settings, work: Path) -> report.Results:
    """Everything, in ``work``; returns the results (nothing written outside ``work`` yet)."""
    logs = work / "logs"
    notes: List[str] = []
    drift = rasa_nlu.count_vectors_drift()
    if drift:
        say("WARNING: " + drift)
        notes.append("**" + drift + "**")

    train_all, held_all = training_examples(), held_out_examples()
    if settings.quick:
        train = every_nth_per_intent(train_all, settings.train_every, minimum=4)
        held = every_nth_per_intent(held_all, settings.held_out_every, minimum=1)
        # The NLU subset first: the NLU-only commands use train_data[0].
        train_data: List[Path] = [write_nlu_yaml(train, work / "data" / "nlu.yml"), *DIALOGUE_FILES]
        held_path = write_nlu_yaml(held, work / "data" / "held_out.yml")
    else:
        train, held, held_path = train_all, held_all, HELD_OUT
        train_data = [TRAINING_DATA]
    say(
        f"{len(train)} training examples, {len(held)} held-out examples, {settings.folds} folds, "
        f"seed {settings.seed}" + (", QUICK" if settings.quick else "")
    )

    # 1. Rasa pipelines: train, test on the held-out set, parse it, cross-validate.
    plans: Dict[str, rasa_nlu.Plan] = {}
    for system in RASA_SYSTEMS:
        config = rasa_nlu.write_config(system, work / "configs", settings.epochs)
        plans[system.key] = rasa_nlu.plan(
            system, config, train_data, held_path, settings.folds, work
        )

    def execute(key: str) -> float:
        say(
            f"{key}: train, rasa test nlu (held-out), parse, {settings.folds}-fold "
            f"cross-validation (log: {logs / key}.log)"
        )
        return rasa_nlu.execute(plans[key], settings.seed, logs / f"{key}.log")

    # A smoke run's time goes to starting Rasa and TensorFlow, mostly one core each: two
    # systems at once there. A real run keeps one at a time, so each has the whole machine.
    with ThreadPoolExecutor(max_workers=2 if settings.quick else 1) as pool:
        running = [(key, pool.submit(execute, key)) for key in plans]
        try:
            for key, future in running:
                seconds = future.result()
                say(
                    f"{key}: held-out intent accuracy "
                    f"{report.pct(rasa_nlu.held_out_scores(plans[key]).accuracy)}, CV "
                    f"{report.pct(getattr(rasa_nlu.cv_scores(plans[key]), 'accuracy', None))} "
                    f"({seconds / 60:.1f} min)"
                )
        except BaseException:
            # a failure or Ctrl-C stops the run: the systems still queued do not start
            pool.shutdown(wait=True, cancel_futures=True)
            raise

    held_scores = {key: rasa_nlu.held_out_scores(p) for key, p in plans.items()}
    cv_scores = {key: rasa_nlu.cv_scores(p) for key, p in plans.items()}
    parses = {key: rasa_nlu.parses(p) for key, p in plans.items()}
    for key, scores in held_scores.items():
        from_parse = parses[key]["entity_f1"]
        scores.entity_f1_used = from_parse["DIET+spaCy"]
        if scores.entity_f1 is None:  # DIET found no entity at all: Rasa writes no report
            scores.entity_f1 = from_parse["DIETClassifier"]
        if (
            scores.entity_f1 is not None
            and from_parse["DIETClassifier"] is not None
            and abs(scores.entity_f1 - from_parse["DIETClassifier"]) > 1e-9
        ):
            notes.append(
                f"{key}: DIET entity F1 recomputed from the parses "
                f"({from_parse['DIETClassifier']:.4f}) differs from `rasa test nlu`'s "
                f"({scores.entity_f1:.4f})."
            )
        for example, parse in zip(held, parses[key]["parses"]):
            assert example.text == parse["text"], (example.text, parse["text"])

    # 2. TF-IDF baseline.
    say("TF-IDF baseline: held-out and cross-validation")
    predictions = tfidf_baseline.held_out(train, held)
    accuracy, macro_f1, _ = tfidf_baseline.intent_scores(
        [e.intent for e in held], [p.intent for p in predictions]
    )
    tfidf_held = NluScores(
        accuracy,
        macro_f1,
        len(held),
        pairs=[(e.intent, p.intent) for e, p in zip(held, predictions)],
    )
    tfidf_cv: Optional[NluScores] = None
    if settings.folds:
        gold, predicted = tfidf_baseline.cross_validate(train, settings.folds, settings.seed)
        accuracy, macro_f1, _ = tfidf_baseline.intent_scores(gold, predicted)
        tfidf_cv = NluScores(accuracy, macro_f1, len(gold))

    # 3. Answers through the server.
    say("answers: starting the action server and the Rasa server with the project's model")
    blind_sets = blind_folders(settings)
    with serving(plans[PROJECT.key].model, work) as (url, token):
        say(f"answers: sending {len(held)} held-out questions over REST")
        turns = ask_all(url, token, held)
        blind_summaries = score_blind_sets(url, blind_sets, settings.quick)
    served = served_scores(held, turns)
    say(f"answers: {report.pct(served.accuracy())} correct through the server")
    invented = [(t.text, found) for t in turns if (found := answers.uncurated(t.replies))]

    # 4. The same, offline, for every NLU system.
    threshold = float(_component("FallbackClassifier").get("threshold", 0.3))
    ambiguity = float(_component("FallbackClassifier").get("ambiguity_threshold", 0.1))

    def rasa_predictions(
        key: str, refallback: bool
    ) -> List[Tuple[str, List[Dict[str, Any]], List[Dict[str, Any]]]]:
        return [
            (
                with_fallback(p, threshold, ambiguity) if refallback else p["intent"],
                p["entities"],
                p["ranking"],
            )
            for p in parses[key]["parses"]
        ]

    ruler = ruler_entities([e.text for e in held])
    offline = [
        offline_scores(
            f"{PROJECT.label}, offline", PROJECT.key, held, rasa_predictions(PROJECT.key, False), ""
        ),
        offline_scores(
            f"{COUNT_VECTORS.label}, offline",
            COUNT_VECTORS.key,
            held,
            rasa_predictions(COUNT_VECTORS.key, False),
            "",
        ),
        offline_scores(
            f"{RASA_INIT.label}, offline",
            RASA_INIT.key,
            held,
            rasa_predictions(RASA_INIT.key, True),
            f"`rasa init`'s pipeline has its own FallbackClassifier at 0.3; the "
            f"project's rule (below {threshold}, or top two within {ambiguity}: \"did "
            f"you mean\") is applied on top, as the project's bot would.",
        ),
        offline_scores(
            f"{TFIDF.label} (no entities), offline",
            TFIDF.key,
            held,
            [(p.intent, [], [{"name": p.intent, "confidence": p.similarity}]) for p in predictions],
            "TF-IDF has no calibrated confidence, so it never falls back (it always "
            "answers with its nearest question's intent), and it has no entities;",
        ),
        offline_scores(
            f"{TFIDF.label} + the project's entity_ruler, offline",
            "tfidf+ruler",
            held,
            [
                (p.intent, ents, [{"name": p.intent, "confidence": p.similarity}])
                for p, ents in zip(predictions, ruler)
            ],
            "the second TF-IDF row adds the project's spaCy entity_ruler, to separate "
            "intents from entities.",
        ),
    ]
    project_offline = offline[0]
    disagree = sum(
        1 for a, b in zip(served.outcomes, project_offline.outcomes) if a.correct != b.correct
    )
    notes.append(
        f"The offline simulation of the project agrees with the server on "
        f"{len(held) - disagree} of {len(held)} questions (the server's model is the "
        f"same file; differences would come from the dialogue rules or the actions)."
    )
    named, total = answers.declines_name_the_care_team()
    notes.append(
        f"{named} of {total} curated declines refer to the rheumatologist or care team "
        f"(or say the assistant only answers about biologics in lupus)."
    )

    # 5. Were all four systems cross-validated on the same folds?
    if settings.folds:
        notes.append(same_folds_note(plans, train, settings))
    else:
        notes.append("Cross-validation: not run (`--folds 0`).")

    # 6. Results.
    systems = []
    for system in (*RASA_SYSTEMS, TFIDF):
        held_result = held_scores.get(system.key, tfidf_held)
        cv_result = cv_scores.get(system.key, tfidf_cv)
        systems.append(
            report.SystemResult(system, DESCRIPTIONS[system.key], held_result, cv_result)
        )
    project_errors = [
        (
            e["text"],
            e["intent"],
            e["intent_prediction"]["name"],
            float(e["intent_prediction"].get("confidence") or 0),
        )
        for e in held_scores[PROJECT.key].errors
    ]
    notes += [
        "Seeds: the cross-validation split, DIET and ResponseSelector use the same seed; "
        "TensorFlow on CPU (oneDNN) is still not bit-for-bit reproducible across machines and "
        "thread counts, so expect a few tenths of a point between runs (README: differences "
        "below a point are noise).",
        "Intent accuracy on the held-out set is the classifier's (fallback undone, as `rasa test "
        "nlu` reports it); the answer-level figures include the fallback.",
    ]
    command = reproduce_command(settings)
    return report.Results(
        command=command,
        date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        versions=versions(),
        code=code_version(),
        quick=settings.quick,
        seed=settings.seed,
        folds=settings.folds,
        n_train=len(train),
        n_intents=len({e.intent for e in train}),
        n_held_out=len(held),
        systems=systems,
        served=served,
        offline=offline,
        replies_checked=len(turns),
        invented=invented,
        notes=notes,
        project_errors=project_errors,
        blind=blind_summaries,
        readability=reading_level.rows(),
    )


def same_folds_note(
    plans: Mapping[str, rasa_nlu.Plan], train: Sequence[Any], settings: Settings
) -> str:
    """Whether the four systems were cross-validated on the same folds."""
    recorded = {key: rasa_nlu.recorded_folds(p) for key, p in plans.items()}
    tfidf_folds = [
        sorted(train[i].text for i in fold)
        for fold in tfidf_baseline.cross_validation_folds(train, settings.folds, settings.seed)
    ]
    same = [key for key, folds in recorded.items() if [sorted(f) for f in folds] == tfidf_folds]
    if len(same) == len(recorded):
        return (
            f"Cross-validation folds: identical for all four systems (Rasa's split, seeded "
            f"through eval/rasa_cli.py, checked against StratifiedKFold(random_state={settings.seed}))."
        )
    rasa_same = len({json.dumps([sorted(f) for f in folds]) for folds in recorded.values()}) == 1
    return (
        f"**Cross-validation folds differ**: TF-IDF's match Rasa's for "
        f"{', '.join(same) or 'no system'}; the three Rasa pipelines "
        f"{'share one split' if rasa_same else 'were split differently'}."
    )


def blind_folders(settings: Settings) -> List[Path]:
    """The blind sets to score: tests/blind/<set>/ folders; the fresh batch (fresh-*) only
    with --fresh, since it is scored once."""
    root = ROOT / "tests" / "blind"
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.yml")))
    return [p for p in folders if settings.fresh or not p.name.startswith("fresh")]


def score_blind_sets(url: str, folders: Sequence[Path], quick: bool) -> List[blind.Summary]:
    """Every blind set through the running server (a few items each with --quick)."""
    import requests

    catalogue = blind.Catalogue.load()
    summaries = []
    with requests.Session() as session:
        for folder in folders:
            items = blind.load_items(folder)[: 6 if quick else None]
            say(f"blind set {folder.name}: {len(items)} items over REST")
            summaries.append(
                blind.Summary(
                    folder.name, blind.score(items, blind.server_asker(url, session), catalogue)
                )
            )
    return summaries


def reproduce_command(settings: Settings) -> str:
    """The command that gives these figures (--workdir only keeps files, so it is left out)."""
    parts = ["python", "-m", "eval.run"]
    if settings.quick:
        parts.append("--quick")
    if settings.folds != (2 if settings.quick else 5):
        parts += ["--folds", str(settings.folds)]
    if settings.seed != default_seed():
        parts += ["--seed", str(settings.seed)]
    if settings.fresh:
        parts.append("--fresh")
    default_out = (ROOT / "build" / "eval-quick" if settings.quick else ROOT / "docs").resolve()
    if settings.out != default_out:
        parts += ["--out", str(settings.out)]
    return shlex.join(parts)


def write(results: report.Results, out: Path) -> Path:
    """The Markdown and the plots into ``out`` (images in ``out/images``)."""
    images = out / "images"
    for result in results.systems:
        result.confusion_png = report.plot_confusion(
            result.held_out.pairs,
            f"{result.system.label.replace('`', '')}: held-out intents",
            images / f"{IMAGE_PREFIX}confusion-{result.system.key}.png",
        )
    results.summary_png = report.plot_summary(results, images / f"{IMAGE_PREFIX}summary.png")
    doc = out / DOC_NAME
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(report.markdown(results, doc), encoding="utf-8")
    return doc


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command-line entry point."""
    # Quiet and private also in this process (spaCy's thinc imports TensorFlow).
    for key, value in rasa_nlu.ENV.items():
        os.environ.setdefault(key, value)
    settings = parse_args(list(sys.argv[1:] if argv is None else argv))
    with contextlib.ExitStack() as stack:
        if settings.workdir:
            settings.workdir.mkdir(parents=True, exist_ok=True)
            work = settings.workdir
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lupus-eval-")))
        results = run(settings, work)
        results.minutes = (time.monotonic() - _STARTED) / 60
        doc = write(results, settings.out)
    print()
    print(report.stdout_summary(results))
    print(
        f"\nWrote {doc} and {settings.out / 'images'}/{IMAGE_PREFIX}*.png "
        f"({results.minutes:.1f} min)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
