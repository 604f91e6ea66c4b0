"""The word matching behind the red-flag and not-covered checks (lupus_faq/terms.py)."""

from __future__ import annotations

import pytest

from lupus_faq.knowledge import load_knowledge
from lupus_faq.language import load_language
from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words
from lupus_faq.language.uncovered import NotCoveredChecker

LISTS = {"drug": ("belimumab", "benlysta", "mab thera")}


def matches(terms: TermSet, text: str) -> bool:
    return terms.matches(words(text))


def test_a_named_list_in_a_near_rule_matches_any_of_its_names_multi_word_ones_too() -> None:
    terms = TermSet.from_config((), [{"window": 3, "groups": [["home"], ["@drug"]]}], named=LISTS)
    assert matches(terms, "can i have Benlysta at home")
    assert matches(terms, "can i get mab thera at home")
    assert not matches(terms, "can i have saphnelo at home")
    assert not matches(terms, "i'm at home with my kids today, how does benlysta work")


def test_each_group_of_a_near_rule_needs_a_word_of_its_own() -> None:
    terms = TermSet.from_config(
        (), [{"window": 2, "groups": [["@drug"], ["with"], ["@drug"]]}], named=LISTS
    )
    assert matches(terms, "can i take belimumab with benlysta")
    assert not matches(terms, "can i take benlysta with food")


def test_a_named_list_in_a_phrase_keeps_the_word_order() -> None:
    terms = TermSet.from_config(["stop my @drug"], named=LISTS)
    assert matches(terms, "can i stop my mab thera")
    assert not matches(terms, "will benlysta stop my flares")


def test_an_unknown_list_name_fails_when_loading_not_when_a_patient_asks() -> None:
    with pytest.raises(ValueError, match="@drugs"):
        TermSet.from_config((), [[["home"], ["@drugs"]]], named=LISTS)


def test_a_yaml_word_read_as_true_or_false_fails_when_loading_with_its_fix() -> None:
    with pytest.raises(ValueError, match="quote it"):
        TermSet.from_config((), [[["tattoo"], [True]]])


def test_every_list_the_not_covered_topics_name_exists_in_the_vocabulary() -> None:
    knowledge = load_knowledge()
    lists = load_language(knowledge).lexicon.word_lists()
    assert {"drug", "drug:other", "drug:belimumab"} <= set(lists)
    assert "benlysta" in lists["drug"] and "methotrexate" not in lists["drug"]
    NotCoveredChecker(knowledge.not_covered, lists)  # raises on a misspelt '@' name


@pytest.mark.parametrize(
    "term,text,expected",
    [
        ("convuls*", "she is convulsing", True),  # a prefix first word
        ("co*", "he had a convulsion", True),  # a prefix shorter than the index key
        ("c*", "a cold", True),
        ("re:\\d+mg", "is it 200mg", True),  # a pattern first word
        ("self-harm*", "thoughts of self harming", True),  # a hyphenated word, prefix on its end
        ("chest pain", "pain in my chest", False),  # the words in order, side by side
        ("can't breathe", "i cant breathe", True),  # folded like the message
        ("convuls*", "a convoy", False),
    ],
)
def test_terms_are_found_whatever_their_first_word(term: str, text: str, expected: bool) -> None:
    # Terms are filed by their first word for speed; every kind of first word must still match.
    assert matches(TermSet.from_config([term]), text) is expected
    near = TermSet.from_config((), [[["zzz", term], ["@drug"]]], named=LISTS)
    assert matches(near, f"{text} benlysta") is expected


def test_every_question_a_decline_is_repeated_before_is_one_the_router_answers(assistant) -> None:
    for topic in assistant.language.uncovered.topics:
        for intent in topic.repeated_before:
            assert assistant.router.handles(intent), (topic.name, intent)


