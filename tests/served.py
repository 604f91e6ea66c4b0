"""The servers the REST, API-security and bad-input tests share, set up as deployed: an API
token and a JWT secret, a CORS allow-list, a log file. Starting a Rasa server loads the model
(most of a minute), so these tests start one pair for all of them (tests/conftest.py `served`;
the tests that use it run first among the server tests)."""

from __future__ import annotations

import contextlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Tuple

import pytest

from scripts import launch

API_TOKEN = "test-api-token-0123456789"
JWT_SECRET = "test-jwt-secret-0123456789-0123456789-abcdef"
ALLOWED_ORIGIN = "https://patients.example.org"


@dataclass(frozen=True)
class Served:
    """Where the shared Rasa server listens, the file it logs to, and the two processes."""

    url: str
    log: Path
    processes: Tuple[subprocess.Popen, ...]

    def check(self) -> "Served":
        """Itself, or a test failure naming the log when a server has exited (a test that
        crashed it shows there, not as a connection error in the next module)."""
        if any(p.poll() is not None for p in self.processes):
            pytest.fail(f"a shared test server has exited; see {self.log}")
        return self


@contextlib.contextmanager
def running(log: Path) -> Iterator[Served]:
    """An action server and a Rasa server on free ports, until the block ends."""
    if not launch.MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    action_port, rasa_port = launch.free_port(), launch.free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RASA_API_TOKEN", API_TOKEN)
        env.setenv("RASA_JWT_SECRET", JWT_SECRET)
        env.setenv("CORS_ORIGINS", f"{ALLOWED_ORIGIN} http://localhost:8000")
        with (
            launch.action_server(action_port) as actions,
            launch.rasa_server(rasa_port, action_port, extra_args=["--log-file", str(log)]) as rasa,
        ):
            # the servers keep these settings; the tests after them get the defaults back
            env.undo()
            yield Served(f"http://localhost:{rasa_port}", log, (actions, rasa))
