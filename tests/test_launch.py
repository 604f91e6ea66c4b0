"""`make serve`: both servers start, the command says when they are ready, Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from scripts import launch

pytestmark = pytest.mark.servers


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_serve_is_ready_then_stops_cleanly_on_ctrl_c() -> None:
    rasa_port, action_port = launch.free_port(), launch.free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port)}
    # Started as from a background job of a non-interactive shell (CI), which inherits SIGINT
    # ignored: Ctrl-C must still stop everything.
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.launch", "serve"],
        cwd=launch.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        lines = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Ctrl-C to stop" in line or process.poll() is not None:
                break
        assert any("Ready." in line for line in lines), "".join(lines)
        assert f"http://localhost:{rasa_port}/webhooks/rest/webhook" in "".join(lines)

        reply = requests.post(
            f"http://localhost:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "launch-test", "message": "what is a biologic?"},
            timeout=30,
        )
        assert "produced by living cells" in " ".join(m.get("text", "") for m in reply.json())

        process.send_signal(signal.SIGINT)
        try:
            rest = process.communicate(timeout=90)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(
                "not stopped 90 s after Ctrl-C; it said: " + (process.communicate()[0] or "nothing")
            )
        assert process.returncode == 0, rest
        assert "all servers stopped" in rest
        assert not listening(rasa_port) and not listening(action_port)
    finally:
        if process.poll() is None:
            process.kill()


def _children(pid: int) -> list:
    """PIDs whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                with open(f"/proc/{stat}/stat") as handle:
                    if int(handle.read().rpartition(")")[2].split()[1]) == pid:
                        found.append(int(stat))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def test_servers_stop_when_the_launcher_is_killed_outright() -> None:
    """SIGKILL gives the launcher no chance to stop anything: the servers must go by themselves
    (their parent-death signal) and free both ports."""
    rasa_port, action_port = launch.free_port(), launch.free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.launch", "serve"],
        cwd=launch.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    servers: list = []
    try:
        lines = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Ctrl-C to stop" in line or process.poll() is not None:
                break
        assert any("Ready." in text for text in lines), "".join(lines)
        servers = _children(process.pid)
        assert len(servers) == 2 and listening(rasa_port) and listening(action_port)

        process.kill()  # SIGKILL: no handler, no cleanup
        process.wait(timeout=10)
        # Poll with a deadline: how fast they go is not the point, that they go is.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (listening(rasa_port) or listening(action_port)):
            time.sleep(0.2)
        assert not listening(rasa_port) and not listening(action_port), (
            "a server outlived its launcher"
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in servers):
            time.sleep(0.2)
        assert not [pid for pid in servers if _alive(pid)], (
            "server processes outlived their launcher"
        )
    finally:
        if process.poll() is None:
            process.kill()
        for pid in servers:  # never leave servers behind, whatever failed above
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
