"""Rasa's REST channel, with input checks and a reply even when the answer cannot be fetched.

Same route and format as Rasa's own (`POST /webhooks/rest/webhook` with
`{"sender": ..., "message": ...}`, a JSON list of replies back). Differences: malformed bodies
get a 400 (stock Rasa 3.6 answers 500 to `null` or `[]`), oversized ones a 413; empty or too
long messages get a polite reply; no message text is written to the logs; and if no reply
could be produced (action server down or slow) the user is told to try again.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inputs import BadRequest, check_rest_body
from channels.web import answer, answer_without_rasa


class RestChannel(RestInput):
    """`rest` channel of credentials.yml, checked and never silent."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook routes: GET / (health) and POST /webhook."""
        webhook = Blueprint("lupus_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                checked = check_rest_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=error.status)
            if checked.problem:
                raw = request.json.get("message", "") if isinstance(request.json, dict) else ""
                return response.json(answer_without_rasa(checked, str(raw)))

            collector = CollectingOutputChannel()
            replies: List[Dict[str, Any]] = collector.messages

            async def apologise(text: str) -> None:
                await collector.send_text_message(checked.sender, text)

            message = UserMessage(
                checked.text,
                collector,
                checked.sender,
                input_channel=self.name(),
                metadata=checked.metadata,
            )
            await answer(on_new_message, message, lambda: len(replies), apologise)
            return response.json(list(replies))

        return webhook
