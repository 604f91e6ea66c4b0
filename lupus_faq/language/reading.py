"""What the deterministic NLU components add to a parsed message, under these keys, so that
the dialogue reads each decision once instead of parsing the text again."""

from __future__ import annotations

from typing import Any, Dict

from lupus_faq.language import Language
from lupus_faq.language.choices import parse_choice

# Keys of the parse data (Rasa's `message.data`, output with the intent and entities).
RED_FLAGS = "red_flag_categories"  # set by the red-flag component (lupus_faq.safety)
CHOICE = "choice"  # a bare option number: "2", "option 2"
RATING = "rating"  # the message only rates the answer: true (helpful) or false
LEADING_RATING = "leading_rating"  # a rating a longer message opens with
LANGUAGE = "language"  # en, fr, other (lupus_faq/language/languages.py); absent: none of its own
# The page question of the part of a mixed question that names no uncovered topic, read on its
# own ({name, confidence, text}; nlu_components/embedding_classifier.py)
PART_INTENT = "part_intent"

# The intents these components set in place of the classifier's (domain.yml declares them).
RED_FLAG_INTENT = "red_flag"
OTHER_LANGUAGE_INTENT = "other_language"
CHOOSE_OPTION_INTENT = "choose_option"
AFFIRM_INTENT = "affirm"
DENY_INTENT = "deny"
RESTART_INTENT = "restart"


def read_words(text: str, language: Language) -> Dict[str, Any]:
    """The word-based readings of ``text`` (red flags aside), as the NLU components set them:
    only the keys that apply."""
    found: Dict[str, Any] = {}
    written_in = language.languages.detect(text)
    if written_in is not None:
        found[LANGUAGE] = written_in
    choice = parse_choice(text)
    if choice is not None:
        found[CHOICE] = choice
    rating = language.ratings.rating(text)
    if rating is not None:
        found[RATING] = rating
    leading = language.ratings.leading_rating(text)
    if leading is not None:
        found[LEADING_RATING] = leading
    return found
