"""Telegram, switched on by environment variables (see channels/settings.py).

Differences from Rasa's TelegramInput, and why:
- settings come from the environment, and a missing one switches the channel off instead
  of stopping the server;
- setWebhook runs once the server is up, in the server's event loop (Rasa calls it with
  ``asyncio.run`` while building the routes, which leaves the bot's HTTP session bound to a
  closed event loop) and registers TELEGRAM_SECRET_TOKEN; if it fails the other channels keep
  working and the error is logged;
- with TELEGRAM_SECRET_TOKEN set, updates without the matching
  ``X-Telegram-Bot-Api-Secret-Token`` header are refused (403);
- getMe (the check that the token belongs to TELEGRAM_BOT_USERNAME) is asked once, not on
  every message;
- errors while answering are logged, not re-raised (Rasa's debug_mode), and updates that are
  not messages (a user blocking the bot...) are acknowledged instead of failing;
- "/start" (what Telegram sends when someone opens the bot) says hello; "/help" shows the menu;
- buttons are an inline keyboard, one button per row, or numbered text when a payload is
  longer than Telegram's 64-byte ``callback_data``; a click is acknowledged so the button
  stops spinning.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from aiogram.bot.api import TelegramAPIServer, check_token
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import settings
from channels.buttons import numbered_text, paragraphs

logger = logging.getLogger(__name__)

NAME = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for a button's callback_data
# Only what the assistant answers; Telegram then does not send the other update types.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Telegram commands and what the assistant understands instead ("/start" is sent when a
# person opens the bot for the first time).
COMMANDS = {"start": "/greet", "help": "/ask_capabilities"}
_COMMAND = re.compile(r"/(\w+)(?:@\w+)?(?:\s.*)?", re.DOTALL)


def user_text(text: str) -> str:
    """A Telegram command ("/start", "/start@LupusBot", "/start ref42") as the assistant's
    intent; any other text unchanged."""
    match = _COMMAND.fullmatch(text.strip())
    if match and match.group(1).lower() in COMMANDS:
        return COMMANDS[match.group(1).lower()]
    return text


class TelegramOutput(RasaTelegramOutput):
    """Rasa's Telegram output, with a configurable API server and buttons that fit."""

    def __init__(self, access_token: Text, api_url: Optional[Text] = None) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else None
        # Bot.__init__ directly: Rasa's __init__ does not pass the API server on.
        super(RasaTelegramOutput, self).__init__(
            access_token, **({"server": server} if server else {})
        )

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """One message per paragraph, each within Telegram's length limit."""
        for part in paragraphs(text, MAX_TEXT):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """An inline keyboard, one button per row (the titles are long); numbered text if a
        payload does not fit in ``callback_data``."""
        payloads = [str(b.get("payload") or "") for b in buttons]
        if not all(0 < len(p.encode("utf-8")) <= MAX_CALLBACK_DATA for p in payloads):
            await self.send_text_message(recipient_id, numbered_text(text, buttons))
            return
        keyboard = InlineKeyboardMarkup()
        for button, payload in zip(buttons, payloads):
            keyboard.row(
                InlineKeyboardButton(str(button.get("title") or payload), callback_data=payload)
            )
        *first, last = paragraphs(text, MAX_TEXT) or [""]
        for part in first:
            await self.send_message(recipient_id, part)
        await self.send_message(recipient_id, last, reply_markup=keyboard)

    async def close_session(self) -> None:
        """Close the HTTP session (at server stop)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()


class TelegramChannel(TelegramInput):
    """Telegram webhook: POST /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> Text:
        return NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Settings from the environment; the channel is off when one is missing."""
        values = settings.read(NAME)
        if values is None:
            return settings.off_channel(NAME)
        token = values["TELEGRAM_ACCESS_TOKEN"]
        try:
            check_token(token)
        except ValidationError:
            return settings.off_channel(
                NAME,
                'Telegram channel is off: TELEGRAM_ACCESS_TOKEN is not a bot token ("123456:ABC...")',
            )
        return cls(
            token,
            values["TELEGRAM_BOT_USERNAME"],
            values["TELEGRAM_WEBHOOK_URL"],
            secret_token=values.get("TELEGRAM_SECRET_TOKEN"),
            api_url=values.get("TELEGRAM_API_URL"),
        )

    def __init__(
        self,
        access_token: Text,
        verify: Text,
        webhook_url: Text,
        secret_token: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_url = api_url
        self._verified = False
        self._output: Optional[TelegramOutput] = None

    def get_output_channel(self) -> TelegramOutput:
        """The bot that sends replies (one per server; its HTTP session opens on first use,
        inside the server's event loop)."""
        if self._output is None:
            self._output = TelegramOutput(self.access_token, self.api_url)
        return self._output

    def _redact(self, error: BaseException) -> str:
        # aiohttp errors can quote the request URL, which holds the bot token.
        return str(error).replace(self.access_token, "<token>")

    async def register_webhook(self) -> bool:
        """setWebhook with TELEGRAM_WEBHOOK_URL (and the secret token); False if it failed."""
        data = {"url": self.webhook_url, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        if self.secret_token:
            data["secret_token"] = self.secret_token  # aiogram 2.15 predates this parameter
        try:
            await self.get_output_channel().request("setWebhook", data)
        except Exception as error:  # noqa: BLE001 - any failure leaves the server running
            logger.error(
                f"Telegram setWebhook failed ({type(error).__name__}: {self._redact(error)}); "
                "check TELEGRAM_ACCESS_TOKEN and TELEGRAM_WEBHOOK_URL"
            )
            return False
        logger.info("Telegram webhook registered")
        return True

    async def _is_our_bot(self) -> bool:
        """Whether the token belongs to TELEGRAM_BOT_USERNAME (asked once)."""
        if not self._verified:
            me = await self.get_output_channel().get_me()
            expected = self.verify.lstrip("@").casefold()
            if (me.username or "").casefold() != expected:
                logger.error(
                    "Telegram: TELEGRAM_ACCESS_TOKEN belongs to another bot than "
                    "TELEGRAM_BOT_USERNAME; messages are ignored"
                )
                return False
            self._verified = True
        return True

    def _authentic(self, request: Request) -> bool:
        if not self.secret_token:
            return True
        given = request.headers.get(SECRET_HEADER) or ""
        return hmac.compare_digest(given.encode("utf-8"), self.secret_token.encode("utf-8"))

    @staticmethod
    def _text_and_chat(update: Update) -> Optional[Tuple[Text, Any, Optional[Text]]]:
        """(text, chat id, callback query id) of an update, None if it holds no question."""
        query = update.callback_query
        if query is not None:
            if not query.data:  # a game's callback: nothing to answer
                return None
            chat = query.message.chat.id if query.message else query.from_user.id
            return query.data, chat, query.id
        message = update.message or update.edited_message
        if message is None:
            return None
        if message.text is not None:
            return user_text(message.text), message.chat.id, None
        if message.location is not None:  # as Rasa's connector does
            location = message.location
            return (
                f'{{"lng":{location.longitude}, "lat":{location.latitude}}}',
                message.chat.id,
                None,
            )
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logger.info(settings.on_message(NAME))
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def register(_app: Any, _loop: Any) -> None:
            await self.register_webhook()

        @telegram_webhook.listener("before_server_stop")
        async def close(_app: Any, _loop: Any) -> None:
            if self._output is not None:
                await self._output.close_session()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                return response.text("wrong or missing secret token", status=403)
            try:
                update = Update(**request.json)
            except Exception:  # noqa: BLE001 - not JSON, or not an object
                return response.text("expected a Telegram Update (JSON object)", status=400)

            try:
                if not await self._is_our_bot():
                    return response.text("failed")
            except Exception as error:  # noqa: BLE001 - Telegram unreachable: let it retry
                logger.error(
                    f"Telegram getMe failed ({type(error).__name__}: {self._redact(error)})"
                )
                return response.text("Telegram API unreachable", status=503)

            found = self._text_and_chat(update)
            if found is None:
                return response.text("success")  # nothing to answer; no retry wanted
            text, chat_id, callback_query_id = found
            out_channel = self.get_output_channel()
            if callback_query_id:
                await self._acknowledge(callback_query_id)

            texts = [text]
            if text == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
                texts.append(COMMANDS["start"])  # start over with a hello, as Rasa does
            try:
                for one in texts:
                    await on_new_message(
                        UserMessage(
                            one,
                            out_channel,
                            str(chat_id),
                            input_channel=NAME,
                            metadata=self.get_metadata(request),
                        )
                    )
            except Exception as error:  # noqa: BLE001 - answered 200 so Telegram does not resend
                logger.error(
                    f"Telegram: could not answer an update ({type(error).__name__}: "
                    f"{self._redact(error)})"
                )
                logger.debug("Telegram update failed", exc_info=True)
            return response.text("success")

        return telegram_webhook

    async def _acknowledge(self, callback_query_id: Text) -> None:
        """answerCallbackQuery, so the clicked button stops showing a spinner."""
        try:
            await self.get_output_channel().answer_callback_query(callback_query_id)
        except TelegramAPIError as error:  # e.g. too old: the answer is still sent
            logger.debug(f"Telegram answerCallbackQuery failed: {self._redact(error)}")
