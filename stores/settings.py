"""Where conversations and locks are kept, read from the environment (no Rasa import).

DATABASE_URL  SQLAlchemy URL of the tracker store, e.g. postgresql://user:pass@host:5432/rasa;
              unset: an SQLite file, var/conversations.db in the project (or CONVERSATIONS_DB).
REDIS_URL     redis://[user:pass@]host:6379/1 for the lock store; unset: in-memory locks
              (one Rasa server only).
SANIC_WORKERS Rasa's own variable: worker processes of one Rasa server (default 1). More than
              one only with REDIS_URL set (sanic_workers()).
RETENTION_DAYS  how long conversations are kept (scripts/retention.py), default 30.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "conversations.db"
DEFAULT_RETENTION_DAYS = 30


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """The tracker store's SQLAlchemy URL."""
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style "postgres://" is not a dialect SQLAlchemy 1.4 knows.
        return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url
    path = Path(environ.get("CONVERSATIONS_DB") or DEFAULT_SQLITE)
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class RedisSettings:
    """Connection settings of the Redis lock store."""

    host: str
    port: int
    db: int
    username: Optional[str]
    password: Optional[str]
    use_ssl: bool


def redis_settings(environ: Mapping[str, str] = os.environ) -> Optional[RedisSettings]:
    """The Redis lock store's settings, or None for in-memory locks."""
    url = environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must start with redis:// or rediss://, not {parsed.scheme}://")
    return RedisSettings(
        host=parsed.hostname or "localhost",
        port=parsed.port or 6379,
        db=int((parsed.path or "/1").lstrip("/") or 1),
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        use_ssl=parsed.scheme == "rediss",
    )


def retention_days(environ: Mapping[str, str] = os.environ) -> int:
    """Days conversations are kept before `make purge` deletes them."""
    return int(environ.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


class WorkersNeedRedis(ValueError):
    """SANIC_WORKERS asks for several workers without the Redis lock store (or is not a number)."""


def sanic_workers(environ: Mapping[str, str] = os.environ) -> int:
    """The Rasa server's worker processes: SANIC_WORKERS, 1 when unset.

    Rasa honours SANIC_WORKERS with any lock store class named in endpoints.yml, ours included,
    even when that class resolves to in-memory locks. Each worker is a process of its own: with
    in-memory locks two workers could process two messages of one conversation at once, and a
    turn would be answered out of order or lost. So several workers are allowed only with the
    Redis lock store; anything else raises WorkersNeedRedis with what to do.
    """
    raw = environ.get("SANIC_WORKERS", "").strip()
    if not raw:
        return 1
    try:
        workers = int(raw)
    except ValueError:
        workers = 0
    if workers < 1:
        raise WorkersNeedRedis(f"SANIC_WORKERS must be a whole number of 1 or more, not {raw!r}.")
    if workers > 1 and redis_settings(environ) is None:
        raise WorkersNeedRedis(
            f"SANIC_WORKERS={workers} needs the Redis lock store: each worker is a separate process, "
            "and in-memory conversation locks would let two workers process one conversation's "
            "messages at once. Set REDIS_URL (redis://host:6379/1), or unset SANIC_WORKERS to run "
            "one worker."
        )
    return workers
