"""What patients asked that the assistant could not answer, and the answers rated unhelpful.

    .venv/bin/python -m scripts.report [--from 2026-11-01] [--to 2026-11-30] [--out reports]
    make report FROM=2026-11-01 TO=2026-11-30

Reads the tracker store (DATABASE_URL, or var/conversations.db), prints two tables and writes
them as CSV for curators:
- unanswered-<from>_<to>.csv: questions that fell to out-of-scope, "not covered" or
  clarification, grouped by similarity, with counts: candidates for new training examples or
  new answers. Messages with nothing left to compare once markup and medicine names are taken
  out (a bare "Benlysta", only emoji, only markup) are grouped apart and counted, last;
- unhelpful-<from>_<to>.csv: answers people said did not help, with the question asked.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from stores.events import StoredEvent, engine, iter_events

ROOT = Path(__file__).resolve().parent.parent
# Turns the assistant could not answer from the page.
UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope", "ask_not_covered", "other_language")
# Questions closer than this (cosine distance of character n-grams, medicine names left out)
# are one group.
GROUPING_DISTANCE = 0.6
# Markup a public widget receives (tags, character references): no words of the person's.
_MARKUP = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;")
# The kinds of group; the last two hold messages with nothing left to compare.
QUESTIONS, ONLY_A_NAME, NO_WORDS = "question", "only a medicine name", "no words"


@dataclass
class Group:
    """Similar unanswered questions."""

    questions: List[str]
    topic: str = ""  # the uncovered topic of knowledge/not_covered.yml, if any
    kind: str = QUESTIONS  # or ONLY_A_NAME, NO_WORDS: grouped apart, nothing to compare
    intents: Counter = field(default_factory=Counter)
    first_seen: float = 0.0
    last_seen: float = 0.0

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def example(self) -> str:
        """The most frequent wording (the first one on a tie)."""
        return Counter(q.lower() for q in self.questions).most_common(1)[0][0]


@dataclass(frozen=True)
class Unhelpful:
    """An answer rated "No, it didn't" help."""

    when: float
    answers: Tuple[str, ...]
    question: str


def unanswered(events: Iterable[StoredEvent]) -> List[Tuple[str, str, float]]:
    """(question, intent, time) of every user message the page could not answer."""
    found = []
    for event in events:
        if event.type_name == "user" and event.intent_name in UNANSWERED_INTENTS:
            text = str(event.data.get("text") or "").strip()
            if text and not text.startswith("/"):
                found.append((text, event.intent_name, event.timestamp))
    return found


def unhelpful(events: Iterable[StoredEvent]) -> List[Unhelpful]:
    """Answers rated unhelpful, with the user's question that got each answer."""
    found: List[Unhelpful] = []
    last_user: Dict[str, str] = {}
    asked: Dict[str, str] = {}  # the question that got the conversation's last answer
    for event in events:
        if event.type_name == "user":
            last_user[event.sender_id] = str(event.data.get("text") or "")
        elif event.type_name == "slot" and event.data.get("name") == "last_answers":
            asked[event.sender_id] = last_user.get(event.sender_id, "")
        elif event.type_name == "slot" and event.data.get("name") == "feedback":
            value = event.data.get("value") or {}
            if isinstance(value, dict) and value.get("helpful") is False:
                found.append(
                    Unhelpful(
                        event.timestamp,
                        tuple(value.get("answers") or ()),
                        asked.get(event.sender_id, ""),
                    )
                )
    return found


def _similar(texts: Sequence[str]) -> List[int]:
    """Cluster labels: average-linkage clustering of character n-gram vectors. A text with no
    n-gram at all (cosine distance is undefined for it) is a group of its own."""
    if len(texts) < 2:
        return list(range(len(texts)))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Plain term frequencies: with a few dozen questions, IDF mostly amplifies noise.
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), use_idf=False, sublinear_tf=True
    )
    try:
        matrix = vectors.fit_transform(texts).toarray()
    except ValueError:  # "empty vocabulary": not one n-gram in any text
        return list(range(len(texts)))
    filled = [i for i, row in enumerate(matrix) if row.any()]
    labels = [len(texts) + i for i in range(len(texts))]  # apart from every cluster label
    if len(filled) >= 2:
        clusters = (
            AgglomerativeClustering(
                n_clusters=None,
                distance_threshold=GROUPING_DISTANCE,
                affinity="cosine",
                linkage="average",
            )
            .fit_predict(matrix[filled])
            .tolist()
        )
        for index, label in zip(filled, clusters):
            labels[index] = label
    return labels


def _kind(question: str, cleaned: str) -> str:
    """QUESTIONS when words remain to compare; else what the message was."""
    from lupus_faq.language.text import words

    if cleaned:
        return QUESTIONS
    return ONLY_A_NAME if words(_MARKUP.sub(" ", question)) else NO_WORDS


