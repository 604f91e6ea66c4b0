"""The pretrained sentence encoder and the second opinion it gives on unsure messages.

Specification: the encoder's files are read only after their published SHA-256 is checked;
paraphrases of one question land closer together than unrelated messages; the second opinion
changes only messages the classifier was unsure of, and only to an intent the classifier itself
ranked high.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest

from nlu_components.encoders import minilm


def test_a_model_file_that_is_not_the_published_one_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("model.safetensors", b"not the weights")
        zipped.writestr("tokenizer.json", b"{}")
    with pytest.raises(minilm.ChecksumError, match="model.safetensors"):
        minilm.MiniLM.load(archive)


def test_the_installed_model_passes_its_checksums() -> None:
    archive = minilm.model_zip()
    for name in minilm.SHA256:
        assert minilm.read_verified(archive, name)


def test_it_computes_what_sentence_transformers_computes() -> None:
    # The similarities sentence-transformers' documentation prints for this model
    # (sbert.net, "Semantic Textual Similarity"): the numpy encoder must give the same numbers.
    movie, movie_again, cat, cat_again = minilm.shared().encode(
        [
            "The new movie is awesome",
            "The new movie is so great",
            "The cat sits outside",
            "The cat plays in the garden",
        ]
    )
    assert float(movie @ movie_again) == pytest.approx(0.8939, abs=5e-4)
    assert float(cat @ cat_again) == pytest.approx(0.6788, abs=5e-4)
    assert float(np.linalg.norm(movie)) == pytest.approx(1.0, abs=1e-4)


def test_paraphrases_are_closer_than_unrelated_messages() -> None:
    question, paraphrase, unrelated = minilm.shared().encode(
        ["How is belimumab given?", "How is belimumab administered?", "thanks, have a nice evening"]
    )
    assert float(question @ paraphrase) > float(question @ unrelated) + 0.5


def test_a_long_message_is_cut_not_refused() -> None:
    (embedding,) = minilm.shared().encode(["belimumab " * 400])
    assert embedding.shape == (minilm.DIMENSION,)


# The second opinion, with a stand-in regression over two-number "embeddings".


def _classifier(**config: Any) -> Any:
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    settings = {**EmbeddingIntentClassifier.get_default_config(), **config}
    # ask_children scores the first number, ask_who_can_take the second.
    classifier = EmbeddingIntentClassifier(
        settings,
        None,
        None,
        ["ask_children", "ask_who_can_take"],  # type: ignore[arg-type]
        np.array([[4.0, 0.0], [0.0, 4.0]], np.float32),
        np.zeros(2),
    )
    classifier._encode = lambda texts: np.array([[1.0, 0.0]] * len(texts))  # type: ignore[method-assign]
    return classifier


def _message(
    intent: str, ranking: List[Dict[str, Any]], text: str = "my daughter is 9, could she be on it"
) -> Any:
    from rasa.shared.nlu.training_data.message import Message

    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.4},
            "intent_ranking": ranking,
        }
    )


def _ranked(*names: str) -> List[Dict[str, Any]]:
    return [{"name": n, "confidence": 0.3 - i * 0.05} for i, n in enumerate(names)]


def test_an_unsure_message_takes_the_intent_both_classifiers_rank_high() -> None:
    message = _message("nlu_fallback", _ranked("ask_who_can_take", "ask_children", "greet"))
    (result,) = _classifier().process([message])
    assert result.get("intent")["name"] == "ask_children"
    assert result.get("intent_ranking")[0]["name"] == "ask_children"
    assert result.get("second_opinion") > 0.9


def test_an_intent_the_classifier_ranked_low_is_not_taken() -> None:
    ranking = _ranked("ask_who_can_take", "greet", "goodbye", "ask_children")
    (result,) = _classifier(top=3).process([_message("nlu_fallback", ranking)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_second_opinion_below_its_confidence_is_not_taken() -> None:
    ranking = _ranked("ask_who_can_take", "ask_children")
    (result,) = _classifier(min_confidence=0.99).process([_message("nlu_fallback", ranking)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_page_question_the_regression_is_very_sure_of_is_taken_however_diet_ranked_it() -> None:
    # DIET read the story too and did not rank how it works; the regression read the question
    text = "We moved in May and Dad's new consultant wants Saphnelo. How does that one act?"
    ranking = _ranked("faq_overview", "faq_drug_approval", "greet", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("nlu_fallback", ranking, text)])
    assert result.get("intent")["name"] == "faq_drug_mechanism"


def test_a_page_question_below_the_confidence_alone_needs_diet_to_rank_it() -> None:
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    text = "We moved in May and Dad's new consultant wants Saphnelo. How does that one act?"
    ranking = _ranked("faq_overview", "faq_drug_approval", "greet", "faq_drug_mechanism")
    classifier = _page_classifier()
    classifier._config = {
        **EmbeddingIntentClassifier.get_default_config(),
        "min_confidence_alone": 0.99,
    }
    (result,) = classifier.process([_message("nlu_fallback", ranking, text)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_page_question_read_alone_does_not_override_diets_not_covered_guess() -> None:
    text = "We moved in May and Dad's new consultant wants Saphnelo. How does that one act?"
    ranking = _ranked("ask_not_covered", "faq_overview", "greet", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("nlu_fallback", ranking, text)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_sure_message_is_left_alone() -> None:
    ranking = _ranked("ask_who_can_take", "ask_children")
    (result,) = _classifier().process([_message("ask_who_can_take", ranking)])
    assert result.get("intent")["name"] == "ask_who_can_take"
    assert result.get("second_opinion") is None


# The story decides nothing, and the other part of a mixed question is read on its own: a
# stand-in regression that reads every text as "how does it work" (a page question).


def _page_classifier(part_reading: str = "faq_drug_mechanism") -> Any:
    """The stand-in regression reads every text as ``part_reading`` (0.98 sure)."""
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    classifier = EmbeddingIntentClassifier(
        EmbeddingIntentClassifier.get_default_config(),
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        ["faq_drug_mechanism", "ask_not_covered"],
        np.array([[4.0, 0.0], [0.0, 4.0]], np.float32),
        np.zeros(2),
    )
    row = [1.0, 0.0] if part_reading == "faq_drug_mechanism" else [0.0, 1.0]
    classifier._encode = lambda texts: np.array([row] * len(texts))  # type: ignore[method-assign]
    return classifier


def test_a_story_read_as_not_covered_takes_the_page_question_both_classifiers_rank() -> None:
    text = "I'm on a small dose of pred. How does Benlysta work?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("intent")["name"] == "faq_drug_mechanism"


def test_a_not_covered_question_with_no_story_is_left_alone() -> None:
    text = "How does Benlysta work with my pred?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("intent")["name"] == "ask_not_covered"


def test_the_other_part_of_a_mixed_question_is_read_on_its_own() -> None:
    text = "what does saphnelo do and can I take it while pregnant?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("intent")["name"] == "ask_not_covered"  # the message's own is kept
    assert result.get("part_intent")["name"] == "faq_drug_mechanism"
    assert result.get("part_intent")["text"] == "what does saphnelo do"


def test_a_part_that_only_tells_is_not_read_as_a_question() -> None:
    text = "my son is 7 and what dose should he have?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("part_intent") is None


def test_a_part_that_asks_with_a_question_word_inside_is_read() -> None:
    # the question mark ends the whole sentence, and the part opens with the medicine's name
    text = "saphnelo: how exactly does it act, and can you get pregnant on it?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("part_intent")["text"] == "saphnelo: how exactly does it act"


def test_a_part_question_the_classifier_did_not_rank_is_not_taken() -> None:
    text = "what does saphnelo do and can I take it while pregnant?"
    ranking = _ranked("ask_not_covered", "greet", "goodbye", "deny", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("part_intent") is None


def test_a_story_the_classifier_is_certain_is_not_covered_stays_so() -> None:
    # "I'm pregnant. Can I take Benlysta?": DIET gave every page question nothing, so a
    # regression's reading is no agreement; the decision table declines the story's topic
    text = "I'm on a small dose of pred. How does Benlysta work?"
    ranking = [
        {"name": "ask_not_covered", "confidence": 1.0},
        {"name": "faq_drug_mechanism", "confidence": 0.001},
    ]
    (result,) = _page_classifier().process([_message("ask_not_covered", ranking, text)])
    assert result.get("intent")["name"] == "ask_not_covered"


def test_a_part_read_as_no_page_question_is_not_taken() -> None:
    text = "what does saphnelo do and can I take it while pregnant?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    classifier = _page_classifier(part_reading="ask_not_covered")
    (result,) = classifier.process([_message("ask_not_covered", ranking, text)])
    assert result.get("part_intent") is None


def test_a_part_the_regression_is_not_sure_of_is_not_taken() -> None:
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    text = "what does saphnelo do and can I take it while pregnant?"
    ranking = _ranked("ask_not_covered", "faq_drug_mechanism")
    classifier = _page_classifier()
    classifier._config = {**EmbeddingIntentClassifier.get_default_config(), "min_confidence": 0.99}
    (result,) = classifier.process([_message("ask_not_covered", ranking, text)])
    assert result.get("part_intent") is None


# A page question DIET is not quite sure of is read again in the sentences that ask.

READ_AGAIN = "HOW ARE THESE DRUGS EVEN MADE?? MY RHEUMY SAID SOMETHING ABOUT CELLS. how does it act"


def _page_question(confidence: float, *ranked: str, text: str = READ_AGAIN) -> Any:
    """A message DIET took for how a medicine is given, ``confidence`` sure, ranking
    ``ranked`` after it."""
    message = _message("faq_drug_administration", _ranked("faq_drug_administration", *ranked), text)
    message.set("intent", {"name": "faq_drug_administration", "confidence": confidence})
    return message


def test_a_page_question_diet_is_not_quite_sure_of_becomes_the_one_the_question_asks() -> None:
    (result,) = _page_classifier().process([_page_question(0.8, "faq_drug_mechanism")])
    assert result.get("intent")["name"] == "faq_drug_mechanism"
    assert result.get("second_opinion") > 0.9


def test_a_page_question_diet_is_sure_of_is_not_read_again() -> None:
    classifier = _page_classifier()
    classifier._encode = None  # type: ignore[assignment]  # the encoder is not even run
    message = _page_question(0.97, "faq_drug_mechanism", text="so how does it act exactly")
    (result,) = classifier.process([message])
    assert result.get("intent")["name"] == "faq_drug_administration"


def test_a_question_read_again_as_one_diet_did_not_rank_keeps_diets() -> None:
    message = _page_question(0.8, "greet", "goodbye", "faq_drug_mechanism")
    (result,) = _page_classifier().process([message])
    assert result.get("intent")["name"] == "faq_drug_administration"


def test_a_question_read_again_without_enough_confidence_keeps_diets() -> None:
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    classifier = _page_classifier()
    classifier._config = {
        **EmbeddingIntentClassifier.get_default_config(),
        "min_confidence_to_overrule": 0.99,
    }
    (result,) = classifier.process([_page_question(0.8, "faq_drug_mechanism")])
    assert result.get("intent")["name"] == "faq_drug_administration"


def test_a_question_read_again_as_not_covered_keeps_diets_page_question() -> None:
    # declining is the decision table's, by the topic's words
    classifier = _page_classifier(part_reading="ask_not_covered")
    (result,) = classifier.process([_page_question(0.8, "ask_not_covered")])
    assert result.get("intent")["name"] == "faq_drug_administration"


# A greeting opens a message; what it asks after the greeting is the question.


def test_a_greeting_before_a_question_is_not_what_the_message_asks() -> None:
    text = "Hello, my English is not so good. How does it act?"
    message = _message("greet", _ranked("greet", "deny", "faq_drug_mechanism"), text)
    (result,) = _page_classifier().process([message])
    assert result.get("intent")["name"] == "faq_drug_mechanism"


def test_a_greeting_alone_stays_a_greeting() -> None:
    message = _message("greet", _ranked("greet", "faq_drug_mechanism"), "hello there, good morning")
    classifier = _page_classifier()
    classifier._encode = None  # type: ignore[assignment]  # the encoder is not even run
    (result,) = classifier.process([message])
    assert result.get("intent")["name"] == "greet"


def test_a_greeting_that_asks_no_page_question_stays_a_greeting() -> None:
    # "hi, how are you?": the regression reads no page question in it
    message = _message("greet", _ranked("greet", "ask_not_covered"), "hi, how are you?")
    (result,) = _page_classifier(part_reading="ask_not_covered").process([message])
    assert result.get("intent")["name"] == "greet"


def test_a_greeting_before_a_question_diet_read_as_not_covered_is_left_to_the_table() -> None:
    # after the greeting, DIET's first guess is that the page does not cover it: the
    # regression alone does not overrule that (the decision table declines by the words)
    text = "hello. can I take it while pregnant?"
    ranking = _ranked("greet", "ask_not_covered", "goodbye", "deny", "faq_drug_mechanism")
    (result,) = _page_classifier().process([_message("greet", ranking, text)])
    assert result.get("intent")["name"] == "greet"


# A second page question asked on its own, beside the one DIET is sure of, is read on its own.

TWO_QUESTIONS = "how do they give benlysta, and what does it do exactly?"


def test_a_second_question_asked_on_its_own_is_read_on_its_own() -> None:
    message = _page_question(0.99, "faq_drug_mechanism", text=TWO_QUESTIONS)
    (result,) = _page_classifier().process([message])
    assert result.get("intent")["name"] == "faq_drug_administration"  # DIET's is kept
    assert result.get("part_intent")["name"] == "faq_drug_mechanism"
    # the stand-in reads both questions alike: either is the one read
    assert result.get("part_intent")["text"] in (
        "how do they give benlysta",
        "what does it do exactly?",
    )


def test_one_question_has_no_second() -> None:
    message = _page_question(0.99, "faq_drug_mechanism", text="how do they give benlysta?")
    (result,) = _page_classifier().process([message])
    assert result.get("part_intent") is None


def test_two_medicines_in_one_question_are_not_two_questions() -> None:
    message = _page_question(
        0.99, "faq_drug_mechanism", text="how are benlysta and saphnelo given?"
    )
    (result,) = _page_classifier().process([message])
    assert result.get("part_intent") is None


def test_a_second_question_diet_did_not_rank_is_not_taken() -> None:
    message = _page_question(0.99, "greet", "goodbye", "faq_drug_mechanism", text=TWO_QUESTIONS)
    (result,) = _page_classifier().process([message])
    assert result.get("part_intent") is None


def test_a_second_question_the_regression_is_not_sure_of_is_not_taken() -> None:
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    classifier = _page_classifier()
    classifier._config = {
        **EmbeddingIntentClassifier.get_default_config(),
        "min_second_question_confidence": 0.99,
    }
    (result,) = classifier.process([_page_question(0.99, "faq_drug_mechanism", text=TWO_QUESTIONS)])
    assert result.get("part_intent") is None


def test_a_second_question_read_as_not_covered_is_not_taken() -> None:
    # declining is the decision table's, by the topic's words
    classifier = _page_classifier(part_reading="ask_not_covered")
    message = _page_question(0.99, "ask_not_covered", text=TWO_QUESTIONS)
    (result,) = classifier.process([message])
    assert result.get("part_intent") is None


# The words beside the embedding: the encoder reads French poorly, the regression also reads the
# character n-grams of the words it was trained on.


def _trained(tmp_path: Path, words: bool) -> Any:
    """The regression trained on a few French and English examples, with an encoder that says
    nothing (every embedding the same): only the words can tell the intents apart. Three
    intents, as the project has many: with two, scikit-learn keeps a single row of weights."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    examples = {
        "faq_drug_administration": [
            "on le reçoit en perfusion ou en piqûre ?",
            "perfusion tous les mois ou piqûre chaque semaine",
            "la perfusion se fait à l'hôpital ?",
            "how is it given, a drip or a jab?",
        ],
        "faq_drug_children": [
            "à partir de quel âge pour les enfants ?",
            "mon enfant de 8 ans peut l'avoir ?",
            "les enfants y ont droit à quel âge ?",
            "from what age can children have it?",
        ],
        "greet": ["bonjour", "salut tout le monde", "hello there", "coucou"],
    }
    data = TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for intent, texts in examples.items()
            for text in texts
        ]
    )
    config = {**EmbeddingIntentClassifier.get_default_config(), "words": words}
    classifier = EmbeddingIntentClassifier(
        config, LocalModelStorage(tmp_path), Resource("regression")
    )
    classifier._encode = lambda texts: np.ones((len(texts), 4)) / 2  # type: ignore[method-assign]
    classifier.train(data)
    return classifier


