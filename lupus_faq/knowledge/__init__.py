"""The curated knowledge: answers, routes, messages and the dialogue table, loaded from
knowledge/*.yml, and the source page they are drawn from."""

from lupus_faq.knowledge.store import (
    ANSWER,
    KNOWLEDGE_DIR,
    NOT_COVERED,
    Entry,
    Knowledge,
    load_knowledge,
    read_yaml,
)

__all__ = [
    "ANSWER",
    "KNOWLEDGE_DIR",
    "NOT_COVERED",
    "Entry",
    "Knowledge",
    "load_knowledge",
    "read_yaml",
]
