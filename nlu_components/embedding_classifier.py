"""Rasa NLU component: a second opinion on the intent when DIET is not sure, from pretrained
sentence embeddings of the sentences that ask.

DIET reads the whole message and learns only from our examples' words; in a long message the
story before the question pulls it towards the story's words, and a paraphrase far from every
example leaves it unsure. This component is a logistic regression trained on pretrained
sentence embeddings (nlu_components/encoders/: all-MiniLM-L6-v2 by default, checksummed, read
from the installed wheel) of the training examples, and on their words (`words`: the TF-IDF of
their character n-grams, learnt from our own examples): the encoder was trained on English and
reads French poorly ("comment on donne le benlysta" was 0.24 sure of how it is given, about 0.6
with the words beside it). Placed after the FallbackClassifier, it
looks only at the messages DIET was not sure of (`nlu_fallback`): it embeds the message's
sentences that ask (lupus_faq/language/clauses.py: the question decides, the story is context),
and when the regression is at least `min_confidence` sure of an intent that DIET also ranked
among its `top` first, that intent is taken; otherwise the message stays unsure ("Did you
mean"). A page question the regression is at least `min_confidence_alone` sure of, in the
sentences that ask, is taken even when DIET ranked it lower: DIET reads the story too ("My wife
is 63 and has been offered Saphnelo. The leaflet print is too small for both of us. In plain
English, what does it do?"), the regression only the question; not when DIET's own first guess
was that the page does not cover it, or an emergency. Only the messages read this way pay for
the encoder: unsure ones, and the kinds below.

Five more readings, for the kind of message where a whole-message classifier hears the wrong
half or the wrong words (issue 26):
- a greeting is how a message opens: one DIET took for a greeting or thanks (`opening_intents`)
  that asks something after it ("Hello, my english not so good. What is the belimumab?") gets
  the second opinion of an unsure message, on its sentences that ask; only a page question is
  taken ("hi, how are you?" stays a greeting);
- the story decides nothing: when DIET took a message with a story for a question the page
  does not cover (`ask_not_covered`: "I'm on 10 mg of pred. How does Benlysta work?"), its
  sentences that ask get the same second opinion as an unsure message, provided DIET found
  that page question at least `min_story_confidence` likely;
- the other part of a mixed question: when what the message asks names a topic the page does
  not cover (knowledge/not_covered.yml) and has a part that asks and that no topic matches
  ("what does Saphnelo do" in "what does Saphnelo do and can I take it while pregnant?"), that
  part is read on its own; a page question the regression is `min_confidence` sure of, and
  that DIET ranked among its `top` first intents, is set under `part_intent` for the
  decision table to answer beside the decline (knowledge/dialogue.yml). The message's intent
  is left alone.
- the question read again: a page question DIET is less than `reread_below` sure of is read
  again in the sentences that ask, and another page question the regression is
  `min_confidence_to_overrule` sure of there, that DIET ranked among its `top` first, is taken
  (docs/how-it-works.md, "Pretrained sentence embeddings");
- a second question: in a message that asks two questions of their own ("what does Saphnelo do
  and how often do you get it?"), another page question the regression is
  `min_second_question_confidence` sure of in one of them, that DIET ranked among its `top`
  first, is set under `part_intent` for the decision table to answer too.

What it was measured against before it was
kept (DIET with the embeddings as features, WordLlama's word vectors instead of
MiniLM, no encoder):
docs/how-it-works.md, "NLU pipeline, and why".
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lupus_faq.knowledge import load_knowledge
from lupus_faq.language import load_language
from lupus_faq.language.reading import PART_INTENT, RED_FLAG_INTENT

_FILE = "embedding_classifier.npz"


def encoder(name: str) -> Any:
    """The encoder called ``name`` (nlu_components/encoders/), loaded once per process."""
    if name == "minilm":
        from nlu_components.encoders import minilm

        return minilm.shared()
    raise ValueError(f"unknown encoder {name!r}; the one installed is 'minilm'")


# Set on a message whose intent the regression chose (with its probability), for the logs and
# `make explain`.
SECOND_OPINION = "second_opinion"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmbeddingIntentClassifier(GraphComponent, IntentClassifier):
    """Logistic regression over sentence embeddings: a second opinion for unsure messages."""

    @classmethod
    def required_components(cls) -> List[type]:
        """None that Rasa can check: it reads DIET's ranking and the FallbackClassifier's
        verdict at inference, but Rasa checks requirements on the training graph, where no
        classifier feeds another."""
        return []

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """What Rasa's training cache cannot see: the regression is trained on the part of each
        example that asks, as lupus_faq/language/ reads it with knowledge/vocabulary.yml's
        `questions` and `languages`. A change to that reading retrains the regression (DIET
        stays cached); without this, the cache kept a regression trained on the old reading
        while a fresh clone trained one on the new."""
        import hashlib
        import json
        from pathlib import Path

        import lupus_faq.language

        digest = hashlib.sha256()
        for source in sorted(Path(lupus_faq.language.__file__).parent.glob("*.py")):
            digest.update(source.name.encode() + source.read_bytes())
        vocabulary = load_knowledge().vocabulary
        reading = {key: vocabulary.get(key) for key in ("questions", "languages")}
        digest.update(json.dumps(reading, sort_keys=True, default=str).encode())
        return digest.hexdigest()

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`min_confidence`: how sure the regression must be; `top`: how high DIET must have
        ranked the same intent (both also for the other part of a mixed question);
        `min_confidence_alone`: how sure the regression must be of a page question in an
        unsure message's sentences that ask to take it whatever DIET's ranking (0.7 in
        config.yml: measured in docs/how-it-works.md, "NLU pipeline, and why");
        `min_story_confidence`: how likely DIET must have found the page question of a story it
        read as not covered (an intent ranked third at 0.00 is no agreement);
        `reread_below`: a page question DIET is less sure of than this is read again in the
        sentences that ask, and `min_confidence_to_overrule`: how sure the regression must be
        there of another page question to take it (measured: docs/benchmark-history.md);
        `min_second_question_confidence`: how sure the regression must be of another page
        question asked on its own beside the one DIET took, to answer it too;
        `opening_intents`: what a message opens with (a greeting, thanks); one DIET read so,
        that asks something after it, gets the second opinion of an unsure message;
        `words`: whether the regression also reads the character n-grams of the words, beside
        the embedding;
        `C`: the regression's inverse regularisation; `random_seed`."""
        return {
            "encoder": "minilm",
            "min_confidence": 0.4,
            "top": 3,
            "min_story_confidence": 0.01,
            "min_confidence_alone": 0.7,
            "reread_below": 0.95,
            "min_confidence_to_overrule": 0.8,
            "min_second_question_confidence": 0.8,
            "opening_intents": ["greet", "thank"],
            "words": True,
            "C": 10.0,
            "random_seed": 2611,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        intents: Optional[List[str]] = None,
        coef: Optional[np.ndarray] = None,
        intercept: Optional[np.ndarray] = None,
        words: Optional[Any] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._intents = intents or []
        self._coef = coef
        self._intercept = intercept
        self._words = words  # the fitted TfidfVectorizer, or None: the embedding alone

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmbeddingIntentClassifier":
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the regression on the training examples' embeddings."""
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            return self._resource
        clauses = load_language().clauses
        asked = [clauses.question_part(str(m.get(TEXT))) for m in examples]
        embeddings = self._encode(asked)
        self._words = _word_counter() if self._config.get("words") else None
        if self._words is not None:
            self._words.fit(asked)
        labels = [m.get(INTENT) for m in examples]
        model = LogisticRegression(
            C=float(self._config["C"]), max_iter=3000, random_state=int(self._config["random_seed"])
        )
        model.fit(self._features(asked, embeddings, dense=False), labels)
        self._intents = [str(c) for c in model.classes_]
        self._coef, self._intercept = model.coef_.astype(np.float32), model.intercept_
        # the n-grams in column order, as the weights read them
        vocabulary = self._words.get_feature_names_out() if self._words is not None else []
        with self._storage.write_to(self._resource) as directory:
            np.savez(
                directory / _FILE,
                intents=np.array(self._intents),
                coef=self._coef,
                intercept=self._intercept,
                vocabulary=np.array(vocabulary, dtype=str),
                idf=self._words.idf_ if self._words is not None else np.zeros(0),
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "EmbeddingIntentClassifier":
        """The trained regression, or an untrained one (which leaves DIET's ranking alone)."""
        try:
            with model_storage.read_from(resource) as directory:
                saved = np.load(directory / _FILE)
                vocabulary = [str(t) for t in saved["vocabulary"]] if "vocabulary" in saved else []
                return cls(
                    config,
                    model_storage,
                    resource,
                    [str(i) for i in saved["intents"]],
                    saved["coef"],
                    saved["intercept"],
                    _word_counter(vocabulary, saved["idf"]) if vocabulary else None,
                )
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)

    def _encode(self, texts: List[str]) -> np.ndarray:
        """The embeddings of ``texts`` as they are."""
        return encoder(str(self._config["encoder"])).encode(texts)

    def _read(self, texts: List[str]) -> np.ndarray:
        """The regression's features of ``texts`` as they are, one row each."""
        return self._features(texts, self._encode(texts))

    def _features(self, texts: List[str], embeddings: np.ndarray, dense: bool = True) -> Any:
        """The embeddings of ``texts`` and, when the regression reads them, their words' n-grams
        beside (both rows of length one, so neither outweighs the other)."""
        if self._words is None:
            return embeddings
        from scipy import sparse

        both = sparse.hstack([sparse.csr_matrix(embeddings), self._words.transform(texts)])
        return both.toarray() if dense else both.tocsr()

    def _probabilities(self, features: np.ndarray) -> Dict[str, float]:
        assert self._coef is not None and self._intercept is not None
        scores = self._coef @ features + self._intercept
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self._intents, (float(s) for s in scores)))

    def _best(self, features: np.ndarray) -> Tuple[float, str]:
        """The regression's likeliest intent for one text's ``features``, with its probability."""
        ours = self._probabilities(features)
        best = max(ours, key=lambda name: ours[name])
        return ours[best], best

    def _agrees(self, confidence: float, intent: str, near: List[str]) -> bool:
        """Whether the regression is sure enough of ``intent`` and DIET ranked it ``near``."""
        return confidence >= float(self._config["min_confidence"]) and intent in near

    @property
    def _top(self) -> int:
        return int(self._config["top"])

    def process(self, messages: List[Message]) -> List[Message]:
        """Takes the regression's intent for an unsure message, a story read as a question
        the page does not cover, or a greeting that asks something after it, when DIET ranked
        it high too; reads again a page question DIET is not quite sure of; reads the other
        part of a mixed question, or a second question, on its own."""
        if self._coef is None:
            return messages
        for message in messages:
            text = str(message.get(TEXT) or "")
            if not text:
                continue
            # what the message asks, read once for the readings below
            asked = load_language().clauses.question_part(text)
            self._second_opinion(message, text, asked)
            self._question_read_again(message, asked)
            self._other_part(message, asked)
            self._second_question(message, asked)
        return messages

    def _second_opinion(self, message: Message, text: str, asked: str) -> None:
        """The regression's intent for an unsure message, for a story DIET read as a question
        the page does not cover, or for a message DIET read as a greeting that asks something
        after it, when both classifiers rank it high (``asked``: the sentences of ``text`` that
        ask)."""
        intent = (message.get(INTENT) or {}).get("name")
        clauses = load_language().clauses
        sentences = clauses.sentences(text) if intent == NOT_COVERED_INTENT else []
        # some sentences tell, the others ask: the second opinion reads only those that ask
        told_a_story = len({s.asks for s in sentences}) == 2
        # "Hello, my english not so good. What is the belimumab?": the greeting is how the
        # message opens, not what it asks
        opened = intent in self._config["opening_intents"] and clauses.has_question(text)
        if intent != DEFAULT_NLU_FALLBACK_INTENT_NAME and not (told_a_story or opened):
            return
        # for a story, the intents DIET ranked after the one it chose, when it found them
        # likely at all: "I'm pregnant. Can I take Benlysta?", read as not covered with
        # certainty, stays so (the decision table declines the story's topic)
        if told_a_story:
            near = _near(message, self._top, intent, float(self._config["min_story_confidence"]))
        else:
            near = _near(message, self._top, intent if opened else None)
        confidence, best = self._best(self._read([asked])[0])
        # alone, when DIET's own first guess was not that the page does not cover it, nor an
        # emergency: those stay for the decision table
        alone = (
            not told_a_story
            and confidence >= float(self._config["min_confidence_alone"])
            and best in page_questions()
            and not set(_near(message, 1, intent if opened else None))
            & {NOT_COVERED_INTENT, RED_FLAG_INTENT}
        )
        if not (self._agrees(confidence, best, near) or alone):
            return
        if (told_a_story or opened) and best not in page_questions():
            return  # "hi, how are you?" is a greeting
        self._take(message, best, confidence)

    @staticmethod
    def _take(message: Message, best: str, confidence: float) -> None:
        """Sets ``best`` as the message's intent. Confidence 1.0: the two classifiers agree, so
        the dialogue treats the intent as sure; the regression's own probability is kept
        beside it for the logs."""
        chosen = {"name": best, "confidence": 1.0}
        message.set(INTENT, chosen, add_to_output=True)
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r.get("name") not in (DEFAULT_NLU_FALLBACK_INTENT_NAME, best)
        ]
        message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        message.set(SECOND_OPINION, round(confidence, 3), add_to_output=True)

    def _question_read_again(self, message: Message, asked: str) -> None:
        """Another page question for a message DIET took, without being quite sure, for a page
        question: the one the regression reads in the sentences that ask, when it is at least
        `min_confidence_to_overrule` sure of it and DIET ranked it among its `top` first. DIET
        reads the whole message, so the words around the question pull it; a message DIET is
        `reread_below` sure of or more pays nothing."""
        intent = message.get(INTENT) or {}
        pages = page_questions()
        if intent.get("name") not in pages:
            return
        if float(intent.get("confidence") or 0.0) >= float(self._config["reread_below"]):
            return
        confidence, best = self._best(self._read([asked])[0])
        if best == intent.get("name") or best not in pages:
            return
        if confidence < float(self._config["min_confidence_to_overrule"]):
            return
        if best not in _near(message, self._top):
            return
        self._take(message, best, confidence)

    def _other_part(self, message: Message, asked: str) -> None:
        """The page question of the part of a mixed question beside its uncovered topic, read
        on its own, under `part_intent`, when both classifiers rank it high."""
        language = load_language()
        topic = language.uncovered.detect(asked)
        # "my son is 7" tells, it does not ask
        parts = language.uncovered.asking_parts(asked, topic) if topic else []
        if not parts:
            return
        near = _near(message, self._top)
        self._part_reading(
            message, parts, lambda confidence, best: self._agrees(confidence, best, near)
        )

    def _second_question(self, message: Message, asked: str) -> None:
        """Another page question, asked on its own beside the one DIET took ("what does
        Saphnelo do and how often do you get it?"), under `part_intent` for the decision table
        to answer after it: the one the regression reads in a question of its own, when it is
        `min_second_question_confidence` sure of it and DIET ranked it among its `top`
        first."""
        intent = (message.get(INTENT) or {}).get("name")
        pages = page_questions()
        if intent not in pages or message.get(PART_INTENT):
            return
        questions = load_language().clauses.questions(asked)
        if not questions:
            return
        near = _near(message, self._top)
        floor = float(self._config["min_second_question_confidence"])
        self._part_reading(
            message,
            questions,
            lambda confidence, best: best != intent and confidence >= floor and best in near,
        )

    def _part_reading(
        self, message: Message, parts: List[str], accept: Callable[[float, str], bool]
    ) -> None:
        """Reads each of ``parts`` on its own and sets, under `part_intent`, the page question
        the regression is surest of among those ``accept`` (its confidence, the intent) lets
        through, with the part it was read in."""
        pages = page_questions()
        readings = [
            (confidence, best, part)
            for part, features in zip(parts, self._read(parts))
            for confidence, best in (self._best(features),)
            if best in pages and accept(confidence, best)
        ]
        if readings:
            confidence, name, part = max(readings)
            message.set(
                PART_INTENT,
                {"name": name, "confidence": round(confidence, 3), "text": part},
                add_to_output=True,
            )


NOT_COVERED_INTENT = "ask_not_covered"


def _word_counter(vocabulary: Sequence[str] = (), idf: Optional[np.ndarray] = None) -> Any:
    """The TF-IDF of a text's character n-grams (2 to 5 characters within word boundaries,
    accents and case folded): unfitted, or with the ``vocabulary`` and ``idf`` it was fitted
    with."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    counter = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        strip_accents="unicode",
        vocabulary={term: i for i, term in enumerate(vocabulary)} if vocabulary else None,
    )
    if idf is not None:
        counter.idf_ = idf
    return counter


def _near(message: Message, top: int, skip: Optional[str] = None, floor: float = 0.0) -> List[str]:
    """DIET's first ``top`` intents for ``message`` (neither the fallback nor ``skip``), among
    those at least ``floor`` likely."""
    return [
        str(r.get("name"))
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get("name") not in (DEFAULT_NLU_FALLBACK_INTENT_NAME, skip)
        and float(r.get("confidence") or 0.0) >= floor
    ][:top]


def page_questions() -> frozenset:
    """The intents that ask one of the page's questions (knowledge/routes.yml)."""
    return frozenset(load_knowledge().routes)
