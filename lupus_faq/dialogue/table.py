"""The decision table of knowledge/dialogue.yml: rules tried top to bottom, first match wins."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection, Dict, List, Mapping, Sequence, Tuple

ANY = "any"  # the fact is set (true, or a value)
NONE = "none"  # the fact is not set (false, or no value)


class TableError(ValueError):
    """A rule that names a fact or an outcome that does not exist, or a table that can end
    without a rule."""


@dataclass(frozen=True)
class Rule:
    """One row: its name, the facts it needs, and what to do."""

    name: str
    when: Mapping[str, Any]
    then: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, facts: Mapping[str, Any]) -> bool:
        """Whether every condition holds for ``facts`` (fact name -> value)."""
        return all(_holds(facts[name], expected) for name, expected in self.when.items())


def _holds(value: Any, expected: Any) -> bool:
    if expected == ANY:
        return bool(value)
    if expected == NONE:
        return not value
    if isinstance(expected, bool):
        return bool(value) == expected
    if isinstance(expected, list):
        return value in expected
    return bool(value == expected)


class DecisionTable:
    """The rules, checked against the facts and outcomes that exist when loaded."""

    def __init__(
        self,
        raw: Sequence[Mapping[str, Any]],
        facts: Collection[str],
        outcomes: Collection[str],
    ) -> None:
        self.rules: Tuple[Rule, ...] = tuple(_rule(row, facts, outcomes) for row in raw)
        if not self.rules or self.rules[-1].when:
            raise TableError("the last rule must have no `when`: every message needs a reply")
        names = [r.name for r in self.rules]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise TableError(f"rule names must be unique: {', '.join(duplicates)}")

    def decide(self, facts: Mapping[str, Any]) -> Rule:
        """The first rule whose conditions hold."""
        return next(rule for rule in self.rules if rule.matches(facts))

    def names(self) -> List[str]:
        """Every rule's name, in order."""
        return [rule.name for rule in self.rules]


def _rule(row: Mapping[str, Any], facts: Collection[str], outcomes: Collection[str]) -> Rule:
    name = str(row.get("rule") or "")
    if not name:
        raise TableError(f"a rule without a name: {dict(row)!r}")
    when: Dict[str, Any] = dict(row.get("when") or {})
    unknown = sorted(set(when) - set(facts))
    if unknown:
        raise TableError(f"rule {name!r} tests unknown facts {unknown}; known: {sorted(facts)}")
    then = row.get("then")
    params: Dict[str, Any] = {}
    if isinstance(then, Mapping):
        ((then, params),) = (
            (k, dict(v) if isinstance(v, Mapping) else {"value": v}) for k, v in then.items()
        )
    if then not in outcomes:
        raise TableError(f"rule {name!r} does {then!r}; outcomes: {sorted(outcomes)}")
    return Rule(name, when, str(then), params)
