"""What the web channels make of a message before the NLU sees it (no server needed)."""

from __future__ import annotations

import pytest

from channels.inputs import BadRequest, check_rest_body, check_text


@pytest.mark.parametrize(
    "message,text",
    [
        ("<b>hello</b>", "hello"),
        ("how is <i>benlysta</i> given?", "how is benlysta given?"),
        ("can my child take it <br/> from what age", "can my child take it from what age"),
        ("my son is < 5 years old", "my son is < 5 years old"),  # a "<" that starts no tag stays
        ("thanks <3", "thanks <3"),
        ("i took <all my pills>", "i took <all my pills>"),  # only HTML element names are tags
        (
            "is benlysta ok for kids <age 5, and >age 12?",
            "is benlysta ok for kids <age 5, and >age 12?",
        ),
        ("<DIV class='x'>what is a biologic</div>", "what is a biologic"),
        ("\u0000how\u0007 is benlysta given\u200b ", "how is benlysta given"),
        ("how is belimumab given?!?!?!?!", "how is belimumab given?"),
        ("WHY NOT FOR KIDS!!!", "WHY NOT FOR KIDS!"),
    ],
)
def test_tags_and_control_characters_are_not_part_of_the_question(message: str, text: str) -> None:
    checked = check_text("a", message)
    assert (checked.text, checked.problem) == (text, None)


@pytest.mark.parametrize(
    "message,problem",
    [
        ("", "empty_message"),
        (" \n\t", "empty_message"),
        ("<img src=x onerror=alert(1)>", "markup_only"),
        ("<p></p>", "markup_only"),
        ("x" * 1001, "too_long"),
    ],
)
def test_messages_with_nothing_to_understand_are_answered_without_the_nlu(
    message: str, problem: str
) -> None:
    assert check_text("a", message).problem == problem


def test_a_rest_body_needs_a_sender_and_a_message() -> None:
    with pytest.raises(BadRequest):
        check_rest_body(b'{"message": "hi"}')
    assert check_rest_body(b'{"sender": "a", "message": "<b>hi</b>"}').text == "hi"


def test_a_message_with_nothing_to_understand_gets_suggested_questions() -> None:
    from channels.web import answer_without_rasa

    raw = "<img src=x onerror=alert(1)>"
    replies = answer_without_rasa(check_text("a", raw), raw)
    assert "only read plain text" in replies[-1]["text"]
    assert len(replies[-1]["buttons"]) >= 2
    assert all(b["payload"].startswith("/faq_") for b in replies[-1]["buttons"])
