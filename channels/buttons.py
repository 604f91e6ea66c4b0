"""Buttons as text, for channels that cannot show them (SMS, WhatsApp, Messenger).
The prompt is read from the knowledge: the channels use the language and knowledge layers, not
the dialogue.

The options become a numbered list under the message; the person answers with the number,
which the assistant maps back to the option it offered (lupus_faq/language/choices.py). Also: long
texts cut into pieces a provider accepts.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence


def choose_prompt(text: str) -> str:
    """The line under the numbered options (knowledge/messages.yml `choose_prompt`), in the
    language of the message it ends; what the assistant understands as a choice is a bare
    "1", "2"... (lupus_faq/language/choices.py)."""
    from lupus_faq.knowledge import load_knowledge
    from lupus_faq.language import load_language
    from lupus_faq.language.languages import ENGLISH, SPOKEN

    language = load_language().languages.detect(text)
    return (
        load_knowledge().texts(language if language in SPOKEN else ENGLISH).message("choose_prompt")
    )


def numbered_text(text: str, buttons: Sequence[Dict[str, Any]]) -> str:
    """``text`` followed by the buttons' titles as "1. ...", "2. ..." and the prompt to choose.

    Single line breaks keep the options in the same paragraph as the end of the text, so a
    channel that sends each paragraph as its own message keeps them together.
    """
    titles = [str(b.get("title") or b.get("payload") or "").strip() for b in buttons]
    titles = [t for t in titles if t]
    if not titles:
        return text
    options = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n".join([text.rstrip(), *options, choose_prompt(text)])


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
