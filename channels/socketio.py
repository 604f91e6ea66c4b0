"""Rasa's Socket.IO channel (the website widget) with the same checks as the REST channel.

Same events as Rasa's own (`session_request` / `session_confirm`, `user_uttered` /
`bot_uttered`, session persistence). Differences: each `bot_uttered` says the language of its
text (`lang`: en or fr), for the widget's own words; the socket really joins its session's room
(Rasa 3.6.21 forgets to await `enter_room` with python-socketio >= 5.10, RasaHQ/rasa#13027, so
with session persistence every reply was lost); a malformed `user_uttered` is ignored with a
log line instead of an exception; empty or too long messages get a polite reply; if no reply
could be produced (action server down or slow), the user is told to try again.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.inputs import BadRequest, check_sender, check_text
from channels.web import answer, answer_without_rasa
from lupus_faq.language import load_language
from lupus_faq.language.languages import SPOKEN

logger = logging.getLogger(__name__)


class _CountingOutput(SocketIOOutput):
    """Socket.IO output that remembers how many messages it sent during a turn."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        if isinstance(response, dict) and response.get("text"):
            # The widget shows its own words in the conversation's language: the language
            # of the assistant's reply.
            language = load_language().languages.detect(str(response["text"]))
            if language in SPOKEN:
                response = {**response, "lang": language}
        await super()._send_message(socket_id, response)


class SocketIOChannel(SocketIOInput):
    """`socketio` channel of credentials.yml, checked and never silent."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's Socket.IO blueprint, with our handler for `user_uttered`."""
        webhook = super().blueprint(on_new_message)
        sio = self.sio

        async def session_request(sid: str, data: Optional[Dict[str, Any]]) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            try:
                session_id = check_sender(session_id)
            except BadRequest:
                session_id = uuid.uuid4().hex  # a new conversation
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Optional[Dict[str, Any]]) -> None:
            try:
                if not isinstance(data, dict):
                    raise BadRequest("user_uttered needs an object")
                if self.session_persistence:
                    sender = check_sender(data.get("session_id"))
                else:
                    sender = sid
                metadata = data.get(self.metadata_key) or {}
                checked = check_text(
                    sender, data.get("message"), metadata if isinstance(metadata, dict) else None
                )
            except BadRequest as error:
                logger.info("Ignored a socket.io message: %s", error)
                return
            # Replies go to the session's room, so every tab of the conversation sees them.
            room = sender if self.session_persistence else sid
            output = _CountingOutput(sio, self.bot_message_evt)
            if checked.problem:
                for reply in answer_without_rasa(checked, str(data.get("message", ""))):
                    if reply.get("buttons"):
                        await output.send_text_with_buttons(room, reply["text"], reply["buttons"])
                    else:
                        await output.send_text_message(room, reply["text"])
                return

            async def apologise(text: str) -> None:
                await output.send_text_message(room, text)

            message = UserMessage(
                checked.text, output, sender, input_channel=self.name(), metadata=checked.metadata
            )
            await answer(on_new_message, message, lambda: output.sent, apologise)

        # Replace Rasa's handlers with the ones above.
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook
