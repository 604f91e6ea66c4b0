"""Answer-level accuracy: what the bot should reply to a held-out question, and whether it did.

The expected reply is the bot's own decision for the *gold* intent and entities: the same
dialogue rules (data/rules.yml) and the same `lupus_faq` assistant, fed the annotations of
tests/nlu_test.yml instead of the NLU's guesses. A reply is then judged by one rule per kind
(see JUDGING below), the same for the running server and for the offline simulation of each
NLU system. A reply that asks "did you mean ...?" never counts as an answer.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from lupus_faq.dialogue import Assistant, Context, Guess, Turn, get_assistant
from lupus_faq.dialogue.message import NLU_FALLBACK, as_the_nlu_reads
from lupus_faq.dialogue.turn import (
    KIND_CLARIFY,
    KIND_NOT_COVERED,
    KIND_OUT_OF_SCOPE,
    KIND_RED_FLAG,
)
from lupus_faq.knowledge import KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parent.parent
KIND_RESTART = "restart"
RESTART = "restart"  # Rasa's own action_restart (data/rules.yml), not the assistant's
ASK_NOT_COVERED = "ask_not_covered"
OUT_OF_SCOPE = "out_of_scope"
OTHER_LANGUAGE = "other_language"
RED_FLAG = "red_flag"
CARE_TEAM = re.compile(r"rheumatologist|care team|only answer questions about biologic", re.I)

FAMILIES = ("FAQ", "declines", "red flags", "conversation")
DECLINE_INTENTS = (ASK_NOT_COVERED, OUT_OF_SCOPE, OTHER_LANGUAGE)

JUDGING = """\
- **FAQ answers and routed not-covered entries** (`faq_*`, `ask_about_drug`): the reply
  contains the text of every entry of knowledge/answers.yml that the router picks for the gold
  intent and gold entities, as rendered (with the medicine named); brand note, citation and
  "Was this helpful?" are not required.
- **Red flags** (gold `red_flag`, or any question containing a red-flag term): the reply
  contains the emergency reply's first line (knowledge/red_flags.yml `reply_intro`: "... call
  your local emergency number now, or contact your care team straight away"). The opening
  disclaimer also says "call your local emergency number", so it is removed first.
- **Declines** (gold `ask_not_covered`, `out_of_scope`, `other_language`, or a question whose
  expected reply is a not-covered decline): the reply contains one of the curated declines: a
  text of knowledge/not_covered.yml (generic or a topic), the other-medicine reply
  (answers.yml `other_drug`, any medicine) or messages.yml `out_of_scope` / `other_language`.
  Every one of them refers to the rheumatologist or care team (checked by the run). Any of
  them counts: declining a dose question as "side effects" is still a correct decline.
- **Conversation**: the reply contains the expected message: the small-talk message of
  knowledge/messages.yml (greet, goodbye, welcome, iamabot), the help menu's text
  (ask_capabilities; deny and a bare option number with nothing offered, as the bot does), the
  "glad" message (affirm); `restart`: the conversation was restarted (a `restart` event in the
  tracker).
- The opening disclaimer of a new conversation is ignored everywhere."""


def normalise(text: str) -> str:
    """Whitespace collapsed, so that YAML line folding does not matter."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Reply:
    """What the bot said to one message (the opening disclaimer removed)."""

    kind: str
    messages: Tuple[str, ...]
    entry_ids: Tuple[str, ...] = ()
    needles: Tuple[str, ...] = ()  # the rendered entry texts, for FAQ answers
    restarted: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


@dataclass
class Outcome:
    """One held-out question, what was expected, what came back, and the verdict."""

    text: str
    gold_intent: str
    family: str
    rule: str
    correct: bool
    said: str
    predicted_intent: Optional[str] = None
    cause: str = ""
    expected: str = ""  # the expected entries, or the kind of reply


# --- the bot's dialogue, as the assistant decides it ----------------------------------------


def _template(text: str) -> "re.Pattern[str]":
    """A curated text with {placeholders} as a pattern (a placeholder is a name, not a fact)."""
    parts = re.split(r"\{\w+\}", normalise(text))
    return re.compile(r"[^\n]{1,80}?".join(re.escape(p) for p in parts))


def _needles(assistant: Assistant, turn: Turn) -> Tuple[str, ...]:
    """Each routed entry's text as rendered in ``turn`` (placeholders filled)."""
    lines = [normalise(line) for m in turn.messages for line in m.text.split("\n")]
    found = []
    for entry_id in turn.entry_ids:
        pattern = _template(assistant.knowledge.entry(entry_id).text)
        found.append(
            next(
                (line for line in lines if pattern.fullmatch(line)),
                normalise(assistant.knowledge.entry(entry_id).text),
            )
        )
    return tuple(found)


