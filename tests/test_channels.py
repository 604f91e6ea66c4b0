"""The messaging-app channels, end to end and offline.

A local stub plays Telegram's, Slack's, Facebook's and Twilio's APIs and records every call.
The real action server and Rasa server run with all four channels switched on by environment
variables, their API URLs pointing at the stub. Each test posts a webhook in the provider's
own format (signed the way the provider signs it) and waits, bounded, until the stub receives
the API call that carries the answer to the right chat, user or number.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
import yaml

from channels import settings
from channels.buttons import numbered_text, paragraphs
from channels.telegram import TelegramOutput
from channels.twilio import TwilioOutput
from lupus_faq.knowledge import load_knowledge
from scripts import launch

pytestmark = pytest.mark.servers

# The line under numbered options, in English (the channel writes it in the reply's language).
CHOOSE_PROMPT = load_knowledge().texts("en").message("choose_prompt")
QUESTION = "can my child take benlysta?"
ANSWER = "from 5 years of age"  # in the answer to QUESTION (knowledge/answers.yml)
CHILDREN_PAYLOAD = '/faq_drug_children{"drug":"belimumab"}'
WAIT = 45.0  # seconds: the longest any reply may take to reach the stub

TELEGRAM_TOKEN = "123456:ABC-test-token_xyz"
TELEGRAM_BOT = "LupusTestBot"
TELEGRAM_SECRET = "telegram-secret_123"
SLACK_TOKEN = "xoxb-test-token"
SLACK_SECRET = "slack-signing-secret-test"
FACEBOOK_VERIFY = "verify-me-123"
FACEBOOK_SECRET = "facebook-app-secret-test"
FACEBOOK_PAGE_TOKEN = "EAAtestpagetoken"
TWILIO_SID = "AC" + "0" * 31 + "1"
TWILIO_TOKEN = "twilio-auth-token-test"
TWILIO_NUMBER = "+15005550006"
PUBLIC = "https://bot.example.org"  # the public address the providers post to
TWILIO_WEBHOOK_URL = f"{PUBLIC}/webhooks/twilio/webhook"
SECRETS = (
    TELEGRAM_TOKEN,
    TELEGRAM_SECRET,
    SLACK_TOKEN,
    SLACK_SECRET,
    FACEBOOK_VERIFY,
    FACEBOOK_SECRET,
    FACEBOOK_PAGE_TOKEN,
    TWILIO_TOKEN,
)


# --- the providers' APIs, played by a local stub --------------------------------------------


@dataclass
class Call:
    """One request the stub received."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes
    form: Dict[str, str] = field(default_factory=dict)
    json: Any = None

    def text(self) -> str:
        """The message text it carries, whatever the provider calls it."""
        if isinstance(self.json, dict):
            message = self.json.get("message")
            return str(self.json.get("text") or (message or {}).get("text") or "")
        return self.form.get("text") or self.form.get("Body") or ""


def _parse_body(content_type: str, body: bytes) -> Dict[str, str]:
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        return {
            part.get_param("name", header="content-disposition"): part.get_content()
            for part in message.iter_parts()
        }
    return {}


