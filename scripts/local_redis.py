"""A throwaway Redis on a free loopback port, for the benchmark's several-workers run.

redis-server comes from the distribution (scripts/install-system-packages.sh installs it);
nothing is persisted, and the server is stopped on exit, whatever happens.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator, Optional

from scripts import launch


def binary() -> Optional[str]:
    """Path of redis-server, or None."""
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").is_file() else None
    )


def _answers_ping(port: int, password: str) -> bool:
    import redis

    with contextlib.suppress(redis.RedisError):
        return bool(
            redis.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=1).ping()
        )
    return False


@contextlib.contextmanager
def redis_server(directory: Path, timeout: float = 20.0) -> Iterator[str]:
    """Start redis-server (password-protected, loopback only) and yield its REDIS_URL."""
    path = binary()
    if path is None:
        raise FileNotFoundError(
            "redis-server is not installed: run scripts/install-system-packages.sh"
        )
    port, password = launch.free_port(), secrets.token_hex(16)
    directory.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            path,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--requirepass",
            password,
            "--dir",
            str(directory),
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=launch.die_with_parent(),
    )
    try:
        deadline = time.monotonic() + timeout
        while not _answers_ping(port, password):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {directory / 'redis.log'}")
            time.sleep(0.2)
        yield f"redis://:{password}@127.0.0.1:{port}/1"
    finally:
        launch.stop(process, timeout=10)