@pytest.mark.parametrize(
    "message, parts",
    [
        # another sentence, or a clause after "and" when every clause asks, is a question of
        # its own
        (
            "my son takes methotrexate. can he get anifrolumab, and is it ok to mix the two?",
            ["can he get anifrolumab"],
        ),
        (
            "how often does my gran need saphnelo and will it clash with her water tablets?",
            ["how often does my gran need saphnelo"],
        ),
        # ...or, when a clause cut at "and" would not ask, at ", and" only
        (
            "can he get anifrolumab, and is it ok to take saphnelo and plaquenil together?",
            ["can he get anifrolumab"],
        ),
        ("what is rituximab? and can I take it with my blood thinners?", ["what is rituximab?"]),
        # the sentence that names the topic is one question, whatever its "and"
        ("can i take benlysta and plaquenil together?", []),
        ("can I take Benlysta, plaquenil and pred all together?", []),
        ("can I take benlysta, and plaquenil together?", []),
        # a sentence beside it that only tells is the story
        ("I'm on methotrexate. Is it ok to mix it with saphnelo?", []),
        # a question that names nothing of its own asks about the two together
        ("Can I take benlysta with plaquenil? Will it still work?", []),
        # French: "et le saphnelo c'est pour qui" asks, with its question word at the end
        (
            "saphnelo avec le methotrexate c'est possible ? et le saphnelo c'est pour qui",
            ["et le saphnelo c'est pour qui"],
        ),
    ],
)
def test_taking_two_medicines_together_leaves_only_a_sentence_that_asks(
    message: str, parts: list
) -> None:
    language = load_language()
    topic = language.uncovered.detect(message)
    assert topic is not None and topic.name == "interactions"
    assert language.uncovered.free_parts(message, topic) == parts


@pytest.mark.parametrize(
    "message, topic_name, parts",
    [
        # a question's last part asks by its question mark, as written
        (
            "can lupus ever be cured? there are dozens of new biologics in trials now?",
            "cure",
            ["there are dozens of new biologics in trials now"],
        ),
        # a tag question ("..., right?") asks what it follows
        (
            "will lupus ever be curable? loads of biologics are being studied, right?",
            "cure",
            ["loads of biologics are being studied"],
        ),
        (
            "le lupus se guérit-il ? il y a plein de biothérapies à l'étude, n'est-ce pas ?",
            "cure",
            ["il y a plein de biothérapies à l'étude"],
        ),
        # Quebec French joins two questions with "pis" (puis)
        (
            "le saphnelo c'est-tu remboursé pis ça se donne comment ?",
            "cost",
            ["ça se donne comment"],
        ),
        # a comparison asks how the two differ
        (
            "anifrolumab versus belimumab in teenagers, and is either covered by insurance?",
            "cost",
            ["anifrolumab versus belimumab in teenagers"],
        ),
        # "puis-je" asks, it does not join two parts
        (
            "c'est remboursé par la RAMQ, puis-je le prendre en piqûre ?",
            "cost",
            ["puis-je le prendre en piqûre"],
        ),
        # the closing marks may be several, or spaced as in French
        (
            "is a cure coming? they are testing dozens of biologics?!",
            "cure",
            ["they are testing dozens of biologics"],
        ),
        # what only tells is the story, whatever question follows it
        ("my daughter is 9, and does benlysta make you put on weight?", "side_effects", []),
        ("I've had lupus for ten years. will I ever be cured?", "cure", []),
    ],
)
def test_the_parts_beside_an_uncovered_topic_that_ask_are_read(
    message: str, topic_name: str, parts: list
) -> None:
    # What the classifier reads on its own beside the decline (the page question answered
    # too), as written in the message (the dialogue finds the part's medicines there).
    language = load_language()
    topic = language.uncovered.detect(message)
    assert topic is not None and topic.name == topic_name
    assert language.uncovered.asking_parts(message, topic) == parts
    assert all(part in message for part in parts)


@pytest.mark.parametrize(
    "message, is_page_words",
    [
        ("c'est quoi un anticorps monoclonal ?", True),
        ("qu'est-ce qu'une protéine de fusion ?", True),
        ("what exactly is a monoclonal antibody?", True),
        ("fusion proteins, what are they?", True),
        # the page's own questions, with the same words
        ("what are monoclonal antibodies used for in lupus?", False),
        ("is benlysta a monoclonal antibody?", False),
        ("are biologics antibodies or fusion proteins?", False),
        ("what is saphnelo? a monoclonal antibody?", False),
    ],
)
def test_the_meaning_of_a_word_the_page_only_names_is_its_own_topic(
    message: str, is_page_words: bool
) -> None:
    language = load_language()
    topic = language.uncovered.detect(language.clauses.question_part(message))
    assert (topic is not None and topic.name == "page_words") is is_page_words
