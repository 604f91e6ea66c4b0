"""Answer routing: from an intent and the entities named to one entry of answers.yml."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, Mapping, Optional, Protocol, Sequence, Tuple

from lupus_faq.knowledge.entities import COMPARED, DRUG, DRUG_NAMED, OTHER

NONE = "none"
# The entry that says the page does not describe a medicine ("does methotrexate work?"): the
# reply of routes.yml's `drug: other` cases, and the note for such a medicine named in a
# question whose answer is the same for every medicine ("is voclosporin a biologic?").
OTHER_DRUG_ENTRY = "other_drug"


class Surfaces(Protocol):
    """Something that knows a word users write for a canonical value (the lexicon)."""

    def surface(self, entity: str, value: str) -> str:
        """A word users write for ``value`` of ``entity``."""


class RoutingError(LookupError):
    """An intent, or a combination of entity values, that routes.yml does not resolve."""


class Router:
    """The cases of knowledge/routes.yml, tried in order."""

    def __init__(self, routes: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self._routes = routes

    @property
    def intents(self) -> Tuple[str, ...]:
        """Every intent answered from the knowledge base."""
        return tuple(self._routes)

    def handles(self, intent: Optional[str]) -> bool:
        """True if ``intent`` is a FAQ intent with routes."""
        return intent in self._routes

    def uses_a_medicine(self, intent: str) -> bool:
        """True if the answer to ``intent`` depends on which medicine it is asked about."""
        return self.uses(intent, DRUG) or self.uses(intent, DRUG_NAMED)

    def uses(self, intent: str, entity: str) -> bool:
        """True if the answer to ``intent`` depends on ``entity`` (e.g. which drug)."""
        return any(entity in (case.get("when") or {}) for case in self._routes.get(intent, ()))

    def resolve(self, intent: str, values: Mapping[str, Optional[str]]) -> str:
        """The entry id answering ``intent`` given canonical entity values (None = not named)."""
        return str(self.case(intent, values)["reply"])

    def case(self, intent: str, values: Mapping[str, Optional[str]]) -> Mapping[str, Any]:
        """The first case of ``intent`` whose ``when`` holds for ``values``."""
        for case in self._routes.get(intent, ()):
            when = case.get("when") or {}
            if all(_matches(values.get(key) or NONE, expected) for key, expected in when.items()):
                return case
        raise RoutingError(f"no route for intent {intent!r} with {dict(values)!r}")

    def cases(self) -> Iterator[Tuple[str, Mapping[str, str], str]]:
        """Every (intent, when, entry id) of the routes, in file order."""
        for intent, cases in self._routes.items():
            for case in cases:
                yield intent, case.get("when") or {}, case["reply"]

    def payload(
        self, entry_id: str, vocabulary: Surfaces, drug: Optional[str] = None
    ) -> Optional[str]:
        """A Rasa button payload ("/intent{...}") that routes to ``entry_id``, if there is one.

        Buttons are self-contained: the payload names every entity the route needs, so the
        answer does not depend on what was said before. Cases marked ``button: false`` are
        skipped: they bring a question asked one way to the answer of another ("can my 25 year
        old son take it?" to who can take it), and a button asks the answer's own question, so
        that "what about anifrolumab?" after it re-asks the right one. With ``drug``, only a
        payload that asks about that medicine (or about none) is given.
        """
        for intent, cases in self._routes.items():
            for case in cases:
                payload = self._payload(intent, case, entry_id, vocabulary, drug)
                if payload:
                    return payload
        return None

    def _payload(
        self,
        intent: str,
        case: Mapping[str, Any],
        entry_id: str,
        vocabulary: Surfaces,
        drug: Optional[str],
    ) -> Optional[str]:
        when = case.get("when") or {}
        if case["reply"] != entry_id or case.get("button") is False:
            return None
        if any(isinstance(expected, list) for expected in when.values()):
            return None  # "any of these" names no one value a payload could send
        if COMPARED in when:
            return None  # medicines named together are no entity a payload could send
        asked = when.get(DRUG) or when.get(DRUG_NAMED)
        if asked == OTHER or (drug and asked not in (None, NONE, drug)):
            return None
        named = {entity: value for entity, value in when.items() if value != NONE}
        # A payload is parsed like user text, so "other" is sent as a word it stands for; a
        # medicine "named in the message" is sent as the drug entity it is.
        entities: Dict[str, str] = {
            DRUG if entity == DRUG_NAMED else entity: vocabulary.surface(entity, value)
            if value == OTHER
            else value
            for entity, value in named.items()
        }
        if DRUG_NAMED in named:
            named = {**named, DRUG: named[DRUG_NAMED]}
        if self.resolve(intent, named) != entry_id:
            return None
        suffix = json.dumps(entities, separators=(",", ":")) if entities else ""
        return f"/{intent}{suffix}"


def _matches(value: str, expected: Any) -> bool:
    """A ``when`` value is one canonical value, or a list of them (any one matches)."""
    return value in expected if isinstance(expected, list) else value == expected
