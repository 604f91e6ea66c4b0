"""`rasa shell`, as `make chat` runs it: Rasa's own shell with one crash fixed, and quiet.

    python -m scripts.rasa_shell --model models/lupus-biologics.tar.gz   # any `rasa shell` options

- In Rasa 3.6.21's shell, Ctrl-C at a button menu (every answer has one) crashes its input loop
  with `AttributeError: 'NoneType' object has no attribute 'rfind'` and leaves the shell hanging
  until a second Ctrl-C: the menu returns None and Rasa reads it as a button's text. Here it
  ends the chat, as Ctrl-C at the text prompt already does in Rasa.
- Sanic 21.12 turns deprecation warnings back on when it is imported, over PYTHONWARNINGS, so
  the shell would open with a screenful of its dependencies' deprecation notices. Here they are
  off (only in the shell; Rasa's other commands still print them).

`.venv/bin/rasa shell` works as well, without these two changes.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, Optional

import sanic  # noqa: F401  (imported first: its warning filter is then overridden below)

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
# Rasa's start-up then shows every UserWarning once, in front of these filters; pyparsing 3.3's
# deprecation notices are UserWarnings too, raised when these two modules are first imported, so
# they are imported now, silently (Rasa imports them anyway).
import matplotlib  # noqa: E402,F401
import packaging.requirements  # noqa: E402,F401
import rasa.cli.utils as cli_utils  # noqa: E402
from rasa.__main__ import main as rasa_main  # noqa: E402


async def payload_from_button_question(button_question: Any) -> Optional[str]:
    """Rasa's own function, except that a cancelled menu (Ctrl-C) returns None, which Rasa's
    shell loop takes as the end of the chat."""
    response = await button_question.ask_async()
    if response is None or response == cli_utils.FREE_TEXT_INPUT_PROMPT:
        return response
    # A button is shown as "1: Title (/payload)": keep the payload.
    return response[response.rfind("(") + 1 : response.rfind(")")]


def install() -> None:
    """Put the fixed function where Rasa's shell looks it up (at each call)."""
    cli_utils.payload_from_button_question = payload_from_button_question


def main() -> None:
    """Run `rasa shell` with this command's options."""
    install()
    sys.argv = ["rasa", "shell", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
