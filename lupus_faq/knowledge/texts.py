"""What the assistant says, in one language: answers, declines, messages, emergency replies.

English comes from knowledge/*.yml, French from knowledge/fr/*.yml (the same ids and keys; a
French answer carries the same English quotes of the source page). Where a text has no
translation, the English one is said (tests/test_translations.py checks there is none missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Sequence

if TYPE_CHECKING:
    from lupus_faq.knowledge.store import Entry, Knowledge

ENGLISH = "en"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Texts:
    """The texts of ``language``."""

    knowledge: "Knowledge"
    language: str

    def _of(self, file: str) -> Mapping[str, Any]:
        if self.language == ENGLISH:
            return {}
        return self.knowledge.translations.get(self.language, {}).get(file, {})

    def answer(self, entry: "Entry", **values: str) -> str:
        """An entry's reply, placeholders filled in."""
        translated = (self._of("answers").get("answers") or {}).get(entry.id) or {}
        text = _one_line(translated["text"]) if translated.get("text") else entry.text
        return text.format(**values) if values else text

    def question(self, entry: "Entry") -> str:
        """An entry's question, as a button title (with {drug} unfilled)."""
        translated = (self._of("answers").get("answers") or {}).get(entry.id) or {}
        return _one_line(translated.get("question") or entry.question)

    def message(self, key: str, **values: str) -> str:
        """A message of messages.yml."""
        translated = self._of("messages")
        text = translated[key] if key in translated else self.knowledge.messages[key]
        return text.format(**values) if values else text

    def citation(self) -> str:
        """The line that ends every answer from the page."""
        source = self._of("messages").get("source") or self.knowledge.messages["source"]
        return str(source["citation"])

    def decline(self, topic: str) -> str:
        """The decline of an uncovered topic (not_covered.yml)."""
        topics = self._of("not_covered").get("topics") or {}
        english = self.knowledge.not_covered["topics"][topic]["text"]
        return _one_line((topics.get(topic) or {}).get("text") or english)

    def generic_decline(self) -> str:
        """The decline of a question of no listed topic."""
        return _one_line(
            self._of("not_covered").get("generic") or self.knowledge.not_covered["generic"]
        )

    def emergency(self, categories: Sequence[str]) -> str:
        """The emergency reply: intro, one line per category found, outro."""
        english = self.knowledge.red_flags
        translated = self._of("red_flags")
        replies: Dict[str, Any] = {
            name: ((translated.get("categories") or {}).get(name) or {}).get("reply")
            or data["reply"]
            for name, data in english["categories"].items()
        }
        lines: List[str] = [translated.get("reply_intro") or english["reply_intro"]]
        lines += [replies[name] for name in categories]
        lines.append(translated.get("reply_outro") or english["reply_outro"])
        return "\n".join(_one_line(line) for line in lines)
