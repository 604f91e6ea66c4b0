"""`make explain`: why a message gets its reply. No server needed.

    python -m scripts.explain "can my daughter take benlysta?"
    python -m scripts.explain "and saphnelo?" --previous "can i take benlysta when pregnant?"
    python -m scripts.explain "how is it given?" --context '{"drugs": ["belimumab"]}'
    python -m scripts.explain "what is a biologic?" "can kids take benlysta?"  # each on its own

Loads the trained model's NLU in-process, reads the message (and any previous ones, to build
the conversation's context), and prints what the NLU found, the facts the decision table
looked at, the rule of knowledge/dialogue.yml that fired, and the reply. Several messages are
each explained on their own (same previous messages and context), with the model loaded once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "lupus-biologics.tar.gz"


def quiet_rasa() -> None:
    """Only warnings and errors from Rasa and its libraries in this process (Rasa's
    structured log prints every parse at DEBUG unless configured)."""
    import logging
    import warnings

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    warnings.filterwarnings("ignore")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)


def load_parser(model: Path) -> Callable[[str], Dict[str, Any]]:
    """A function text -> parse data, from the trained model (Rasa's own NLU graph)."""
    quiet_rasa()
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return lambda text: asyncio.run(agent.parse_message(text))


def explain_each(
    texts: Sequence[str], previous: List[str], context_json: Optional[str], model: Path
) -> List[str]:
    """The explanation of each message's reply, as printed; the model is loaded once."""
    parse = load_parser(model)
    return [explain(text, previous, context_json, parse) for text in texts]


def explain(
    text: str,
    previous: List[str],
    context_json: Optional[str],
    parse: Callable[[str], Dict[str, Any]],
) -> str:
    """The explanation of ``text``'s reply, as printed."""
    from lupus_faq.dialogue import Context, UserMessage, get_assistant
    from lupus_faq.dialogue.facts import Facts
    from lupus_faq.dialogue.memory import from_slots, to_slots

    assistant = get_assistant()
    context = from_slots(json.loads(context_json).get) if context_json else Context()
    lines: List[str] = []
    for said in previous:
        turn = assistant.turn(UserMessage.from_parse(parse(said)), context)
        lines.append(f"(before) {said!r} -> rule {turn.rule}")
        context = turn.context
    data = parse(text)
    message = UserMessage.from_parse(data)
    turn = assistant.turn(message, context)
    remembered = {k: v for k, v in to_slots(context).items() if v not in (None, False)}
    ranking = ", ".join(f"{g.name} {g.confidence:.2f}" for g in message.ranking[:4])
    entities = ", ".join(f"{e.get('entity')}={e.get('value')!r}" for e in message.entities)
    lines += [
        f"Message:  {text!r}",
        f"Context:  {json.dumps(remembered, ensure_ascii=False) if remembered else '(new conversation)'}",
        f"NLU:      intent {message.intent}; ranking {ranking or '-'}",
        f"          entities {entities or '-'}; red flags {list(message.red_flags) or '-'}",
        *(
            [
                f"          the other part {part['text']!r} read as {part['name']} {part['confidence']:.2f}"
            ]
            if (part := data.get("part_intent"))
            else []
        ),
        "Facts (what knowledge/dialogue.yml's rules test):",
    ]
    for name, value in turn.facts.tested().items():
        if value not in (None, False):
            lines.append(f"  {name:<24} {value!r:<28} {Facts.doc(name)}")
    lines.append("  (every other fact is false or none)")
    lines.append(f"Rule:     {turn.rule}  (knowledge/dialogue.yml)")
    lines.append(
        f"Reply ({turn.kind}; entries {', '.join(turn.entry_ids) or '-'};"
        f" declined {turn.declined or '-'}):"
    )
    for bot in turn.messages:
        lines += [f"  | {line}" for line in bot.text.splitlines()]
        lines += [f"  [{b.title}] -> {b.payload}" for b in bot.buttons]
    after = {
        k: v for k, v in to_slots(turn.context).items() if v not in (None, False) and k != "options"
    }
    lines.append(f"Remembers: {json.dumps(after, ensure_ascii=False)}")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "text", nargs="+", help="the message to explain (several: each explained on its own)"
    )
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        help="a message sent before it (repeat for several, oldest first)",
    )
    parser.add_argument("--context", help="what the conversation remembers, as JSON slots")
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make train` first.", file=sys.stderr)
        return 2
    print("\n\n".join(explain_each(args.text, args.previous, args.context, args.model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