class Stub:
    """Telegram, Slack, Facebook and Twilio APIs on one local port, recording every call."""

    def __init__(self) -> None:
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                content_type = self.headers.get("Content-Type") or ""
                call = Call(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    form=_parse_body(content_type, body),
                    json=json.loads(body)
                    if content_type.startswith("application/json") and body
                    else None,
                )
                with stub._lock:
                    stub.calls.append(call)
                status, answer = stub.answer(call)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Stub":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def answer(call: Call) -> tuple:
        """What the real provider answers (the parts the clients read)."""
        if call.path.startswith("/telegram/"):
            method = call.path.rsplit("/", 1)[-1]
            if method == "getMe":
                return 200, {
                    "ok": True,
                    "result": {
                        "id": 123456,
                        "is_bot": True,
                        "first_name": "Lupus",
                        "username": TELEGRAM_BOT,
                    },
                }
            if method == "sendMessage":
                chat_id = int(call.form.get("chat_id", 0))
                return 200, {
                    "ok": True,
                    "result": {
                        "message_id": 7,
                        "date": int(time.time()),
                        "text": call.form.get("text", ""),
                        "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": 123456, "is_bot": True, "first_name": "Lupus"},
                    },
                }
            return 200, {"ok": True, "result": True}  # setWebhook, answerCallbackQuery
        if call.path.startswith("/slack/"):
            if isinstance(call.json, dict) and "as_user" in call.json:
                # What Slack answers to bot tokens of apps created since 2020.
                return 200, {"ok": False, "error": "invalid_arguments"}
            return 200, {
                "ok": True,
                "channel": (call.json or {}).get("channel"),
                "ts": "1700000000.000200",
            }
        if call.path.startswith("/facebook/"):
            recipient = ((call.json or {}).get("recipient") or {}).get("id")
            return 200, {"recipient_id": recipient, "message_id": f"m_{uuid.uuid4().hex}"}
        if call.path.startswith("/twilio/"):
            sid = "SM" + uuid.uuid4().hex
            return 201, {
                "sid": sid,
                "account_sid": TWILIO_SID,
                "api_version": "2010-04-01",
                "to": call.form.get("To"),
                "from": call.form.get("From"),
                "body": call.form.get("Body"),
                "status": "queued",
                "direction": "outbound-api",
                "num_segments": "1",
                "num_media": "0",
                "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
                "date_updated": "Thu, 30 Jul 2015 20:12:31 +0000",
                "date_sent": None,
                "error_code": None,
                "error_message": None,
                "price": None,
                "price_unit": "USD",
                "messaging_service_sid": None,
                "uri": f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/{sid}.json",
                "subresource_uris": {
                    "media": f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/{sid}/Media.json"
                },
            }
        return 404, {"error": "unknown path"}

    def received(self, predicate: Callable[[Call], bool]) -> List[Call]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

    def wait_for(self, predicate: Callable[[Call], bool], what: str, timeout: float = WAIT) -> Call:
        """The first call matching ``predicate``, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received(predicate)
            if found:
                return found[0]
            time.sleep(0.1)
        seen = "\n".join(
            f"  {c.method} {c.path} {c.text()[:80]!r}" for c in self.received(lambda c: True)[-15:]
        )
        raise AssertionError(
            f"the stub never received {what} within {timeout:.0f} s; last calls:\n{seen}"
        )


# --- servers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stub() -> Iterator[Stub]:
    with Stub() as running:
        yield running


def channel_environment(stub: Optional[Stub]) -> Dict[str, str]:
    """All four channels on, their APIs at ``stub``; or (None) every channel off."""
    if stub is None:
        return {}
    return {
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_BOT_USERNAME": TELEGRAM_BOT,
        "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": f"{stub.url}/telegram",
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": f"{stub.url}/slack/api/",
        "FACEBOOK_VERIFY_TOKEN": FACEBOOK_VERIFY,
        "FACEBOOK_APP_SECRET": FACEBOOK_SECRET,
        "FACEBOOK_PAGE_ACCESS_TOKEN": FACEBOOK_PAGE_TOKEN,
        "FACEBOOK_GRAPH_URL": f"{stub.url}/facebook/v19.0",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_WEBHOOK_URL": TWILIO_WEBHOOK_URL,
        "TWILIO_API_URL": f"{stub.url}/twilio",
    }


@dataclass
class Server:
    url: str
    log_file: Path  # this server's own log (logs/rasa-server.log is shared by every run)

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def start_servers(stub: Optional[Stub], log_dir: Path) -> Iterator[Server]:
    """Action server and Rasa server with exactly the channel variables of ``stub``."""
    if not launch.MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    with pytest.MonkeyPatch.context() as patch:
        for c in settings.CHANNELS:  # nothing from the developer's shell leaks in
            for variable in (*c.required, *c.optional):
                patch.delenv(variable, raising=False)
        for variable, value in channel_environment(stub).items():
            patch.setenv(variable, value)
        patch.setenv(
            "NO_PROXY", ",".join(filter(None, ["127.0.0.1,localhost", os.environ.get("NO_PROXY")]))
        )
        action_port, rasa_port = launch.free_port(), launch.free_port()
        log_file = log_dir / "rasa-server.log"
        with (
            launch.action_server(action_port),
            launch.rasa_server(rasa_port, action_port, ["--log-file", str(log_file)]),
        ):
            yield Server(f"http://localhost:{rasa_port}", log_file)


@pytest.fixture(scope="module")
def server(stub: Stub, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_servers(stub, tmp_path_factory.mktemp("channels-on")) as running:
        yield running


def rest_says(url: str, message: str) -> str:
    replies = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": f"rest-{uuid.uuid4().hex[:8]}", "message": message},
        timeout=30,
    )
    assert replies.status_code == 200, replies.text
    return "\n".join(r.get("text", "") for r in replies.json())


# --- formatting (no server needed) ----------------------------------------------------------


def test_buttons_become_numbered_options_under_the_text() -> None:
    buttons = [
        {"title": "How is belimumab given?", "payload": "/a"},
        {"title": "How does belimumab work?", "payload": "/b"},
    ]
    assert numbered_text("The answer.", buttons) == (
        "The answer.\n1. How is belimumab given?\n2. How does belimumab work?\n" + CHOOSE_PROMPT
    )
    assert numbered_text("No options.", []) == "No options."


def test_numbered_options_are_introduced_in_the_language_of_the_reply() -> None:
    french = load_knowledge().texts("fr").message("choose_prompt")
    text = numbered_text(
        "La page dit que le bélimumab peut être utilisé chez l'enfant.",
        [{"title": "Comment le bélimumab est-il donné ?", "payload": "/a"}],
    )
    assert text.endswith(french) and french != CHOOSE_PROMPT


def test_long_texts_are_cut_at_line_breaks_or_spaces_within_the_limit() -> None:
    text = ("word " * 500).strip() + "\n" + "x" * 30 + "\n\nSecond paragraph."
    pieces = paragraphs(text, 1600)
    assert all(len(p) <= 1600 for p in pieces) and len(pieces) == 3
    assert " ".join(pieces).split() == text.split()
    assert pieces[-1] == "Second paragraph."


def test_the_launcher_summary_says_which_channels_are_on() -> None:
    env = channel_environment(None) | {
        "SLACK_BOT_TOKEN": "x",
        "SLACK_SIGNING_SECRET": "y",
        "TELEGRAM_ACCESS_TOKEN": "1:a",
    }
    lines = settings.describe(env)
    assert "Slack: on" in lines
    assert "Telegram: off (set TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_URL)" in lines
    assert settings.enabled(env) == {
        "telegram": False,
        "slack": True,
        "facebook": False,
        "twilio": False,
    }
    assert (
        settings.enabled({"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "  "})["slack"] is False
    )


# --- no channel variables: REST only, the others say they are off -----------------------------


def test_without_channel_variables_the_server_runs_rest_and_the_channels_are_off(
    tmp_path: Path,
) -> None:
    with start_servers(None, tmp_path) as running:
        assert ANSWER in rest_says(running.url, QUESTION)
        for name in ("telegram", "slack", "facebook", "twilio"):
            for method in ("GET", "POST"):
                reply = requests.request(
                    method, f"{running.url}/webhooks/{name}/webhook", timeout=10
                )
                assert reply.status_code == 404, (name, method, reply.status_code)
        log = running.log()
        for name in ("telegram", "slack", "facebook", "twilio"):
            assert settings.off_message(name, {}) in log
        assert (
            "Telegram channel is off: set TELEGRAM_ACCESS_TOKEN, TELEGRAM_BOT_USERNAME and "
            "TELEGRAM_WEBHOOK_URL to switch it on" in log
        )


# --- Telegram -------------------------------------------------------------------------------


def telegram_message(chat_id: int, text: str) -> Dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Pat", "language_code": "en"}
    return {
        "update_id": chat_id * 10,
        "message": {
            "message_id": 11,
            "date": int(time.time()),
            "from": person,
            "chat": {"id": chat_id, "first_name": "Pat", "type": "private"},
            "text": text,
        },
    }


def telegram_click(chat_id: int, data: str) -> Dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Pat"}
    return {
        "update_id": chat_id * 10 + 1,
        "callback_query": {
            "id": f"cq{chat_id}",
            "from": person,
            "chat_instance": "-42",
            "data": data,
            "message": {
                "message_id": 12,
                "date": int(time.time()),
                "text": "Earlier answer",
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": 123456, "is_bot": True, "first_name": "Lupus"},
            },
        },
    }


def post_telegram(
    server: Server, update: Dict[str, Any], secret: Optional[str] = TELEGRAM_SECRET
) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(
        f"{server.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=30
    )


def telegram_sent(chat_id: int, containing: str) -> Callable[[Call], bool]:
    return lambda c: (
        c.path == f"/telegram/bot{TELEGRAM_TOKEN}/sendMessage"
        and c.form.get("chat_id") == str(chat_id)
        and containing in c.form.get("text", "")
    )


def test_telegram_registers_its_webhook_with_the_secret_token(server: Server, stub: Stub) -> None:
    call = stub.wait_for(
        lambda c: c.path == f"/telegram/bot{TELEGRAM_TOKEN}/setWebhook", "setWebhook"
    )
    assert call.form["url"] == f"{PUBLIC}/webhooks/telegram/webhook"
    assert call.form["secret_token"] == TELEGRAM_SECRET


def test_telegram_question_is_answered_with_one_button_per_row(server: Server, stub: Stub) -> None:
    assert post_telegram(server, telegram_message(1001, QUESTION)).status_code == 200
    sent = stub.wait_for(
        telegram_sent(1001, ANSWER), "Telegram sendMessage with the answer to chat 1001"
    )
    rows = json.loads(sent.form["reply_markup"])["inline_keyboard"]
    assert rows and all(len(row) == 1 for row in rows)  # one button per row: long titles
    assert all(button["text"] and len(button["callback_data"].encode()) <= 64 for (button,) in rows)
    assert any(button["callback_data"].startswith("/faq_") for (button,) in rows)


def test_telegram_button_click_is_answered_and_acknowledged(server: Server, stub: Stub) -> None:
    assert post_telegram(server, telegram_click(1002, CHILDREN_PAYLOAD)).status_code == 200
    stub.wait_for(
        telegram_sent(1002, ANSWER), "Telegram sendMessage answering the click in chat 1002"
    )
    stub.wait_for(
        lambda c: (
            c.path.endswith("/answerCallbackQuery") and c.form.get("callback_query_id") == "cq1002"
        ),
        "answerCallbackQuery for the click",
    )


def test_telegram_start_command_says_hello(server: Server, stub: Stub) -> None:
    messages = yaml.safe_load(
        (launch.ROOT / "knowledge" / "messages.yml").read_text(encoding="utf-8")
    )
    hello = messages["greet"]
    assert post_telegram(server, telegram_message(1003, "/start")).status_code == 200
    stub.wait_for(telegram_sent(1003, hello), "the greeting in chat 1003")


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_telegram_refuses_updates_without_the_secret_token(
    server: Server, stub: Stub, secret: Optional[str]
) -> None:
    reply = post_telegram(server, telegram_message(1004, QUESTION), secret=secret)
    assert reply.status_code == 403
    assert not stub.received(lambda c: c.form.get("chat_id") == "1004")


# --- Slack ----------------------------------------------------------------------------------


def slack_headers(
    body: bytes,
    secret: str = SLACK_SECRET,
    timestamp: Optional[int] = None,
    content_type: str = "application/json",
) -> Dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def slack_event(user: str, channel: str, text: str) -> bytes:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": "T0LUPUS",
            "api_app_id": "A0LUPUS",
            "event": {
                "type": "message",
                "channel": channel,
                "user": user,
                "text": text,
                "ts": "1700000000.000100",
                "event_ts": "1700000000.000100",
                "channel_type": "im",
            },
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0LUPUS", "user_id": "U0BOT", "is_bot": True}],
        }
    ).encode()


def post_slack(server: Server, body: bytes, headers: Dict[str, str]) -> requests.Response:
    return requests.post(
        f"{server.url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30
    )


def slack_posted(channel: str, containing: str) -> Callable[[Call], bool]:
    return lambda c: (
        c.path == "/slack/api/chat.postMessage"
        and isinstance(c.json, dict)
        and c.json.get("channel") == channel
        and containing in c.text()
    )


def test_slack_url_verification_challenge_is_echoed(server: Server) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    reply = post_slack(server, body, slack_headers(body))
    assert reply.status_code == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert post_slack(server, body, {"Content-Type": "application/json"}).status_code == 400


def test_slack_direct_message_is_answered_in_its_channel(server: Server, stub: Stub) -> None:
    body = slack_event("U0PAT", "D0PAT1", QUESTION)
    assert post_slack(server, body, slack_headers(body)).status_code == 200
    posted = stub.wait_for(
        slack_posted("D0PAT1", ANSWER), "Slack chat.postMessage with the answer to D0PAT1"
    )
    assert posted.headers["authorization"] == f"Bearer {SLACK_TOKEN}"
    assert "as_user" not in posted.json
    buttons = [
        b
        for block in posted.json["blocks"]
        if block["type"] == "actions"
        for b in block["elements"]
    ]
    assert any(b["value"].startswith("/faq_") for b in buttons)


def test_slack_button_click_is_answered(server: Server, stub: Stub) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U0PAT2"},
        "channel": {"id": "D0PAT2"},
        "message": {"ts": "1700000000.000300"},
        "actions": [
            {
                "type": "button",
                "action_id": "a",
                "block_id": "b",
                "value": CHILDREN_PAYLOAD,
                "text": {"type": "plain_text", "text": "Children?"},
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    assert post_slack(server, body, headers).status_code == 200
    stub.wait_for(
        slack_posted("D0PAT2", ANSWER), "Slack chat.postMessage answering the click in D0PAT2"
    )


@pytest.mark.parametrize("case", ["missing", "wrong secret", "stale timestamp", "tampered body"])
def test_slack_refuses_requests_without_a_valid_signature(server: Server, case: str) -> None:
    body = slack_event("U0EVE", "D0EVE", QUESTION)
    headers = {
        "missing": {"Content-Type": "application/json"},
        "wrong secret": slack_headers(body, secret="not-the-secret"),
        "stale timestamp": slack_headers(body, timestamp=int(time.time()) - 600),
        "tampered body": slack_headers(body.replace(b"benlysta", b"rituximab")),
    }[case]
    reply = post_slack(server, body, headers)
    assert 400 <= reply.status_code < 500, reply.status_code


# --- Facebook Messenger ---------------------------------------------------------------------


def facebook_event(sender: str, text: str) -> bytes:
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "PAGE1",
                    "time": int(time.time() * 1000),
                    "messaging": [
                        {
                            "sender": {"id": sender},
                            "recipient": {"id": "PAGE1"},
                            "timestamp": int(time.time() * 1000),
                            "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text},
                        }
                    ],
                }
            ],
        }
    ).encode()


def facebook_signatures(body: bytes, secret: str = FACEBOOK_SECRET) -> Dict[str, str]:
    return {
        "X-Hub-Signature-256": "sha256="
        + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
        "X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest(),
    }


def post_facebook(server: Server, body: bytes, headers: Dict[str, str]) -> requests.Response:
    return requests.post(
        f"{server.url}/webhooks/facebook/webhook",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=30,
    )


def facebook_sent(recipient: str, containing: str) -> Callable[[Call], bool]:
    return lambda c: (
        c.path == "/facebook/v19.0/me/messages"
        and isinstance(c.json, dict)
        and c.json.get("recipient", {}).get("id") == recipient
        and containing in c.text()
    )


def test_facebook_verification_answers_the_challenge_only_with_the_right_token(
    server: Server,
) -> None:
    url = f"{server.url}/webhooks/facebook/webhook"
    right = {
        "hub.mode": "subscribe",
        "hub.verify_token": FACEBOOK_VERIFY,
        "hub.challenge": "1158201444",
    }
    reply = requests.get(url, params=right, timeout=10)
    assert reply.status_code == 200 and reply.text == "1158201444"
    for wrong in (
        {**right, "hub.verify_token": "guess"},
        {k: v for k, v in right.items() if k != "hub.verify_token"},
        {**right, "hub.mode": "unsubscribe"},
    ):
        reply = requests.get(url, params=wrong, timeout=10)
        assert reply.status_code == 403 and "1158201444" not in reply.text


def test_facebook_message_is_answered_with_numbered_options(server: Server, stub: Stub) -> None:
    body = facebook_event("PSID1001", QUESTION)
    assert post_facebook(server, body, facebook_signatures(body)).status_code == 200
    sent = stub.wait_for(
        facebook_sent("PSID1001", ANSWER), "Facebook /me/messages with the answer to PSID1001"
    )
    assert "\n1. " in sent.text() and "\n2. " in sent.text() and sent.text().endswith(CHOOSE_PROMPT)
    assert sent.query["access_token"] == FACEBOOK_PAGE_TOKEN
    assert sent.json["messaging_type"] == "RESPONSE"


def test_facebook_accepts_the_sha1_signature_alone(server: Server, stub: Stub) -> None:
    body = facebook_event("PSID1002", QUESTION)
    headers = {"X-Hub-Signature": facebook_signatures(body)["X-Hub-Signature"]}
    assert post_facebook(server, body, headers).status_code == 200
    stub.wait_for(
        facebook_sent("PSID1002", ANSWER), "Facebook /me/messages with the answer to PSID1002"
    )


@pytest.mark.parametrize(
    "case", ["missing", "wrong secret", "wrong sha1 beside a right sha256", "tampered body"]
)
def test_facebook_refuses_requests_without_a_valid_signature(
    server: Server, stub: Stub, case: str
) -> None:
    body = facebook_event("PSID1003", QUESTION)
    headers = {
        "missing": {},
        "wrong secret": facebook_signatures(body, secret="not-the-secret"),
        "wrong sha1 beside a right sha256": {
            **facebook_signatures(body),
            "X-Hub-Signature": "sha1=" + "0" * 40,
        },
        "tampered body": facebook_signatures(body.replace(b"benlysta", b"rituximab")),
    }[case]
    assert post_facebook(server, body, headers).status_code == 403
    assert not stub.received(facebook_sent("PSID1003", ""))


# --- Twilio SMS and WhatsApp ----------------------------------------------------------------


def twilio_signature(url: str, params: Dict[str, str], token: str = TWILIO_TOKEN) -> str:
    """Twilio's scheme: base64 HMAC-SHA1 of the URL followed by each name+value, by name."""
    signed = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


