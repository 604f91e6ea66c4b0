"""Start the assistant's processes: the action server, then `rasa shell` or the Rasa server.

    python -m scripts.launch chat     # action server in the background + rasa shell
    python -m scripts.launch serve    # action server + Rasa server (REST, socketio), until Ctrl-C
    python -m scripts.launch run      # the same + the demo web page with the chat widget

Settings come from the environment: RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8000),
CORS_ORIGINS (the demo page's origin), RASA_API_TOKEN / RASA_JWT_SECRET (HTTP API access),
SANIC_WORKERS (Rasa server workers, more than 1 only with REDIS_URL: stores/settings.py).
The tests use the same functions to start real servers on free ports.

The servers never outlive the launcher: Ctrl-C, SIGTERM and SIGHUP (a closed terminal) stop
them in order, and if the launcher dies without a word (SIGKILL, the OOM killer) the kernel
sends each server SIGTERM (a parent-death signal, Linux), which Rasa and its workers obey.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import yaml

from stores.settings import WorkersNeedRedis, sanic_workers

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "lupus-biologics.tar.gz"
LOGS = ROOT / "logs"
DEFAULT_RASA_PORT = 5005
DEFAULT_ACTION_PORT = 5055
DEFAULT_WEB_PORT = 8000
# For servers started outside `make` too: no telemetry, fewer start-up notices in the logs.
QUIET_DEFAULTS = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
}


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def cors_origins() -> List[str]:
    """Origins allowed to call the Rasa server from a browser: CORS_ORIGINS (space or comma
    separated), by default only the demo page. Never "*"."""
    configured = os.environ.get("CORS_ORIGINS", "").replace(",", " ").split()
    return configured or [f"http://localhost:{_port('WEB_PORT', DEFAULT_WEB_PORT)}"]


def api_auth_args() -> List[str]:
    """Rasa's HTTP API is never open: a token (RASA_API_TOKEN) and/or a JWT secret
    (RASA_JWT_SECRET); with neither, a random token nobody knows, so the API answers 401 while
    the channel webhooks stay public."""
    args: List[str] = []
    # "--option=value": a secret may start with "-", which argparse would take for an option.
    if os.environ.get("RASA_JWT_SECRET"):
        args += [f"--jwt-secret={os.environ['RASA_JWT_SECRET']}", "--jwt-method=HS256"]
    token = os.environ.get("RASA_API_TOKEN")
    if token or not args:
        args.append(f"--auth-token={token or secrets.token_urlsafe(32)}")
    return args


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


def process_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment of a started process: the quiet defaults, the caller's, then ``extra``."""
    return {**QUIET_DEFAULTS, **os.environ, **(extra or {})}


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Loaded here, before any fork: the child between fork and exec should only make the call.
_LIBC = (
    ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if sys.platform == "linux"
    else None
)


def die_with_parent() -> Optional[Callable[[], None]]:
    """A ``preexec_fn`` giving the child SIGTERM when the thread that started it ends (Linux).

    The kernel ties the parent-death signal to the creating *thread*: only the main thread's
    end is the launcher's end, so children started from other threads (tests start servers
    from a thread pool) get none, or they would be stopped when that thread finished.
    """
    if _LIBC is None or threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()

    def preexec() -> None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def start(
    command: List[str], log_name: str, env: Optional[Dict[str, str]] = None
) -> subprocess.Popen:
    """Start ``command`` from the project root, its output going to logs/<log_name>.log."""
    LOGS.mkdir(exist_ok=True)
    log = (LOGS / f"{log_name}.log").open("ab")
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=process_env(env),
        start_new_session=True,  # Ctrl-C in the terminal goes to us; we stop it in order
        preexec_fn=die_with_parent(),
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
        # Bounded: a Ctrl-C that lands inside Popen.poll() can leave Popen's internal lock taken
        # (CPython bpo-29988), and an unbounded wait() would then hang forever.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)


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
    port: int,
    action_port: int,
    extra_args: Optional[List[str]] = None,
    env: Optional[Dict[str, str]] = None,
) -> Iterator[subprocess.Popen]:
    """The Rasa server (channels of credentials.yml, HTTP API behind a token) on ``port``,
    ready, stopped on exit. ``extra_args`` come last, so they override the defaults; ``env``
    adds to the environment (SANIC_WORKERS, REDIS_URL...)."""
    command = [
        str(BIN / "rasa"),
        "run",
        "--enable-api",
        "--port",
        str(port),
        "--model",
        str(MODEL),
        "--endpoints",
        str(write_endpoints(action_port)),
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--cors",
        *cors_origins(),
        *api_auth_args(),
        *(extra_args or []),
    ]
    process = start(command, "rasa-server", env)
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
            # Rasa's shell, with its Ctrl-C-at-a-menu crash fixed (scripts/rasa_shell.py).
            returncode = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "scripts.rasa_shell",
                    "--model",
                    str(MODEL),
                    "--port",
                    str(rasa_port),
                    "--endpoints",
                    str(write_endpoints(action_port)),
                ],
                cwd=ROOT,
                env=process_env(),
                # Not a session of its own (it reads the terminal), but it still goes if we die.
                preexec_fn=die_with_parent(),
            ).returncode
        except KeyboardInterrupt:
            pass
    print("==> Chat closed, action server stopped.")
    return returncode


