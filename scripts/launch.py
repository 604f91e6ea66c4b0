"""Start the assistant's processes: the action server, then `rasa shell` or the Rasa server.

    python -m scripts.launch chat     # action server in the background + rasa shell
    python -m scripts.launch serve    # action server + Rasa server (REST), until Ctrl-C

Ports come from the environment: RASA_PORT (default 5005), ACTION_PORT (default 5055).
The tests use the same functions to start real servers on free ports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "lupus-biologics.tar.gz"
LOGS = ROOT / "logs"
DEFAULT_RASA_PORT = 5005
DEFAULT_ACTION_PORT = 5055


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_endpoints(action_port: int, path: Optional[Path] = None) -> Path:
    """endpoints.yml with the action server's URL on ``action_port``."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": f"http://localhost:{action_port}/webhook"}
    path = path or ROOT / "build" / f"endpoints-{action_port}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    """Poll ``url`` until it answers; fail early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start(command: List[str], log_name: str, env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    """Start ``command`` from the project root, its output going to logs/<log_name>.log."""
    LOGS.mkdir(exist_ok=True)
    log = (LOGS / f"{log_name}.log").open("ab")
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # Ctrl-C in the terminal goes to us; we stop it in order
    )


def stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a started server: SIGTERM, then SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def action_server(port: int) -> Iterator[subprocess.Popen]:
    """The action server on ``port``, ready, stopped on exit."""
    process = start([str(BIN / "rasa"), "run", "actions", "--port", str(port)], "action-server")
    try:
        wait_until_up(f"http://localhost:{port}/health", process)
        yield process
    finally:
        stop(process)


@contextlib.contextmanager
def rasa_server(
    port: int, action_port: int, extra_args: Optional[List[str]] = None
) -> Iterator[subprocess.Popen]:
    """The Rasa server (REST channel and HTTP API) on ``port``, ready, stopped on exit."""
    command = [
        str(BIN / "rasa"), "run", "--enable-api", "--port", str(port),
        "--model", str(MODEL), "--endpoints", str(write_endpoints(action_port)),
        "--credentials", str(ROOT / "credentials.yml"), *(extra_args or []),
    ]
    process = start(command, "rasa-server")
    try:
        wait_until_up(f"http://localhost:{port}/", process)
        yield process
    finally:
        stop(process)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the servers the same way Ctrl-C does."""
    raise KeyboardInterrupt


def chat(rasa_port: int, action_port: int) -> int:
    """Action server in the background, `rasa shell` in the foreground."""
    print(f"==> Starting the action server on port {action_port} (log: logs/action-server.log)")
    returncode = 0
    with action_server(action_port):
        print("==> Starting the chat. Type your question; /stop or Ctrl-C to quit.")
        try:
            returncode = subprocess.run(
                [str(BIN / "rasa"), "shell", "--model", str(MODEL), "--port", str(rasa_port),
                 "--endpoints", str(write_endpoints(action_port))],
                cwd=ROOT,
            ).returncode
        except KeyboardInterrupt:
            pass
    print("==> Chat closed, action server stopped.")
    return returncode


def serve(rasa_port: int, action_port: int) -> int:
    """Action server and Rasa server until Ctrl-C (or SIGTERM)."""
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"==> Starting the action server on port {action_port} (log: logs/action-server.log)")
    try:
        with action_server(action_port):
            print(f"==> Starting the Rasa server on port {rasa_port} (log: logs/rasa-server.log)")
            with rasa_server(rasa_port, action_port) as rasa:
                print(f"==> Ready. REST channel: POST http://localhost:{rasa_port}/webhooks/rest/webhook"
                      ' with {"sender": "me", "message": "what is a biologic?"}. Ctrl-C to stop.')
                while rasa.poll() is None:
                    time.sleep(0.5)
                print(f"==> The Rasa server exited with code {rasa.returncode}; see logs/rasa-server.log")
                return rasa.returncode or 1
    except KeyboardInterrupt:
        print("\n==> Stopping: both servers stopped.")
        return 0


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["chat", "serve"])
    args = parser.parse_args()
    if not MODEL.exists():
        print(f"error: no trained model at {MODEL.relative_to(ROOT)}; run `make train`", file=sys.stderr)
        return 1
    rasa_port = int(os.environ.get("RASA_PORT", DEFAULT_RASA_PORT))
    action_port = int(os.environ.get("ACTION_PORT", DEFAULT_ACTION_PORT))
    return chat(rasa_port, action_port) if args.command == "chat" else serve(rasa_port, action_port)


if __name__ == "__main__":
    sys.exit(main())
