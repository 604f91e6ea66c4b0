"""The conversation's memory is declared once (lupus_faq/dialogue/memory.py): domain.yml and
the action adapter follow it."""

from __future__ import annotations

from lupus_faq.dialogue import Context, Option
from lupus_faq.dialogue.memory import SLOTS, changed_slots, from_slots, to_slots


def test_domain_declares_exactly_the_slots_of_the_memory_with_their_types(domain: dict) -> None:
    declared = {name: slot["type"] for name, slot in domain["slots"].items()}
    assert declared == SLOTS
    assert all(slot["influence_conversation"] is False for slot in domain["slots"].values())
    assert all(slot["mappings"] == [{"type": "custom"}] for slot in domain["slots"].values())


def test_a_context_survives_the_slots_unchanged() -> None:
    context = Context(
        last_intent="faq_drug_children",
        drugs=("belimumab", "anifrolumab"),
        last_answers=("belimumab_children",),
        age_group="child",
        speaker_age_group="adult",
        about_speaker=True,
        declined_topic="pregnancy",
        awaiting="rating",
        options=(Option("Yes", "/affirm"),),
    )
    slots = to_slots(context)
    assert from_slots(slots.get) == context
    assert from_slots({}.get) == Context()


def test_only_what_changed_is_written_back() -> None:
    before = Context(drugs=("belimumab",))
    after = Context(drugs=("belimumab",), age_group="child")
    assert changed_slots(before, after) == {"person_age_group": "child"}
