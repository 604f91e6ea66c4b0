"""How the memory of whom and what a conversation is about changes with a message."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from lupus_faq.dialogue.memory import Context
from lupus_faq.knowledge.entities import DRUG, OTHER
from lupus_faq.language import Language, Mention
from lupus_faq.language.whom import strongest_age


def with_whom(context: Context, mentions: Sequence[Mention]) -> Context:
    """The context once a message has said whom it is about: the speaker ("i'm 16"), someone
    else ("my son is 9"), or both ("i'm 45 and my daughter is 12, can she have it?": which one
    the question is about was decided by its words, see ``about_whom``)."""
    speaker = strongest_age([m for m in mentions if m.of_speaker])
    other = strongest_age([m for m in mentions if not m.of_speaker])
    if speaker:
        context = replace(context, speaker_age_group=speaker.value)
    if other:
        context = replace(context, age_group=other.value)
    if bool(speaker) != bool(other):
        context = replace(context, about_speaker=bool(speaker))
    return context


def after_naming(context: Context, mentions: Sequence[Mention]) -> Context:
    """The context once a message that is not answered from the page names medicines.

    Naming only other medicines ("and hydroxychloroquine?") ends the talk about a biologic:
    the next "is it given by IV?" must not be answered for the one before.
    """
    context = with_whom(context, mentions)
    drugs = [m for m in mentions if m.entity == DRUG]
    if not drugs:
        return context
    return replace(context, drugs=tuple(m.value for m in drugs if m.value != OTHER))


def about_whom(text: str, context: Context, language: Language) -> Context:
    """The context, about the speaker if ``text`` speaks only of them ("can I have it
    myself?"), about someone else if only of another person ("how would she get it?")."""
    if language.whom.about_speaker_only(text):
        return replace(context, about_speaker=True)
    if language.whom.about_someone_else_only(text):
        return replace(context, about_speaker=False)
    return context
