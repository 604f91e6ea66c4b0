"""The French replies (knowledge/fr/) are wordings of the English ones: every text is there,
each answer carries the same verbatim quotes of the page, and the facts that matter are the
same (medicine names, ages and numbers, adults, monthly and weekly, IV and under the skin,
"not recommended", "not evaluated")."""

from __future__ import annotations

import re
from typing import Dict, List, Tuple

import pytest

from lupus_faq.knowledge import Knowledge

FRENCH = "fr"
MEDICINES = ("belimumab", "anifrolumab", "rituximab", "benlysta", "saphnelo", "rituxan", "mabthera")
# (the English words, the French words): if the English text has one, the French has one.
FACTS: List[Tuple[str, Tuple[str, ...], Tuple[str, ...]]] = [
    ("adults", (r"\badults?\b",), (r"\badultes?\b",)),
    ("children", (r"\bchild(ren)?\b",), (r"\benfants?\b",)),
    ("monthly", (r"\bmonth(ly)?\b",), (r"\bmois\b", r"\bmensuel")),
    ("weekly", (r"\bweek(ly)?\b",), (r"\bsemaine\b", r"\bhebdomadaire")),
    ("IV", (r"\bIV\b", r"\bintravenous", r"\binfusion"), (r"\bIV\b", r"intraveineu", r"perfusion")),
    ("under the skin", (r"subcutaneous", r"under the skin"), (r"sous-cutan", r"sous la peau")),
    ("not recommended", (r"not recommended",), (r"pas recommand",)),
    ("not evaluated", (r"not (been )?evaluated",), (r"pas (été )?évalu",)),
    ("monoclonal antibody", (r"monoclonal",), (r"monoclonal",)),
    ("fusion protein", (r"fusion protein",), (r"protéine de fusion",)),
]


def _fr(knowledge: Knowledge, file: str) -> Dict:
    return knowledge.translations.get(FRENCH, {}).get(file, {})


def _numbers(text: str) -> List[str]:
    return sorted(re.findall(r"\d+", text.replace("fifty", "50").replace("cinquante", "50")))


def test_every_answer_has_its_french_wording_with_the_same_quotes(knowledge: Knowledge) -> None:
    french = _fr(knowledge, "answers").get("answers") or {}
    assert set(french) == set(knowledge.entries)
    for entry_id, entry in knowledge.entries.items():
        assert french[entry_id].get("text") and french[entry_id].get("question"), entry_id
        assert tuple(french[entry_id].get("quotes") or ()) == entry.quotes, entry_id


def test_every_decline_message_and_emergency_reply_is_there_in_french(knowledge) -> None:
    declines = _fr(knowledge, "not_covered")
    assert declines.get("generic")
    assert set(declines.get("topics") or {}) == set(knowledge.not_covered["topics"])
    messages = _fr(knowledge, "messages")
    shown = {k for k, v in knowledge.messages.items() if isinstance(v, str)}
    assert shown - set(messages) == set()
    red = _fr(knowledge, "red_flags")
    assert red.get("reply_intro") and red.get("reply_outro")
    assert set(red.get("categories") or {}) == set(knowledge.red_flags["categories"])


def test_placeholders_are_the_same(knowledge: Knowledge) -> None:
    french = _fr(knowledge, "answers")["answers"]
    for entry_id, entry in knowledge.entries.items():
        assert set(re.findall(r"\{(\w+)\}", french[entry_id]["text"])) == set(entry.placeholders)
    for key, text in _fr(knowledge, "messages").items():
        if isinstance(text, str):
            assert set(re.findall(r"\{\w+\}", text)) == set(
                re.findall(r"\{\w+\}", knowledge.messages[key])
            ), key


@pytest.mark.parametrize("fact,english,french", FACTS, ids=[f[0] for f in FACTS])
def test_a_fact_said_in_english_is_said_in_french(knowledge, fact, english, french) -> None:
    answers = _fr(knowledge, "answers")["answers"]
    for entry_id, entry in knowledge.entries.items():
        said = any(re.search(p, entry.text, re.IGNORECASE) for p in english)
        said_fr = any(re.search(p, answers[entry_id]["text"], re.IGNORECASE) for p in french)
        assert said == said_fr, f"{entry_id}: {fact!r} in English {said}, in French {said_fr}"


def test_numbers_and_medicines_are_the_same(knowledge: Knowledge) -> None:
    answers = _fr(knowledge, "answers")["answers"]
    for entry_id, entry in knowledge.entries.items():
        text_fr = answers[entry_id]["text"]
        assert _numbers(entry.text) == _numbers(text_fr), entry_id
        for name in MEDICINES:
            assert (name in entry.text.lower()) == (name in text_fr.lower().replace("é", "e")), (
                entry_id,
                name,
            )


def test_the_french_emergency_reply_gives_the_european_numbers(knowledge: Knowledge) -> None:
    reply = knowledge.texts(FRENCH).emergency(["breathing"])
    assert "112" in reply and "15" in reply and "numéro d'urgence local" in reply
    assert "3114" in knowledge.texts(FRENCH).emergency(["suicidal"])


def test_french_declines_refer_to_the_care_team(knowledge: Knowledge) -> None:
    care_team = re.compile(r"rhumatologue|équipe soignante|équipe de soins|médecin", re.I)
    declines = _fr(knowledge, "not_covered")
    for text in [declines["generic"], *(t["text"] for t in declines["topics"].values())]:
        assert care_team.search(text), text
