"""What the web channels (REST, Socket.IO) share: answering a checked message, and a polite
reply when no answer could be produced (action server down or slow)."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage

from channels.inputs import CheckedMessage
from lupus_faq.knowledge import load_knowledge
from lupus_faq.language import load_language
from lupus_faq.language.choices import suggested_questions
from lupus_faq.language.languages import ENGLISH, SPOKEN
from lupus_faq.safety import load_red_flags

logger = logging.getLogger(__name__)

# Longest wait for an answer before the user is told to try again. The answer still completes
# in the background, so the conversation's history stays whole.
REPLY_TIMEOUT_SECONDS = float(os.environ.get("REPLY_TIMEOUT_SECONDS", 20))


def language_of(text: str, metadata: Optional[Dict[str, Any]] = None) -> str:
    """The language to reply in to a message the assistant does not see: the message's own,
    else the one the widget's page asked for (metadata `lang`), else English."""
    said = load_language().languages.detect(text[:2000])
    asked = str((metadata or {}).get("lang") or "")[:2].lower()
    return said if said in SPOKEN else asked if asked in SPOKEN else ENGLISH


def message_text(key: str, language: str = ENGLISH) -> str:
    """A non-medical message of knowledge/messages.yml, on one line, in ``language``."""
    return " ".join(load_knowledge().texts(language).message(key).split())


def answer_without_rasa(checked: CheckedMessage, raw_text: str) -> List[Dict[str, Any]]:
    """Replies to a message not worth the NLU (empty, too long, markup only), with suggested
    questions as buttons; an emergency still comes first."""
    knowledge = load_knowledge()
    language = language_of(raw_text, checked.metadata)
    categories = load_red_flags(knowledge).detect(raw_text[:20000])
    limit = int(knowledge.dialogue["settings"]["max_buttons"])
    buttons = suggested_questions(knowledge, load_language(knowledge).lexicon, limit, language)
    replies = [
        {
            "recipient_id": checked.sender,
            "text": message_text(checked.problem or "", language),
            "buttons": buttons,
        }
    ]
    if categories:  # this message never reaches the NLU: its one red-flag check is here
        emergency = knowledge.texts(language).emergency(categories)
        replies.insert(0, {"recipient_id": checked.sender, "text": emergency})
    return replies


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    replies_sent: Callable[[], int],
    apologise: Callable[[str], Awaitable[None]],
) -> None:
    """Let Rasa answer ``message``; if it produced no reply (the action server failed) or took
    longer than REPLY_TIMEOUT_SECONDS, send the "try again" message instead of silence."""
    task = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(task), REPLY_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        logger.warning(
            "No answer within %.0f s for a %s message", REPLY_TIMEOUT_SECONDS, message.input_channel
        )
    except Exception:  # noqa: BLE001 - a failed turn must still get a reply; logged without text
        logger.exception("Could not process a %s message", message.input_channel)
    if replies_sent() == 0:
        language = language_of(message.text or "", message.metadata)
        await apologise(message_text("service_unavailable", language))
