"""Two hot paths of Rasa 3.6.21 made cheap (installed by rasa_extensions, see its docstring).

Profiling `make bench` (py-spy on the Rasa server, README "Benchmarks") showed where a turn's
time went besides NLU and the policies:
- about a third in checking each custom-action response: Rasa calls `jsonschema.validate()`,
  which first re-validates Rasa's own, constant response schema against the JSON Schema
  meta-schema, on every call;
- about a tenth in loading a stored conversation: each stored event looks up its class by walking
  every subclass of `Event` again.

Both are replaced here by the same work done once: a validator built once for the same schema
(the same errors are raised, with Rasa's message), and a type-name table built once (a name not
in it still goes through Rasa's own lookup). Nothing else in Rasa is touched. The replacements
apply to the exact Rasa version they were written against; with any other version Rasa is left
as it is and a warning says so.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Type

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

logger = logging.getLogger(__name__)

TESTED_RASA_VERSION = "3.6.21"

_original_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[str, Type[Event]] = {}
_installed = False
_VALIDATOR: Any = None  # built by install()


def _response_validator() -> Any:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    from jsonschema.exceptions import best_match

    # jsonschema.validate() raises the best match among the errors; so does this.
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _resolve_by_type(
    type_name: str, default: Optional[Type[Event]] = None
) -> Optional[Type[Event]]:
    """Event.resolve_by_type with the name -> class table built once (refreshed on a miss)."""
    cls = _event_classes.get(type_name)
    if cls is None:
        _refresh_event_classes()
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    return _original_resolve_by_type(type_name, default)


def _refresh_event_classes() -> None:
    for cls in all_subclasses(Event):
        # Rasa returns the first subclass with the name; keep that one.
        _event_classes.setdefault(cls.type_name, cls)


def install() -> bool:
    """Replace the two hot paths, once; False (and a warning) on another Rasa version."""
    global _installed, _VALIDATOR
    if _installed:
        return True
    if rasa.__version__ != TESTED_RASA_VERSION:
        logger.warning(
            "Server tuning not applied: written for Rasa %s, this is Rasa %s.",
            TESTED_RASA_VERSION,
            rasa.__version__,
        )
        return False
    _VALIDATOR = _response_validator()
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    _installed = True
    return True