def _from_turn(assistant: Assistant, turn: Turn) -> Reply:
    return Reply(
        turn.kind, tuple(m.text for m in turn.messages), turn.entry_ids, _needles(assistant, turn)
    )


def bot_reply(
    intent: Optional[str],
    text: str,
    entities: Sequence[Mapping[str, Any]] = (),
    ranking: Sequence[Mapping[str, Any]] = (),
    assistant: Optional[Assistant] = None,
) -> Reply:
    """What the bot replies to ``text`` at the start of a conversation, given the NLU's
    ``intent`` (``nlu_fallback`` when unsure), ``entities`` and ``ranking``: the message as the
    NLU pipeline's deterministic components complete it, through the assistant's table."""
    assistant = assistant or get_assistant()
    if intent == RESTART:
        return Reply(KIND_RESTART, (), restarted=True)
    guesses = [Guess(str(r["name"]), float(r.get("confidence") or 0)) for r in ranking]
    message = as_the_nlu_reads(
        text, intent, guesses, entities, assistant.language, assistant.red_flags
    )
    return _from_turn(assistant, assistant.turn(message, Context()))


def expected_reply(intent: str, text: str, entities: Sequence[Mapping[str, Any]]) -> Reply:
    """The reply the gold intent and gold entities lead to (a red-flag term makes it the
    emergency reply whatever the intent, as the bot's RedFlagIntent component does)."""
    return bot_reply(intent, text, entities, [{"name": intent, "confidence": 1.0}])


def family(intent: str) -> str:
    """Which group of the answer-level table an intent belongs to."""
    if intent.startswith("faq_") or intent == "ask_about_drug":
        return "FAQ"
    if intent in DECLINE_INTENTS:
        return "declines"
    if intent == RED_FLAG:
        return "red flags"
    return "conversation"


# --- judging ------------------------------------------------------------------------------


def _decline_texts() -> List[str]:
    knowledge = get_assistant().knowledge
    return [
        normalise(t)
        for t in (
            knowledge.not_covered["generic"],
            *(topic["text"] for topic in knowledge.not_covered["topics"].values()),
            knowledge.entry("other_drug").text,
            knowledge.messages["out_of_scope"],
            knowledge.messages["other_language"],
        )
    ]


@lru_cache(maxsize=1)
def _declines() -> Tuple["re.Pattern[str]", ...]:
    return tuple(_template(t) for t in _decline_texts())


def declines_name_the_care_team() -> Tuple[int, int]:
    """(how many curated declines refer to the rheumatologist/care team or say the assistant
    only answers about biologics, how many there are): the decline rule relies on it."""
    texts = _decline_texts()
    return sum(1 for t in texts if CARE_TEAM.search(t)), len(texts)


def _emergency_line() -> str:
    return normalise(get_assistant().knowledge.red_flags["reply_intro"])


def judge(expected: Reply, gold_intent: str, actual: Reply) -> Tuple[str, bool]:
    """(the rule applied, whether ``actual`` is a correct reply); see JUDGING."""
    said = normalise(actual.text)
    if expected.kind == KIND_RED_FLAG:
        return "emergency", _emergency_line() in said
    if gold_intent in DECLINE_INTENTS or (
        expected.kind in (KIND_NOT_COVERED, KIND_OUT_OF_SCOPE) and not expected.entry_ids
    ):
        lines = [normalise(m) for m in actual.messages]
        return "decline", any(p.search(line) for p in _declines() for line in lines)
    if expected.kind == KIND_RESTART:
        return "restart", actual.restarted
    if expected.entry_ids:
        return "entries", all(needle in said for needle in expected.needles)
    return "message", all(normalise(m) in said for m in expected.messages)


def cause_of_miss(
    gold_intent: str,
    gold_entities: Sequence[Mapping[str, Any]],
    predicted_intent: Optional[str],
    predicted_entities: Sequence[Mapping[str, Any]],
) -> str:
    """Why a reply was wrong, first reason that applies: fallback, NLU intent, entity, routing."""
    if predicted_intent in (None, NLU_FALLBACK):
        return "fallback (did you mean / help)"
    if predicted_intent != gold_intent:
        return "NLU intent"
    lexicon = get_assistant().language.lexicon

    def canonical(entities: Sequence[Mapping[str, Any]]) -> set:
        return {(m.entity, m.value, m.name) for m in lexicon.mentions(entities)}

    if canonical(gold_entities) != canonical(predicted_entities):
        return "entity"
    return "routing / reply"


