"""A real conversation over the REST channel: action server + Rasa server on free ports."""

from __future__ import annotations

import uuid
from typing import List

import pytest
import requests

from tests.served import Served

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def rasa_url(served: Served) -> str:
    return served.check().url


class Chat:
    """One user talking to the REST channel."""

    def __init__(self, url: str) -> None:
        self.url = f"{url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:8]}"

    def say(self, message: str) -> List[dict]:
        response = requests.post(
            self.url, json={"sender": self.sender, "message": message}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()


def text(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_a_multi_turn_conversation(rasa_url: str) -> None:
    chat = Chat(rasa_url)

    opening = chat.say("hi")
    assert "automated assistant" in text(opening)
    assert "not personal medical advice" in text(
        opening
    ) or "can't give personal medical advice" in text(opening)

    child = chat.say("can my child take benlysta?")
    assert "from 5 years of age" in text(child)
    assert "automated assistant" not in text(child)  # said once a session
    assert "Benlysta is a brand name of belimumab" in text(child)
    assert "Source: patient-information page" in text(child)
    assert child[-1].get("buttons"), child

    given = chat.say("how is it given?")
    assert "once a month" in text(given) and "once a week" in text(given)

    other = chat.say("what about anifrolumab?")
    assert "does not say how anifrolumab is given" in text(other)
    assert "once a month" not in text(other)

    side_effects = chat.say("what are the side effects of it?")
    assert "Side effects" in text(side_effects) and "care team" in text(side_effects)

    emergency = chat.say("my throat is closing up")
    assert "call your local emergency number now" in text(emergency)

    clicked = chat.say('/faq_drug_children{"drug":"belimumab"}')
    assert "from 5 years of age" in text(clicked)


def test_a_conversation_opened_in_french_is_told_the_disclaimer_in_french(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    first = chat.say("bonjour, comment on donne le belimumab ?")
    assert "assistant automatique" in text(first) and "15 (SAMU)" in text(first)
    assert "automated assistant" not in text(first)
    assert "perfusion IV" in text(first)
    after = chat.say("et pour les enfants ?")
    assert "assistant automatique" not in text(after)
    assert "5 ans" in text(after)


def test_starting_over_says_so_and_forgets_the_medicine(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    chat.say("how does anifrolumab work")
    restarted = chat.say("let's start over")
    assert "start again" in text(restarted)
    assert "automated assistant" in text(restarted)  # a new session opens with the disclaimer
    after = chat.say("how is it given?")
    assert "The page only describes how belimumab is given" in text(after)
    assert "does not say how anifrolumab is given" not in text(after)


def test_starting_over_in_french_starts_over_in_french(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    chat.say("comment agit le saphnelo ?")
    restarted = chat.say("on recommence à zéro")
    assert "on recommence" in text(restarted)
    assert "assistant automatique" in text(restarted)
    assert "automated assistant" not in text(restarted)
    # the medicine is forgotten too
    after = chat.say("comment on le donne ?")
    assert "anifrolumab" not in text(after)


def test_conversations_are_kept_apart(rasa_url: str) -> None:
    first, second = Chat(rasa_url), Chat(rasa_url)
    first.say("how does anifrolumab work")
    # The second user never named a drug: the general answer, not anifrolumab's.
    assert "The page only describes how belimumab is given" in text(second.say("how is it given?"))


def test_questions_the_general_answer_does_not_fit(rasa_url: str) -> None:
    # Through the real NLU: the spaCy entity_ruler finds "T cells", "25 year old", the drug.
    chat = Chat(rasa_url)
    t_cells = text(chat.say("what are t cells?"))
    assert "does not explain what T lymphocytes" in t_cells
    assert "B lymphocytes (B cells) are cells" not in t_cells
    adult = text(chat.say("my 25 year old son has lupus, can he take saphnelo?"))
    assert "Anifrolumab can be used for adults" in adult
    assert "children" not in adult
    markup = text(chat.say("<b>how is benlysta given?</b>"))
    assert "once a month" in markup