def group_questions(items: Sequence[Tuple[str, str, float]]) -> List[Group]:
    """Group similar questions: first by the uncovered topic they are about (cost, side
    effects...), then by wording, with the medicine's name left out ("hair loss on
    Benlysta" and "is belimumab causing my hair loss" are one question)."""
    from lupus_faq.knowledge.entities import DRUG
    from lupus_faq.language import load_language

    language = load_language()
    cleaned = [
        language.lexicon.without(DRUG, _MARKUP.sub(" ", question)) for question, _, _ in items
    ]
    keys: List[Tuple[str, str, int]] = [("", "", 0)] * len(items)  # (kind, topic, label)
    by_topic: Dict[str, List[int]] = defaultdict(list)
    for index, (question, _, _) in enumerate(items):
        kind = _kind(question, cleaned[index])
        if kind != QUESTIONS:  # nothing to compare: grouped apart, by kind
            keys[index] = (kind, "", 0)
            continue
        topic = language.uncovered.detect(question)
        by_topic[topic.name if topic else ""].append(index)
    for topic, indexes in by_topic.items():
        for index, label in zip(indexes, _similar([cleaned[i] for i in indexes])):
            keys[index] = (QUESTIONS, topic, label)
    groups: Dict[Tuple[str, str, int], Group] = defaultdict(lambda: Group([]))
    for key, (question, intent, when) in zip(keys, items):
        group = groups[key]
        group.kind, group.topic = key[0], key[1]
        group.questions.append(question)
        group.intents[intent] += 1
        group.first_seen = min(group.first_seen or when, when)
        group.last_seen = max(group.last_seen, when)
    order = {QUESTIONS: 0, ONLY_A_NAME: 1, NO_WORDS: 2}  # the questions first, the leftovers last
    return sorted(groups.values(), key=lambda g: (order[g.kind], -g.count, g.example))


def _day(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")


def write_reports(
    groups: List[Group], rated: List[Unhelpful], out: Path, label: str
) -> Tuple[Path, Path]:
    """Write the two CSV files; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    unanswered_csv, unhelpful_csv = out / f"unanswered-{label}.csv", out / f"unhelpful-{label}.csv"
    with unanswered_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "group",
                "count",
                "example",
                "topic",
                "intents",
                "first_seen",
                "last_seen",
                "questions",
                "kind",
            ]
        )
        for number, group in enumerate(groups, 1):
            intents = "; ".join(f"{name} {n}" for name, n in group.intents.most_common())
            writer.writerow(
                [
                    number,
                    group.count,
                    group.example,
                    group.topic,
                    intents,
                    _day(group.first_seen),
                    _day(group.last_seen),
                    " | ".join(sorted(set(group.questions))),
                    group.kind,
                ]
            )
    with unhelpful_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "answers", "question"])
        for item in sorted(rated, key=lambda r: r.when):
            writer.writerow([_day(item.when), " ".join(item.answers), item.question])
    return unanswered_csv, unhelpful_csv


def _parse_day(value: Optional[str], default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    today = dt.datetime.now(dt.timezone.utc).date()
    parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: 30 days ago)")
    parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument(
        "--database-url", default=None, help="default: DATABASE_URL or var/conversations.db"
    )
    args = parser.parse_args(argv)
    start = _parse_day(args.start, today - dt.timedelta(days=30))
    end = _parse_day(args.end, today)
    since = dt.datetime.combine(start, dt.time.min, dt.timezone.utc).timestamp()
    until = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time.min, dt.timezone.utc
    ).timestamp()

    events = list(iter_events(engine(args.database_url), since, until))
    groups = group_questions(unanswered(events))
    rated = unhelpful(events)
    label = f"{start}_{end}"
    unanswered_csv, unhelpful_csv = write_reports(groups, rated, args.out, label)

    questions = [g for g in groups if g.kind == QUESTIONS]
    print(
        f"Unanswered questions {start} to {end}: {sum(g.count for g in questions)} in {len(questions)} groups"
    )
    for number, group in enumerate(groups, 1):
        if group.kind == QUESTIONS:
            topic = f"  [{group.topic}]" if group.topic else ""
            print(f"  {number:>3}. {group.count:>4} x  {group.example}{topic}")
    leftovers = [g for g in groups if g.kind != QUESTIONS]
    if leftovers:
        print(
            "Messages with nothing left to group once markup and medicine names are out: "
            + ", ".join(f"{g.kind} {g.count} (e.g. {g.example!r})" for g in leftovers)
        )
    print(f"Answers rated unhelpful: {len(rated)}")
    for item in rated:
        print(f"  {_day(item.when)}  {' '.join(item.answers):<30}  {item.question}")
    print(
        f"==> Written {unanswered_csv.relative_to(ROOT) if unanswered_csv.is_relative_to(ROOT) else unanswered_csv}"
        f" and {unhelpful_csv.name}"
    )


if __name__ == "__main__":
    main()