# --- the running server --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _disclaimers() -> Tuple[str, ...]:
    from lupus_faq.language.languages import SPOKEN

    return tuple(normalise(get_assistant().disclaimer(language)) for language in SPOKEN)


def is_disclaimer(text: str) -> bool:
    """Whether ``text`` is the opening disclaimer of a new conversation, in any language."""
    return normalise(text) in _disclaimers()


def strip_disclaimer(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The reply without the opening disclaimer of a new conversation."""
    return [m for m in messages if not is_disclaimer(m.get("text") or "")]


@dataclass
class ServerTurn:
    """One message sent to the server: its replies and what its NLU made of it."""

    text: str
    replies: List[Dict[str, Any]]
    intent: Optional[str]
    entities: List[Dict[str, Any]] = field(default_factory=list)
    restarted: bool = False

    def reply(self) -> Reply:
        """The replies as a Reply (disclaimer removed) for judging."""
        kept = strip_disclaimer(self.replies)
        texts = tuple(m.get("text") or "" for m in kept)
        kind = KIND_CLARIFY if self.intent == NLU_FALLBACK else "server"
        return Reply(kind, texts, restarted=self.restarted)


def ask_server(url: str, token: str, text: str, session: Any) -> ServerTurn:
    """Send ``text`` as the first message of a new conversation over REST; read back the
    tracker (HTTP API, with ``token``) for the NLU result and a restart."""
    sender = f"eval-{uuid.uuid4().hex}"
    response = session.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    tracker = session.get(
        f"{url}/conversations/{sender}/tracker",
        params={"token": token, "include_events": "ALL"},
        timeout=60,
    )
    tracker.raise_for_status()
    events = tracker.json().get("events") or []
    user = next((e for e in events if e.get("event") == "user"), {})
    parse = user.get("parse_data") or {}
    return ServerTurn(
        text=text,
        replies=list(response.json()),
        intent=(parse.get("intent") or {}).get("name"),
        entities=list(parse.get("entities") or []),
        restarted=any(e.get("event") == "restart" for e in events),
    )


# --- zero invented facts ----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def sentences(text: str) -> List[str]:
    """Sentences of a reply: its lines, cut after . ! or ? followed by a space."""
    return [s for line in str(text).split("\n") for s in _SENTENCE_END.split(normalise(line)) if s]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@lru_cache(maxsize=1)
def curated_sentences() -> Tuple[frozenset, Tuple["re.Pattern[str]", ...]]:
    """Every sentence the assistant is allowed to say: the texts of knowledge/answers.yml,
    messages.yml, not_covered.yml and red_flags.yml (replies) and of their translations, plus the
    questions used as button titles. Sentences with a {placeholder} become patterns."""
    knowledge = get_assistant().knowledge
    red = knowledge.red_flags
    texts: List[str] = [e.text for e in knowledge.entries.values()]
    texts += [e.question for e in knowledge.entries.values()]
    texts += list(_strings(knowledge.messages))
    texts += [
        knowledge.not_covered["generic"],
        *(t["text"] for t in knowledge.not_covered["topics"].values()),
    ]
    texts += [
        red["reply_intro"],
        red["reply_outro"],
        *(c["reply"] for c in red["categories"].values()),
    ]
    # The translations (knowledge/<language>/*.yml): every string they hold is a curated wording.
    for path in sorted(KNOWLEDGE_DIR.glob("*/*.yml")):
        texts += list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    literal, patterns = set(), []
    for text in texts:
        for sentence in sentences(normalise(text)):
            if re.search(r"\{\w+\}", sentence):
                patterns.append(_template(sentence))
            else:
                literal.add(sentence)
    return frozenset(literal), tuple(patterns)


def uncurated(replies: Iterable[Dict[str, Any]]) -> List[str]:
    """The sentences (and button titles) of ``replies`` found in no curated text."""
    literal, patterns = curated_sentences()
    found: List[str] = []
    for message in replies:
        pieces = sentences(message.get("text") or "")
        pieces += [normalise(b.get("title", "")) for b in message.get("buttons") or []]
        for piece in pieces:
            if piece not in literal and not any(p.fullmatch(piece) for p in patterns):
                found.append(piece)
    return found