def test_the_regression_reads_the_words_the_encoder_cannot_tell_apart(tmp_path: Path) -> None:
    classifier = _trained(tmp_path, words=True)
    confidence, intent = classifier._best(classifier._read(["c'est en perfusion ?"])[0])
    assert (intent, confidence > 0.5) == ("faq_drug_administration", True)
    confidence, intent = classifier._best(classifier._read(["les enfants, à quel âge ?"])[0])
    assert (intent, confidence > 0.5) == ("faq_drug_children", True)


def test_without_the_words_the_regression_has_only_the_embedding(tmp_path: Path) -> None:
    classifier = _trained(tmp_path, words=False)
    confidence, _ = classifier._best(classifier._read(["c'est en perfusion ?"])[0])
    assert confidence < 0.4  # nothing to tell the three apart


def test_the_words_are_saved_with_the_model_and_read_the_same_after_loading(
    tmp_path: Path,
) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    trained = _trained(tmp_path, words=True)
    loaded = EmbeddingIntentClassifier.load(
        trained._config,
        LocalModelStorage(tmp_path),
        Resource("regression"),
        None,  # type: ignore[arg-type]
    )
    loaded._encode = trained._encode  # type: ignore[method-assign]
    text = ["la perfusion c'est pour quel âge ?"]
    assert loaded._probabilities(loaded._read(text)[0]) == pytest.approx(
        trained._probabilities(trained._read(text)[0])
    )


# Rasa's training cache sees a component's configuration and data, not the code and words it
# reads them with: the regression tells it.


def test_the_regression_is_retrained_when_the_reading_of_what_asks_changes(
    monkeypatch: Any,
) -> None:
    from types import SimpleNamespace

    from nlu_components import embedding_classifier
    from nlu_components.embedding_classifier import EmbeddingIntentClassifier

    before = EmbeddingIntentClassifier.fingerprint_addon({})
    assert before == EmbeddingIntentClassifier.fingerprint_addon({})  # stable from run to run
    vocabulary = dict(embedding_classifier.load_knowledge().vocabulary)
    vocabulary["questions"] = {**vocabulary["questions"], "openers": ["a new opener"]}
    monkeypatch.setattr(
        embedding_classifier, "load_knowledge", lambda: SimpleNamespace(vocabulary=vocabulary)
    )
    assert EmbeddingIntentClassifier.fingerprint_addon({}) != before
