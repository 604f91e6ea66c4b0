"""Bad input never crashes or hangs the server: named cases, then 10,000 generated ones."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.served import API_TOKEN as TOKEN
from tests.served import Served

pytestmark = pytest.mark.servers

REST_EXAMPLES = 6000
PARSE_EXAMPLES = 4000
COUNTS: Counter = Counter()


@pytest.fixture(scope="module")
def server(served: Served) -> Iterator[dict]:
    with requests.Session() as session:
        yield {"url": served.check().url, "session": session, "log": served.log}
    print(f"\nBad-input counts: {dict(sorted(COUNTS.items()))}")


def rest(server: dict, body: bytes) -> requests.Response:
    return server["session"].post(
        f"{server['url']}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


def parse(server: dict, body: bytes) -> requests.Response:
    return server["session"].post(
        f"{server['url']}/model/parse",
        params={"token": TOKEN},
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


def replies(response: requests.Response) -> str:
    return " ".join(m.get("text", "") for m in response.json())


# --- Named cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,status",
    [
        (b"", 400),
        (b"null", 400),
        (b"[]", 400),
        (b'"hello"', 400),
        (b"{bad json", 400),
        (b"\xff\xfe\x00", 400),
        (b'{"message": "hi"}', 400),
        (b'{"sender": "a"}', 400),
        (b'{"sender": 42, "message": "hi"}', 400),
        (b'{"sender": "a", "message": ["hi"]}', 400),
        (b'{"sender": "", "message": "hi"}', 400),
        (json.dumps({"sender": "x" * 500, "message": "hi"}).encode(), 400),
        (b'{"sender": "a\\u0000b", "message": "hi"}', 400),
        (b'{"sender": "a", "message": "hi", "metadata": "not an object"}', 400),
        (json.dumps({"sender": "big", "message": "x" * 100_000}).encode(), 413),
    ],
)
def test_malformed_rest_bodies_get_a_clean_4xx(server: dict, body: bytes, status: int) -> None:
    response = rest(server, body)
    assert response.status_code == status, response.text
    assert "error" in response.json()


@pytest.mark.parametrize(
    "message,expected",
    [
        ("", "Your message was empty"),
        ("   \n\t ", "Your message was empty"),
        ("x" * 5000, "too long"),
        ("<script>alert(1)</script>", ""),
        ("<img src=x onerror=alert(1)>", "only read plain text"),
        ("<b>how is benlysta given</b>", "once a month"),  # tags are not words ("<b>" is no B cell)
        ("😀😀😀", ""),
        ("¿Qué es un biológico?", ""),
        ("什么是生物制剂", ""),
        ("\u0000how\u0007 is benlysta given\u200b", "once a month"),
    ],
)
def test_odd_messages_get_a_clear_reply(server: dict, message: str, expected: str) -> None:
    response = rest(server, json.dumps({"sender": "odd-messages", "message": message}).encode())
    assert response.status_code == 200
    assert response.json() and all(m.get("text") for m in response.json())
    assert expected in replies(response)


def test_an_emergency_in_a_too_long_message_is_still_answered(server: dict) -> None:
    message = "x " * 3000 + "and now i cant breathe"
    response = rest(server, json.dumps({"sender": "long-emergency", "message": message}).encode())
    assert "call your local emergency number now" in replies(response)


def test_odd_sender_ids_keep_conversations_apart(server: dict) -> None:
    for sender in ("ünïcødé-🙂", "a/b/../c", "' OR 1=1 --", "<b>x</b>", "x" * 128):
        first = rest(
            server, json.dumps({"sender": sender, "message": "how does benlysta work"}).encode()
        )
        assert first.status_code == 200, sender
        follow = rest(
            server, json.dumps({"sender": sender, "message": "how is it given?"}).encode()
        )
        assert "once a month" in replies(follow), sender


def test_message_text_is_not_logged_at_info(server: dict) -> None:
    secret = "my-private-question-about-zebrafish-4711"
    rest(server, json.dumps({"sender": "privacy", "message": secret}).encode())
    assert secret not in server["log"].read_text(encoding="utf-8", errors="replace")


# --- Generated cases -----------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
_odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=1500
)  # any Unicode: control characters, emoji, other scripts, markup characters
_shaped = st.fixed_dictionaries(
    {
        "sender": st.one_of(st.text(max_size=200), _json_values),
        "message": st.one_of(_odd_text, _json_values),
    },
    optional={"metadata": _json_values},
).map(lambda d: json.dumps(d).encode())
_bodies = st.one_of(
    st.binary(max_size=2000),
    _json_values.map(lambda v: json.dumps(v).encode()),
    _shaped,
    st.builds(
        lambda s, m: json.dumps({"sender": s, "message": m}).encode(),
        st.text(min_size=1, max_size=30).filter(str.strip),
        _odd_text,
    ),
)
_fuzz = settings(
    max_examples=REST_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@_fuzz
@given(body=_bodies)
def test_rest_webhook_never_fails_on_generated_input(server: dict, body: bytes) -> None:
    response = rest(server, body)
    COUNTS[f"rest {response.status_code}"] += 1
    assert response.status_code < 500, (body[:200], response.text[:200])
    if response.status_code == 200:
        assert response.json() and all(m.get("text") for m in response.json())


_parse_bodies = st.one_of(
    st.binary(max_size=2000),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"text": st.one_of(_odd_text, _json_values)}, optional={"message_id": _json_values}
    ).map(lambda d: json.dumps(d).encode()),
)


@settings(_fuzz, max_examples=PARSE_EXAMPLES)
@given(body=_parse_bodies)
def test_nlu_parse_never_fails_on_generated_input(server: dict, body: bytes) -> None:
    response = parse(server, body)
    COUNTS[f"parse {response.status_code}"] += 1
    assert response.status_code < 500, (body[:200], response.text[:200])


def test_the_server_still_answers_correctly_afterwards(server: dict) -> None:
    assert sum(COUNTS.values()) >= REST_EXAMPLES + PARSE_EXAMPLES or not COUNTS  # run alone: fine
    response = rest(
        server,
        json.dumps({"sender": "after-fuzz", "message": "can my child take benlysta?"}).encode(),
    )
    assert "from 5 years of age" in replies(response)
    assert (
        parse(server, b'{"text": "how is saphnelo given"}').json()["intent"]["name"]
        == "faq_drug_administration"
    )
