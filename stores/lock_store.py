"""Lock store chosen by REDIS_URL: Redis when set (several Rasa servers or workers), in memory
otherwise (one Rasa server with one worker: SANIC_WORKERS above 1 is refused)."""

from __future__ import annotations

import os
from typing import Optional

import redis.lock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.settings import redis_settings, sanic_workers
from stores.workers import own_listening_socket


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore with its ticket bookkeeping atomic across Rasa servers.

    Rasa 3.6.21 reads a conversation's ticket lock, changes it and writes it back in separate
    Redis calls (issue_ticket, update_lock, cleanup). Two servers receiving messages for one
    conversation at the same moment can then take the same ticket and process both turns at
    once, and the SQL tracker store drops one turn's events (RasaHQ/rasa#9213; Rasa's fix,
    #11256, was reverted in #11428). Each of these steps here holds a short per-conversation
    Redis mutex (redis-py's Lock: SET NX PX, released by token); the ticket lock itself is
    Rasa's, unchanged.
    """

    MUTEX_SECONDS = 10

    def _mutex(self, conversation_id: str) -> "redis.lock.Lock":
        """A short Redis mutex for one conversation's ticket bookkeeping."""
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=self.MUTEX_SECONDS,
            blocking_timeout=self.MUTEX_SECONDS,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)


class EnvLockStore(LockStore):
    """Stands for (atomic) RedisLockStore or InMemoryLockStore, whichever the environment asks for.

    Rasa instantiates a custom lock store class from endpoints.yml; returning the real store
    from ``__new__`` keeps Rasa's own, tested implementations doing the work.
    """

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:
        # Rasa starts SANIC_WORKERS workers for any custom lock store class, this one included;
        # each worker builds its lock store here, so this is where in-memory locks shared by
        # nobody would be handed to several workers. Refuse (WorkersNeedRedis says what to do).
        # With several workers (and Redis), this is also each worker's last moment before it
        # starts serving: it takes a listening socket of its own (stores/workers.py).
        if sanic_workers() > 1:
            own_listening_socket(int(os.environ.get("SANIC_BACKLOG") or 100))
        settings = redis_settings()
        if settings is None:
            return InMemoryLockStore()
        key_prefix = endpoint_config.kwargs.get("key_prefix") if endpoint_config else None
        return AtomicRedisLockStore(
            host=settings.host,
            port=settings.port,
            db=settings.db,
            username=settings.username,
            password=settings.password,
            use_ssl=settings.use_ssl,
            key_prefix=key_prefix,
        )
