"""Shared fixtures: the knowledge base, the assistant, Rasa SDK trackers for the actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml

from lupus_faq.dialogue import Assistant, get_assistant
from lupus_faq.knowledge import Knowledge, load_knowledge
from tests import served as shared_servers

ROOT = Path(__file__).resolve().parent.parent
# Cheapest first: plain Python tests, then the trained model, then real servers.
_STAGES = ("model", "servers")


@pytest.fixture(scope="session", autouse=True)
def _conversations_in_a_scratch_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Servers started by the tests keep their conversations away from var/ (and each other's
    runs); a test that needs PostgreSQL sets DATABASE_URL itself."""
    import os

    os.environ.setdefault(
        "CONVERSATIONS_DB", str(tmp_path_factory.mktemp("db") / "conversations.db")
    )


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    def stage(item: pytest.Item) -> Tuple[int, bool]:
        marks = {m.name for m in item.iter_markers()}
        # the tests that share the servers of `served` together, first among their stage
        shared = "served" in getattr(item, "fixturenames", ())
        return next((i + 1 for i, name in enumerate(_STAGES) if name in marks), 0), not shared

    items.sort(key=stage)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[shared_servers.Served]:
    """One action server and one Rasa server for the tests that only talk to them
    (tests/served.py), started when the first of them needs it."""
    with shared_servers.running(tmp_path_factory.mktemp("served") / "rasa.log") as running:
        yield running


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def assistant() -> "Assistant":
    return get_assistant()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def make_tracker() -> Callable[..., Any]:
    """A Rasa SDK tracker whose latest user message has the given intent, text and entities."""
    from rasa_sdk import Tracker

    def build(
        text: str,
        intent: Optional[str] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        ranking: Optional[List[Dict[str, Any]]] = None,
        events: Optional[List[Dict[str, Any]]] = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9} if intent else {},
            "entities": entities or [],
            "intent_ranking": ranking or [],
        }
        history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
        return Tracker(
            sender_id="test-user",
            slots=dict(slots or {}),
            latest_message=latest,
            events=history,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return build
