"""Reading and deleting conversation events straight from the SQL tracker store.

Rasa's SQLTrackerStore keeps one row per event in the table `events` (sender_id, type_name,
timestamp, intent_name, action_name, data as JSON). The curation report and the retention
command work on those rows; they need no Rasa server and no model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import sqlalchemy as sa

from stores.settings import database_url

EVENTS = "events"


@dataclass(frozen=True)
class StoredEvent:
    """One event of one conversation."""

    sender_id: str
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Dict[str, Any]


def engine(url: Optional[str] = None) -> sa.engine.Engine:
    """An engine on the tracker store (DATABASE_URL, or the default SQLite file)."""
    return sa.create_engine(url or database_url())


def _table(db: sa.engine.Engine) -> Optional[sa.Table]:
    database = db.url.database
    if db.url.get_backend_name() == "sqlite" and database and not Path(database).exists():
        return None  # the server never ran: nothing stored (and no empty file created)
    if not sa.inspect(db).has_table(EVENTS):
        return None  # nothing was ever stored
    return sa.Table(EVENTS, sa.MetaData(), autoload_with=db)


def iter_events(
    db: sa.engine.Engine, since: float = 0.0, until: float = float("inf")
) -> Iterator[StoredEvent]:
    """Events stored between two UNIX times, conversation by conversation, in order."""
    table = _table(db)
    if table is None:
        return
    query = (
        sa.select(table).where(table.c.timestamp >= since).order_by(table.c.sender_id, table.c.id)
    )
    if until != float("inf"):
        query = query.where(table.c.timestamp < until)
    with db.connect() as connection:
        for row in connection.execute(query):
            try:
                data = json.loads(row.data or "{}")
            except ValueError:
                data = {}
            yield StoredEvent(
                row.sender_id, row.type_name, row.timestamp, row.intent_name, row.action_name, data
            )


def delete_before(db: sa.engine.Engine, cutoff: float) -> int:
    """Delete every event stored before the UNIX time ``cutoff``; return how many."""
    table = _table(db)
    if table is None:
        return 0
    with db.begin() as connection:
        return connection.execute(sa.delete(table).where(table.c.timestamp < cutoff)).rowcount
