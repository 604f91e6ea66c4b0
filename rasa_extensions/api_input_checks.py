"""Input checks for Rasa's HTTP API (installed by rasa_extensions, see its docstring).

Rasa 3.6.21 answers HTTP 500 to many malformed bodies on its API (`null`, `[]`, `{}`,
`{"text": 5}`, invalid UTF-8 on POST /model/parse). A request middleware answers such requests
with a 400 in Rasa's own error format, before they reach Rasa. Well-formed requests pass untouched (and still
need the API token).
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inputs import MAX_BODY_BYTES

# Routes whose body is {"text": "..."} (and "sender" for messages), per Rasa's HTTP API.
_TEXT_ROUTES = (
    re.compile(r"/model/parse/?"),
    re.compile(r"/conversations/[^/]+/messages/?"),
)


def _bad(reason: str, status: int = 400) -> HTTPResponse:
    return response.json(
        {
            "version": "3.6.21",
            "status": "failure",
            "message": reason,
            "reason": "BadRequest",
            "code": status,
        },
        status=status,
    )


def _problem(body: bytes, needs_sender: bool) -> Optional[str]:
    if len(body) > MAX_BODY_BYTES:
        return f"the body is larger than {MAX_BODY_BYTES} bytes"
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "the body must be UTF-8 JSON"
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return "the body must be a JSON object with a string 'text'"
    if needs_sender and not isinstance(data.get("sender"), str):
        return "the body must have a string 'sender'"
    return None


async def check_api_request(request: Request) -> Optional[HTTPResponse]:
    """Sanic request middleware: a 400 for malformed bodies on Rasa's text endpoints."""
    if request.method != "POST" or not any(r.fullmatch(request.path) for r in _TEXT_ROUTES):
        return None
    problem = _problem(request.body or b"", needs_sender="/messages" in request.path)
    if problem:
        status = 413 if "larger than" in problem else 400
        return _bad(problem, status)
    return None


class GuardBlueprint(Blueprint):
    """A route-less blueprint that installs the middleware when registered on the app."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        app.register_middleware(check_api_request, "request")
        super().register(app, options)
