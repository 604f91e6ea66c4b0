"""Several Rasa workers, safely: SANIC_WORKERS above 1 only with the Redis lock store, and each
worker accepting connections of its own (stores/settings.py, stores/lock_store.py,
stores/workers.py). The throughput they give is measured by `make bench`, not here."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stores.settings import WorkersNeedRedis, sanic_workers

ROOT = Path(__file__).resolve().parent.parent
REDIS = {"REDIS_URL": "redis://localhost:6379/1"}


@pytest.mark.parametrize(
    "environ, workers",
    [
        ({}, 1),
        ({"SANIC_WORKERS": "1"}, 1),
        ({"SANIC_WORKERS": " "}, 1),
        ({"SANIC_WORKERS": "2", **REDIS}, 2),
        ({"SANIC_WORKERS": "4", **REDIS}, 4),
    ],
)
def test_workers_allowed(environ, workers) -> None:
    assert sanic_workers(environ) == workers


def test_several_workers_without_redis_are_refused_with_what_to_do() -> None:
    with pytest.raises(WorkersNeedRedis) as refusal:
        sanic_workers({"SANIC_WORKERS": "2"})
    message = str(refusal.value)
    assert "SANIC_WORKERS=2 needs the Redis lock store" in message
    assert "REDIS_URL" in message and "unset SANIC_WORKERS" in message


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_nonsense_worker_counts_are_refused(value) -> None:
    with pytest.raises(WorkersNeedRedis, match="whole number"):
        sanic_workers({"SANIC_WORKERS": value, **REDIS})


def test_rasa_would_run_several_workers_so_the_lock_store_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rasa accepts SANIC_WORKERS with any custom lock store class, ours included, even when it
    resolves to in-memory locks: the class itself refuses, in each worker, before serving."""
    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.utils import number_of_sanic_workers
    from rasa.utils.endpoints import EndpointConfig

    from stores.lock_store import EnvLockStore

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(EndpointConfig(type="stores.lock_store.EnvLockStore")) == 2
    with pytest.raises(WorkersNeedRedis, match="needs the Redis lock store"):
        EnvLockStore()
    monkeypatch.setenv("SANIC_WORKERS", "1")
    assert isinstance(EnvLockStore(), InMemoryLockStore)


def test_launcher_refuses_before_starting_anything() -> None:
    env = {"PATH": "/usr/bin:/bin", "SANIC_WORKERS": "2", "RASA_PORT": "1", "ACTION_PORT": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "scripts.launch", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SANIC_WORKERS=2 needs the Redis lock store" in result.stderr
    assert "Starting" not in result.stdout


# Two forked worker processes share one listening socket, as Sanic's workers do; each takes a
# socket of its own; connections made afterwards reach both, and all are accepted.
_TWO_WORKERS = textwrap.dedent("""
    import multiprocessing, socket, sys
    sys.path.insert(0, sys.argv[1])
    from stores.workers import own_listening_socket

    def worker(ready, counts):
        assert own_listening_socket() is not None
        listener = socket.socket(fileno=__import__("os").dup(shared.fileno()))
        listener.settimeout(2)
        ready.put(True)
        accepted = 0
        try:
            while True:
                connection, _ = listener.accept()
                accepted += 1
                connection.close()
        except socket.timeout:
            counts.put(accepted)

    shared = socket.socket()
    shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    shared.bind(("127.0.0.1", 0))
    shared.listen(100)
    shared.set_inheritable(True)
    context = multiprocessing.get_context("fork")
    ready, counts = context.Queue(), context.Queue()
    workers = [context.Process(target=worker, args=(ready, counts)) for _ in range(2)]
    for process in workers:
        process.start()
    for _ in workers:
        ready.get(timeout=20)
    for _ in range(200):
        socket.create_connection(shared.getsockname(), timeout=5).close()
    print(sorted(counts.get(timeout=30) for _ in workers))
    print(shared.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
""")


@pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT balancing is Linux's")
def test_each_worker_gets_a_listening_socket_of_its_own(tmp_path: Path) -> None:
    script = tmp_path / "two_workers.py"
    script.write_text(_TWO_WORKERS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    counts, still_listening = result.stdout.split("\n")[:2]
    low, high = eval(counts)  # noqa: S307 - our own script's printed list
    assert low + high == 200, "every connection was accepted (none left on the shared socket)"
    assert low > 0, f"both workers accept connections, not one: {counts}"
    assert still_listening == "0", "the shared socket no longer listens"


def test_outside_a_worker_process_nothing_is_changed() -> None:
    from stores.workers import own_listening_socket

    assert own_listening_socket() is None
