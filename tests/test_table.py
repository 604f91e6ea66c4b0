"""The decision table of knowledge/dialogue.yml: rules as data, first match wins, checked when
loaded so that a typo in a fact or an outcome fails at once."""

from __future__ import annotations

import pytest

from lupus_faq.dialogue import Assistant
from lupus_faq.dialogue.facts import Facts
from lupus_faq.dialogue.table import DecisionTable, TableError

FACTS = Facts.names()
OUTCOMES = ("answer", "help")


def table(*rows: dict) -> DecisionTable:
    return DecisionTable(list(rows), FACTS, OUTCOMES)


def test_the_first_rule_that_holds_decides() -> None:
    rules = table(
        {"rule": "unsure", "when": {"sure": False}, "then": "help"},
        {"rule": "topic", "when": {"topic": "any"}, "then": "help"},
        {"rule": "rest", "then": "answer"},
    )
    facts = dict.fromkeys(FACTS)
    assert rules.decide({**facts, "sure": False, "topic": "cost"}).name == "unsure"
    assert rules.decide({**facts, "sure": True, "topic": "cost"}).name == "topic"
    assert rules.decide({**facts, "sure": True}).name == "rest"


@pytest.mark.parametrize(
    "expected,value,holds",
    [
        (True, True, True),
        (True, None, False),
        (False, None, True),
        ("any", "cost", True),
        ("any", None, False),
        ("none", None, True),
        ("none", "x", False),
        ("greet", "greet", True),
        (["affirm", "deny"], "deny", True),
        (["affirm", "deny"], "greet", False),
        ([True, False], None, False),
        ([True, False], False, True),
    ],
)
def test_a_condition_holds_as_the_file_says(expected, value, holds) -> None:
    rules = table(
        {"rule": "r", "when": {"intent": expected}, "then": "help"},
        {"rule": "rest", "then": "answer"},
    )
    assert (rules.decide({**dict.fromkeys(FACTS), "intent": value}).name == "r") is holds


@pytest.mark.parametrize(
    "rows,complaint",
    [
        (
            [
                {"rule": "a", "when": {"is_sure": True}, "then": "help"},
                {"rule": "b", "then": "answer"},
            ],
            "unknown facts",
        ),
        (
            [
                {"rule": "a", "when": {"sure": True}, "then": "shrug"},
                {"rule": "b", "then": "answer"},
            ],
            "outcomes",
        ),
        ([{"rule": "a", "when": {"sure": True}, "then": "help"}], "last rule"),
        ([{"rule": "a", "then": "help"}, {"rule": "a", "then": "answer"}], "unique"),
    ],
)
def test_a_table_with_a_mistake_is_refused_when_loaded(rows, complaint) -> None:
    with pytest.raises(TableError, match=complaint):
        DecisionTable(rows, FACTS, OUTCOMES)


def test_every_fact_says_what_it_means() -> None:
    assert all(Facts.doc(name) for name in FACTS)


def test_emergencies_are_the_first_rules(assistant: Assistant) -> None:
    # an emergency told as past comes first, with what else the message asks; then any other
    rules = assistant.table.rules
    told_as_past = [r for r in rules if r.when.get("red_flag_past")]
    assert list(rules[: len(told_as_past)]) == told_as_past
    assert all(r.then.startswith("emergency_then") for r in told_as_past)
    assert rules[len(told_as_past)].name == "emergency"
    assert rules[len(told_as_past)].when == {"red_flag": True}


def test_the_questions_the_table_names_are_page_questions(assistant: Assistant) -> None:
    """A typo in knowledge/dialogue.yml's lists of page questions would silently do nothing."""
    follow_ups = assistant.questions.follow_ups
    named = {
        *assistant.questions.asked_in_general,
        *(getattr(follow_ups, key) for key in follow_ups.__dataclass_fields__),
    } - {follow_ups.ask_about_drug}
    assert named and all(assistant.router.handles(intent) for intent in named)
