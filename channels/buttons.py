"""Buttons as text, for channels that cannot show them (SMS, WhatsApp, Messenger).

The options become a numbered list under the message; the person answers with the number,
which the assistant maps back to the option it offered (lupus_faq/language/choices.py). Also: long
texts cut into pieces a provider accepts.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

# UI string, shown under the numbered options. Keep it in step with what the assistant
# understands as a choice (a bare "1", "2", ... reply: lupus_faq/language/choices.py).
CHOOSE_PROMPT = "Reply with a number to choose."


def numbered_text(text: str, buttons: Sequence[Dict[str, Any]]) -> str:
    """``text`` followed by the buttons' titles as "1. ...", "2. ..." and CHOOSE_PROMPT.

    Single line breaks keep the options in the same paragraph as the end of the text, so a
    channel that sends each paragraph as its own message keeps them together.
    """
    titles = [str(b.get("title") or b.get("payload") or "").strip() for b in buttons]
    titles = [t for t in titles if t]
    if not titles:
        return text
    options = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join([text.rstrip(), *options, CHOOSE_PROMPT])


def split_text(text: str, limit: int) -> List[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at a line break, else at a
    space, else anywhere; nothing is lost but the whitespace at the cuts."""
    pieces: List[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def paragraphs(text: str, limit: int) -> List[str]:
    """Rasa's convention (one message per paragraph, i.e. per blank line), with every
    message at most ``limit`` characters."""
    return [piece for part in text.strip().split("\n\n") for piece in split_text(part, limit)]
