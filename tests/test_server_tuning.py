"""The server tuning (rasa_extensions/server_tuning.py) changes how fast Rasa is, never what it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

from rasa_extensions import server_tuning

ROOT = Path(__file__).resolve().parent.parent

ORIGINAL_VALIDATE = RemoteAction._validate_action_result
ORIGINAL_RESOLVE = Event.__dict__["resolve_by_type"]

RESPONSES = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "drug", "value": "belimumab"}],
        "responses": [{"text": "An answer", "buttons": [{"title": "More", "payload": "/more"}]}],
    },
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": 5}], "responses": []},
]


@pytest.fixture
def tuned(monkeypatch: pytest.MonkeyPatch) -> None:
    """install() for one test; Rasa's own functions are put back afterwards."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL_VALIDATE)
    monkeypatch.setattr(Event, "resolve_by_type", ORIGINAL_RESOLVE)
    monkeypatch.setattr(server_tuning, "_installed", False)
    assert server_tuning.install()
    assert RemoteAction._validate_action_result is not ORIGINAL_VALIDATE


def _outcome(validate: Any, result: Dict[str, Any]) -> Optional[str]:
    action = RemoteAction("action_answer_question", EndpointConfig("http://localhost:1"))
    try:
        validate(action, result)
        return None
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("result", RESPONSES)
def test_action_responses_are_accepted_and_rejected_as_rasa_does(
    tuned: None, result: Dict[str, Any]
) -> None:
    assert _outcome(RemoteAction._validate_action_result, result) == _outcome(
        ORIGINAL_VALIDATE, result
    )


def test_a_bad_action_response_still_fails_with_rasas_explanation(tuned: None) -> None:
    message = _outcome(RemoteAction._validate_action_result, {"events": "not a list"})
    assert message is not None and "Failed to validate Action server response" in message


def test_every_stored_event_type_comes_back_as_the_same_class(tuned: None) -> None:
    names = {cls.type_name for cls in server_tuning.all_subclasses(Event)}
    assert {"user", "action", "slot", "bot", "restart"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is ORIGINAL_RESOLVE.__func__(name)
    stored = [
        UserUttered("can kids take it?", {"name": "faq_drug_children"}).as_dict(),
        SlotSet("drug", "belimumab").as_dict(),
        ActionExecuted("action_listen").as_dict(),
    ]
    assert [type(e) for e in (Event.from_parameters(d) for d in stored)] == [
        UserUttered,
        SlotSet,
        ActionExecuted,
    ]


def test_unknown_event_names_behave_as_in_rasa(tuned: None) -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_another_rasa_version_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server_tuning, "_installed", False)
    monkeypatch.setattr(server_tuning.rasa, "__version__", "3.7.0")
    assert server_tuning.install() is False
    assert RemoteAction._validate_action_result is ORIGINAL_VALIDATE
    assert "not applied" in caplog.text


def test_the_rasa_server_loads_it_with_its_channels() -> None:
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "rasa_extensions.RasaServerExtensions" in credentials
