"""Quick-reply buttons: their payloads, and a bare "2" typed to choose one.

Channels without buttons (SMS, WhatsApp, Messenger with long titles) show the options as a
numbered list; the user answers with the number.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Tuple

from lupus_faq.knowledge import Knowledge
from lupus_faq.knowledge.routing import Router, Surfaces

_PAYLOAD = re.compile(r"/(\w+)(\{.*\})?", re.DOTALL)
_CHOICE = re.compile(r"\s*(?:option|number|no\.?|n°|#)?\s*(\d{1,2})\s*[.)!]?\s*", re.IGNORECASE)


def parse_payload(payload: str) -> Optional[Tuple[str, List[Dict[str, Any]]]]:
    """Split "/intent{"entity": "value"}" into the intent and Rasa-style entities."""
    match = _PAYLOAD.fullmatch(payload.strip())
    if not match:
        return None
    try:
        values = json.loads(match.group(2) or "{}")
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    return match.group(1), [{"entity": str(k), "value": str(v)} for k, v in values.items()]


def parse_choice(text: str) -> Optional[int]:
    """The option number of a message that is only a number ("2", "option 2", "#2")."""
    match = _CHOICE.fullmatch(text or "")
    return int(match.group(1)) if match else None


def suggested_questions(
    knowledge: Knowledge, surfaces: Surfaces, limit: Optional[int] = None, language: str = "en"
) -> List[Dict[str, str]]:
    """The help menu's questions (knowledge/messages.yml `help_suggestions`) as buttons:
    {"title": the question in ``language``, "payload": "/intent{...}"}, at most ``limit``."""
    router, texts = Router(knowledge.routes), knowledge.texts(language)
    buttons = []
    for entry_id in knowledge.messages["help_suggestions"]:
        payload = router.payload(entry_id, surfaces)
        if payload:
            buttons.append({"title": texts.question(knowledge.entry(entry_id)), "payload": payload})
    return buttons[:limit] if limit else buttons
