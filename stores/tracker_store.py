"""SQL tracker store whose database comes from DATABASE_URL (SQLite file when unset)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from stores.settings import database_url


class EnvSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore, pointed at DATABASE_URL, or at var/conversations.db."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = make_url(database_url())
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
            **kwargs,
        )
        if url.get_backend_name() == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per session by default; the Rasa
            # server uses the store from its one event-loop thread, so one kept connection per
            # thread serves every turn, and the pragmas below are set once.
            # (Rasa assigns `engine` without a type mypy can infer.)
            url_in_use = self.engine.url  # type: ignore[has-type]
            self.engine.dispose()  # type: ignore[has-type]
            self.engine = sa.create_engine(url_in_use, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Rasa's own query, reading only the events' JSON column: building an ORM object for
        every stored event was a sixth of a turn's time in long conversations (README,
        "Benchmarks")."""
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            )
            events = [json.loads(row.data) for row in query.with_entities(self.SQLEvent.data).all()]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    """Write-ahead logging: readers don't wait for the writer, and a commit costs one sync
    of the log instead of two of the database (still durable at each checkpoint)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
