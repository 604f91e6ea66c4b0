"""Facebook Messenger, switched on by environment variables (see channels/settings.py).

Differences from Rasa's FacebookInput, and why:
- settings come from the environment, and a missing one switches the channel off;
- a POST whose signature is missing or wrong is refused with 403 (Rasa answers 200
  "not validated", and checks only the SHA-1 ``X-Hub-Signature``): ``X-Hub-Signature-256``
  (HMAC-SHA256 of the body with FACEBOOK_APP_SECRET) and ``X-Hub-Signature`` (HMAC-SHA1) are
  both checked when present, and at least one must be;
- the verification handshake needs ``hub.mode=subscribe`` and the right
  ``hub.verify_token``, and a wrong one gets 403 rather than 200;
- every event of a batched delivery is answered (Rasa stops after the first);
- the Send API is called in a worker thread (fbmessenger uses blocking ``requests``, which
  would stall the server for every message), and a refused message is logged;
- buttons become numbered text (Messenger cuts button titles at 20 characters), and long
  texts are cut to Messenger's 2000 characters; echoes of the page's own messages are
  ignored without logging their content.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text

from fbmessenger import MessengerClient
from fbmessenger.attachments import Image
from fbmessenger.elements import Text as FBText
from fbmessenger.sender_actions import SenderAction
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from rasa.core.channels.facebook import Messenger as RasaMessenger
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import settings
from channels.buttons import numbered_text, paragraphs

logger = logging.getLogger(__name__)

NAME = "facebook"
MAX_TEXT = 2000  # characters, Messenger's limit for one text message
# Header -> hash function, strongest first. Meta sends both; either is enough if valid.
SIGNATURE_HEADERS = (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1"))


def signature_is_valid(app_secret: Text, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether the request carries at least one signature header and every one present is
    ``<hash>=<hex HMAC of the body keyed with the app secret>``."""
    present = 0
    for header, algorithm in SIGNATURE_HEADERS:
        given = headers.get(header)
        if given is None:
            continue
        present += 1
        digest = hmac.new(app_secret.encode("utf-8"), body, getattr(hashlib, algorithm)).hexdigest()
        expected = f"{algorithm}={digest}".encode("ascii")
        if not hmac.compare_digest(given.strip().encode("utf-8", "replace"), expected):
            return False
    return present > 0


def messenger_client(page_access_token: Text, graph_url: Optional[Text]) -> MessengerClient:
    """fbmessenger's client, pointed at FACEBOOK_GRAPH_URL if set."""
    client = MessengerClient(page_access_token)
    if graph_url:
        client.graph_url = graph_url.rstrip("/")
    return client


class MessengerOutput(MessengerBot):
    """Rasa's Messenger output, non-blocking, with buttons as numbered text."""

    async def _post(self, message: Dict[Text, Any], recipient_id: Text) -> None:
        result = await asyncio.to_thread(
            self.messenger_client.send, message, recipient_id, "RESPONSE"
        )
        error = result.get("error") if isinstance(result, dict) else None
        if error:
            logger.error(f"Facebook Send API refused a message: {error.get('message')}")

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in paragraphs(text, MAX_TEXT):
            await self._post(FBText(text=part).to_dict(), recipient_id)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered_text(text, buttons))

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered_text(text, quick_replies))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._post(Image(url=image).to_dict(), recipient_id)

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        """mark_seen, typing_on, typing_off: a failure here must not stop the answer."""
        try:
            await asyncio.to_thread(
                self.messenger_client.send_action,
                SenderAction(sender_action).to_dict(),
                recipient_id,
            )
        except Exception as error:  # noqa: BLE001
            logger.debug(f"Facebook sender action {sender_action} failed: {type(error).__name__}")


class Messenger(RasaMessenger):
    """Rasa's webhook-event handler, answering every event of a delivery."""

    def __init__(
        self,
        page_access_token: Text,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        graph_url: Optional[Text] = None,
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = messenger_client(page_access_token, graph_url)

    async def handle(self, payload: Dict, metadata: Optional[Dict[Text, Any]]) -> None:
        for entry in payload.get("entry") or []:
            for event in entry.get("messaging") or []:
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def message(self, message: Dict[Text, Any], metadata: Optional[Dict[Text, Any]]) -> None:
        if message["message"].get("is_echo"):
            return  # the page's own message coming back
        await super().message(message, metadata)

    async def _handle_user_message(
        self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]
    ) -> None:
        out_channel = MessengerOutput(self.client)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(
                UserMessage(text, out_channel, sender_id, input_channel=NAME, metadata=metadata)
            )
        except Exception as error:  # noqa: BLE001 - one failed answer must not fail the batch
            logger.error(f"Facebook: could not answer a message ({type(error).__name__})")
            logger.debug("Facebook message failed", exc_info=True)
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class FacebookChannel(FacebookInput):
    """Messenger webhook: GET (verification) and POST /webhooks/facebook/webhook."""

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
            values["FACEBOOK_VERIFY_TOKEN"],
            values["FACEBOOK_APP_SECRET"],
            values["FACEBOOK_PAGE_ACCESS_TOKEN"],
            graph_url=values.get("FACEBOOK_GRAPH_URL"),
        )

    def __init__(
        self,
        fb_verify: Text,
        fb_secret: Text,
        fb_access_token: Text,
        graph_url: Optional[Text] = None,
    ) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = graph_url

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logger.info(settings.on_message(NAME))
        fb_webhook = Blueprint("fb_webhook", __name__)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            right_token = hmac.compare_digest(token.encode("utf-8"), self.fb_verify.encode("utf-8"))
            if request.args.get("hub.mode") == "subscribe" and right_token:
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning(
                "Facebook webhook verification refused: hub.verify_token is not "
                "FACEBOOK_VERIFY_TOKEN (or hub.mode is not subscribe)"
            )
            return response.text("verification failed", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not signature_is_valid(self.fb_secret, request.body, request.headers):
                logger.warning(
                    "Facebook: refused a request with a missing or wrong signature "
                    "(check FACEBOOK_APP_SECRET)"
                )
                return response.text("missing or wrong X-Hub-Signature(-256)", status=403)
            try:
                payload = request.json
            except Exception:  # noqa: BLE001
                payload = None
            if not isinstance(payload, dict):
                return response.text("expected a JSON object", status=400)
            messenger = Messenger(self.fb_access_token, on_new_message, self.graph_url)
            await messenger.handle(payload, self.get_metadata(request))
            return response.text("success")

        return fb_webhook

    def get_output_channel(self) -> OutputChannel:
        return MessengerOutput(messenger_client(self.fb_access_token, self.graph_url))
