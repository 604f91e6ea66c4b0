"""Curators' tools on a real tracker store: the report of unanswered questions and unhelpful
answers, and the retention command."""

from __future__ import annotations

import asyncio
import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts import report
from stores import events as stored

ROOT = Path(__file__).resolve().parent.parent
DAY = 86400.0


def _save_conversations(url: str, now: float) -> None:
    """Store conversations the way the Rasa server does, with Rasa's SQLTrackerStore."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from stores.tracker_store import EnvSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = EnvSQLTrackerStore(domain=domain)

    def user(text: str, intent: str, when: float) -> UserUttered:
        return UserUttered(text, {"name": intent, "confidence": 0.4}, timestamp=when)

    def save(sender: str, events: list) -> None:
        tracker = DialogueStateTracker.from_events(sender, events, slots=domain.slots)
        asyncio.run(store.save(tracker))

    save(
        "alice",
        [
            user("does benlysta cause hair loss", "ask_not_covered", now - 3600),
            user("is belimumab causing my hair loss?", "ask_not_covered", now - 3500),
            user("hair loss on benlysta??", "ask_not_covered", now - 3400),
            user("what's the weather", "out_of_scope", now - 3300),
            user("how are biologics made", "faq_biologic_production", now - 3200),
            ActionExecuted("action_answer_question", timestamp=now - 3199),
            BotUttered("A biologic is produced by living cells...", timestamp=now - 3199),
            SlotSet("last_answers", ["biologic_production"], timestamp=now - 3199),
            user("/deny", "deny", now - 3100),
            ActionExecuted("action_record_feedback", timestamp=now - 3099),
            SlotSet(
                "feedback",
                {"helpful": False, "answers": ["biologic_production"]},
                timestamp=now - 3099,
            ),
        ],
    )
    save(
        "bob",
        [
            user("blorp zzz", "nlu_fallback", now - 10 * DAY),
            user("hair loss from benlysta", "ask_not_covered", now - 60 * DAY),
        ],
    )


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_report_groups_unanswered_questions_and_lists_unhelpful_answers(
    database, tmp_path, capsys
) -> None:
    now = time.time()
    _save_conversations(database, now)
    today = time.strftime("%Y-%m-%d", time.gmtime(now))
    start = time.strftime("%Y-%m-%d", time.gmtime(now - 30 * DAY))
    report.main(["--from", start, "--to", today, "--out", str(tmp_path / "out")])

    printed = capsys.readouterr().out
    assert "Unanswered questions" in printed and "Answers rated unhelpful: 1" in printed
    rows = list(csv.DictReader((tmp_path / "out" / f"unanswered-{start}_{today}.csv").open()))
    assert rows[0]["count"] == "3" and "hair loss" in rows[0]["example"]  # the three wordings
    assert rows[0]["topic"] == "side_effects"
    assert sum(int(r["count"]) for r in rows) == 5  # hair loss x3, weather, blorp; not 60 days ago
    assert any("weather" in r["questions"] for r in rows)
    unhelpful = list(csv.DictReader((tmp_path / "out" / f"unhelpful-{start}_{today}.csv").open()))
    rated_on = time.strftime("%Y-%m-%d", time.gmtime(now - 3100))  # an hour ago: not always today
    assert unhelpful == [
        {"date": rated_on, "answers": "biologic_production", "question": "how are biologics made"}
    ]


def test_retention_deletes_only_what_is_older_than_the_limit(database) -> None:
    now = time.time()
    _save_conversations(database, now)
    db = stored.engine(database)
    before = list(stored.iter_events(db))
    result = subprocess.run(
        [sys.executable, "-m", "scripts.retention", "--days", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    after = list(stored.iter_events(db))
    assert "Deleted 1 conversation events older than 30 days" in result.stdout
    assert len(after) == len(before) - 1
    assert all(e.timestamp >= now - 30 * DAY for e in after)


def test_an_empty_store_gives_an_empty_report(database, tmp_path) -> None:
    report.main(["--out", str(tmp_path / "out")])
    assert list(stored.iter_events(stored.engine(database))) == []


# Junk every public widget receives, saved as unanswered turns: nothing is left of these once
# markup and medicine names are out (the report crashed on them: "Cosine affinity cannot be used
# when X contains zero vectors").
ONLY_NAMES = ["Benlysta", "benlysta??", "Saphnelo!!! 🙏", "RITUXIMAB"]
NO_WORDS = ["😀😀", "🙏", "<b></b>", "<p>&nbsp;</p>", "???", "…"]


def test_report_groups_apart_what_has_no_words_left(database, tmp_path, capsys) -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from stores.tracker_store import EnvSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = EnvSQLTrackerStore(domain=domain)
    now = time.time()
    texts = [
        "what's the weather",
        "does benlysta cause hair loss",
        "hair loss on saphnelo?",
        *ONLY_NAMES,
        *NO_WORDS,
    ]
    for n, text in enumerate(texts):
        events = [
            UserUttered(text, {"name": "nlu_fallback", "confidence": 0.2}, timestamp=now - 100 + n)
        ]
        asyncio.run(
            store.save(DialogueStateTracker.from_events(f"junk-{n}", events, slots=domain.slots))
        )

    today = time.strftime("%Y-%m-%d", time.gmtime(now))
    report.main(["--from", today, "--to", today, "--out", str(tmp_path / "out")])

    printed = capsys.readouterr().out
    assert "Unanswered questions" in printed and "3 in 2 groups" in printed
    assert (
        f"only a medicine name {len(ONLY_NAMES)}" in printed
        and f"no words {len(NO_WORDS)}" in printed
    )
    rows = list(
        csv.DictReader(
            (tmp_path / "out" / f"unanswered-{today}_{today}.csv").open(encoding="utf-8")
        )
    )
    assert sum(int(r["count"]) for r in rows) == len(texts), "every message is counted once"
    by_kind = {r["kind"]: r for r in rows if r["kind"] != "question"}
    assert set(by_kind["only a medicine name"]["questions"].split(" | ")) == set(ONLY_NAMES)
    assert set(by_kind["no words"]["questions"].split(" | ")) == set(NO_WORDS)
    assert [r["kind"] for r in rows][-2:] == ["only a medicine name", "no words"], (
        "apart, after the questions"
    )


def test_grouping_never_fails_on_what_people_type() -> None:
    """Any mix of messages, however empty, gets groups and loses none."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(
        [
            "benlysta",
            "Saphnelo",
            "😀",
            "<br>",
            "&amp;",
            "?",
            " ",
            "hair",
            "loss",
            "cost",
            "a",
            "é",
            "中",
            "_",
            "\u200b",
            "\n",
        ]
    )
    messages = st.lists(st.lists(pieces, max_size=6).map("".join), min_size=1, max_size=12)

    @settings(max_examples=60, deadline=None)
    @given(messages)
    def check(texts) -> None:
        items = [(text, "nlu_fallback", 1_000_000.0 + i) for i, text in enumerate(texts)]
        groups = report.group_questions(items)
        assert sorted(q for g in groups for q in g.questions) == sorted(texts)

    check()
