"""The results of a run, as Markdown (docs/benchmarks-accuracy.md), on stdout, and as PNGs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from eval import reading_level
from eval.answers import FAMILIES, JUDGING, Outcome
from eval.rasa_nlu import NluScores, System

# Targets of the issue.
TARGET_INTENT_ACCURACY = 0.95
TARGET_ANSWER_ACCURACY = 0.95
TARGET_RED_FLAG_RECALL = 1.0
MAX_SHOWN = 100  # characters of a reply shown in the misses


@dataclass
class AnswerScores:
    """Answer-level verdicts of one system on the held-out questions."""

    label: str
    outcomes: List[Outcome]
    note: str = ""
    key: str = ""  # the System's key, for the offline rows

    def accuracy(self, family: Optional[str] = None) -> Optional[float]:
        """Share of correct replies (of one family if given); None if there are none."""
        chosen = [o for o in self.outcomes if family is None or o.family == family]
        return sum(o.correct for o in chosen) / len(chosen) if chosen else None

    def count(self, family: Optional[str] = None) -> Tuple[int, int]:
        """(correct, total)."""
        chosen = [o for o in self.outcomes if family is None or o.family == family]
        return sum(o.correct for o in chosen), len(chosen)

    @property
    def red_flag_recall(self) -> Optional[float]:
        """Share of the gold red-flag questions answered with the emergency reply."""
        return self.accuracy("red flags")

    @property
    def misses(self) -> List[Outcome]:
        """The wrong replies."""
        return [o for o in self.outcomes if not o.correct]


@dataclass
class SystemResult:
    """Everything measured for one NLU system."""

    system: System
    description: str
    held_out: NluScores
    cv: Optional[NluScores]
    confusion_png: Optional[Path] = None


@dataclass
class Results:
    """One run of `python -m eval.run`."""

    command: str
    date: str
    machine: str
    versions: str
    code: str  # the git commit measured
    quick: bool
    seed: int
    folds: int
    n_train: int
    n_intents: int
    n_held_out: int
    systems: List[SystemResult]
    served: AnswerScores
    offline: List[AnswerScores]
    replies_checked: int
    invented: List[Tuple[str, List[str]]]  # (question, sentences found in no curated text)
    notes: List[str] = field(default_factory=list)
    summary_png: Optional[Path] = None
    minutes: float = 0.0
    project_errors: List[Tuple[str, str, str, float]] = field(default_factory=list)
    blind: List[Any] = field(default_factory=list)  # eval.blind.Summary, one per blind set
    readability: List[Tuple[str, float, float, float, float]] = field(default_factory=list)


def pct(value: Optional[float]) -> str:
    """0.9567 -> "95.7 %"; None -> "n/a"."""
    return "n/a" if value is None else f"{100 * value:.1f} %"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |"
        for row in rows
    ]
    return lines


def _short(text: str, limit: int = MAX_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nlu_tables(results: Results) -> List[str]:
    """Intent accuracy, macro-F1 and entity F1, held-out and cross-validation side by side."""
    cv = f"{results.folds}-fold CV on data/" if results.folds else "CV (not run)"
    held = f"held-out (n={results.n_held_out})"
    out = ["### Intent accuracy", ""]
    out += _table(
        ["system", held, cv],
        [
            [r.system.label, pct(r.held_out.accuracy), pct(r.cv.accuracy if r.cv else None)]
            for r in results.systems
        ],
    )
    out += ["", "### Intent macro-F1", ""]
    out += _table(
        ["system", held, cv],
        [
            [r.system.label, pct(r.held_out.macro_f1), pct(r.cv.macro_f1 if r.cv else None)]
            for r in results.systems
        ],
    )
    out += ["", "### Entity F1 (micro over entity types, token level as `rasa test nlu`)", ""]
    out += _table(
        ["system", f"DIET, {held}", f"DIET, {cv}", f"entities the bot uses, {held}"],
        [
            [
                r.system.label,
                pct(r.held_out.entity_f1),
                pct(r.cv.entity_f1 if r.cv else None),
                pct(r.held_out.entity_f1_used),
            ]
            for r in results.systems
        ],
    )
    return out


def answer_table(results: Results) -> List[str]:
    """Answer-level accuracy: the served bot, then every NLU system offline."""
    rows = []
    for scores in [results.served, *results.offline]:
        cells = [scores.label, _count(scores, None)]
        cells += [_count(scores, family) for family in FAMILIES]
        rows.append(cells)
    header = [
        "system",
        "all",
        *(f"{f}" + (" (= red-flag recall)" if f == "red flags" else "") for f in FAMILIES),
    ]
    return _table(header, rows)


def _count(scores: AnswerScores, family: Optional[str]) -> str:
    correct, total = scores.count(family)
    return f"{pct(correct / total if total else None)} ({correct}/{total})"


def targets(results: Results) -> List[Tuple[str, str, str, bool]]:
    """(target, required, measured, met)."""
    project = results.systems[0]
    served = results.served
    recall = served.red_flag_recall
    return [
        (
            "intent accuracy, held-out (project)",
            f">= {pct(TARGET_INTENT_ACCURACY)}",
            pct(project.held_out.accuracy),
            project.held_out.accuracy >= TARGET_INTENT_ACCURACY,
        ),
        (
            "answer-level accuracy, held-out, through the server",
            f">= {pct(TARGET_ANSWER_ACCURACY)}",
            pct(served.accuracy()),
            (served.accuracy() or 0) >= TARGET_ANSWER_ACCURACY,
        ),
        (
            "red-flag recall, through the server",
            pct(TARGET_RED_FLAG_RECALL),
            pct(recall),
            recall is not None and recall >= TARGET_RED_FLAG_RECALL,
        ),
        (
            "replies with an invented sentence",
            "0",
            str(len(results.invented)),
            not results.invented,
        ),
    ]


def misses_by_cause(scores: AnswerScores) -> Dict[str, List[Outcome]]:
    """The wrong replies, grouped by why they were wrong."""
    grouped: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in scores.misses:
        grouped[outcome.cause].append(outcome)
    return dict(sorted(grouped.items(), key=lambda item: -len(item[1])))


def baseline_wins(results: Results) -> List[str]:
    """Where a baseline beats the project (measure, baseline, by how much)."""
    project = results.systems[0]
    found = []
    measures = [
        ("held-out intent accuracy", lambda r: r.held_out.accuracy),
        ("held-out macro-F1", lambda r: r.held_out.macro_f1),
        ("CV intent accuracy", lambda r: r.cv.accuracy if r.cv else None),
        ("CV macro-F1", lambda r: r.cv.macro_f1 if r.cv else None),
        ("held-out entity F1 (DIET)", lambda r: r.held_out.entity_f1),
        ("CV entity F1 (DIET)", lambda r: r.cv.entity_f1 if r.cv else None),
    ]
    for name, get in measures:
        mine = get(project)
        for other in results.systems[1:]:
            theirs = get(other)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(f"{name}: {other.system.label} {pct(theirs)} against {pct(mine)}")
    project_offline = next((s for s in results.offline if s.key == project.system.key), None)
    if project_offline:
        for other in results.offline:
            if other is project_offline:
                continue
            if (other.accuracy() or 0) > (project_offline.accuracy() or 0):
                found.append(
                    f"answer-level (offline): {other.label} {pct(other.accuracy())} "
                    f"against {pct(project_offline.accuracy())}"
                )
    return found


def markdown(results: Results, doc: Path) -> str:
    """The whole docs/benchmarks-accuracy.md."""
    rel = lambda p: Path(p).resolve().relative_to(doc.parent.resolve()).as_posix()  # noqa: E731
    lines = [
        "# Accuracy benchmarks",
        "",
        "Generated by `"
        + results.command
        + "` (`make eval`); do not edit by hand."
        + (" **Quick smoke run: tiny sizes, the figures mean nothing.**" if results.quick else ""),
        "",
        f"- Date: {results.date}; run time {results.minutes:.0f} min",
        f"- Machine: {results.machine}",
        f"- Versions: {results.versions}; code: {results.code}",
        f"- Data: {results.n_train} training examples in {results.n_intents} intents (data/), "
        f"{results.n_held_out} held-out examples (tests/nlu_test.yml, written separately); "
        + (
            f"{results.folds}-fold stratified cross-validation on the training examples"
            if results.folds
            else "no cross-validation (`--folds 0`)"
        )
        + f"; seed "
        f"{results.seed} for the folds, DIET and ResponseSelector.",
        "",
        "## Systems compared",
        "",
    ]
    lines += _table(
        ["system", "what it is"], [[r.system.label, r.description] for r in results.systems]
    )
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "required", "measured", "met"],
        [[t, req, got, "met" if ok else "**missed**"] for t, req, got, ok in targets(results)],
    )
    wins = baseline_wins(results)
    lines += [
        "",
        "Where a baseline beats the project: " + ("; ".join(wins) + "." if wins else "nowhere."),
        "",
    ]
    lines += ["## NLU", ""]
    lines += [
        "Three Rasa pipelines scored by `rasa test nlu` (held-out: trained on all of data/; "
        "cross-validation: `--cross-validation`), the TF-IDF baseline by scikit-learn on the "
        "same examples and folds. Intent scores are the classifier's intent before the "
        "FallbackClassifier (`rasa test nlu` undoes the fallback); macro-F1 averages over the "
        'gold intents. "Entities the bot uses" adds the spaCy entity_ruler '
        "(`SpacyEntityExtractor`, which `rasa test nlu` leaves out as a pretrained extractor) "
        "to DIET's entities, scored with Rasa's own alignment code; cross-validated it would "
        "need the per-fold parses, which Rasa's cross-validation does not keep.",
        "",
    ]
    lines += nlu_tables(results)
    lines += ["", "Confusion matrices (held-out; log colour scale, counts in the cells):", ""]
    for r in results.systems:
        if r.confusion_png:
            lines.append(f"- [{r.system.label}]({rel(r.confusion_png)})")
    if results.summary_png:
        lines += ["", f"![Summary]({rel(results.summary_png)})"]
    if results.project_errors:
        lines += ["", f"Held-out intent errors of the project ({len(results.project_errors)}):", ""]
        lines += _table(
            ["text", "gold", "predicted", "confidence"],
            [[_short(t, 80), g, p, f"{c:.2f}"] for t, g, p, c in results.project_errors],
        )
    lines += [
        "",
        "## Answers",
        "",
        "Each held-out question is sent as the first message of a new conversation to the "
        "running assistant (action server + Rasa server with the project's model trained in "
        "this run, REST channel), so NLU, entities, fallback, rules, routing and the actions "
        "all take part. The expected reply is what the bot's own rules and `lupus_faq` "
        "assistant give for the gold intent and gold entities. The other rows feed each "
        "system's predictions to the same rules and assistant offline (no server).",
        "",
    ]
    lines += answer_table(results)
    lines += [
        "",
        "Offline simulation details: " + " ".join(s.note for s in results.offline if s.note),
        "",
    ]
    lines += ["How a reply is judged:", "", JUDGING, ""]
    lines += blind_section(results)
    lines += reading_level.section(results.readability)
    lines += [
        "## Invented facts",
        "",
        f"Every sentence and button title of the {results.replies_checked} replies the server "
        "gave was looked up in the curated texts (knowledge/answers.yml rendered, "
        "messages.yml, not_covered.yml, red_flags.yml, domain.yml responses). Replies with "
        f"a sentence found nowhere: **{len(results.invented)}**.",
        "",
    ]
    if results.invented:
        lines += _table(
            ["question", "sentences not curated"],
            [[_short(q, 60), _short(" / ".join(s), 160)] for q, s in results.invented],
        )
        lines.append("")
    lines += ["## Misses through the server", ""]
    grouped = misses_by_cause(results.served)
    if not grouped:
        lines.append("None.")
    lines.append(
        ", ".join(f"{cause}: {len(items)}" for cause, items in grouped.items()) + "."
        if grouped
        else ""
    )
    for cause, items in grouped.items():
        lines += ["", f"### {cause} ({len(items)})", ""]
        lines += _table(
            ["question", "gold", "NLU said", "expected", "the bot said"],
            [
                [
                    _short(o.text, 70),
                    o.gold_intent,
                    o.predicted_intent or "",
                    o.expected,
                    _short(o.said),
                ]
                for o in items
            ],
        )
    lines += ["", "## Notes", ""]
    lines += [f"- {note}" for note in results.notes]
    lines += [
        "",
        "Regenerate with `" + results.command + "` (or `make eval`); the raw outputs "
        "(models, `rasa test` reports, parses) are kept with `--workdir DIR`.",
    ]
    return "\n".join(lines).rstrip() + "\n"


def blind_section(results: Results) -> List[str]:
    """The blind sets beside the held-out set, both error directions."""
    if not results.blind:
        return []
    from eval import blind

    faq, declines = results.served.count("FAQ"), results.served.count("declines")
    flags = results.served.count("red flags")
    lines = [
        "## Questions nobody here wrote: the blind sets",
        "",
        "Written by people given only the source page and a description of who writes "
        "(tests/blind/BRIEF.md), labelled with the replies that count as right without "
        "seeing the assistant, frozen with their date, never patched into the training "
        "data, the word lists or the tests. Every item is played as a new conversation "
        "through the running server; a fresh batch (`fresh-*`) is scored once, untouched "
        "(`make eval FRESH=1`). How a turn is judged: eval/blind.py.",
        "",
        f"For comparison, the held-out set through the same server: page questions "
        f"{_count(results.served, 'FAQ')}, declines {_count(results.served, 'declines')}, "
        f"emergencies {_count(results.served, 'red flags')}"
        f" ({faq[0] + declines[0] + flags[0]} of {faq[1] + declines[1] + flags[1]}).",
        "",
    ]
    lines += blind.table(results.blind).splitlines()
    lines += [
        "",
        blind.MISS_KINDS,
        "",
    ]
    return lines


def stdout_summary(results: Results) -> str:
    """The tables, for the terminal."""
    lines = nlu_tables(results) + ["", "### Answer-level accuracy", ""] + answer_table(results)
    lines += ["", "### Targets", ""]
    lines += _table(
        ["target", "required", "measured", "met"],
        [[t, req, got, "met" if ok else "MISSED"] for t, req, got, ok in targets(results)],
    )
    lines += [
        "",
        f"Replies with an invented sentence: {len(results.invented)} of {results.replies_checked}",
    ]
    grouped = misses_by_cause(results.served)
    lines += [
        "",
        "Misses through the server by cause: "
        + (", ".join(f"{c}: {len(i)}" for c, i in grouped.items()) or "none"),
    ]
    for cause, items in grouped.items():
        for o in items:
            lines.append(
                f"  [{cause}] {_short(o.text, 60)!r} gold={o.gold_intent} nlu={o.predicted_intent} "
                f"-> {_short(o.said, 70)!r}"
            )
    return "\n".join(lines)


# --- plots ------------------------------------------------------------------------------------


def plot_confusion(pairs: Sequence[Tuple[str, str]], title: str, path: Path) -> Path:
    """Confusion matrix of (gold, predicted) intents, in the style of Rasa's own (counts, log
    colour scale) but with the system named and at a size that fits a page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LogNorm
    from sklearn.metrics import confusion_matrix

    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    matrix = confusion_matrix([g for g, _ in pairs], [p for _, p in pairs], labels=labels)
    size = max(6.0, 0.32 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(
        np.ma.masked_equal(matrix, 0),
        cmap="Blues",
        aspect="auto",
        norm=LogNorm(vmin=1, vmax=max(1, int(matrix.max()))),
    )
    fig.colorbar(image, ax=ax, fraction=0.04)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    threshold = matrix.max() / 2
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(
                    j,
                    i,
                    str(matrix[i, j]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if matrix[i, j] > threshold else "black",
                )
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("gold intent")
    correct = sum(1 for g, p in pairs if g == p)
    ax.set_title(f"{title}\n{correct}/{len(pairs)} correct", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(fig)
    return path


def plot_summary(results: Results, path: Path) -> Path:
    """Bars: held-out and CV intent accuracy, and offline answer-level accuracy, per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = [r.system.label.replace("`", "") for r in results.systems]
    offline = {s.key: s.accuracy() for s in results.offline}
    series = {
        "intent accuracy, held-out": [r.held_out.accuracy for r in results.systems],
        f"intent accuracy, {results.folds}-fold CV": [
            r.cv.accuracy if r.cv else 0 for r in results.systems
        ],
        "answer-level, held-out (offline)": [
            offline.get(r.system.key) or 0 for r in results.systems
        ],
    }
    if not results.folds:  # no cross-validation, no bar for it
        del series[f"intent accuracy, {results.folds}-fold CV"]
    x = np.arange(len(labels))
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for k, (name, values) in enumerate(series.items()):
        bars = ax.bar(x + (k - 1) * width, [100 * v for v in values], width, label=name)
        ax.bar_label(bars, fmt="%.1f", fontsize=7)
    ax.axhline(100 * TARGET_INTENT_ACCURACY, color="grey", linestyle="--", linewidth=1)
    ax.set_xticks(x, labels, fontsize=9)
    ax.set_ylabel("%")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(series))
    ax.set_title(
        "Lupus Biologics Assistant: accuracy by NLU system (dashed: 95 % target)", fontsize=10
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(fig)
    return path
