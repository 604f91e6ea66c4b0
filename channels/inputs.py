"""Checks on what a user sends, shared by the web channels (no Rasa import).

Bad input gets a clear, polite reply or a clean 4xx, never a crash: these functions decide
which, before anything reaches the NLU pipeline.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Optional

MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", 1000))
MAX_BODY_BYTES = int(os.environ.get("MAX_BODY_BYTES", 64 * 1024))
MAX_SENDER_CHARS = 128
# Control characters (but tab and newline) are dropped: they carry no meaning in a question.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# HTML tags ("<b>", "</div>", "<img src=x>") are not words of a question: left in, "<b>" reads
# as "b" (B lymphocytes). Only names of HTML elements count as tags, so that "i took <all my
# pills>" or "kids <age 5" keep their words.
_HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo big blink blockquote body br button "
    "canvas caption center cite code col colgroup data datalist dd del details dfn dialog div dl "
    "dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hr html i iframe img input ins kbd label legend li link main map mark marquee "
    "math menu meta meter nav noscript object ol optgroup option output p param picture pre "
    "progress q s samp script section select small source span strike strong style sub summary "
    "sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var "
    "video wbr"
).split()
# "how is belimumab given?!?!?!" asks what "how is belimumab given?" asks; a run of marks
# would otherwise weigh on the classifier's character features.
_REPEATED_MARKS = re.compile(r"[?!]{2,}")
_MARKUP = re.compile(
    r"</?(?:%s)(?=[\s/>])[^<>]*>" % "|".join(sorted(_HTML_ELEMENTS, key=len, reverse=True)),
    re.IGNORECASE,
)


class BadRequest(ValueError):
    """A request that gets a 4xx: what is wrong, in words a developer understands."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class CheckedMessage:
    """A user message ready for Rasa, or a reason to answer it without Rasa."""

    sender: str
    text: str
    metadata: Optional[Dict[str, Any]]
    problem: Optional[str] = None  # key of knowledge/messages.yml: "empty_message", "too_long"...


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC), drop control characters, trim."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def strip_markup(text: str) -> str:
    """``text`` without HTML tags, whitespace collapsed ("<b>hi</b> there" -> "hi there")."""
    return " ".join(_MARKUP.sub(" ", text).split())


def check_sender(sender: Any) -> str:
    """A conversation id: a non-empty string of printable characters, at most 128 of them."""
    if not isinstance(sender, str):
        raise BadRequest("'sender' must be a string")
    cleaned = clean_text(sender)
    if not cleaned or len(cleaned) > MAX_SENDER_CHARS or cleaned != sender.strip():
        raise BadRequest(f"'sender' must be 1 to {MAX_SENDER_CHARS} printable characters")
    return cleaned


def check_text(sender: str, message: Any, metadata: Any = None) -> CheckedMessage:
    """The message itself: a string; empty, too long or markup-only ones are answered, not
    processed; HTML tags are removed from the rest."""
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    text = clean_text(message)
    if not text:
        return CheckedMessage(sender, "", metadata, problem="empty_message")
    if len(text) > MAX_MESSAGE_CHARS:
        return CheckedMessage(sender, "", metadata, problem="too_long")
    plain = strip_markup(text) if "<" in text else text
    if not plain:
        return CheckedMessage(sender, "", metadata, problem="markup_only")
    return CheckedMessage(sender, _REPEATED_MARKS.sub(lambda run: run.group()[0], plain), metadata)


def check_rest_body(body: bytes) -> CheckedMessage:
    """A REST webhook body: JSON object with a string `sender` and a string `message`."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes", status=413)
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8") from None
    except ValueError:
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object with 'sender' and 'message'")
    return check_text(check_sender(data.get("sender")), data.get("message"), data.get("metadata"))
