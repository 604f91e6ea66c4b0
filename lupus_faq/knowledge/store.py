"""Loading the knowledge YAML: answers, routes, messages, vocabulary, safety terms and the
dialogue table."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

import yaml

from lupus_faq.knowledge.source import SourcePage

if TYPE_CHECKING:
    from lupus_faq.knowledge.texts import Texts

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"

ANSWER = "answer"
NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Entry:
    """One curated reply of knowledge/answers.yml."""

    id: str
    kind: str
    question: str
    text: str
    quotes: Tuple[str, ...] = ()
    related: Tuple[str, ...] = ()
    about: Optional[str] = None

    def render(self, **values: str) -> str:
        """The reply text with its placeholders ({drug}) filled in."""
        return self.text.format(**values) if values else self.text

    @property
    def placeholders(self) -> Tuple[str, ...]:
        """Names of the {placeholders} the text needs."""
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.text) if name)


@dataclass(frozen=True)
class Knowledge:
    """Everything the assistant knows and says, as loaded from one knowledge directory."""

    directory: Path
    entries: Mapping[str, Entry]
    unquoted_source_lines: Tuple[str, ...]
    routes: Mapping[str, List[Dict[str, Any]]]
    messages: Mapping[str, Any]
    vocabulary: Mapping[str, Any]
    red_flags: Mapping[str, Any]
    not_covered: Mapping[str, Any]
    dialogue: Mapping[str, Any]
    source: SourcePage = field(repr=False)
    # What the assistant says in other languages, by language ("fr"), then by file
    # (answers, not_covered, messages, red_flags): knowledge/<language>/*.yml.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (KeyError names the missing id)."""
        return self.entries[entry_id]

    def message(self, key: str, **values: str) -> str:
        """A non-medical message of knowledge/messages.yml, placeholders filled in."""
        text = self.messages[key]
        return text.format(**values) if values else text

    def texts(self, language: str) -> "Texts":
        """What the assistant says in ``language`` (English when it has no translation)."""
        from lupus_faq.knowledge.texts import Texts

        return Texts(self, language)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _entries(raw: Mapping[str, Any]) -> Dict[str, Entry]:
    return {
        entry_id: Entry(
            id=entry_id,
            kind=data["kind"],
            question=data["question"],
            text=" ".join(data["text"].split()),
            quotes=tuple(data.get("quotes") or ()),
            related=tuple(data.get("related") or ()),
            about=data.get("about"),
        )
        for entry_id, data in raw["answers"].items()
    }


def load_knowledge(directory: Optional[Path] = None) -> Knowledge:
    """Load (once per directory) the whole knowledge base."""
    return _load(Path(directory or KNOWLEDGE_DIR).resolve())


@lru_cache(maxsize=4)
def _load(directory: Path) -> Knowledge:
    answers = read_yaml(directory / "answers.yml")
    return Knowledge(
        directory=directory,
        entries=_entries(answers),
        unquoted_source_lines=tuple(answers.get("unquoted_source_lines") or ()),
        routes=read_yaml(directory / "routes.yml"),
        messages=read_yaml(directory / "messages.yml"),
        vocabulary=read_yaml(directory / "vocabulary.yml"),
        red_flags=read_yaml(directory / "red_flags.yml"),
        not_covered=read_yaml(directory / "not_covered.yml"),
        dialogue=read_yaml(directory / "dialogue.yml"),
        source=SourcePage.read(directory / "source.txt"),
        translations=_translations(directory),
    )


TRANSLATED_FILES = ("answers", "not_covered", "messages", "red_flags")


def _translations(directory: Path) -> Dict[str, Dict[str, Any]]:
    """knowledge/<language>/<file>.yml for every language folder present."""
    found: Dict[str, Dict[str, Any]] = {}
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and len(p.name) == 2):
        found[folder.name] = {
            name: read_yaml(folder / f"{name}.yml") or {}
            for name in TRANSLATED_FILES
            if (folder / f"{name}.yml").exists()
        }
    return found
