"""From a page question (a FAQ intent) to the entries that answer it, for the medicines and
the person a message and the conversation are about (knowledge/routes.yml)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Collection, Dict, List, Mapping, Optional, Sequence

from lupus_faq.dialogue.memory import Context
from lupus_faq.dialogue.whom import with_whom
from lupus_faq.knowledge.entities import (
    ADULT,
    AGE_GROUP,
    CELL,
    CHILD,
    COMPARED,
    DRUG,
    DRUG_NAMED,
    ORGAN,
    OTHER,
    ROUTE,
)
from lupus_faq.knowledge.routing import OTHER_DRUG_ENTRY, Router
from lupus_faq.language import Language, Mention
from lupus_faq.language.whom import age_group

# An entry id, with the medicine it was routed for (None: no medicine).
Routed = Dict[str, Optional[Mention]]


@dataclass(frozen=True)
class FollowUpQuestions:
    """Which page question a short or bare follow-up asks (knowledge/dialogue.yml
    `follow_up_questions`)."""

    default: str  # "what about X?" after a question not about a medicine
    child: str  # ...when the conversation is about a child: "Benlysta?" after "my son is 9"
    adult: str  # ...when the message names adults: "anifrolumab adults only?"
    organ: str  # "and the heart?" after a question about a medicine
    route: str  # an unsure message naming a way of giving it: "is there a tablet form?"
    compared: str  # "is Benlysta like Humira?": what the page's medicine is
    ask_about_drug: str  # the intent of "what about X?" itself

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "FollowUpQuestions":
        """From the mapping of knowledge/dialogue.yml."""
        return cls(**{key: str(raw[key]) for key in cls.__dataclass_fields__})


class Questions:
    """Routing a page question for a message in its conversation."""

    def __init__(
        self,
        router: Router,
        language: Language,
        follow_ups: FollowUpQuestions,
        asked_in_general: Collection[str] = (),
    ):
        self.router = router
        self.language = language
        self.follow_ups = follow_ups
        # page questions that can be asked of the biologics in general (knowledge/dialogue.yml)
        self.asked_in_general = frozenset(asked_in_general)

    def target(
        self, intent: Optional[str], context: Context, mentions: Sequence[Mention] = ()
    ) -> Optional[str]:
        """The page question ``intent`` asks: itself for a FAQ intent; for "what about X?"
        the last question again, or, with an age, whether they can have it ("anifrolumab
        16yo"), or, for "is it like X?", what the two medicines are; None for anything else."""
        if intent == self.follow_ups.ask_about_drug:
            if not mentions:  # "???" names nobody and nothing to ask the question about
                return None
            named = [m for m in mentions if m.entity == DRUG]
            if named and all(m.likened for m in named) and context.drugs:
                # "is it the same as Benlysta?" after a rituximab question: what the two are
                return self.follow_ups.compared
            last = context.last_intent
            if last and any(self.router.uses(last, key) for key in (DRUG, DRUG_NAMED)):
                return last
            if with_whom(context, mentions).current_age_group == CHILD:
                return self.follow_ups.child
            if age_group(mentions) == ADULT:
                return self.follow_ups.adult
            return self.follow_ups.default
        return intent if self.router.handles(intent) else None

    def drugs_for(
        self,
        intent: str,
        mentions: Sequence[Mention],
        context: Context,
        by_button: bool,
        in_general: bool = False,
    ) -> List[Optional[Mention]]:
        """The medicines ``intent`` is answered for, each on its own (None: no medicine, the
        question asked of biologics in general). A medicine the page does not describe,
        named in a question whose answer is the same for every medicine ("is voclosporin a
        biologic?"), or in one of ``asked_in_general`` that names the biologics in general
        (``in_general``: "Enbrel is a fusion protein, right? Are the lupus biologics?"), comes
        after the general answer: the page's answer is what was asked, and that medicine is
        still said not described. ("Could she take Humira instead of the lupus biologics?"
        asks about Humira only.)"""
        named: List[Optional[Mention]] = [
            m for m in mentions if m.entity == DRUG and not m.excluded and m.in_question
        ]
        others = [m for m in named if m and m.value == OTHER]
        if not self.router.uses_a_medicine(intent):
            return [None, *others]
        if not named and any(m.entity == DRUG and m.in_question for m in mentions):
            return [None]  # "other anti-B cell drugs besides belimumab?": not belimumab
        # A biologic named only in the story around the question is the one "it" means: "my
        # son gets Benlysta every month. What does it do?"
        told = tuple(
            dict.fromkeys(
                m.value
                for m in mentions
                if m.entity == DRUG and not m.in_question and m.value != OTHER
            )
        )
        talked_about = told or context.drugs
        # "Can kids have it like Benlysta?" asks about the medicine being talked about, and
        # compares it with the one it names: both are answered, also for questions answered
        # only about a medicine named ("is it an antibody like Benlysta?"): "it" names one.
        compares_it = bool(named) and all(m and m.compared for m in named) and not by_button
        if compares_it and talked_about:
            referred: List[Optional[Mention]] = [
                Mention(DRUG, value, value, referred=True)
                for value in talked_about
                if value not in {n.value for n in named if n}
            ]
            return referred + named
        if others and others == named and in_general and intent in self.asked_in_general:
            return [None, *others]
        if named:
            return named
        if self.router.uses(intent, DRUG) and talked_about and not by_button:
            return [Mention(DRUG, value, value) for value in talked_about]
        return [None]

    def values(
        self,
        mentions: Sequence[Mention],
        drug: Optional[Mention],
        context: Context,
        by_button: bool,
    ) -> Dict[str, Optional[str]]:
        """The canonical values routes.yml's `when` compares, for one medicine."""

        def first(entity: str) -> Optional[str]:
            return next((m.value for m in mentions if m.entity == entity), None)

        # A button asks its own question: whom earlier questions were about does not change it.
        whom = with_whom(Context() if by_button else context, mentions)
        return {
            DRUG: drug.value if drug else None,
            DRUG_NAMED: drug.value
            if drug and ((drug in mentions and drug.in_question) or drug.referred)
            else None,
            ORGAN: first(ORGAN),
            AGE_GROUP: whom.current_age_group,
            CELL: first(CELL),
            ROUTE: first(ROUTE),
        }

    def route(
        self,
        intent: str,
        mentions: Sequence[Mention],
        context: Context,
        by_button: bool,
        in_general: bool = False,
    ) -> Routed:
        """The entries ``intent`` leads to, each with the medicine it was routed for: one entry
        for the page's medicines named together when routes.yml has one for them ("Benlysta vs
        Saphnelo?"), else each medicine's own, in turn (``in_general``: see ``drugs_for``)."""
        drugs = self.drugs_for(intent, mentions, context, by_button, in_general)
        return self.route_drugs(intent, drugs, mentions, context, by_button)

    def route_drugs(
        self,
        intent: str,
        drugs: Sequence[Optional[Mention]],
        mentions: Sequence[Mention],
        context: Context,
        by_button: bool,
    ) -> Routed:
        """``route`` for the medicines ``drugs_for`` gave (for a caller that needs them too)."""
        routed: Routed = {}
        together = _together(drugs, mentions)
        if together and self.router.uses(intent, COMPARED):
            values = {**self.values(mentions, None, context, by_button), COMPARED: together}
            case = self.router.case(intent, values)
            if COMPARED in (case.get("when") or {}):
                routed[str(case["reply"])] = None
                # a medicine the page does not describe, named beside them, keeps its decline
                drugs = [d for d in drugs if d is not None and d.value == OTHER]
        for drug in drugs:
            if drug is not None and drug.value == OTHER and not self.router.uses_a_medicine(intent):
                routed.setdefault(OTHER_DRUG_ENTRY, drug)  # routes.yml has no case for it
                continue
            values = self.values(mentions, drug, context, by_button)
            routed.setdefault(self.router.resolve(intent, values), drug)
        return routed

    def organ_follow_up(
        self, text: str, mentions: Sequence[Mention], context: Context
    ) -> Optional[str]:
        """The question a short follow-up naming only an organ asks: the last one again if the
        page answers it differently for that organ ("and mouth ulcers?" after "does belimumab
        help the joints?"), else whether the medicine talked about works there ("and the
        heart?" after "how does belimumab work?", "and the kidneys?" after the brain
        question); None if it is no such follow-up."""
        last = context.last_intent
        only_organs = bool(mentions) and all(m.entity == ORGAN for m in mentions)
        if not last or not only_organs or not self.language.follow_ups.is_short(text):
            return None
        if self.router.uses(last, ORGAN):
            if not context.drugs or self._answered_differently(last, mentions, context, context):
                return last
        return self.follow_ups.organ if context.drugs else None

    def is_child_follow_up(self, text: str, mentions: Sequence[Mention], context: Context) -> bool:
        """Whether ``text`` is a short follow-up naming only a child ("and for my daughter,
        she's 11?") in a conversation about a question already asked."""
        follow_ups, clauses = self.language.follow_ups, self.language.clauses
        return (
            bool(context.last_intent)
            and bool(mentions)
            and all(m.entity == AGE_GROUP for m in mentions)
            and age_group(mentions) == CHILD
            and (
                follow_ups.is_short(text)  # "and for kids?", or a short statement:
                or (follow_ups.is_brief(text) and not clauses.has_question(text))
            )  # "he's 4"
        )

    def again_for_whom(
        self, intent: Optional[str], text: str, mentions: Sequence[Mention], context: Context
    ) -> Optional[str]:
        """The last question again for whom a short follow-up names ("and for kids?" after
        "how is belimumab given?"), when the page answers it differently for them."""
        last = context.last_intent
        if intent != self.follow_ups.child or last == intent or last is None:
            return intent
        if not self.is_child_follow_up(text, mentions, context) or not self.router.handles(last):
            return intent
        nobody = replace(context, age_group=None, speaker_age_group=None)
        return last if self._answered_differently(last, mentions, context, nobody) else intent

    def _answered_differently(
        self, intent: str, mentions: Sequence[Mention], context: Context, plain: Context
    ) -> bool:
        """Whether the page answers ``intent`` differently for what ``mentions`` name than
        without them (in the ``plain`` context, with whom they are about forgotten)."""
        named = self.route(intent, mentions, context, by_button=False)
        return set(named) != set(self.route(intent, [], plain, by_button=False))

    def again_for_organ(
        self,
        intent: Optional[str],
        text: str,
        mentions: Sequence[Mention],
        context: Context,
        bare: bool = True,
    ) -> Optional[str]:
        """The last question again for the organ a short follow-up names ("and for mouth
        ulcers?" after "does belimumab help the joints?"), whatever the classifier took it for;
        a classifier that took it for another question keeps it ("and when the brain is
        affected?" is the brain question), unless it only repeats the last one ("and the
        heart?" after "how does belimumab work?"). A follow-up with words of its own besides
        the opener and the names (not ``bare``) keeps the question the classifier read in
        them: "and does it work for the kidneys?" after the children's question asks whether
        it works there, not the children's question again."""
        again = self.organ_follow_up(text, mentions, context)
        last = context.last_intent
        target = self.target(intent, context, mentions)
        if again and (target == last or (again == last and (bare or target is None))):
            return again
        return intent

    def asked(
        self,
        intent: Optional[str],
        text: str,
        mentions: Sequence[Mention],
        context: Context,
        bare: bool = True,
    ) -> Optional[str]:
        """The page question a message classified as ``intent`` asks, follow-ups resolved;
        ``bare``: the message is only an opener and names ("and the heart?")."""
        target = self.again_for_whom(
            self.target(intent, context, mentions), text, mentions, context
        )
        return self.again_for_organ(target, text, mentions, context, bare)


def _together(drugs: Sequence[Optional[Mention]], mentions: Sequence[Mention]) -> Optional[str]:
    """The routing value of the page's medicines a message names together
    ("anifrolumab+belimumab"), counting the one "it" stands for in a comparison ("is it like
    Benlysta?"), not those only remembered ("do they weaken my immune system?"); None when
    fewer than two."""
    named = sorted(
        {
            d.value
            for d in drugs
            if d is not None and d.value != OTHER and (d in mentions or d.referred)
        }
    )
    return "+".join(named) if len(named) > 1 else None
