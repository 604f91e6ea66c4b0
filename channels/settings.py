"""Which messaging channels are switched on, read from environment variables.

One table (``CHANNELS``) lists every channel's variables; the connectors, the launcher's
summary (``describe``) and the tests all read it. A channel is on when all its required
variables are set to something other than blank.

This module does not import Rasa at import time (the launcher uses it before starting Rasa).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from rasa.core.channels.channel import InputChannel
    from sanic import Blueprint

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channel:
    """A messaging channel and the environment variables that configure it."""

    name: str  # Rasa's channel name: its webhook is /webhooks/<name>/webhook
    title: str  # what people call it, for logs and the launcher
    required: Tuple[str, ...]
    optional: Tuple[str, ...] = ()


CHANNELS: Tuple[Channel, ...] = (
    Channel(
        "telegram",
        "Telegram",
        required=("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_WEBHOOK_URL"),
        optional=("TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL"),
    ),
    Channel(
        "slack",
        "Slack",
        required=("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
        optional=("SLACK_CHANNEL", "SLACK_API_URL"),
    ),
    Channel(
        "facebook",
        "Facebook Messenger",
        required=("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN"),
        optional=("FACEBOOK_GRAPH_URL",),
    ),
    Channel(
        "twilio",
        "Twilio (SMS/WhatsApp)",
        required=("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WEBHOOK_URL"),
        optional=("TWILIO_API_URL",),
    ),
)
_BY_NAME: Dict[str, Channel] = {channel.name: channel for channel in CHANNELS}


def channel(name: str) -> Channel:
    """The channel called ``name`` ("telegram", "slack", "facebook", "twilio")."""
    return _BY_NAME[name]


def _environ(environ: Optional[Mapping[str, str]]) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _value(environ: Mapping[str, str], variable: str) -> str:
    # Tokens pasted from a provider's console often carry a trailing newline or space.
    return (environ.get(variable) or "").strip()


def missing(name: str, environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """The required variables of channel ``name`` that are not set."""
    env = _environ(environ)
    return [v for v in channel(name).required if not _value(env, v)]


def enabled(environ: Optional[Mapping[str, str]] = None) -> Dict[str, bool]:
    """Channel name -> whether it is switched on."""
    return {c.name: not missing(c.name, environ) for c in CHANNELS}


def _and(words: List[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def describe(environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """One line per channel: "Telegram: on", or "Telegram: off (set A, B and C)"."""
    lines = []
    for c in CHANNELS:
        absent = missing(c.name, environ)
        lines.append(f"{c.title}: on" if not absent else f"{c.title}: off (set {_and(absent)})")
    return lines


def off_message(name: str, environ: Optional[Mapping[str, str]] = None) -> str:
    """What the server logs when a channel is off: which variables switch it on."""
    return (
        f"{channel(name).title} channel is off: set {_and(missing(name, environ))} to switch it on"
    )


def on_message(name: str) -> str:
    """What the server logs when a channel is on."""
    return f"{channel(name).title} channel is on: webhook /webhooks/{name}/webhook"


def read(name: str, environ: Optional[Mapping[str, str]] = None) -> Optional[Dict[str, str]]:
    """The channel's settings (required and optional variables that are set), or None when
    it is off."""
    env = _environ(environ)
    if missing(name, env):
        return None
    c = channel(name)
    return {v: _value(env, v) for v in (*c.required, *c.optional) if _value(env, v)}


def off_channel(name: str, reason: Optional[str] = None) -> "InputChannel":
    """A stand-in for a switched-off channel: same name, no webhook route (so it answers
    404), only a health route saying it is off. When the server registers it, it logs
    ``reason`` (by default which variables would switch it on) at INFO."""
    from rasa.core.channels.channel import InputChannel
    from sanic import Blueprint, response

    message = reason or off_message(name)

    class OffChannel(InputChannel):
        @classmethod
        def name(cls) -> str:
            return name

        def blueprint(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> "Blueprint":
            # Logged here rather than when the channel is created: by now `--log-file` is set up.
            logger.info(message)
            off = Blueprint(f"{name}_off", __name__)

            @off.route("/", methods=["GET"])
            async def health(_request: Any) -> Any:
                return response.json({"status": "off"})

            return off

    OffChannel.__name__ = OffChannel.__qualname__ = f"{channel(name).title.split()[0]}Off"
    return OffChannel()
