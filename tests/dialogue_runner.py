"""Plays the YAML dialogues of tests/dialogues/ through the assistant, as the server would.

A dialogue is a list of turns. Each turn says what the user sends and what the NLU's
classifier made of it, and what the assistant must do; entities are named by the words they
cover (their place in the text is found here), never by character offsets:

    - dialogue: a parent asks about belimumab, then follows up
      context: {drugs: [belimumab]}            # optional: what the conversation remembers
      turns:
        - user: can my child take it?
          intent: faq_drug_children            # the classifier's intent (default: the best
          ranking: {faq_drug_children: 0.9}    #   of `ranking`; nlu_fallback when unsure)
          entities: [{age_group: child}]       # {entity: words}, `at: N` for a later repeat
          part_intent: faq_drug_mechanism      # what the NLU read in the other part of a
          part_text: how does it work          #   mixed question, and that part (optional)
          expect:
            answer: [belimumab_children]       # the entries of knowledge/answers.yml, in order
            decline: pregnancy                 # the topic of knowledge/not_covered.yml declined
            rule: answer                       # the rule of knowledge/dialogue.yml that fired
            kind: answer                       # answer, not_covered, clarify, help, support...
            offers: [overview]                 # the questions offered as buttons (entry ids)
            feedback: true                     # the rating stored (true, false, or null: none)
            remembers: {age_group: child}      # what the conversation remembers afterwards
            language: fr                       # the language the reply is written in
        - button: '/faq_drug_administration{"drug":"belimumab"}'   # a button pressed

The deterministic NLU components run on the text as in config.yml (another language, a bare
option number, a rating, a red flag: each may replace the classifier's intent), so a dialogue
states only what the trained classifier said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from lupus_faq.dialogue import Assistant, Context, Guess, Option, Turn, UserMessage
from lupus_faq.dialogue.message import as_the_nlu_reads, button_message
from lupus_faq.knowledge.entities import DRUG, DRUG_NAMED
from lupus_faq.language.choices import parse_payload

DIALOGUES = Path(__file__).resolve().parent / "dialogues"
RATING_PAYLOADS = ("/affirm", "/deny")


def load_dialogues() -> List[Tuple[str, Dict[str, Any]]]:
    """(file:name, dialogue) for every dialogue of tests/dialogues/*.yml."""
    found = []
    for path in sorted(DIALOGUES.glob("*.yml")):
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append((f"{path.stem}: {dialogue['dialogue']}", dialogue))
    return found


def entities_in(text: str, said: List[Mapping[str, Any]]) -> Tuple[Dict[str, Any], ...]:
    """Rasa-style entities for ``{entity: words}`` items, placed where the words are."""
    found = []
    for item in said:
        at = item.get("at")
        ((entity, words),) = ((k, v) for k, v in item.items() if k != "at")
        start = text.lower().find(str(words).lower()) if at is None else int(at)
        if start < 0:
            raise AssertionError(f"{words!r} is not in {text!r}")
        found.append(
            {"entity": entity, "value": str(words), "start": start, "end": start + len(str(words))}
        )
    return tuple(found)


def message(assistant: Assistant, turn: Mapping[str, Any]) -> UserMessage:
    """The message the NLU would hand the dialogue for ``turn``."""
    if "button" in turn:
        parsed = parse_payload(turn["button"])
        assert parsed, turn["button"]
        return button_message(turn["button"], *parsed)
    text = str(turn["user"])
    ranking = [Guess(str(n), float(c)) for n, c in (turn.get("ranking") or {}).items()]
    intent = turn.get("intent") or (
        max(ranking, key=lambda g: g.confidence).name if ranking else None
    )
    return as_the_nlu_reads(
        text,
        intent,
        ranking,
        entities_in(text, turn.get("entities") or []),
        assistant.language,
        assistant.red_flags,
        Guess(str(turn["part_intent"]), 0.9) if turn.get("part_intent") else None,
        str(turn.get("part_text") or ""),
    )


def context_from(raw: Optional[Mapping[str, Any]]) -> Context:
    """A Context from the YAML's ``context`` mapping (field names of Context)."""
    values = dict(raw or {})
    for key in ("drugs", "last_answers"):
        if key in values:
            values[key] = tuple(values[key])
    if "options" in values:
        values["options"] = tuple(Option(o["title"], o["payload"]) for o in values["options"])
    return Context(**values)


def offered(assistant: Assistant, turn: Turn) -> List[str]:
    """The entry ids the buttons of ``turn`` ask about ("id(drug)" for an entry worded for any
    medicine), rating buttons left out."""
    ids = []
    for button in (b for m in turn.messages for b in m.buttons):
        if button.payload in RATING_PAYLOADS:
            continue
        parsed = parse_payload(button.payload)
        assert parsed, button.payload
        intent, entities = parsed
        mentions = assistant.language.lexicon.mentions(entities)
        values: Dict[str, Optional[str]] = {}
        for m in mentions:
            values[m.entity] = m.value
            if m.entity == DRUG:
                values[DRUG_NAMED] = m.value
        entry_id = assistant.router.resolve(intent, values)
        drug = values.get(DRUG)
        ids.append(
            f"{entry_id}({drug})"
            if drug and assistant.knowledge.entry(entry_id).placeholders
            else entry_id
        )
    return ids


def check(assistant: Assistant, turn: Turn, expect: Mapping[str, Any], where: str) -> None:
    """Assert every expectation of one turn, naming the rule that fired when one fails."""
    said = (
        f"{where}: rule {turn.rule!r}, kind {turn.kind!r}, entries {turn.entry_ids}, "
        f"declined {turn.declined!r}\n{turn.text}"
    )
    if "answer" in expect:
        assert list(turn.entry_ids) == list(expect["answer"] or []), said
    if "decline" in expect:
        assert turn.declined == expect["decline"], said
    if "rule" in expect:
        assert turn.rule == expect["rule"], said
    if "kind" in expect:
        assert turn.kind == expect["kind"], said
    if "offers" in expect:
        assert offered(assistant, turn) == list(expect["offers"]), (
            f"{said}\n{offered(assistant, turn)}"
        )
    if "feedback" in expect:
        got = turn.feedback["helpful"] if turn.feedback else None
        assert got == expect["feedback"], said
    if "language" in expect:
        assert turn.context.language == expect["language"], f"{said}\n{turn.context.language}"
        texts = assistant.knowledge.texts(expect["language"])
        for entry_id in turn.entry_ids:  # the entry's own wording in that language is said
            entry = assistant.knowledge.entry(entry_id)
            first = texts.answer(entry, drug="{drug}").split("{drug}")[0][:40]
            assert first in turn.text, f"{said}\n{entry_id}: {first!r} not said"
    for key, value in (expect.get("remembers") or {}).items():
        got = getattr(turn.context, key)
        assert (list(got) if isinstance(got, tuple) else got) == value, f"{said}\n{key}={got!r}"


def play(assistant: Assistant, name: str, dialogue: Mapping[str, Any]) -> List[Turn]:
    """Every turn of ``dialogue``, each checked; the context carried from turn to turn."""
    context = context_from(dialogue.get("context"))
    turns = []
    for number, step in enumerate(dialogue["turns"], start=1):
        turn = assistant.turn(message(assistant, step), context)
        check(assistant, turn, step.get("expect") or {}, f"{name}, turn {number}")
        context = turn.context
        turns.append(turn)
    return turns
