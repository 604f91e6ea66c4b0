"""What a patient notices: the right answer for the question asked, follow-ups, declines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lupus_faq.conversation import Assistant, Context
from tests.helpers import CARE_TEAM, entity, parse_payload

CITATION = "What is the interest of biotherapy in lupus?"


def ask(assistant: Assistant, intent: str, text: str, *entities, context: Context = Context()):
    return assistant.respond(intent, text, list(entities), context)


# --- Entity-aware answers ------------------------------------------------------------------


def test_child_and_belimumab_gets_from_five_years(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_children", "can my child take belimumab?",
               entity("age_group", "child", 7), entity("drug", "belimumab", 24))
    assert "from 5 years of age" in turn.text
    assert turn.entry_ids == ("belimumab_children",)


@pytest.mark.parametrize("text,who,drug", [
    ("can my 3 year old take belimumab?", "3 year old", "belimumab"),
    ("is benlysta ok for a toddler", "toddler", "benlysta"),
])
def test_a_child_under_five_is_told_the_page_says_nothing_about_younger_children(
    assistant: Assistant, text: str, who: str, drug: str
) -> None:
    turn = ask(assistant, "faq_drug_children", text,
               entity("age_group", who, text.index(who)), entity("drug", drug, text.index(drug)))
    assert "from 5 years of age" in turn.text and "nothing about younger children" in turn.text
    assert CARE_TEAM.search(turn.text)


@pytest.mark.parametrize("text,organ,expected", [
    ("is benlysta approved for brain lupus", "brain", "not recommended"),
    ("is benlysta licensed for kidney lupus", "kidney", "nothing about approval for particular"),
    ("is benlysta approved for lupus of the heart", "heart", "nothing about approval for"),
])
def test_approved_for_an_organ_gets_what_the_page_says_there(assistant, text, organ, expected):
    turn = ask(assistant, "faq_drug_approval", text, entity("drug", "benlysta", 3),
               entity("organ", organ, text.index(organ)))
    assert expected in turn.text and turn.kind == "answer"
    assert "first biologic to be approved" in turn.text or organ == "brain"


def test_approved_for_young_children_gets_from_five_years(assistant: Assistant) -> None:
    text = "belimumab approved for 2 year olds?"
    turn = ask(assistant, "faq_drug_approval", text, entity("drug", "belimumab", 0),
               entity("age_group", "2 year olds", text.index("2")))
    assert "from 5 years of age" in turn.text and "nothing about younger children" in turn.text


def test_child_and_anifrolumab_says_adults_and_refers(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_children", "can my child take anifrolumab?",
               entity("age_group", "child", 7), entity("drug", "anifrolumab", 24))
    assert "adults" in turn.text
    assert CARE_TEAM.search(turn.text)
    assert "5 years" not in turn.text


def test_how_anifrolumab_is_given_is_not_covered_and_never_gets_belimumab_schedule(
    assistant: Assistant,
) -> None:
    turn = ask(assistant, "faq_drug_administration", "how is anifrolumab given?",
               entity("drug", "anifrolumab", 7))
    assert "does not say how anifrolumab is given" in turn.text
    assert not re.search(r"monthly|weekly|subcutaneous|once a", turn.text, re.IGNORECASE)
    assert turn.kind == "not_covered"


@pytest.mark.parametrize("intent", [
    "faq_b_lymphocytes", "faq_lupus_targets", "faq_drug_mechanism", "faq_how_biologics_work",
])
def test_t_cells_get_what_the_page_says_of_them_not_the_b_cell_answer(
    assistant: Assistant, intent: str
) -> None:
    turn = ask(assistant, intent, "what are t cells", entity("cell", "t cells", 9))
    assert "does not explain what T lymphocytes" in turn.text
    assert "blocking T lymphocytes" in turn.text
    assert CARE_TEAM.search(turn.text)
    assert "B lymphocytes (B cells) are" not in turn.text and "cytokine" not in turn.text


@pytest.mark.parametrize("intent,text,drug", [
    ("faq_future_treatments", "does anifrolumab block t cells", "anifrolumab"),
    ("faq_future_treatments", "is saphnelo a t cell blocker", "saphnelo"),
    ("faq_drug_effectiveness", "does benlysta work on t cells", "benlysta"),
])
def test_whether_a_medicine_blocks_t_cells_is_not_answered_yes(
    assistant: Assistant, intent: str, text: str, drug: str
) -> None:
    cell = "t cell"
    turn = ask(assistant, intent, text, entity("drug", drug, text.index(drug)),
               entity("cell", cell, text.index(cell)))
    assert "does not describe belimumab, anifrolumab or rituximab as acting on" in turn.text
    assert "other avenues being developed" in turn.text and CARE_TEAM.search(turn.text)
    assert "More than fifty" not in turn.text


def test_the_pages_own_t_and_lymphocytes_gets_the_t_cell_answer(assistant: Assistant) -> None:
    text = "what does the page say about T and lymphocytes"
    turn = ask(assistant, "faq_b_lymphocytes", text,
               entity("cell", "T and lymphocytes", text.index("T and")))
    assert "T lymphocytes" in turn.text and "self-reactive B lymphocytes" not in turn.text


def test_whether_anifrolumab_acts_on_b_cells_is_not_answered_yes(assistant: Assistant) -> None:
    text = "does saphnelo kill b cells too?"
    turn = ask(assistant, "faq_b_lymphocytes", text, entity("drug", "saphnelo", 5))
    assert "type I interferon receptors" in turn.text
    assert "does not describe it as acting on B lymphocytes" in turn.text


def test_b_cells_still_get_the_b_cell_answer(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_b_lymphocytes", "what are b cells")
    assert "B lymphocytes (B cells) are cells" in turn.text


def test_how_belimumab_is_given(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_administration", "how is benlysta given",
               entity("drug", "benlysta", 7))
    assert "once a month" in turn.text and "once a week" in turn.text
    assert "Benlysta is a brand name of belimumab" in turn.text


@pytest.mark.parametrize("surface,canonical", [
    ("Benlysta", "belimumab"), ("benlista", "belimumab"), ("belimunab", "belimumab"),
    ("Saphnelo", "anifrolumab"), ("anifrolumub", "anifrolumab"),
    ("Rituxan", "rituximab"), ("MabThera", "rituximab"), ("rituximib", "rituximab"),
])
def test_brand_names_and_misspellings_reach_the_drug(assistant, surface, canonical) -> None:
    turn = ask(assistant, "faq_drug_mechanism", f"what is {surface}", entity("drug", surface, 8))
    assert canonical in turn.text.lower()


@pytest.mark.parametrize("text,brand,drug,expected", [
    ("is saphnelo the same as anifrolumab?", "saphnelo", "anifrolumab",
     "Saphnelo is a brand name of anifrolumab"),
    ("is rituxan the same thing as rituximab", "rituxan", "rituximab",
     "Rituxan is a brand name of rituximab"),
])
def test_a_brand_asked_about_with_its_medicine_is_named_as_that_medicine(
    assistant: Assistant, text: str, brand: str, drug: str, expected: str
) -> None:
    turn = ask(assistant, "faq_drug_mechanism", text, entity("drug", brand, text.index(brand)),
               entity("drug", drug, text.index(drug)))
    assert turn.kind == "answer" and expected in turn.text
    assert turn.text.count("brand name") == 1


@pytest.mark.parametrize("text,organ,expected", [
    ("and the heart?", "heart", "does not describe effectiveness"),
    ("what about the brain", "brain", "not recommended"),
])
def test_a_short_follow_up_naming_an_organ_asks_whether_the_medicine_works_there(
    assistant: Assistant, text: str, organ: str, expected: str
) -> None:
    first = ask(assistant, "faq_drug_mechanism", "how does benlysta work",
                entity("drug", "benlysta", 9))
    ranking = [{"name": "faq_drug_mechanism", "confidence": 0.3},
               {"name": "faq_lupus_targets", "confidence": 0.25}]
    organs = [entity("organ", organ, text.index(organ))]
    turn = assistant.clarify(ranking, text, organs, first.context)
    assert turn.kind in ("answer", "not_covered") and expected in turn.text
    assert "Did you mean" not in turn.text
    # ...and when the classifier is sure it is "what about ...?", the same, not the last answer
    again = ask(assistant, "ask_about_drug", text, *organs, context=first.context)
    assert expected in again.text and "self-reactive" not in again.text


def test_brain_involvement_for_belimumab(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_effectiveness", "does belimumab work if lupus is in the brain",
               entity("drug", "belimumab", 5), entity("organ", "brain", 41))
    assert "not recommended" in turn.text and "brain" in turn.text


def test_an_organ_the_page_does_not_describe(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_effectiveness", "does belimumab help the heart",
               entity("drug", "belimumab", 5), entity("organ", "heart", 24))
    assert "does not describe" in turn.text and CARE_TEAM.search(turn.text)


def test_a_symptom_the_page_names_no_effect_on(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_effectiveness", "can belimumab help with lupus headaches",
               entity("drug", "belimumab", 4), entity("organ", "headaches", 30))
    assert turn.kind == "not_covered" and "does not describe effectiveness" in turn.text


@pytest.mark.parametrize("text,drug,organ,expected,absent", [
    ("can i take benlysta if i have lupus nephritis", "benlysta", "lupus nephritis",
     "proliferative kidney damage", "nothing about younger children"),
    ("can i take belimumab if lupus is in my brain", "belimumab", "brain",
     "not recommended", "from 5 years"),
    ("can i take benlysta if i have a heart problem", "benlysta", "heart",
     "does not describe effectiveness", "from 5 years"),
    ("can i take saphnelo if i have lupus nephritis", "saphnelo", "lupus nephritis",
     "does not describe how effective it is", "use in children"),
    ("can i take saphnelo if my brain is affected", "saphnelo", "brain",
     "does not say whether anifrolumab can be used", "use in children"),
])
def test_can_i_take_it_with_an_organ_and_no_child_is_not_the_age_answer(
    assistant: Assistant, text: str, drug: str, organ: str, expected: str, absent: str
) -> None:
    # The classifier reads "can I take X if I have ..." as the children's question.
    turn = ask(assistant, "faq_drug_children", text, entity("drug", drug, text.index(drug)),
               entity("organ", organ, text.index(organ)))
    assert expected in turn.text and absent not in turn.text
    # ...while a child said before still gets the children's answer.
    child = ask(assistant, "faq_drug_children", "my 8 year old has lupus",
                entity("age_group", "8 year old", 3))
    asked = f"can he have {drug} for {organ}?"
    again = ask(assistant, "faq_drug_children", asked, entity("drug", drug, asked.index(drug)),
                entity("organ", organ, asked.index(organ)), context=child.context)
    assert "children" in again.text


def test_brain_fog_is_a_symptom_not_the_brain_involvement_the_page_speaks_of(assistant) -> None:
    text = "can benlysta treat brain fog"
    start = text.index("brain")
    # DIET marks "brain", the entity_ruler "brain fog": the longer, more precise one counts.
    for intent in ("faq_drug_effectiveness", "faq_brain_involvement"):
        turn = ask(assistant, intent, text, entity("drug", "benlysta", 4),
                   entity("organ", "brain", start), entity("organ", "brain fog", start))
        assert "does not describe effectiveness" in turn.text, intent
        assert "not recommended" not in turn.text


def test_whether_anifrolumab_works_says_who_the_page_describes_it_for(assistant) -> None:
    turn = ask(assistant, "faq_drug_effectiveness", "is anifrolumab for active lupus?",
               entity("drug", "anifrolumab", 3))
    assert "does not describe how effective it is" in turn.text
    assert "active despite standard therapy" in turn.text and "adults" in turn.text


def test_after_the_interferon_answer_it_is_the_medicine_that_blocks_it(assistant) -> None:
    first = ask(assistant, "faq_interferon", "what's interferon?")
    given = ask(assistant, "faq_drug_administration", "how is it given?", context=first.context)
    assert "does not say how anifrolumab is given" in given.text
    kids = ask(assistant, "faq_drug_children", "is it for kids?", context=given.context)
    assert "only for adults" in kids.text


@pytest.mark.parametrize("text,age,expected", [
    ("anifrolumab 16yo", "16yo", "only for adults"),
    ("belimumab 5yo", "5yo", "from 5 years"),
    ("anifrolumab adults?", "adults", "can be used for adults"),
])
def test_a_medicine_named_with_an_age_asks_whether_they_can_have_it(
    assistant: Assistant, text: str, age: str, expected: str
) -> None:
    drug = text.split()[0]
    turn = ask(assistant, "ask_about_drug", text, entity("drug", drug, 0),
               entity("age_group", age, text.index(age)))
    assert expected in turn.text and "monoclonal antibody" not in turn.text


def test_a_short_follow_up_naming_an_organ_asks_the_last_question_again(assistant) -> None:
    first = ask(assistant, "faq_drug_effectiveness", "is belimumab effective for arthritis in lupus?",
                entity("drug", "belimumab", 3), entity("organ", "arthritis", 27))
    # The classifier reads "mouth" as a route ("by mouth") and the question as how it is given.
    text = "and for mouth ulcers?"
    turn = ask(assistant, "faq_drug_administration", text, entity("route", "mouth", 8),
               entity("organ", "mouth ulcers", 8), context=first.context)
    assert "does not describe" in turn.text and "once a week" not in turn.text


def test_two_drugs_in_one_question_get_both_answers(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_mechanism", "difference between belimumab and saphnelo",
               entity("drug", "belimumab", 19), entity("drug", "saphnelo", 33))
    assert turn.entry_ids == ("belimumab_mechanism", "anifrolumab_mechanism")
    assert "B lymphocytes" in turn.text and "interferon" in turn.text


# --- Follow-ups ----------------------------------------------------------------------------


def test_follow_ups_keep_the_drug_in_context(assistant: Assistant) -> None:
    first = ask(assistant, "faq_drug_mechanism", "what is belimumab", entity("drug", "belimumab"))
    kids = ask(assistant, "faq_drug_children", "can kids have it?",
               entity("age_group", "kids"), context=first.context)
    assert "belimumab can be used in children from 5 years" in kids.text
    given = ask(assistant, "faq_drug_administration", "how is it given?", context=kids.context)
    assert "once a month" in given.text
    brain = ask(assistant, "faq_brain_involvement", "and when the brain is affected?",
                entity("organ", "brain"), context=given.context)
    assert brain.entry_ids == ("belimumab_brain",)
    other = ask(assistant, "ask_about_drug", "what about anifrolumab?",
                entity("drug", "anifrolumab"), context=brain.context)
    assert other.entry_ids == ("anifrolumab_brain",)
    assert "does not say whether anifrolumab" in other.text


def test_what_about_re_asks_the_last_question(assistant: Assistant) -> None:
    first = ask(assistant, "faq_drug_children", "can my son take benlysta",
                entity("age_group", "son"), entity("drug", "benlysta"))
    second = ask(assistant, "ask_about_drug", "what about anifrolumab?",
                 entity("drug", "anifrolumab"), context=first.context)
    assert second.entry_ids == ("anifrolumab_children",)
    assert second.context.drugs == ("anifrolumab",)


def test_what_about_after_a_general_question_explains_the_drug(assistant: Assistant) -> None:
    first = ask(assistant, "faq_interferon", "what does interferon do")
    second = ask(assistant, "ask_about_drug", "and rituximab?", entity("drug", "rituximab"),
                 context=first.context)
    assert "describes rituximab as acting on B lymphocytes" in second.text


def test_a_general_question_clears_the_drug_context(assistant: Assistant) -> None:
    first = ask(assistant, "faq_drug_mechanism", "what is belimumab", entity("drug", "belimumab"))
    general = ask(assistant, "faq_biologic_definition", "what is a biologic", context=first.context)
    given = ask(assistant, "faq_drug_administration", "how is it given?", context=general.context)
    assert given.entry_ids == ("administration_general",)


def test_it_after_an_answer_about_one_medicine_means_that_medicine(assistant: Assistant) -> None:
    first = ask(assistant, "faq_drug_approval", "which biologic was approved first for lupus?")
    assert "Belimumab was the first" in first.text
    works = ask(assistant, "faq_drug_mechanism", "how does it work?", context=first.context)
    assert works.entry_ids == ("belimumab_mechanism",)
    brain = ask(assistant, "faq_brain_involvement", "is a biologic ok if lupus is in the brain",
                entity("organ", "brain"))
    given = ask(assistant, "faq_drug_administration", "how is it given then?", context=brain.context)
    assert "once a month" in given.text


def test_and_for_kids_asks_the_last_question_again_for_children(assistant: Assistant) -> None:
    given = ask(assistant, "faq_drug_administration", "how is belimumab given",
                entity("drug", "belimumab"))
    kids = ask(assistant, "faq_drug_children", "what about for my 7 year old",
               entity("age_group", "7 year old"), context=given.context)
    assert "from 5 years" in kids.text and "once a month" in kids.text
    assert "does not say which of these is used for children" in kids.text
    # After a question the page answers the same for everyone, it asks about children.
    works = ask(assistant, "faq_drug_mechanism", "how does benlysta work",
                entity("drug", "benlysta"))
    kids = ask(assistant, "faq_drug_children", "and for kids?", entity("age_group", "kids"),
               context=works.context)
    assert kids.entry_ids == ("belimumab_children",)
    # Unsure what it means, the bot takes it as that follow-up too.
    ranking = [{"name": "faq_drug_mechanism", "confidence": 0.4},
               {"name": "faq_drug_children", "confidence": 0.35}]
    kids = assistant.clarify(ranking, "what about for my daughter, she's 11?",
                             [entity("age_group", "daughter", 19)], given.context)
    assert "does not say which of these is used for children" in kids.text
    # A whole question about children is that question, not a follow-up.
    kids = ask(assistant, "faq_drug_children", "and can children of any age have the infusions?",
               entity("age_group", "children"), context=given.context)
    assert kids.entry_ids == ("belimumab_children",)


def test_the_medicine_named_in_an_emergency_is_the_one_it_means_afterwards(assistant) -> None:
    alarm = ask(assistant, "red_flag", "does benlysta cause shortness of breath?",
                entity("drug", "benlysta", 5))
    assert "Trouble breathing" in alarm.text
    treats = ask(assistant, "faq_drug_effectiveness", "ok what does it treat?",
                 context=alarm.context)
    assert treats.entry_ids == ("belimumab_effectiveness",)


def test_a_medicine_named_to_be_left_out_is_not_the_one_answered(assistant) -> None:
    text = "what other anti B cell drugs are there besides belimumab"
    context = Context("faq_drug_mechanism", ("belimumab",))
    turn = ask(assistant, "faq_difficult_lupus", text, entity("drug", "belimumab", 47),
               context=context)
    assert turn.entry_ids == ("difficult_lupus",) and "rituximab" in turn.text
    text = "which biologics are there other than rituximab and belimumab?"
    turn = ask(assistant, "faq_difficult_lupus", text,
               entity("drug", "rituximab", text.index("rituximab")),
               entity("drug", "belimumab", text.index("belimumab")))
    assert turn.entry_ids == ("difficult_lupus",)


def test_buttons_are_self_contained_whatever_the_context(assistant: Assistant) -> None:
    context = Context(last_intent="faq_drug_children", drugs=("anifrolumab",))
    for entry_id in ("children_general", "belimumab_children", "how_biologics_work"):
        intent, entities = parse_payload(assistant.router.payload(entry_id, assistant.vocabulary))
        payload = assistant.router.payload(entry_id, assistant.vocabulary)
        turn = assistant.respond(intent, payload, entities, context)
        assert turn.entry_ids == (entry_id,)


# --- Answers carry a citation and follow-up buttons ----------------------------------------


def test_answers_end_with_the_source_and_offer_follow_ups(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_biologic_production", "how are biologics made")
    lines = turn.messages[-1].text.splitlines()
    assert lines[-2].endswith(f"“{CITATION}”") and lines[-1] == "Was this helpful?"
    related = [b for b in turn.messages[-1].buttons if b.payload not in ("/affirm", "/deny")]
    assert 1 <= len(related) <= 3
    assert [b.payload for b in turn.messages[-1].buttons][-2:] == ["/affirm", "/deny"]
    for button in related:
        intent, entities = parse_payload(button.payload)
        follow = assistant.respond(intent, button.payload, entities)
        assert follow.kind == "answer" or follow.kind == "not_covered"


# --- Not covered --------------------------------------------------------------------------


@pytest.mark.parametrize("intent,text,expected", [
    ("ask_not_covered", "what are the side effects of benlysta", "Side effects"),
    ("faq_drug_administration", "how many mg of belimumab do i get", "Doses"),
    ("ask_about_drug", "benlysta 10mg/kg?", "Doses"),
    ("faq_drug_administration", "is it 200 units per kg", "Doses"),
    ("ask_not_covered", "how much belimumab do i take", "Doses"),
    ("faq_drug_children", "how much should i give my daughter", "Doses"),
    ("ask_not_covered", "i missed my injection yesterday", "missed"),
    ("faq_drug_eligibility", "can i take belimumab while pregnant", "Pregnancy"),
    ("ask_not_covered", "is benlysta safe during pregnancy", "Pregnancy"),
    ("faq_drug_children", "is saphnelo ok for my unborn child", "Pregnancy"),
    ("ask_not_covered", "is it safe to have the covid jab on rituximab", "Vaccines"),
    ("ask_not_covered", "can i have the flu vaccine on saphnelo", "Vaccines"),
    ("ask_not_covered", "is it ok to drink alcohol on benlysta", "Alcohol"),
    ("ask_not_covered", "how much does anifrolumab cost", "Cost"),
    ("ask_not_covered", "can i stop taking my other lupus meds", "Stopping"),
    ("ask_not_covered", "which biologic is best for me", "best for you"),
    ("faq_drug_eligibility", "who makes benlysta", "Which company"),
    ("faq_drug_effectiveness", "will belimumab cure my lupus", "cure"),
    ("ask_not_covered", "does saphnelo cause shingles", "Side effects"),
    ("ask_not_covered", "is there a generic benlysta", "generic versions"),
    ("faq_drug_administration", "can my husband give me the injection", "at home"),
    ("faq_drug_administration", "can i do the benlysta injections myself", "at home"),
    ("out_of_scope", "can i travel with my injections", "Travelling"),
    # medicine names come from knowledge/vocabulary.yml: brands, misspellings, other medicines
    ("ask_not_covered", "can i take my benlista on holiday", "Travelling"),
    ("faq_drug_administration", "can i have mab thera at home", "at home"),
    ("ask_not_covered", "can i cut down my cellcept", "Stopping"),
    ("ask_not_covered", "do i still take my usual lupus meds with saphnelo", "Stopping"),
    ("faq_drug_administration", "can i give benlysta to myself at home", "at home"),
    ("ask_not_covered", "im feeling really depressed on benlysta", "Side effects"),
    ("ask_not_covered", "does saphnelo make u gain weight", "Side effects"),
    ("ask_not_covered", "can benlysta cause hives", "Side effects"),
    ("faq_drug_eligibility", "can she stop it", "Stopping"),
    ("faq_overview", "does stress cause lupus", "lupus itself"),
    ("ask_not_covered", "my benlysta injection site is red and sore", "after an injection"),
    ("ask_not_covered", "can i stop benlysta", "Stopping"),
    ("ask_not_covered", "benlysta made me feel sick", "Side effects"),
    ("faq_overview", "what causes lupus", "lupus itself"),
    ("ask_not_covered", "trying to concieve, should i come off belimumab first", "Pregnancy"),
    ("out_of_scope", "bad headache after benlysta", "Side effects"),
    ("ask_not_covered", "do i have to stay on my normal lupus meds with saphnelo", "Stopping"),
    ("ask_not_covered", "can i take saphnelo alongside plaquenil", "interactions"),
    ("faq_drug_eligibility", "can i take benlysta with plaquenil", "interactions"),
    ("faq_drug_eligibility", "is it ok to have saphnelo plus methotrexate", "interactions"),
    ("faq_brain_involvement", "is lupus contagious", "lupus itself"),
    ("faq_overview", "what is lupus", "lupus itself"),
    ("faq_how_biologics_work", "what are autoimmune diseases", "mentions autoimmune diseases"),
    ("faq_drug_children", "can i take benlysta if i have hiv", "Other illnesses"),
    ("faq_drug_eligibility", "can i get a tattoo on benlysta", "tattoos"),
    ("ask_not_covered", "is it ok to have surgery while on saphnelo", "operations"),
    ("faq_lupus_targets", "what does autoimmune mean?", "mentions autoimmune diseases"),
    ("faq_drug_mechanism", "is anifrolumab stronger than belimumab?", "compare"),
    ("ask_not_covered", "how does belimumab compare to anifrolumab", "compare"),
    ("faq_drug_mechanism", "saphnelo compared with benlysta?", "compare"),
    ("faq_future_treatments", "can i join a trial for one of the new biologics?", "clinical trial"),
    ("ask_not_covered", "does saphnelo lower my immunity so i'll get more infections?",
     "Side effects"),
    ("faq_drug_administration", "is saphnelo given by the doctor or by a nurse", "at home"),
    ("faq_drug_children", "my son has a cold, can he still have his belimumab", "cold, flu"),
    ("faq_drug_eligibility", "what percentage of patients respond to belimumab", "success rates"),
    ("faq_drug_administration", "how many years has benlysta been around", "Dates"),
    ("ask_not_covered", "when will the new biologics be available", "Dates"),
    ("faq_drug_effectiveness", "when will benlysta start working", "takes to work"),
    ("ask_not_covered", "can i stop all my meds once saphnelo kicks in", "Stopping"),
    ("faq_drug_effectiveness", "when will i see results from saphnelo", "takes to work"),
    ("faq_future_treatments", "how soon will these new drugs be approved?", "Dates"),
    ("faq_drug_effectiveness", "can belimumab prevent kidney damage", "prevent"),
    ("faq_brain_involvement", "does lupus affect the brain", "How lupus itself affects the body"),
    ("faq_drug_mechanism", "does benlysta block BAFF?", "molecule you asked about"),
    ("ask_not_covered", "can i take benlysta and saphnelo together", "Taking medicines together"),
    ("ask_about_drug", "can i take saphnelo with benlysta?", "Taking medicines together"),
    ("faq_drug_eligibility", "benlysta plus saphnelo, is that ok", "Taking medicines together"),
    ("faq_drug_mechanism", "how does benlysta compare with saphnelo", "How the medicines compare"),
    ("faq_drug_administration", "how do i store benlysta pens", "store"),
    ("faq_difficult_lupus", "is rituximab an anti-CD20 antibody", "molecule you asked about"),
    # the page names proliferative kidney damage only: no other kind may read as covered
    ("faq_drug_effectiveness", "does belimumab work for membranous lupus nephritis",
     "kind of kidney involvement"),
    ("faq_drug_effectiveness", "is benlysta used for class V nephritis", "kidney involvement"),
    ("faq_drug_eligibility", "can i have saphnelo if i'm on dialysis", "dialysis"),
    ("faq_drug_effectiveness", "my kidneys are failing, can benlysta help", "kidney involvement"),
    # the page uses "moderate to severe", "active", "standard therapy" without defining them
    ("faq_drug_eligibility", "what does moderate to severe mean", "moderate, severe"),
    ("faq_add_on_therapy", "what is standard therapy", "standard therapy includes"),
    ("faq_drug_eligibility", "is my lupus severe enough for anifrolumab", "which applies to you"),
    ("ask_not_covered", "hair loss since starting saphnelo, is that normal?", "Side effects"),
    # symptoms or a cold on treatment are not a question of who may have it
    ("faq_drug_eligibility", "i've got a mild cold, can i still have my benlysta shot", "cold, flu"),
    ("faq_drug_eligibility", "im on benlysta and my ankles are puffy", "New symptoms"),
    ("faq_drug_eligibility", "any contraindications to anifrolumab", "Side effects"),
    ("faq_drug_mechanism", "does anifrolumab work better when the interferon is high",
     "more or less likely to work"),
    ("faq_drug_administration", "is the benlysta injection given in the stomach",
     "Where on the body"),
    # how a dose is felt: not who may have it, nor how it is given
    ("ask_not_covered", "my arm is sore where i injected benlysta", "after an injection"),
    ("faq_drug_administration", "i got a rash where i injected", "after an injection"),
    ("ask_not_covered", "saphnello side efects", "Side effects"),
    ("faq_drug_effectiveness", "could benlysta make my lupus worse", "Side effects"),
    ("ask_about_drug", "can saphnelo make my flares worse?", "Side effects"),
    ("faq_drug_eligibility", "can i get benlysta in canada", "prescription"),
    ("faq_drug_effectiveness", "what's discoid lupus", "discoid"),
    ("faq_drug_effectiveness", "do biologics work for drug induced lupus", "drug-induced"),
    ("faq_drug_eligibility", "can i exercise on saphnelo", "Exercise"),
])
def test_questions_the_page_does_not_answer_are_declined(assistant, intent, text, expected) -> None:
    turn = ask(assistant, intent, text)
    assert turn.kind == "not_covered"
    assert expected in turn.text
    assert CARE_TEAM.search(turn.text)
    assert not re.search(r"\d", turn.text)


@pytest.mark.parametrize("first,intent,follow_up,mention,declined,not_said", [
    ("can i take benlysta when pregnant", "ask_about_drug", "what about saphnelo",
     ("drug", "saphnelo"), "Pregnancy", "monoclonal"),
    ("whats the dose of benlysta", "faq_drug_children", "and for children?",
     ("age_group", "children"), "Doses", "from 5 years"),
    ("does saphnelo cause weight gain", "ask_about_drug", "what about benlysta",
     ("drug", "benlysta"), "Side effects", "self-reactive"),
    ("can i stop benlysta", "ask_about_drug", "and saphnelo?", ("drug", "saphnelo"),
     "don't stop or change", "monoclonal"),
])
def test_a_bare_follow_up_after_a_decline_is_declined_the_same_way(
    assistant, first, intent, follow_up, mention, declined, not_said
) -> None:
    decline = ask(assistant, "ask_not_covered", first)
    assert declined in decline.text
    entity_name, value = mention
    turn = ask(assistant, intent, follow_up, entity(entity_name, value, follow_up.index(value)),
               context=decline.context)
    assert turn.kind == "not_covered" and declined in turn.text, turn.text
    assert not_said not in turn.text and CARE_TEAM.search(turn.text)


def test_can_i_take_it_after_a_pregnancy_decline_repeats_the_decline_first(assistant) -> None:
    decline = ask(assistant, "ask_not_covered", "i'm pregnant")
    turn = ask(assistant, "faq_drug_eligibility", "can i take saphnelo",
               entity("drug", "saphnelo", 11), context=decline.context)
    assert turn.messages[0].text.startswith("Pregnancy, breastfeeding and fertility aren't")
    assert "adults" in turn.text
    again = ask(assistant, "ask_about_drug", "and benlysta?", entity("drug", "benlysta", 4),
                context=turn.context)
    assert again.messages[0].text.startswith("Pregnancy, breastfeeding and fertility aren't")


@pytest.mark.parametrize("intent,text,declined", [
    ("faq_add_on_therapy", "can i stop prednisone and use benlysta instead of standard therapy",
     "don't stop or change"),
    ("faq_drug_effectiveness", "i feel tired after my infusion, will it get better",
     "after an injection"),
])
def test_a_decline_comes_first_whatever_else_the_message_asks(assistant, intent, text, declined):
    turn = ask(assistant, intent, text)
    assert declined in turn.messages[0].text and CARE_TEAM.search(turn.messages[0].text)


def test_a_new_question_or_another_person_after_a_decline_gets_no_repeat(assistant) -> None:
    dose = ask(assistant, "ask_not_covered", "whats the dose of benlysta",
               entity("drug", "benlysta", 19))
    text = "and saphnelo, how does it work?"
    new_question = ask(assistant, "faq_drug_mechanism", text, entity("drug", "saphnelo", 4),
                       context=dose.context)
    assert "monoclonal antibody" in new_question.text and "Doses" not in new_question.text
    text = "and for kidney lupus?"
    organ = ask(assistant, "faq_drug_effectiveness", text, entity("organ", "kidney", 8),
                context=dose.context)
    assert organ.kind == "not_covered" and "Doses" in organ.text
    pregnant = ask(assistant, "ask_not_covered", "i'm pregnant")
    text = "can my daughter take benlysta"
    daughter = ask(assistant, "faq_drug_children", text, entity("age_group", "daughter", 7),
                   entity("drug", "benlysta", 22), context=pregnant.context)
    assert "Pregnancy" not in daughter.text and "from 5 years of age" in daughter.text


def test_a_decline_counts_for_the_next_question_only(assistant) -> None:
    pregnant = ask(assistant, "ask_not_covered", "i'm pregnant")
    emergency = ask(assistant, "red_flag", "i can't breathe", context=pregnant.context)
    assert emergency.kind == "red_flag"
    after = ask(assistant, "ask_about_drug", "and saphnelo?", entity("drug", "saphnelo", 4),
                context=emergency.context)
    assert "Pregnancy" not in after.text and "monoclonal antibody" in after.text
    helped = assistant.help(pregnant.context)
    assert helped.context.declined_topic is None


def test_an_unsure_can_i_take_it_after_a_decline_gets_the_decline_first(assistant) -> None:
    pregnant = ask(assistant, "ask_not_covered", "i'm pregnant")
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_drug_eligibility", "confidence": 0.45},
               {"name": "faq_drug_mechanism", "confidence": 0.3}]
    turn = assistant.clarify(ranking, "can i have saphnelo then",
                             [entity("drug", "saphnelo", 11)], pregnant.context)
    assert turn.messages[0].text.startswith("Pregnancy, breastfeeding and fertility aren't")


@pytest.mark.parametrize("intent,text,drug", [
    ("faq_interferon", "is interferon driving my lupus", None),
    ("faq_drug_eligibility", "i'm trying to work out if benlysta is for me", "benlysta"),
    ("faq_drug_effectiveness", "can the benlysta injection ease sore joints", "benlysta"),
    ("faq_drug_effectiveness", "is the benlysta injection for skin rashes", "benlysta"),
    ("faq_drug_administration", "can i get benlysta in pill form", "benlysta"),
    ("faq_drug_administration", "can i have saphnelo in my arm", "saphnelo"),
])
def test_words_of_everyday_declines_leave_the_pages_questions_answered(
    assistant, intent, text, drug
) -> None:
    entities = [entity("drug", drug, text.index(drug))] if drug else []
    turn = ask(assistant, intent, text, *entities)
    assert "aren't covered" not in turn.text and "isn't covered" not in turn.text, turn.text


@pytest.mark.parametrize("intent,follow_up,mention,expected", [
    ("faq_drug_administration", "how is it given?", None, "once a month"),  # a new question
    ("ask_about_drug", "what about plaquenil", ("drug", "plaquenil"), "does not cover plaquenil"),
])
def test_a_new_question_after_a_decline_is_answered_for_itself(
    assistant, intent, follow_up, mention, expected
) -> None:
    decline = ask(assistant, "ask_not_covered", "how much does benlysta cost",
                  entity("drug", "benlysta", 14))
    entities = [entity(mention[0], mention[1], follow_up.index(mention[1]))] if mention else []
    turn = ask(assistant, intent, follow_up, *entities, context=decline.context)
    assert expected in turn.text and "Cost" not in turn.text


def test_a_decline_about_a_medicine_offers_that_medicines_questions(assistant) -> None:
    text = "my rheumy wants me on saphnelo, should i do it"
    turn = ask(assistant, "ask_not_covered", text, entity("drug", "saphnelo", text.index("saph")))
    assert turn.kind == "not_covered" and "best for you" in turn.text
    titles = [b.title for b in turn.messages[-1].buttons]
    assert titles and all("anifrolumab" in t or "interferon" in t for t in titles), titles


@pytest.mark.parametrize("text,expected", [
    ("GP here: which patients is anifrolumab indicated for?", "adults"),
    ("pharmacist here, how is belimumab given?", "once a month"),
])
def test_a_clinician_saying_who_they_are_gets_the_answer(assistant, text, expected) -> None:
    drug = next(d for d in ("anifrolumab", "belimumab") if d in text)
    intent = "faq_drug_eligibility" if drug == "anifrolumab" else "faq_drug_administration"
    turn = ask(assistant, intent, text, entity("drug", drug, text.index(drug)))
    assert turn.kind == "answer" and expected in turn.text


@pytest.mark.parametrize("intent,text,drug,declined,answered", [
    ("faq_drug_mechanism", "what does anifrolumab do and what are its side effects?",
     "anifrolumab", "Side effects", "type I interferon receptors"),
    ("faq_difficult_lupus", "my lupus is hard to treat, what can i try", None, "best for you",
     "difficult forms of lupus"),
    ("faq_interferon", "my blood test report mentioned interferon, what is that", None,
     "Tests and follow-up", "Interferon"),
    ("faq_drug_administration", "how is belimumab given and can i do it at home myself?",
     "belimumab", "at home", "once a month"),
    ("faq_difficult_lupus", "what is rituximab and how much is it?", "rituximab", "Cost",
     "difficult forms of lupus"),
    ("faq_drug_administration", "is benlysta given weekly and can i travel with it?", "benlysta",
     "Travelling", "once a week"),
    ("faq_drug_children", "can my 6 year old get benlysta by injection and does it hurt?",
     "benlysta", "Side effects", "5 years"),
])
def test_a_message_in_two_parts_gets_the_decline_and_the_answer(
    assistant: Assistant, intent: str, text: str, drug, declined: str, answered: str
) -> None:
    entities = [entity("drug", drug, text.index(drug))] if drug else []
    turn = ask(assistant, intent, text, *entities)
    assert declined in turn.messages[0].text and CARE_TEAM.search(turn.messages[0].text)
    assert answered in turn.messages[-1].text and "Was this helpful?" in turn.messages[-1].text


def test_an_unsure_message_in_two_parts_gets_the_part_the_page_answers(assistant) -> None:
    text = "is belimumab given monthly? also can I drink alcohol with it?"
    ranking = [{"name": "faq_drug_administration", "confidence": 0.5},
               {"name": "ask_not_covered", "confidence": 0.48}]
    turn = assistant.clarify(ranking, text, [entity("drug", "belimumab", 3)])
    assert "Alcohol" in turn.messages[0].text and "once a month" in turn.messages[-1].text


def test_an_unsure_message_naming_a_way_of_giving_it_asks_how_it_is_given(assistant) -> None:
    ranking = [{"name": "faq_difficult_lupus", "confidence": 0.4},
               {"name": "ask_not_covered", "confidence": 0.3}]
    tablet = assistant.clarify(ranking, "is there a tablet form of belimumab",
                               [entity("route", "tablet", 11), entity("drug", "belimumab", 26)])
    assert "once a month" in tablet.text and "Did you mean" not in tablet.text
    jab = assistant.clarify(ranking, "saphnelo jab?",
                            [entity("drug", "saphnelo", 0), entity("route", "jab", 9)])
    assert "does not say how anifrolumab is given" in jab.text and "once a month" not in jab.text
    # ...but not when it names more than the answer would cover, or a topic it declines
    organ = assistant.clarify(ranking, "does the drip help kidneys",
                              [entity("route", "drip", 9), entity("organ", "kidneys", 19)])
    assert "once a month" not in organ.text
    hurts = assistant.clarify(ranking, "does the injection hurt", [entity("route", "injection", 9)],
                              Context("faq_drug_mechanism", ("belimumab",)))
    assert "once a month" not in hurts.text
    # ...nor when no medicine is talked about: "is a biologic not just a normal tablet?"
    biologic = assistant.clarify(ranking, "is a biologic not just a normal tablet?",
                                 [entity("route", "tablet", 32)])
    assert "once a month" not in biologic.text


def test_a_declined_message_that_asks_more_offers_the_other_question(assistant) -> None:
    text = "how much does belimumab cost? and can my child have it?"
    ranking = [{"name": "ask_not_covered", "confidence": 0.55},
               {"name": "faq_drug_children", "confidence": 0.11}]
    entities = [entity("drug", "belimumab", text.index("belimumab")),
                entity("age_group", "child", text.index("child"))]
    turn = assistant.respond("ask_not_covered", text, entities, ranking=ranking)
    assert turn.kind == "not_covered" and "Cost" in turn.text and CARE_TEAM.search(turn.text)
    assert "You also asked" in turn.text and "5 years" not in turn.text
    assert [b.title for b in turn.messages[-1].buttons] == ["Can children take belimumab?"]


@pytest.mark.parametrize("intent,text", [
    ("faq_drug_eligibility", "can i take benlysta and plaquenil together"),  # one question
    ("faq_drug_eligibility", "can i take saphnelo while pregnant and breastfeeding"),  # too short
    ("ask_not_covered", "what is a biologic and how much does it cost"),  # the classifier's pick
])
def test_a_message_about_an_uncovered_topic_as_a_whole_is_only_declined(
    assistant: Assistant, intent: str, text: str
) -> None:
    turn = ask(assistant, intent, text)
    assert turn.kind == "not_covered" and len(turn.messages) == 1
    assert CARE_TEAM.search(turn.text)


@pytest.mark.parametrize("intent,text,drug,expected", [
    ("faq_how_biologics_work", "does benlysta lower my immune system", "benlysta",
     "self-reactive B lymphocytes"),
    ("faq_how_biologics_work", "is saphnelo an immunosuppressant", "saphnelo",
     "type I interferon receptors"),
])
def test_a_medicine_and_the_immune_system_gets_the_immunosuppressant_answer(
    assistant: Assistant, intent: str, text: str, drug: str, expected: str
) -> None:
    turn = ask(assistant, intent, text, entity("drug", drug, text.index(drug)))
    assert turn.kind == "answer"
    assert "immunosuppressant" in turn.text and expected in turn.text
    assert "side effects isn't covered" in turn.text and CARE_TEAM.search(turn.text)


@pytest.mark.parametrize("intent,text,expected_kind", [
    ("faq_drug_effectiveness", "will anifrolumab reduce my flares", "answer"),
    ("faq_drug_mechanism", "does belimumab lower my immune system", "answer"),
    ("ask_not_covered", "can i lower my steroids on benlysta", "not_covered"),
    ("ask_not_covered", "can benlysta help me reduce my prednisolone", "not_covered"),
])
def test_lowering_or_reducing_is_a_treatment_change_only_when_a_treatment_is_named(
    assistant: Assistant, intent: str, text: str, expected_kind: str
) -> None:
    turn = ask(assistant, intent, text)
    assert turn.kind == expected_kind
    assert ("Stopping, switching" in turn.text) == (expected_kind == "not_covered")


@pytest.mark.parametrize("intent,text,drug", [
    ("faq_drug_mechanism", "i'm at home with my kids, how does benlysta work", "benlysta"),
    ("faq_drug_eligibility", "i work from home, can i still have saphnelo", "saphnelo"),
    ("faq_drug_effectiveness", "does belimumab help when lupus runs wild", "belimumab"),
    ("faq_drug_mechanism", "how does rituximab get rid of b cells?", "rituximab"),
    ("faq_brain_involvement", "when lupus affects the brain can belimumab be used", "belimumab"),
    ("faq_drug_children", "how old is the youngest child who can take belimumab", "belimumab"),
    ("faq_difficult_lupus", "what has rituximab been used for in lupus", "rituximab"),
    ("faq_drug_children", "is there anything preventing my 6 year old from getting belimumab?", "belimumab"),
    ("faq_drug_administration", "my daughter was told by the doctor she can have benlysta, how is it given?", "benlysta"),
    ("faq_drug_eligibility", "how likely is it that my doctor will offer saphnelo", "saphnelo"),
    ("faq_drug_effectiveness", "my lupus affects my kidneys, can benlysta help", "benlysta"),
    ("faq_drug_effectiveness", "does benlysta work for lupus nephritis", "benlysta"),
    ("faq_drug_eligibility", "is saphnelo for severe lupus", "saphnelo"),
    ("faq_drug_eligibility", "what is anifrolumab used for in active lupus", "anifrolumab"),
    ("faq_drug_mechanism", "what class of drug is benlysta", "benlysta"),
    ("faq_drug_mechanism", "what's the generic name of benlysta", "benlysta"),
    ("faq_drug_eligibility", "my lupus is in remission can i still get saphnelo", "saphnelo"),
    ("faq_drug_effectiveness", "does belimumab have data in class III lupus nephritis",
     "belimumab"),
    ("faq_drug_effectiveness", "does the benlysta injection help my rash", "benlysta"),
    ("faq_drug_effectiveness", "can benlysta stop my lupus getting worse", "benlysta"),
    ("faq_add_on_therapy", "is saphnelo used instead of standard therapy", "saphnelo"),
    ("faq_drug_administration", "is the benlysta injection or infusion better for sore joints",
     "benlysta"),
])
def test_everyday_words_do_not_decline_a_question_the_page_answers(
    assistant: Assistant, intent: str, text: str, drug: str
) -> None:
    turn = ask(assistant, intent, text, entity("drug", drug, text.index(drug)))
    assert turn.kind == "answer", turn.text


@pytest.mark.parametrize("drug", ["hydroxychloroquine", "obinutuzumab", "plaquenil", "methotrexate"])
def test_other_medicines_are_named_and_declined(assistant: Assistant, drug: str) -> None:
    turn = ask(assistant, "ask_not_covered", f"what about {drug}", entity("drug", drug, 11))
    assert f"does not cover {drug}" in turn.text
    assert CARE_TEAM.search(turn.text)


def test_other_medicine_in_a_drug_question_is_declined(assistant: Assistant) -> None:
    turn = ask(assistant, "faq_drug_mechanism", "how does obinutuzumab work",
               entity("drug", "obinutuzumab", 9))
    assert "does not cover obinutuzumab" in turn.text


def test_out_of_scope_says_what_it_can_do(assistant: Assistant) -> None:
    turn = ask(assistant, "out_of_scope", "what's the weather tomorrow")
    assert "biologic treatments in lupus" in turn.text
    assert turn.messages[-1].buttons


@pytest.mark.parametrize("text", ["i'm sad", "i feel depressed", "i'm so worried about my son"])
def test_someone_who_says_how_they_feel_gets_a_kind_word_not_a_decline(assistant, text) -> None:
    turn = ask(assistant, "share_feelings", text)
    assert turn.text.startswith("I'm sorry you're going through this")
    assert CARE_TEAM.search(turn.messages[0].text)
    assert "thoughts of harming yourself, call your local emergency number" in turn.text
    assert "aren't covered" not in turn.text and "Goodbye" not in turn.text
    assert turn.messages[-1].buttons


def test_a_feeling_about_a_medicine_offers_its_questions_and_declines_what_is_not_covered(
    assistant: Assistant,
) -> None:
    scared = ask(assistant, "share_feelings", "i'm nervous about starting benlysta",
                 entity("drug", "benlysta", 26))
    assert [b.title for b in scared.messages[-1].buttons][0] == "How does belimumab work?"
    assert "aren't covered" not in scared.text
    text = "i'm scared of the side effects of benlysta"
    side_effects = ask(assistant, "share_feelings", text, entity("drug", "benlysta", 34))
    assert side_effects.text.startswith("I'm sorry you're going through this")
    assert "Side effects, risks and safety aren't covered" in side_effects.text
    tired = ask(assistant, "share_feelings", "i feel tired after my infusion",
                entity("route", "infusion", 23))
    assert tired.text.startswith("I'm sorry you're going through this")
    assert "after an injection or infusion" in tired.text and CARE_TEAM.search(tired.text)


def test_a_feeling_with_an_emergency_gets_the_emergency_reply(assistant: Assistant) -> None:
    turn = ask(assistant, "share_feelings", "i'm so sad i want to end my life")
    assert turn.kind == "red_flag"


def test_other_language_is_answered_politely(assistant: Assistant) -> None:
    turn = ask(assistant, "other_language", "qu'est-ce qu'un biomédicament ?")
    assert "English" in turn.text and "emergency number" in turn.text


@pytest.mark.parametrize("text", ["je n'arrive pas à respirer", "no puedo respirar",
                                  "ich habe starke Brustschmerzen", "je veux mourir"])
def test_an_emergency_in_another_language_gets_the_emergency_reply(assistant, text) -> None:
    turn = ask(assistant, "other_language", text)
    assert turn.kind == "red_flag" and "emergency number" in turn.text


# --- Clarification and help ---------------------------------------------------------------


def test_unsure_classification_offers_the_nearest_questions(assistant: Assistant) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "faq_interferon", "confidence": 0.41},
        {"name": "faq_lupus_targets", "confidence": 0.35},
        {"name": "faq_b_lymphocytes", "confidence": 0.12},
        {"name": "greet", "confidence": 0.05},
    ]
    turn = assistant.clarify(ranking, "interferon target thing")
    assert turn.kind == "clarify"
    assert "Did you mean" in turn.text
    titles = [b.title for b in turn.messages[0].buttons]
    assert titles == [
        "What is the role of interferon in lupus?",
        "What do biologics target in lupus?",
        "What do B lymphocytes have to do with lupus?",
    ]


def test_one_near_question_comes_with_its_related_ones(assistant: Assistant) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "faq_biologic_production", "confidence": 0.48},
        {"name": "ask_not_covered", "confidence": 0.38},
    ]
    turn = assistant.clarify(ranking, "where do biologics come from")
    titles = [b.title for b in turn.messages[0].buttons]
    assert "Did you mean" in turn.text
    assert titles[0] == "How are biologics made?" and 2 <= len(titles) <= 3
    # ...about the medicine named, when there is one
    text = "where does saphnelo come from"
    turn = assistant.clarify(ranking, text, [entity("drug", "saphnelo", text.index("saph"))])
    titles = [b.title for b in turn.messages[0].buttons]
    assert 2 <= len(titles) <= 3 and all("belimumab" not in t for t in titles), titles


@pytest.mark.parametrize("repeated", [False, True])
def test_an_unsure_feeling_still_gets_a_kind_word(assistant: Assistant, repeated: bool) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "share_feelings", "confidence": 0.47},
               {"name": "red_flag", "confidence": 0.45}]
    turn = assistant.clarify(ranking, "i feel like nobody gets it", repeated=repeated)
    assert turn.text.startswith("I'm sorry you're going through this")
    assert "Did you mean" not in turn.text and "didn't understand" not in turn.text


def test_an_unsure_question_about_an_uncovered_topic_is_declined_not_guessed(
    assistant: Assistant,
) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_brain_involvement", "confidence": 0.3}]
    for repeated in (False, True):
        turn = assistant.clarify(ranking, "is lupus contagious", repeated=repeated)
        assert turn.kind == "not_covered"
        assert "doesn't cover lupus itself" in turn.text and CARE_TEAM.search(turn.text)


def test_a_suggestion_worded_for_any_medicine_asks_about_the_one_named(
    assistant: Assistant,
) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_biologic_other_diseases", "confidence": 0.3}]
    text = "is saphnelo for other stuff too"
    turn = assistant.clarify(ranking, text, [entity("drug", "saphnelo", 3)])
    button = turn.messages[0].buttons[0]
    assert button.title == "Is anifrolumab used for other diseases?"
    intent, entities = parse_payload(button.payload)
    follow = assistant.respond(intent, button.payload, entities)
    assert "whether anifrolumab is used for other diseases" in follow.text


def test_an_unsure_follow_up_suggests_the_last_question_for_the_drug_named(
    assistant: Assistant,
) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_about_drug", "confidence": 0.45},
        {"name": "faq_overview", "confidence": 0.2},
    ]
    context = Context(last_intent="faq_drug_children", drugs=("belimumab",))
    turn = assistant.clarify(ranking, "and saphnelo then??", [entity("drug", "saphnelo", 4)], context)
    assert [b.title for b in turn.messages[0].buttons] == [
        "Can children take anifrolumab?",
        "Why are biologics used in lupus?",
    ]


@pytest.mark.parametrize("context", [Context(), Context("faq_drug_mechanism", ("belimumab",))])
def test_punctuation_alone_is_not_taken_for_a_question(assistant, context: Context) -> None:
    turn = ask(assistant, "ask_about_drug", "???", context=context)  # the classifier's pick
    assert turn.kind == "clarify" and "Was this helpful?" not in turn.text
    assert turn.messages[-1].buttons  # suggested questions to pick from


def test_still_unclear_shows_the_help_menu(assistant: Assistant) -> None:
    turn = assistant.clarify([{"name": "faq_interferon", "confidence": 0.4}], "blah", repeated=True)
    assert "still didn't understand" in turn.text
    assert len(turn.messages[0].buttons) >= 3


def test_a_first_unclear_message_is_not_called_a_repeat(assistant: Assistant) -> None:
    turn = assistant.clarify([{"name": "faq_interferon", "confidence": 0.01}], "my son is 12")
    assert "still" not in turn.text and "didn't understand" in turn.text
    assert len(turn.messages[0].buttons) >= 3


def test_help_lists_suggested_questions(assistant: Assistant) -> None:
    turn = assistant.help()
    assert "I can answer questions about biologic treatments in lupus" in turn.text
    assert {b.title for b in turn.messages[0].buttons} >= {"What is a biologic?"}


def test_disclaimer_says_automated_general_information_not_advice(assistant: Assistant) -> None:
    text = assistant.disclaimer()
    assert "automated assistant" in text
    assert "patient-information page" in text
    assert "can't give personal medical advice" in text


# --- Questions that name a medicine or a person the general answer does not fit -------------


@pytest.mark.parametrize("intent,text,age", [
    ("faq_drug_children", "my 25 year old son has lupus, can he take saphnelo", "25 year old"),
    ("faq_drug_eligibility", "my 30 year old daughter wants saphnelo, is she eligible", "30 year old"),
])
def test_an_age_in_years_beats_the_word_son_or_daughter(assistant, intent, text, age) -> None:
    word = "son" if "son" in text else "daughter"
    turn = ask(assistant, intent, text, entity("age_group", age, 3),
               entity("age_group", word, text.index(word)), entity("drug", "saphnelo", text.index("saphnelo")))
    assert "Anifrolumab can be used for adults" in turn.text
    assert "children" not in turn.text and "child's" not in turn.text


@pytest.mark.parametrize("intent,text,expected", [
    ("faq_drug_children", "my husband has sle, can he get saphnelo",
     "Anifrolumab can be used for adults"),
    ("faq_drug_children", "my mum has lupus, could she take saphnelo",
     "Anifrolumab can be used for adults"),
    # a relation is the weakest age word: the question is about the son
    ("faq_drug_eligibility", "my husband and i want to know if our son can have saphnelo",
     "does not cover its use in children"),
])
def test_a_husband_or_a_mum_is_an_adult_unless_the_question_names_a_child(
    assistant, intent, text, expected
) -> None:
    people = [w for w in ("husband", "mum", "son") if f" {w} " in f" {text} "]
    mentions = [entity("age_group", w, text.index(f" {w} ") + 1) for w in people]
    turn = ask(assistant, intent, text, *mentions, entity("drug", "saphnelo", text.index("saphnelo")))
    assert expected in turn.text


@pytest.mark.parametrize("intent,text,age,expected", [
    ("faq_drug_eligibility", "can i take saphnelo if im 16", "m 16", "does not cover its use in children"),
    ("faq_drug_children", "my son is 25, can he take saphnelo", "is 25", "Anifrolumab can be used for adults"),
    ("faq_drug_children", "i'm 30, can i have saphnelo", "'m 30", "Anifrolumab can be used for adults"),
])
def test_an_age_said_as_im_16_or_is_25_counts(assistant, intent, text, age, expected) -> None:
    mentions = [entity("age_group", age, text.index(age)), entity("drug", "saphnelo", text.index("saphnelo"))]
    if "son" in text:
        mentions.append(entity("age_group", "son", text.index("son")))
    turn = ask(assistant, intent, text, *mentions)
    assert expected in turn.text


@pytest.mark.parametrize("text,drug,expected", [
    ("is benlysta approved for kids", "benlysta", "from 5 years of age"),
    ("is saphnelo approved for children", "saphnelo", "does not cover its use in children"),
    ("is belimumab approved in the uk", "belimumab", "does not say when or in which countries"),
    ("i'm a nurse, quick q: is belimumab licensed in paeds?", "belimumab", "from 5 years of age"),
])
def test_approval_questions_say_what_the_page_says_and_no_more(assistant, text, drug, expected) -> None:
    mentions = [entity("drug", drug, text.index(drug))]
    for word in ("kids", "children", "paeds"):
        if word in text:
            mentions.append(entity("age_group", word, text.index(word)))
    turn = ask(assistant, "faq_drug_approval", text, *mentions)
    assert expected in turn.text


@pytest.mark.parametrize("text,expected", [
    ("my daughter has had lupus for 20 years, can she take benlysta", "from 5 years of age"),
    ("i was diagnosed 25 years ago, can my son take saphnelo", "does not cover its use in children"),
])
def test_a_number_of_years_that_is_not_an_age_leaves_the_child(assistant, text, expected) -> None:
    drug = "benlysta" if "benlysta" in text else "saphnelo"
    word = "daughter" if "daughter" in text else "son"
    years = text[text.index("2"):text.index("years") + 5]
    turn = ask(assistant, "faq_drug_children", text, entity("age_group", years, text.index(years)),
               entity("age_group", word, text.index(word)), entity("drug", drug, text.index(drug)))
    assert expected in turn.text


@pytest.mark.parametrize("drug", ["benlysta", "rituximab"])
def test_asking_if_a_b_cell_drug_blocks_interferon_gets_no_implied_yes(assistant, drug) -> None:
    turn = ask(assistant, "faq_interferon", f"does {drug} block interferon", entity("drug", drug, 5))
    assert "does not describe it as acting on interferon" in turn.text
    assert "anifrolumab" in turn.text


def test_what_is_interferon_after_a_belimumab_question_is_about_interferon(assistant) -> None:
    context = Context("faq_drug_mechanism", ("belimumab",))
    turn = ask(assistant, "faq_interferon", "what is interferon?", context=context)
    assert "Interferon is a cytokine" in turn.text


@pytest.mark.parametrize("drug,canonical", [("benlysta", "belimumab"), ("saphnelo", "anifrolumab")])
def test_a_named_biologic_for_another_disease_is_not_answered_yes(assistant, drug, canonical) -> None:
    turn = ask(assistant, "faq_biologic_other_diseases", f"can {drug} treat psoriasis",
               entity("drug", drug, 4))
    assert f"does not say whether {canonical} is used for other diseases" in turn.text
    assert CARE_TEAM.search(turn.text)


def test_what_other_diseases_in_general_still_lists_them(assistant) -> None:
    turn = ask(assistant, "faq_biologic_other_diseases", "what else are biologics used for",
               context=Context("faq_drug_mechanism", ("belimumab",)))
    assert "psoriasis" in turn.text and "does not say" not in turn.text


@pytest.mark.parametrize("text,symptom", [
    ("does benlysta help fatigue", "fatigue"),
    # a symptom of lupus, not a side effect of the medicine
    ("does benlysta help hair loss from lupus?", "hair"),
])
def test_a_symptom_the_page_says_nothing_about_is_not_answered_with_organs(
    assistant: Assistant, text: str, symptom: str
) -> None:
    turn = ask(assistant, "faq_drug_effectiveness", text, entity("drug", "benlysta", 5),
               entity("organ", symptom, text.index(symptom)))
    assert "does not describe effectiveness for that part of the body or symptom" in turn.text
    assert "Side effects" not in turn.text


def test_whether_anifrolumab_is_a_fusion_protein(assistant) -> None:
    turn = ask(assistant, "faq_biologic_production", "is saphnelo a fusion protein",
               entity("drug", "saphnelo", 3))
    assert "anifrolumab is a monoclonal antibody" in turn.text
    turn = ask(assistant, "faq_biologic_production", "is benlysta a fusion protein",
               entity("drug", "benlysta", 3))
    assert "does not say how belimumab is made" in turn.text


@pytest.mark.parametrize("text,drug", [
    ("was saphnelo the first biologic for lupus", "saphnelo"),
    ("is rituximab the first biologic approved for lupus", "rituximab"),
])
def test_was_another_medicine_first_says_belimumab_was(assistant, text: str, drug: str) -> None:
    turn = ask(assistant, "faq_drug_approval", text, entity("drug", drug, text.index(drug)))
    assert "first biologic approved for use in systemic lupus was belimumab" in turn.text
    assert CARE_TEAM.search(turn.text)


def test_naming_another_medicine_ends_the_follow_ups_about_a_biologic(assistant) -> None:
    context = Context("faq_drug_mechanism", ("belimumab",))
    declined = ask(assistant, "ask_not_covered", "what about hydroxychloroquine",
                   entity("drug", "hydroxychloroquine", 11), context=context)
    assert "does not cover hydroxychloroquine" in declined.text
    follow_up = ask(assistant, "faq_drug_administration", "is it given by iv",
                    entity("route", "iv", 15), context=declined.context)
    assert "Belimumab can be given" not in follow_up.text
    assert "only describes how belimumab is given" in follow_up.text


def test_what_about_another_drug_after_a_who_can_take_it_button(assistant) -> None:
    payload = assistant.router.payload("belimumab_eligibility", assistant.vocabulary)
    intent, entities = parse_payload(payload)
    first = assistant.respond(intent, payload, entities)
    assert "belimumab_eligibility" in first.entry_ids
    turn = ask(assistant, "ask_about_drug", "what about saphnelo?", entity("drug", "saphnelo", 11),
               context=first.context)
    assert "Anifrolumab can be used for adults" in turn.text
    assert "does not cover its use in children" not in turn.text


def test_what_about_another_drug_after_a_drug_specific_decline(assistant) -> None:
    first = ask(assistant, "faq_biologic_other_diseases", "can benlysta treat psoriasis",
                entity("drug", "benlysta", 4))
    turn = ask(assistant, "ask_about_drug", "what about saphnelo?", entity("drug", "saphnelo", 11),
               context=first.context)
    assert "does not say whether anifrolumab is used for other diseases" in turn.text


@pytest.mark.parametrize("intent", ["out_of_scope", None])
def test_another_medicine_in_an_unclear_message_ends_the_biologic_follow_ups(assistant, intent) -> None:
    context = Context("faq_drug_mechanism", ("belimumab",))
    mention = entity("drug", "hydroxychloroquine", 4)
    if intent:
        turn = ask(assistant, intent, "and hydroxychloroquine lol", mention, context=context)
    else:
        turn = assistant.clarify([], "and hydroxychloroquine lol", [mention], context)
    assert turn.context.drugs == ()


# --- A medicine named in a question whose general answer is about another -----------------


@pytest.mark.parametrize("text,drug,expected", [
    ("is saphnelo for severe lupus", "saphnelo", "Anifrolumab can be used for adults"),
    ("will benlysta make my lupus less severe", "benlysta", "belimumab can be used in children"),
])
def test_severe_lupus_and_a_named_medicine_gets_that_medicine_not_rituximab(
    assistant: Assistant, text: str, drug: str, expected: str
) -> None:
    turn = ask(assistant, "faq_difficult_lupus", text, entity("drug", drug, text.index(drug)))
    assert expected in turn.text and "Rituximab" not in turn.text


def test_severe_lupus_without_a_medicine_names_what_the_page_says_of_both(assistant) -> None:
    turn = ask(assistant, "faq_difficult_lupus", "what biologic is there for difficult lupus")
    assert "such as rituximab" in turn.text and "anifrolumab for adults" in turn.text
    assert CARE_TEAM.search(turn.text)


@pytest.mark.parametrize("intent,text,entities", [
    ("faq_drug_children", "is subcutaneous benlysta ok for children",
     [("route", "subcutaneous"), ("drug", "benlysta"), ("age_group", "children")]),
    ("faq_drug_eligibility", "can my 6 year old have benlysta shots weekly",
     [("age_group", "6 year old"), ("drug", "benlysta"), ("route", "shots")]),
    ("faq_drug_administration", "how is benlysta given to kids",
     [("drug", "benlysta"), ("age_group", "kids")]),
])
def test_how_belimumab_is_given_to_children_is_not_implied(assistant, intent, text, entities) -> None:
    turn = ask(assistant, intent, text, *(entity(e, v, text.index(v)) for e, v in entities))
    assert "from 5 years of age" in turn.text
    assert "does not say which of these is used for children" in turn.text


@pytest.mark.parametrize("text,drug,route", [
    ("can benlysta be given as a pill", "benlysta", "pill"),
    ("is there a tablet form of belimumab", "belimumab", "tablet"),
])
def test_a_tablet_of_belimumab_is_neither_offered_nor_ruled_out(assistant, text, drug, route) -> None:
    turn = ask(assistant, "faq_drug_administration", text, entity("drug", drug, text.index(drug)),
               entity("route", route, text.index(route)))
    assert "once a month" in turn.text and "does not mention a tablet" in turn.text



# --- On its own or on top of other treatment ------------------------------------------------


@pytest.mark.parametrize("text,drug,name", [
    ("can benlysta be used alone", "benlysta", "belimumab"),
    ("is rituximab given on its own", "rituximab", "rituximab"),
])
def test_only_anifrolumab_is_called_an_add_on(assistant, text: str, drug: str, name: str) -> None:
    turn = ask(assistant, "faq_add_on_therapy", text, entity("drug", drug, text.index(drug)))
    assert f"does not say whether {name} is used on its own" in turn.text
    assert "from 5 years" not in turn.text and CARE_TEAM.search(turn.text)


def test_anifrolumab_as_an_add_on(assistant) -> None:
    text = "is saphnelo used on its own or with other meds"
    turn = ask(assistant, "faq_add_on_therapy", text, entity("drug", "saphnelo", 3))
    assert "add-on, on top of that standard therapy" in turn.text


def test_add_on_without_a_medicine_names_anifrolumab_only(assistant) -> None:
    turn = ask(assistant, "faq_add_on_therapy", "are biologics used on their own")
    assert "add-on therapy" in turn.text and "anifrolumab" in turn.text
    assert "does not say whether the other biologics" in turn.text


# --- Whom the questions are about is remembered ---------------------------------------------


def _said(text: str, word: str) -> dict:
    return entity("age_group", word, text.index(word))


def test_a_child_said_once_is_remembered_for_the_next_questions(assistant) -> None:
    first = "my 10 yo has lupus"
    turn = assistant.clarify([{"name": "faq_drug_children", "confidence": 0.4}], first,
                             [_said(first, "10 yo")])
    text = "can she have saphnelo"
    turn = ask(assistant, "faq_drug_eligibility", text, entity("drug", "saphnelo", 13),
               context=turn.context)
    assert "only for adults" in turn.text
    turn = ask(assistant, "faq_drug_administration", "how would she get benlysta",
               entity("drug", "benlysta", 18), context=turn.context)
    assert "from 5 years of age" in turn.text
    assert "does not say which of these is used for children" in turn.text


def test_an_adult_son_said_once_stays_an_adult(assistant) -> None:
    first = "my 25 year old son has lupus"
    turn = ask(assistant, "faq_drug_eligibility", first, _said(first, "25 year old"),
               _said(first, "son"))
    turn = ask(assistant, "faq_drug_children", "can he take saphnelo",
               entity("drug", "saphnelo", 12), context=turn.context)
    assert "Anifrolumab can be used for adults" in turn.text
    assert "children" not in turn.text


def test_a_new_age_replaces_the_remembered_one(assistant) -> None:
    context = Context("faq_drug_children", ("belimumab",), age_group="child")
    text = "and for my wife, she is 40"
    turn = ask(assistant, "faq_drug_eligibility", text, _said(text, "wife"),
               _said(text, "is 40"), context=context)
    assert "whether it suits you" in turn.text.lower() and turn.context.age_group == "adult"


def test_a_button_asks_its_own_question_whoever_was_talked_about(assistant) -> None:
    context = Context("faq_drug_children", ("belimumab",), age_group="child")
    payload = '/faq_drug_administration{"drug": "belimumab"}'
    turn = assistant.respond("faq_drug_administration", payload, [entity("drug", "belimumab")],
                             context)
    assert turn.entry_ids == ("belimumab_administration",)


# --- A medicine named only to compare with --------------------------------------------------


@pytest.mark.parametrize("intent,text,talked_about,expected", [
    ("faq_drug_administration", "is it given monthly like benlysta", "anifrolumab",
     "does not say how anifrolumab is given"),
    ("faq_drug_children", "can kids have it like benlysta", "rituximab", "rituximab"),
])
def test_a_follow_up_comparing_with_another_medicine_answers_the_one_talked_about(
    assistant, intent: str, text: str, talked_about: str, expected: str
) -> None:
    context = Context("faq_drug_mechanism", (talked_about,))
    extra = [_said(text, "kids")] if "kids" in text else []
    turn = ask(assistant, intent, text, entity("drug", "benlysta", text.index("benlysta")),
               *extra, context=context)
    first = turn.messages[0].text
    assert f"About {talked_about}" in first and expected in first
    assert "belimumab" in turn.messages[-1].text


def test_what_about_a_medicine_still_switches_to_it(assistant) -> None:
    context = Context("faq_drug_administration", ("anifrolumab",))
    turn = ask(assistant, "ask_about_drug", "and benlysta?", entity("drug", "benlysta", 4),
               context=context)
    assert turn.entry_ids == ("belimumab_administration",)


def test_alongside_other_treatment_or_on_its_own_is_the_add_on_question(assistant) -> None:
    text = "is saphnelo taken alongside other meds or on its own"
    turn = ask(assistant, "faq_add_on_therapy", text, entity("drug", "saphnelo", 3))
    assert "add-on, on top of that standard therapy" in turn.text


def test_unsure_between_intents_with_one_answer_answers_it(assistant) -> None:
    context = Context(age_group="child")
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_drug_eligibility", "confidence": 0.53},
               {"name": "faq_drug_children", "confidence": 0.43}]
    text = "can she have saphnelo"
    turn = assistant.clarify(ranking, text, [entity("drug", "saphnelo", 13)], context)
    assert "only for adults" in turn.text and "Did you mean" not in turn.text


def test_unsure_with_one_weak_guess_still_asks(assistant) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "faq_interferon", "confidence": 0.2}]
    turn = assistant.clarify(ranking, "interferon thingy")
    assert "Did you mean" in turn.text


def test_how_a_child_gets_anifrolumab_says_neither_how_nor_for_children(assistant) -> None:
    context = Context("faq_drug_administration", ("belimumab",), age_group="child")
    turn = ask(assistant, "ask_about_drug", "what about anifrolumab?",
               entity("drug", "anifrolumab", 11), context=context)
    assert "does not say how anifrolumab is given" in turn.text
    assert "only for adults" in turn.text and "once a week" not in turn.text


@pytest.mark.parametrize("text,drug,expected", [
    ("can i have saphnelo", "saphnelo", "Anifrolumab can be used for adults"),
    ("i have lupus too, how is benlysta given for me", "benlysta", "Belimumab can be given in two"),
])
def test_a_question_about_the_speaker_is_not_about_the_child_said_before(
    assistant, text: str, drug: str, expected: str
) -> None:
    context = Context("faq_drug_children", ("belimumab",), age_group="child")
    intent = "faq_drug_administration" if "given" in text else "faq_drug_eligibility"
    turn = ask(assistant, intent, text, entity("drug", drug, text.index(drug)), context=context)
    assert expected in turn.text and "child" not in turn.text
    assert turn.context.current_age_group is None
    # The child is still remembered: a question about her is about the child again.
    her = ask(assistant, "faq_drug_administration", "and how would she get benlysta?",
              entity("drug", "benlysta", 23), context=turn.context)
    assert "does not say which of these is used for children" in her.text


@pytest.mark.parametrize("text,said,expected", [
    ("i'm 45 and my daughter is 12, both of us have lupus. can she have saphnelo?",
     ["'m 45", "daughter", "is 12"], "anifrolumab_children"),
    ("i'm 16 and my mum has lupus too, can she have saphnelo?", ["16", "mum"],
     "anifrolumab_eligibility"),
])
def test_a_message_about_the_speaker_and_someone_else_answers_for_whom_it_asks(
    assistant, text: str, said, expected: str
) -> None:
    ages = [entity("age_group", word, text.index(word)) for word in said]
    turn = ask(assistant, "faq_drug_eligibility", text, *ages,
               entity("drug", "saphnelo", text.index("saphnelo")))
    assert turn.entry_ids == (expected,)


@pytest.mark.parametrize("first,age", [
    ("i'm 16 years old with lupus", entity("age_group", "16 years old", 4)),
    ("im 16", entity("age_group", "im 16", 0)),
    ("i am a teenager with sle", entity("age_group", "teenager", 7)),
])
def test_a_speaker_who_says_their_age_is_answered_for_that_age(assistant, first, age) -> None:
    said = ask(assistant, "faq_drug_children", first, age)
    turn = ask(assistant, "faq_drug_eligibility", "can i have saphnelo?",
               entity("drug", "saphnelo", 11), context=said.context)
    assert turn.entry_ids == ("anifrolumab_children",)
    # ...and a question about someone else is not about the speaker's age.
    mum = ask(assistant, "faq_drug_eligibility", "could she have it then?", context=turn.context)
    assert "only for adults" not in mum.text


def test_a_question_about_her_keeps_the_child_said_before(assistant) -> None:
    context = Context("faq_drug_children", ("belimumab",), age_group="child")
    turn = ask(assistant, "faq_drug_administration", "can i give it to her at the clinic",
               context=context)
    assert "does not say which of these is used for children" in turn.text


def test_a_bare_medicine_after_a_child_was_said_asks_about_children(assistant) -> None:
    turn = ask(assistant, "ask_about_drug", "benlysta?", entity("drug", "benlysta"),
               context=Context(age_group="child"))
    assert "from 5 years of age" in turn.text


@pytest.mark.parametrize("intent,text", [
    ("faq_drug_effectiveness", "will saphnelo stop my flares"),
    ("faq_how_biologics_work", "does benlysta stop my immune system working"),
    ("faq_drug_effectiveness", "will it stop it spreading to her kidneys"),
    ("faq_drug_effectiveness", "can benlysta help my lupus headaches"),
])
def test_stopping_lupus_or_its_flares_is_not_stopping_a_treatment(assistant, intent, text) -> None:
    turn = ask(assistant, intent, text)
    assert turn.kind == "answer" and "Stopping" not in turn.text


@pytest.mark.parametrize("intent,talked_about,text,compared,expected", [
    ("faq_biologic_production", "anifrolumab", "is it an antibody like benlysta", "benlysta",
     "anifrolumab is a monoclonal antibody"),
    ("faq_interferon", "belimumab", "does it block interferon like saphnelo", "saphnelo",
     "does not describe it as acting on interferon"),
])
def test_it_in_a_comparison_is_the_medicine_talked_about_also_for_named_only_answers(
    assistant, intent: str, talked_about: str, text: str, compared: str, expected: str
) -> None:
    context = Context("faq_drug_mechanism", (talked_about,))
    turn = ask(assistant, intent, text, entity("drug", compared, text.index(compared)),
               context=context)
    assert f"About {talked_about}" in turn.messages[0].text
    assert expected in turn.messages[0].text and len(turn.messages) == 2


def test_the_assistant_is_as_sure_as_the_fallback_classifier_before_answering() -> None:
    """Unsure messages answered by the assistant itself (one answer for every guess, the rest
    of a rating) meet the bar config.yml sets for the classifier."""
    import yaml

    from lupus_faq import conversation

    root = Path(__file__).resolve().parent.parent
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    assert conversation.MIN_SINGLE_ANSWER_CONFIDENCE == fallback["threshold"]
    assert conversation.AMBIGUITY_MARGIN == fallback["ambiguity_threshold"]
