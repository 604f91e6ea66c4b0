"""Scoring the blind sets of tests/blind/: messages written by people who never saw the
assistant, its training data or its tests, each labelled with the replies that count as right.

Every item is played as a new conversation, turn by turn, through the running server (REST),
as a patient meets it; `--in-process` runs the same turns through the trained model and the
assistant without a server (for quick looks while working; reported figures come from the
server). A turn's verdict is one of:

- right: the reply gives an accepted answer (and a decline too, when the message also asked
  something the page does not cover), or declines an uncovered question, or routes an
  emergency, or answers small talk as small talk;
- false decline: a page question declined, or met with "Did you mean...?" or the help menu;
- wrong answer: a page answer that is not an accepted one (the worst kind of miss);
- missed decline: an uncovered question answered without a decline;
- missed emergency.

    python -m eval.blind tests/blind/2026-12-06            # through servers it starts itself
    python -m eval.blind tests/blind/2026-12-06 --in-process
    python -m eval.blind tests/blind/2026-12-06 --show-misses
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent

RIGHT = "right"
FALSE_DECLINE = "false decline"
UNSURE = "did you mean / help"
WRONG_ANSWER = "wrong answer"
MISSED_DECLINE = "missed decline"
MISSED_EMERGENCY = "missed emergency"
OTHER_MISS = "other miss"

# Expectations, as the writers labelled them.
ANSWER, DECLINE, BOTH, EMERGENCY, SMALL_TALK, OTHER_LANGUAGE = (
    "answer",
    "decline",
    "answer_and_decline",
    "emergency",
    "small_talk",
    "other_language",
)


def normalise(text: str) -> str:
    """Whitespace collapsed, so that YAML line folding does not matter."""
    return " ".join(str(text).split())


def _template(text: str) -> "re.Pattern[str]":
    parts = re.split(r"\{\w+\}", normalise(text))
    return re.compile(r"[^\n]{1,80}?".join(re.escape(p) for p in parts))


@dataclass(frozen=True)
class Catalogue:
    """What the assistant can say, in every language it speaks, to recognise it in a reply."""

    answers: Mapping[str, Tuple[Tuple["re.Pattern[str]", ...], str]]  # id -> (patterns, kind)
    declines: Tuple["re.Pattern[str]", ...]
    emergency: Tuple[str, ...]
    did_you_mean: Tuple[str, ...]
    small_talk: Mapping[str, Tuple[str, ...]]
    other_language: Tuple[str, ...]

    @classmethod
    def load(cls) -> "Catalogue":
        """From the knowledge of the repository (English and its translations)."""
        from lupus_faq.knowledge import load_knowledge
        from lupus_faq.language.languages import SPOKEN

        knowledge = load_knowledge()
        all_texts = [knowledge.texts(language) for language in SPOKEN]
        answers = {
            e.id: (
                tuple(
                    _template(t.answer(e, drug="{drug}") if e.placeholders else t.answer(e))
                    for t in all_texts
                ),
                e.kind,
            )
            for e in knowledge.entries.values()
        }
        declines: List[str] = []
        for t in all_texts:
            declines += [t.generic_decline(), t.message("out_of_scope")]
            declines += [t.decline(name) for name in knowledge.not_covered["topics"]]
            declines += [
                t.answer(e, drug="{drug}") if e.placeholders else t.answer(e)
                for e in knowledge.entries.values()
                if e.kind == "not_covered"
            ]

        def said(*keys: str) -> Tuple[str, ...]:
            return tuple(normalise(t.message(k)) for t in all_texts for k in keys)

        return cls(
            answers=answers,
            declines=tuple(_template(d) for d in declines),
            emergency=tuple(normalise(t.emergency([]).split("\n")[0]) for t in all_texts),
            did_you_mean=said("did_you_mean", "not_understood", "still_unclear"),
            small_talk={
                "greet": said("greet"),
                "goodbye": said("goodbye"),
                "thank": said("welcome"),
                "bot_challenge": said("iamabot"),
                "ask_capabilities": said("help_intro"),
                "affirm": said("glad", "help_intro", "feedback_thanks"),
                "deny": said("help_intro", "feedback_sorry"),
                "share_feelings": said("share_feelings"),
                "out_of_scope": said("out_of_scope"),
            },
            other_language=said("other_language"),
        )

    def entries_in(self, lines: Sequence[str]) -> List[str]:
        """The entries whose text (in any language) is a line of the reply."""
        return [
            entry_id
            for entry_id, (patterns, _) in self.answers.items()
            if any(p.fullmatch(line) for p in patterns for line in lines)
        ]

    def declines_in(self, lines: Sequence[str]) -> bool:
        """Whether a line of the reply is a curated decline."""
        return any(p.fullmatch(line) or p.search(line) for p in self.declines for line in lines)

    def emergency_in(self, said: str) -> bool:
        """Whether the reply is (or starts with) the emergency reply."""
        return any(line in said for line in self.emergency)


@dataclass
class Verdict:
    """One turn of a blind item, what came back, and the verdict."""

    item: str
    turn: int
    text: str
    expect: str
    origin: str
    who: str
    verdict: str
    said: str
    multi_turn: bool = False
    accepted: Tuple[str, ...] = ()
    given: Tuple[str, ...] = ()
    # The emergency reply to a turn that is not an emergency. Counted apart, since a past
    # emergency told with a question rightly gets it before the answer (the turn can be right).
    false_alarm: bool = False


def judge(
    catalogue: Catalogue, accept: Mapping[str, Any], expect: str, replies: Sequence[str]
) -> Tuple[str, Tuple[str, ...]]:
    """(verdict, entries given) for the reply ``replies`` to a turn labelled ``accept``."""
    lines = [normalise(line) for reply in replies for line in str(reply).split("\n")]
    said = " ".join(lines)
    given = tuple(catalogue.entries_in(lines))
    answers_given = [e for e in given if catalogue.answers[e][1] == "answer"]
    declined = catalogue.declines_in(lines)
    unsure = any(said.startswith(m) or m in said for m in catalogue.did_you_mean)
    if accept.get("emergency"):
        return (RIGHT if catalogue.emergency_in(said) else MISSED_EMERGENCY), given
    alarmed = catalogue.emergency_in(said)  # an emergency reply to what is not one
    if "small_talk" in accept:
        wanted = catalogue.small_talk.get(str(accept["small_talk"]), ())
        return (RIGHT if any(w in said for w in wanted) else OTHER_MISS), given
    if accept.get("other_language"):
        return (RIGHT if any(m in said for m in catalogue.other_language) else OTHER_MISS), given
    accepted = set(accept.get("answers") or ())
    if expect in (ANSWER, BOTH) or (accepted and not accept.get("decline")):
        hit = accepted & set(given)
        wrong = [e for e in answers_given if e not in accepted]
        if hit and wrong:
            return WRONG_ANSWER, given
        if hit:
            if expect == BOTH and not declined and not accept.get("one_entry_suffices"):
                return MISSED_DECLINE, given
            return RIGHT, given  # an emergency reply before it, for a past one, is allowed
        if wrong:
            return WRONG_ANSWER, given
        if unsure:
            return UNSURE, given
        if declined or given:
            return FALSE_DECLINE, given
        return OTHER_MISS, given
    if alarmed:
        return OTHER_MISS, given
    # an uncovered question
    if declined or (accepted & set(given)):
        wrong = [e for e in answers_given if e not in accepted]
        return (RIGHT if not wrong else WRONG_ANSWER), given
    if answers_given:
        return MISSED_DECLINE, given
    if unsure:
        return UNSURE, given
    return OTHER_MISS, given


def load_items(folder: Path) -> List[Dict[str, Any]]:
    """Every item of the blind set in ``folder`` (all of its YAML files)."""
    items: List[Dict[str, Any]] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items += data["items"]
    return items


Ask = Callable[[str, str], List[str]]  # (conversation id, text) -> the reply's texts


def score(items: Sequence[Mapping[str, Any]], ask: Ask, catalogue: Catalogue) -> List[Verdict]:
    """Play every item as its own conversation and judge each turn."""
    verdicts: List[Verdict] = []
    for item in items:
        sender = f"blind-{item['id']}-{uuid.uuid4().hex[:8]}"
        turns = item["turns"]
        for number, turn in enumerate(turns):
            replies = ask(sender, str(turn["text"]))
            verdict, given = judge(
                catalogue, turn.get("accept") or {}, turn.get("expect", ""), replies
            )
            verdicts.append(
                Verdict(
                    item=item["id"],
                    turn=number,
                    text=str(turn["text"]),
                    expect=str(turn.get("expect")),
                    origin=str(item.get("origin")),
                    who=str(item.get("who")),
                    verdict=verdict,
                    said=" | ".join(replies),
                    multi_turn=len(turns) > 1 and number > 0,
                    accepted=tuple((turn.get("accept") or {}).get("answers") or ()),
                    given=given,
                    false_alarm=turn.get("expect") != EMERGENCY
                    and catalogue.emergency_in(normalise(" ".join(replies))),
                )
            )
    return verdicts


@dataclass
class Summary:
    """The figures of one blind set."""

    name: str
    verdicts: List[Verdict] = field(default_factory=list)

    def share(self, keep: Callable[[Verdict], bool]) -> Tuple[int, int]:
        """(right, all) among the turns ``keep`` selects."""
        chosen = [v for v in self.verdicts if keep(v)]
        return sum(v.verdict == RIGHT for v in chosen), len(chosen)

    def rows(self) -> List[Tuple[str, int, int]]:
        """(what, right, out of) for the headline figures."""
        page = lambda v: v.expect in (ANSWER, BOTH)  # noqa: E731
        return [
            ("page questions answered right", *self.share(page)),
            ("... real forum questions", *self.share(lambda v: page(v) and v.origin == "forum")),
            ("uncovered questions declined", *self.share(lambda v: v.expect == DECLINE)),
            ("emergencies routed", *self.share(lambda v: v.expect == EMERGENCY)),
            ("multi-turn follow-ups right", *self.share(lambda v: v.multi_turn)),
            (
                "small talk and other languages",
                *self.share(lambda v: v.expect in (SMALL_TALK, OTHER_LANGUAGE)),
            ),
            ("all turns", *self.share(lambda v: True)),
        ]

    def errors(self) -> Counter:
        """Misses by kind."""
        return Counter(v.verdict for v in self.verdicts if v.verdict != RIGHT)


def pct(right: int, total: int) -> str:
    """ "97.0 % (421/434)", or "n/a"."""
    return f"{100 * right / total:.1f} % ({right}/{total})" if total else "n/a"


def table(summaries: Sequence[Summary]) -> str:
    """The figures of several sets side by side, as Markdown."""
    head = "| | " + " | ".join(s.name for s in summaries) + " |"
    lines = [head, "|---|" + "---|" * len(summaries)]
    for index, (what, _, _) in enumerate(summaries[0].rows()):
        lines.append(
            f"| {what} | " + " | ".join(pct(*s.rows()[index][1:]) for s in summaries) + " |"
        )
    kinds = (FALSE_DECLINE, UNSURE, WRONG_ANSWER, MISSED_DECLINE, MISSED_EMERGENCY, OTHER_MISS)
    for kind in kinds:
        lines.append(
            f"| misses: {kind} | "
            + " | ".join(str(s.errors().get(kind, 0)) for s in summaries)
            + " |"
        )
    lines.append(
        "| emergency replies to turns that were not emergencies | "
        + " | ".join(str(sum(v.false_alarm for v in s.verdicts)) for s in summaries)
        + " |"
    )
    return "\n".join(lines)


# --- asking ---------------------------------------------------------------------------------


def server_asker(url: str, session: Any) -> Ask:
    """Send each turn over REST to a running server; the opening disclaimer left out."""
    from eval.answers import is_disclaimer

    def ask(sender: str, text: str) -> List[str]:
        response = session.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return [
            m.get("text") or "" for m in response.json() if not is_disclaimer(m.get("text") or "")
        ]

    return ask


def in_process_asker(model: Path, cache: Optional[Path] = None) -> Ask:
    """The trained model's NLU and the assistant, in this process (no channel, no server).
    With ``cache``, the NLU's parses are kept in that JSON file (keyed by the model file), so
    that a change to the dialogue alone is scored again in seconds."""
    from channels.inputs import check_text
    from lupus_faq.dialogue import Context, UserMessage, get_assistant
    from scripts.explain import load_parser

    key = f"{model.resolve()}:{model.stat().st_mtime_ns}"
    saved: Dict[str, Any] = json.loads(cache.read_text()) if cache and cache.exists() else {}
    parses: Dict[str, Any] = saved.get(key, {})
    parser: List[Callable[[str], Dict[str, Any]]] = []

    def parse_text(text: str) -> Dict[str, Any]:
        if text not in parses:
            if not parser:
                parser.append(load_parser(model))
            parses[text] = parser[0](text)
            if cache:
                cache.write_text(json.dumps({key: parses}))
        return parses[text]

    assistant = get_assistant()
    contexts: Dict[str, Context] = {}

    def ask(sender: str, text: str) -> List[str]:
        checked = check_text(sender, text, None)
        if checked.problem:  # answered by the channel, as the server would
            from channels.web import answer_without_rasa

            return [r["text"] for r in answer_without_rasa(checked, text)]
        parse = parse_text(checked.text)
        turn = assistant.turn(UserMessage.from_parse(parse), contexts.get(sender, Context()))
        contexts[sender] = turn.context
        return [m.text for m in turn.messages]

    return ask


def held_out_line(url: str, token: str) -> str:
    """Answer-level accuracy on the held-out set (tests/nlu_test.yml) through the server, as
    `make eval` judges it, with its misses."""
    from eval.data import held_out_examples
    from eval.run import ask_all, served_scores

    examples = held_out_examples()
    scores = served_scores(examples, ask_all(url, token, examples))
    right = sum(o.correct for o in scores.outcomes)
    misses = [
        f"  [{o.cause or o.rule}] {o.text!r} ({o.gold_intent})"
        for o in scores.outcomes
        if not o.correct
    ]
    return "\n".join(
        [f"held-out answers right (served): {pct(right, len(scores.outcomes))}", *misses]
    )


# What each kind of miss in table() means (the blind pages of eval.blind and make eval).
MISS_KINDS = (
    "Misses are counted by kind: *false decline* (a page question declined), *did you mean / "
    "help* (a page question met with suggestions), *wrong answer* (a page answer that was not "
    "an accepted one), *missed decline* (an uncovered question answered without a decline), "
    "*missed emergency*, *other miss* (small talk, other languages, follow-ups judged otherwise)."
)


def markdown_report(
    summaries: Sequence[Summary], held_out: Optional[str], how: str, argv: Optional[Sequence[str]]
) -> str:
    """The figures of one scoring run as a Markdown page that says when, where and on what
    code it was measured (so a figure quoted elsewhere can be traced to its run)."""
    import datetime as dt

    from eval.run import code_version, machine

    command = "python -m eval.blind " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [
        "# Blind sets: questions nobody here wrote",
        "",
        f"Generated by `{command}`; do not edit by hand.",
        "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; scored {how}",
        f"- Machine: {machine()}",
        f"- Code: {code_version()}",
        "",
        "How the sets were written, which were read while working and which batch is the "
        "untouched headline: tests/blind/README.md; how a turn is judged: eval/blind.py.",
        "",
    ]
    if held_out:
        lines += [
            "For comparison, the held-out set (tests/nlu_test.yml) through the same server:",
            "",
        ]
        lines += ["```", held_out, "```", ""]
    lines += table(summaries).splitlines()
    lines += [
        "",
        MISS_KINDS,
        "",
    ]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line: score one or more blind sets and print their table."""
    parser = argparse.ArgumentParser(description="Score blind sets (tests/blind/)")
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "lupus-biologics.tar.gz")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--parse-cache", type=Path, help="with --in-process: keep the NLU's parses in this file"
    )
    parser.add_argument(
        "--json", type=Path, help="write every verdict here, each with its set's folder name"
    )
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="also score tests/nlu_test.yml's answers through the same server",
    )
    parser.add_argument(
        "--report",
        type=Path,
        help="also write the figures as Markdown here, with the date, machine and commit "
        "(e.g. docs/benchmarks-blind.md)",
    )
    args = parser.parse_args(argv)
    catalogue = Catalogue.load()
    summaries: List[Summary] = []
    held_out: Optional[str] = None

    def run_all(ask: Ask) -> None:
        for folder in args.folders:
            summaries.append(Summary(folder.name, score(load_items(folder), ask, catalogue)))

    if args.in_process:
        run_all(in_process_asker(args.model, args.parse_cache))
    else:
        import tempfile

        import requests

        from eval.run import serving

        with (
            tempfile.TemporaryDirectory() as work,
            serving(args.model, Path(work)) as (url, token),
            requests.Session() as session,
        ):
            run_all(server_asker(url, session))
            if args.held_out:
                held_out = held_out_line(url, token)
                print(held_out)
    print(table(summaries))
    if args.report:
        how = "in process (no server)" if args.in_process else "through the running server"
        args.report.write_text(
            markdown_report(summaries, held_out, how, argv),
            encoding="utf-8",
        )
    if args.show_misses:
        for summary in summaries:
            for v in summary.verdicts:
                if v.verdict != RIGHT:
                    print(
                        f"\n[{v.verdict}] {v.item}.{v.turn} ({v.expect}; accept {list(v.accepted)};"
                        f" gave {list(v.given)})\n  > {v.text}\n  < {v.said[:300]}"
                    )
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"set": s.name, **vars(v)} for s in summaries for v in s.verdicts],
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
