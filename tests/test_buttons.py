"""Button payloads and numbered choices, as typed on channels without buttons."""

from __future__ import annotations

import pytest

from lupus_faq.language.choices import parse_choice, parse_payload


@pytest.mark.parametrize(
    "text,number",
    [
        ("2", 2),
        (" 3 ", 3),
        ("option 1", 1),
        ("Number 4", 4),
        ("#5", 5),
        ("2.", 2),
        ("3)", 3),
        ("no. 2", 2),
    ],
)
def test_a_bare_number_is_a_choice(text: str, number: int) -> None:
    assert parse_choice(text) == number


@pytest.mark.parametrize(
    "text", ["2 years", "my 5 year old", "can kids take it", "", "1 2", "38.5"]
)
def test_anything_else_is_not_a_choice(text: str) -> None:
    assert parse_choice(text) is None


def test_payloads_round_trip() -> None:
    assert parse_payload('/faq_drug_children{"drug":"belimumab"}') == (
        "faq_drug_children",
        [{"entity": "drug", "value": "belimumab"}],
    )
    assert parse_payload("/faq_overview") == ("faq_overview", [])
    assert parse_payload("/faq_x{not json") is None
    assert parse_payload("hello") is None
    assert parse_payload('/x["a"]') is None
