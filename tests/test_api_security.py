"""Rasa's HTTP API needs a token or a JWT; the channel webhooks stay public; CORS is a list."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from scripts import launch
from tests.served import ALLOWED_ORIGIN, JWT_SECRET, Served
from tests.served import API_TOKEN as TOKEN

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def url(served: Served) -> str:
    return served.check().url


def bearer(role: str, username: str = "someone", secret: str = JWT_SECRET) -> dict:
    claims = {"user": {"username": username, "role": role}, "exp": int(time.time()) + 300}
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/status"),
        ("GET", "/conversations/alice/tracker"),
        ("POST", "/model/parse"),
        ("GET", "/domain"),
    ],
)
def test_api_refuses_requests_without_credentials(url: str, method: str, path: str) -> None:
    response = requests.request(method, url + path, json={"text": "hi"}, timeout=10)
    assert response.status_code == 401
    wrong = requests.request(
        method, url + path, params={"token": "wrong"}, json={"text": "hi"}, timeout=10
    )
    assert wrong.status_code == 401


def test_api_answers_with_the_token(url: str) -> None:
    assert requests.get(f"{url}/status", params={"token": TOKEN}, timeout=10).status_code == 200
    parsed = requests.post(
        f"{url}/model/parse",
        params={"token": TOKEN},
        json={"text": "how is benlysta given"},
        timeout=10,
    )
    assert parsed.json()["intent"]["name"] == "faq_drug_administration"


def test_api_answers_with_a_jwt_and_checks_its_scope(url: str) -> None:
    admin = requests.get(f"{url}/conversations/alice/tracker", headers=bearer("admin"), timeout=10)
    assert admin.status_code == 200
    own = requests.get(
        f"{url}/conversations/alice/tracker", headers=bearer("user", "alice"), timeout=10
    )
    assert own.status_code == 200
    other = requests.get(
        f"{url}/conversations/bob/tracker", headers=bearer("user", "alice"), timeout=10
    )
    assert other.status_code == 403
    forged = requests.get(
        f"{url}/status",
        headers=bearer("admin", secret="not-the-secret-not-the-secret-not-the-secret"),
        timeout=10,
    )
    assert forged.status_code == 401


def test_channel_webhooks_stay_public(url: str) -> None:
    reply = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": "public", "message": "what is a biologic?"},
        timeout=30,
    )
    assert reply.status_code == 200
    assert "living cells" in " ".join(m.get("text", "") for m in reply.json())


def test_cors_is_an_allow_list(url: str) -> None:
    allowed = requests.get(f"{url}/webhooks/rest/", headers={"Origin": ALLOWED_ORIGIN}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    other = requests.get(
        f"{url}/webhooks/rest/", headers={"Origin": "https://evil.example"}, timeout=10
    )
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = requests.options(
        f"{url}/webhooks/rest/webhook",
        timeout=10,
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_without_any_credential_configured_the_api_stays_locked(monkeypatch) -> None:
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("RASA_JWT_SECRET", raising=False)
    args = launch.api_auth_args()
    assert len(args) == 1 and args[0].startswith("--auth-token=")
    assert len(args[0]) >= len("--auth-token=") + 32
    assert launch.api_auth_args() != args  # random, never a fixed default


def test_a_secret_starting_with_a_dash_is_passed_intact(monkeypatch) -> None:
    monkeypatch.setenv("RASA_API_TOKEN", "-starts-with-a-dash")
    monkeypatch.delenv("RASA_JWT_SECRET", raising=False)
    assert launch.api_auth_args() == ["--auth-token=-starts-with-a-dash"]
