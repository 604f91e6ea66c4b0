"""Whether a message names what the source page is about (knowledge/vocabulary.yml
`page_subject`): its medicines, biologics, treatments, cells, antibodies, ways of giving a
medicine. A message that names none of these asks about something else ("how serious is
lupus?"), however near the classifier's guesses."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from lupus_faq.knowledge.entities import CELL, DRUG, ORGAN, OTHER, ROUTE
from lupus_faq.language.lexicon import Mention
from lupus_faq.language.terms import TermSet
from lupus_faq.language.text import words


class Subject:
    """The words of the page's subject."""

    def __init__(
        self,
        terms: Iterable[str],
        named: Mapping[str, Sequence[str]],
        in_general: Iterable[str] = (),
        whom: Iterable[str] = (),
    ) -> None:
        """``terms`` in the syntax of knowledge/red_flags.yml; ``@name`` stands for the
        lexicon's list ``named[name]`` (``@drug``: every name of the page's medicines);
        ``in_general``, the words that name the biologics in general; ``whom``, the words of
        who can have them, which count only outside a story."""
        self._terms = TermSet.from_config(terms, named=named)
        self._whom = TermSet.from_config(whom)
        self._in_general = TermSet.from_config(in_general)

    def names_biologics(self, text: str) -> bool:
        """Whether ``text`` names the biologics in general ("are the lupus biologics fusion
        proteins?"), not only one medicine."""
        return self._in_general.matches(words(text))

    def named_in(self, text: str, mentions: Sequence[Mention] = (), story: bool = False) -> bool:
        """Whether ``text``, with the ``mentions`` the NLU found in it, names something the
        page is about; who can have it counts only when it is no ``story``. The mentions
        catch the names the NLU tagged though misspelt ("anifrolumib"), the word lists those
        it did not tag ("benlista")."""
        tokens = words(text)
        return (
            any(
                m.entity in (DRUG, ROUTE, CELL) or (m.entity == ORGAN and m.value != OTHER)
                for m in mentions
            )
            or self._terms.matches(tokens)
            or (not story and self._whom.matches(tokens))
        )
