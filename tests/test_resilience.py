"""When the action server is down or slow, the user is told to try again, and answers resume."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
import requests

from scripts import launch

pytestmark = pytest.mark.servers

TRY_AGAIN = "can't answer right now"


def say(url: str, sender: str, message: str) -> tuple:
    started = time.monotonic()
    response = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert response.status_code == 200
    return " ".join(m.get("text", "") for m in response.json()), time.monotonic() - started


def test_action_server_down_then_back(tmp_path) -> None:
    action_port, rasa_port = launch.free_port(), launch.free_port()  # nothing on action_port yet
    with launch.rasa_server(
        rasa_port, action_port, extra_args=["--log-file", str(tmp_path / "rasa.log")]
    ):
        url = f"http://localhost:{rasa_port}"
        text, seconds = say(url, "down", "how does benlysta work")
        assert TRY_AGAIN in text and seconds < 10

        with launch.action_server(action_port):
            text, _ = say(url, "down", "how does benlysta work")
            assert "self-reactive B lymphocytes" in text
            text, _ = say(url, "down", "how is it given?")  # the conversation's context survived
            assert "once a month" in text


class _SlowActions(BaseHTTPRequestHandler):
    """An action server that answers after `delay` seconds."""

    delay = 6.0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._reply({"status": "ok"})

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(self.delay)
        self._reply({"events": [], "responses": [{"text": "A late answer."}]})

    def _reply(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_action_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowActions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_a_slow_action_server_gets_a_try_again_reply_in_time(
    slow_action_server, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("REPLY_TIMEOUT_SECONDS", "2")
    rasa_port = launch.free_port()
    action_port = slow_action_server.server_address[1]
    with launch.rasa_server(
        rasa_port, action_port, extra_args=["--log-file", str(tmp_path / "rasa.log")]
    ):
        url = f"http://localhost:{rasa_port}"
        text, seconds = say(url, "slow", "how does benlysta work")
        assert TRY_AGAIN in text
        assert seconds < 5  # not the action server's 6 s, nor Rasa's own 300 s timeout

        _SlowActions.delay = 0.0  # the action server recovers
        try:
            time.sleep(6)  # let the late turn finish in the background
            text, _ = say(url, "slow", "how does benlysta work")
            assert "A late answer." in text
        finally:
            _SlowActions.delay = 6.0
