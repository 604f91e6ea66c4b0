"""Slack (Events API), switched on by environment variables (see channels/settings.py).

Rasa's SlackInput already checks every request's ``X-Slack-Signature`` against
SLACK_SIGNING_SECRET (HMAC-SHA256 of ``v0:<X-Slack-Request-Timestamp>:<body>``) and refuses
timestamps more than five minutes old, with a 400. Differences from it, and why:
- settings come from the environment, and a missing one switches the channel off;
- the ``url_verification`` challenge is answered as ``{"challenge": ...}`` (Rasa sends a bare
  JSON string, which is none of the forms Slack documents);
- replies are posted without ``as_user``, which Slack refuses (``invalid_arguments``) from the
  bot tokens of apps created since 2020; a refused post is logged instead of lost silently;
- more than five buttons (Slack's limit, where Rasa would drop them all) or over-long titles
  become numbered text.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels import settings
from channels.buttons import numbered_text

logger = logging.getLogger(__name__)

NAME = "slack"
MAX_BUTTONS = 5  # Slack's limit for one actions block
MAX_BUTTON_TITLE = 75  # characters, Slack's limit for a button's text


class SlackOutput(SlackBot):
    """Rasa's Slack output with a configurable API URL, for new-style bot tokens."""

    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # refused with bot tokens of current Slack apps
        try:
            await super()._post_message(channel, **kwargs)
        except SlackApiError as error:
            logger.error(f"Slack chat.postMessage failed: {error.response.get('error')}")

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """Slack buttons when they fit Slack's limits, numbered text otherwise."""
        fits = len(buttons) <= MAX_BUTTONS and all(
            0 < len(str(b.get("title") or "")) <= MAX_BUTTON_TITLE for b in buttons
        )
        if fits:
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        else:
            await self.send_text_message(recipient_id, numbered_text(text, buttons), **kwargs)


class SlackChannel(SlackInput):
    """Slack webhook: POST /webhooks/slack/webhook (Event Subscriptions and Interactivity)."""

    @classmethod
    def name(cls) -> Text:
        return NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Secrets from the environment; non-secret options (use_threads,
        conversation_granularity, proxy...) may stay in credentials.yml."""
        values = settings.read(NAME)
        if values is None:
            return settings.off_channel(NAME)
        options = credentials or {}
        return cls(
            values["SLACK_BOT_TOKEN"],
            values.get("SLACK_CHANNEL") or options.get("slack_channel"),
            options.get("proxy"),
            options.get("slack_retry_reason_header", "x-slack-retry-reason"),
            options.get("slack_retry_number_header", "x-slack-retry-num"),
            options.get("errors_ignore_retry", None),
            options.get("use_threads", False),
            values["SLACK_SIGNING_SECRET"],
            options.get("conversation_granularity", "sender"),
            api_url=values.get("SLACK_API_URL"),
        )

    def __init__(self, *args: Any, api_url: Optional[Text] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        return SlackOutput(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logger.info(settings.on_message(NAME))
        slack_webhook = super().blueprint(on_new_message)

        @slack_webhook.middleware("request")
        async def url_verification(request: Request) -> Optional[HTTPResponse]:
            # Runs before Rasa's route; anything but a signed challenge goes on to it.
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if not request.headers.get("content-type", "").startswith("application/json"):
                return None
            if not self.is_request_from_slack_authentic(request):
                return None  # Rasa's route refuses it
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - not JSON: Rasa's route answers
                return None
            if isinstance(body, dict) and body.get("type") == "url_verification":
                return response.json({"challenge": body.get("challenge")})
            return None

        return slack_webhook