def _channel_summary() -> List[str]:
    try:
        from channels.settings import describe
    except ImportError:  # pragma: no cover - only while the channels package is absent
        return []
    return describe(os.environ)


def _api_note() -> str:
    if os.environ.get("RASA_API_TOKEN") or os.environ.get("RASA_JWT_SECRET"):
        return "HTTP API: token/JWT from RASA_API_TOKEN / RASA_JWT_SECRET required"
    return "HTTP API: locked (set RASA_API_TOKEN to use it)"


def serve(rasa_port: int, action_port: int, web_port: Optional[int] = None) -> int:
    """Action server, Rasa server (and the demo page if ``web_port``) until Ctrl-C, SIGTERM or
    SIGHUP."""
    # Ctrl-C works even when started from a background shell job, which inherits SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)  # the terminal was closed
    try:
        with contextlib.ExitStack() as stack:
            print(
                f"==> Starting the action server on port {action_port} (log: logs/action-server.log)"
            )
            stack.enter_context(action_server(action_port))
            print(f"==> Starting the Rasa server on port {rasa_port} (log: logs/rasa-server.log)")
            rasa = stack.enter_context(rasa_server(rasa_port, action_port))
            lines = [
                f"REST channel: POST http://localhost:{rasa_port}/webhooks/rest/webhook"
                ' with {"sender": "me", "message": "what is a biologic?"}',
                f"Socket.IO channel: http://localhost:{rasa_port} (path /socket.io)",
                _api_note(),
                f"CORS allowed origins: {' '.join(cors_origins())}",
                *_channel_summary(),
            ]
            if web_port is not None:
                from scripts import web_server

                stack.enter_context(web_server.serve(web_port, f"http://localhost:{rasa_port}"))
                lines.insert(0, f"Demo page with the chat widget: http://localhost:{web_port}")
            print("==> Ready.\n    " + "\n    ".join(lines) + "\n==> Ctrl-C to stop.", flush=True)
            # From here Ctrl-C, SIGTERM and SIGHUP only set a flag: an exception raised in the middle of
            # rasa.poll() could leave the Popen object unusable for stopping the server.
            stopping = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, lambda *_: stopping.set())
            while rasa.poll() is None and not stopping.wait(0.5):
                pass
            if stopping.is_set():
                # Said before the servers are stopped, which can take a few seconds each.
                print("\n==> Stopping the servers...", flush=True)
                stack.close()
                print("==> Stopping: all servers stopped.", flush=True)
                return 0
            print(
                f"==> The Rasa server exited with code {rasa.returncode}; see logs/rasa-server.log"
            )
            return rasa.returncode or 1
    except KeyboardInterrupt:
        print("==> Stopping: all servers stopped.", flush=True)
        return 0


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["chat", "serve", "run"])
    args = parser.parse_args()
    try:
        workers = sanic_workers()
    except WorkersNeedRedis as refusal:  # said before anything starts, not in a server's log
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    if not MODEL.exists():
        print(
            f"error: no trained model at {MODEL.relative_to(ROOT)}; run `make train`",
            file=sys.stderr,
        )
        return 1
    if workers > 1:
        print(
            f"==> The Rasa server runs {workers} workers (SANIC_WORKERS), locks in Redis (REDIS_URL). "
            "The widget connects by WebSocket (one worker keeps its session); a Socket.IO client "
            "on the polling transport may lose its session (docs/production.md)"
        )
    rasa_port = _port("RASA_PORT", DEFAULT_RASA_PORT)
    action_port = _port("ACTION_PORT", DEFAULT_ACTION_PORT)
    if args.command == "chat":
        return chat(rasa_port, action_port)
    web_port = _port("WEB_PORT", DEFAULT_WEB_PORT) if args.command == "run" else None
    return serve(rasa_port, action_port, web_port)


if __name__ == "__main__":
    sys.exit(main())
