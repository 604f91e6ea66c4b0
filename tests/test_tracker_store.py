"""The SQL tracker store gives back exactly the conversation Rasa's own store would."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import EnvSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EnvSQLTrackerStore:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'conversations.db'}")
    return EnvSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")))


def _session(first: float, question: str, drug: str) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=first),
        SessionStarted(timestamp=first),
        ActionExecuted("action_listen", timestamp=first),
        UserUttered(
            question,
            {"name": "faq_drug_children", "confidence": 0.97},
            entities=[{"entity": "drug", "value": drug, "start": 0, "end": 3}],
            timestamp=first + 1,
        ),
        ActionExecuted("action_answer_question", timestamp=first + 2),
        BotUttered(
            "Belimumab can be used in children from 5 years.",
            {"buttons": [{"title": "How is it given?", "payload": "/faq"}]},
            timestamp=first + 2,
        ),
        SlotSet("drugs", [drug], timestamp=first + 2),
        ActionExecuted("action_listen", timestamp=first + 3),
    ]


def test_the_latest_session_and_the_full_history_come_back_unchanged(
    store: EnvSQLTrackerStore,
) -> None:
    events = _session(1000.0, "can kids take benlysta", "belimumab") + _session(
        9000.0, "and saphnelo?", "anifrolumab"
    )
    asyncio.run(
        store.save(DialogueStateTracker.from_events("parent-1", events, slots=store.domain.slots))
    )

    latest = asyncio.run(store.retrieve("parent-1"))
    rasas = asyncio.run(SQLTrackerStore._retrieve(store, "parent-1", False))
    assert list(latest.events) == list(rasas.events) == events[8:]
    assert latest.get_slot("drugs") == ["anifrolumab"]
    assert latest.latest_message.text == "and saphnelo?"

    full = asyncio.run(store.retrieve_full_tracker("parent-1"))
    assert list(full.events) == events


def test_an_unknown_sender_has_no_conversation(store: EnvSQLTrackerStore) -> None:
    assert asyncio.run(store.retrieve("nobody")) is None
