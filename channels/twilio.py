"""Twilio: SMS, and WhatsApp through a ``whatsapp:+...`` sender; switched on by environment
variables (see channels/settings.py).

Differences from Rasa's TwilioInput, and why:
- settings come from the environment, and a missing one switches the channel off;
- every request must carry a valid ``X-Twilio-Signature`` (Rasa checks none): the base64
  HMAC-SHA1, keyed with TWILIO_AUTH_TOKEN, of TWILIO_WEBHOOK_URL followed by every POST
  parameter's name and value in name order. The body is parsed keeping empty values
  (Sanic's ``request.form`` drops them, and Twilio signs them), else 403;
- errors while answering are logged, not re-raised (Rasa's debug_mode), and a message
  without text is acknowledged rather than crashing (Rasa tests the wrong variable);
- messages are sent in a worker thread (Twilio's client is blocking), each at most 1600
  characters (Twilio's limit for SMS and WhatsApp), from the WhatsApp form of TWILIO_NUMBER
  to a WhatsApp user; buttons become numbered text;
- the reply to Twilio is empty TwiML, which tells Twilio there is nothing more to send.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from rasa.core.channels.twilio import TwilioOutput as RasaTwilioOutput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from channels import settings
from channels.buttons import numbered_text, paragraphs

logger = logging.getLogger(__name__)

# Twilio's HTTP client logs every API request at INFO; keep the log to what we say, unless
# someone configured that logger on purpose.
_twilio_http_logger = logging.getLogger("twilio.http_client")
if _twilio_http_logger.level == logging.NOTSET:
    _twilio_http_logger.setLevel(logging.WARNING)

NAME = "twilio"
MAX_BODY = 1600  # characters, Twilio's limit for one SMS or WhatsApp message
WHATSAPP = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def sender_for(recipient: Text, twilio_number: Text) -> Text:
    """TWILIO_NUMBER in the recipient's form: ``whatsapp:+1...`` for WhatsApp, bare for SMS."""
    bare = twilio_number[len(WHATSAPP) :] if twilio_number.startswith(WHATSAPP) else twilio_number
    return f"{WHATSAPP}{bare}" if recipient.startswith(WHATSAPP) else bare


class TwilioOutput(RasaTwilioOutput):
    """Rasa's Twilio output: non-blocking, configurable API URL, messages that fit."""

    def __init__(
        self,
        account_sid: Text,
        auth_token: Text,
        twilio_number: Text,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_url:
            self.api.base_url = api_url.rstrip("/")

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:  # its text quotes phone numbers: code only
            logger.error(f"Twilio refused a message (HTTP {error.status}, error {error.code})")
        except Exception as error:  # noqa: BLE001 - network: log, keep serving
            logger.error(f"Twilio could not be reached ({type(error).__name__})")
        return None

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        sender = sender_for(recipient_id, self.twilio_number)
        for part in paragraphs(text, MAX_BODY):
            await self._send_message({"to": recipient_id, "from_": sender, "body": part})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered_text(text, buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        sender = sender_for(recipient_id, self.twilio_number)
        await self._send_message({"to": recipient_id, "from_": sender, "media_url": [image]})


class TwilioChannel(TwilioInput):
    """Twilio webhook: POST /webhooks/twilio/webhook ("A message comes in")."""

    @classmethod
    def name(cls) -> Text:
        return NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Settings from the environment; the channel is off when one is missing."""
        values = settings.read(NAME)
        if values is None:
            return settings.off_channel(NAME)
        return cls(
            values["TWILIO_ACCOUNT_SID"],
            values["TWILIO_AUTH_TOKEN"],
            values["TWILIO_NUMBER"],
            webhook_url=values["TWILIO_WEBHOOK_URL"],
            api_url=values.get("TWILIO_API_URL"),
        )

    def __init__(
        self,
        account_sid: Text,
        auth_token: Text,
        twilio_number: Text,
        webhook_url: Text,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.validator = RequestValidator(auth_token)

    @staticmethod
    def _form(request: Request) -> RequestParameters:
        """The POST parameters, empty ones included (they are part of the signature)."""
        if not (request.content_type or "").startswith("application/x-www-form-urlencoded"):
            return RequestParameters()
        try:
            return RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return RequestParameters()

    def signature_is_valid(self, request: Request, form: RequestParameters) -> bool:
        """``X-Twilio-Signature`` matches TWILIO_WEBHOOK_URL and the POST parameters."""
        signature = request.headers.get("X-Twilio-Signature")
        return bool(signature) and self.validator.validate(self.webhook_url, form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logger.info(settings.on_message(NAME))
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            form = self._form(request)
            if not self.signature_is_valid(request, form):
                logger.warning(
                    "Twilio: refused a request with a missing or wrong X-Twilio-Signature "
                    "(check TWILIO_AUTH_TOKEN and that TWILIO_WEBHOOK_URL is the exact "
                    "URL set in Twilio's console)"
                )
                return response.text("missing or wrong X-Twilio-Signature", status=403)

            sender, text = form.get("From"), form.get("Body")
            if form.get("Latitude") and form.get("Longitude"):  # a WhatsApp location, as Rasa does
                text = "/locationData{{'Latitude': {},'Longitude': {}}}".format(
                    form.get("Latitude"), form.get("Longitude")
                )
            if sender and text and text.strip():
                try:
                    await on_new_message(
                        UserMessage(
                            text.replace("¡", "@"),  # some carriers turn "@" into "¡"
                            self.get_output_channel(),
                            sender,
                            input_channel=NAME,
                            metadata=self.get_metadata(request),
                        )
                    )
                except Exception as error:  # noqa: BLE001 - Twilio would only retry
                    logger.error(f"Twilio: could not answer a message ({type(error).__name__})")
                    logger.debug("Twilio message failed", exc_info=True)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook

    def get_output_channel(self) -> OutputChannel:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url)