def twilio_message(sender: str, to: str, text: str) -> Dict[str, str]:
    """An incoming message as Twilio posts it (empty fields included: Twilio signs them)."""
    sid = "SM" + uuid.uuid4().hex
    return {
        "ToCountry": "US",
        "ToState": "CA",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": text,
        "FromCountry": "US",
        "To": to,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TWILIO_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def post_twilio(
    server: Server, params: Dict[str, str], signature: Optional[str]
) -> requests.Response:
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    return requests.post(
        f"{server.url}/webhooks/twilio/webhook", data=params, headers=headers, timeout=30
    )


def twilio_sent(to: str, containing: str) -> Callable[[Call], bool]:
    return lambda c: (
        c.path == f"/twilio/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
        and c.form.get("To") == to
        and containing in c.form.get("Body", "")
    )


@pytest.mark.parametrize(
    "sender, twilio_to, reply_from",
    [
        ("+15557770001", TWILIO_NUMBER, TWILIO_NUMBER),
        ("whatsapp:+15557770002", f"whatsapp:{TWILIO_NUMBER}", f"whatsapp:{TWILIO_NUMBER}"),
    ],
    ids=["sms", "whatsapp"],
)
def test_twilio_message_is_answered_with_numbered_options(
    server: Server, stub: Stub, sender: str, twilio_to: str, reply_from: str
) -> None:
    params = twilio_message(sender, twilio_to, QUESTION)
    assert (
        post_twilio(server, params, twilio_signature(TWILIO_WEBHOOK_URL, params)).status_code == 200
    )
    sent = stub.wait_for(
        twilio_sent(sender, ANSWER), f"Twilio Messages.json with the answer to {sender}"
    )
    assert sent.form["From"] == reply_from
    assert "\n1. " in sent.form["Body"] and sent.form["Body"].endswith(CHOOSE_PROMPT)
    assert len(sent.form["Body"]) <= 1600
    user, _, password = (
        base64.b64decode(sent.headers["authorization"].split()[1]).decode().partition(":")
    )
    assert (user, password) == (TWILIO_SID, TWILIO_TOKEN)


@pytest.mark.parametrize("case", ["missing", "wrong token", "another URL", "tampered body"])
def test_twilio_refuses_requests_without_a_valid_signature(
    server: Server, stub: Stub, case: str
) -> None:
    params = twilio_message("+15557770003", TWILIO_NUMBER, QUESTION)
    signature = {
        "missing": None,
        "wrong token": twilio_signature(TWILIO_WEBHOOK_URL, params, token="not-the-token"),
        "another URL": twilio_signature(f"{PUBLIC}/elsewhere", params),
        "tampered body": twilio_signature(TWILIO_WEBHOOK_URL, {**params, "Body": "hello"}),
    }[case]
    assert post_twilio(server, params, signature).status_code == 403
    assert not stub.received(twilio_sent("+15557770003", ""))


# --- limits of the providers, on the output side alone ----------------------------------------


def test_telegram_falls_back_to_numbered_text_when_a_payload_exceeds_64_bytes(stub: Stub) -> None:
    long_payload = '/faq_drug_administration{"drug":"belimumab","age_group":"children"}'
    assert len(long_payload.encode()) > 64
    buttons = [
        {"title": "How is it given?", "payload": long_payload},
        {"title": "Other", "payload": "/greet"},
    ]

    async def send() -> None:
        bot = TelegramOutput(TELEGRAM_TOKEN, f"{stub.url}/telegram")
        try:
            await bot.send_text_with_buttons("1005", "The answer.", buttons)
        finally:
            await bot.close_session()

    asyncio.run(send())
    sent = stub.wait_for(telegram_sent(1005, "The answer."), "the numbered fallback in chat 1005")
    assert sent.form["text"] == "The answer.\n1. How is it given?\n2. Other\n" + CHOOSE_PROMPT
    assert "reply_markup" not in sent.form


def test_twilio_splits_a_long_answer_into_messages_of_at_most_1600_characters(stub: Stub) -> None:
    text = " ".join(
        f"sentence{i:04d}." for i in range(400)
    )  # about 5,200 characters, one paragraph
    output = TwilioOutput(TWILIO_SID, TWILIO_TOKEN, TWILIO_NUMBER, f"{stub.url}/twilio")
    asyncio.run(
        output.send_text_with_buttons("+15557770009", text, [{"title": "More", "payload": "/x"}])
    )
    bodies = [c.form["Body"] for c in stub.received(twilio_sent("+15557770009", ""))]
    assert len(bodies) == 4 and all(len(b) <= 1600 for b in bodies)
    assert " ".join(bodies).split() == numbered_text(text, [{"title": "More"}]).split()
    assert bodies[-1].endswith("1. More\n" + CHOOSE_PROMPT)


# --- what the server logs -------------------------------------------------------------------


def test_the_log_names_the_channels_that_are_on_and_holds_no_secret_or_message(
    server: Server,
) -> None:
    log = server.log()
    for title in ("Telegram", "Slack", "Facebook Messenger", "Twilio (SMS/WhatsApp)"):
        assert f"{title} channel is on" in log
    for secret in SECRETS:
        assert secret not in log
    assert QUESTION not in log and ANSWER not in log
