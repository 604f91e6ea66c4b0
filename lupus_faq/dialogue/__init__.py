"""The dialogue: facts about a message (``facts``) -> the decision table of
knowledge/dialogue.yml (``table``) -> the reply (``outcomes``), in ``Assistant.turn``."""

from lupus_faq.dialogue.assistant import Assistant, get_assistant
from lupus_faq.dialogue.memory import Context, Option
from lupus_faq.dialogue.message import Guess, UserMessage
from lupus_faq.dialogue.turn import BotMessage, Button, Turn

__all__ = [
    "Assistant",
    "BotMessage",
    "Button",
    "Context",
    "Guess",
    "Option",
    "Turn",
    "UserMessage",
    "get_assistant",
]
