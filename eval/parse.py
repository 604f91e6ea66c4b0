"""Parse examples with a trained Rasa model (in the run's Rasa subprocess: TensorFlow stays there).

    python -m eval.parse --model MODEL.tar.gz --data tests/nlu_test.yml --out parses.json

For each example: the final intent (after the FallbackClassifier and the project's
deterministic overrides, as the bot sees it), the intent ranking and all entities with their
extractor. Also the entity scores, computed with Rasa's own alignment code
(rasa.nlu.test), both for DIET alone and for the entities the bot actually uses (DIET plus
the spaCy entity_ruler, which `rasa test nlu` leaves out because it is a pretrained extractor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

DIET = "DIETClassifier"
SPACY = "SpacyEntityExtractor"
USED = "DIET+spaCy"


def _entity_f1(results: List[Any], extractor: str) -> Optional[float]:
    """Micro-F1 over entity types, token by token, exactly as `rasa test nlu` computes it
    (rasa.nlu.test.evaluate_entities without its files and plots)."""
    from rasa.model_testing import get_evaluation_metrics
    from rasa.nlu.test import (
        NO_ENTITY,
        NO_ENTITY_TAG,
        align_all_entity_predictions,
        merge_labels,
        substitute_labels,
    )

    aligned = align_all_entity_predictions(results, {extractor})
    targets = substitute_labels(merge_labels(aligned), NO_ENTITY_TAG, NO_ENTITY)
    predictions = substitute_labels(merge_labels(aligned, extractor), NO_ENTITY_TAG, NO_ENTITY)
    report, _, _, _ = get_evaluation_metrics(
        targets, predictions, output_dict=True, exclude_label=NO_ENTITY
    )
    if not report:
        return None
    return (report.get("micro avg") or report.get("weighted avg") or {}).get("f1-score")


def _union(entities: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """DIET's and the entity_ruler's entities as one extractor. The entity_ruler's come first:
    where both tag a token differently, Rasa's alignment keeps the best-fitting span and, on a
    tie, the first; the ruler's listed names are the surer of the two."""
    ordered = [e for e in entities if e.get("extractor") == SPACY]
    ordered += [e for e in entities if e.get("extractor") == DIET]
    seen, out = set(), []
    for entity in ordered:
        key = (entity.get("start"), entity.get("end"), entity.get("entity"))
        if key not in seen:
            seen.add(key)
            out.append({**entity, "extractor": USED})
    return out


async def parse_all(model: Path, data: Path) -> Dict[str, Any]:
    """Parse every example of ``data`` with ``model``."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.test import EntityEvaluationResult, _remove_entities_of_extractors
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.constants import ENTITIES, TEXT

    examples = TrainingDataImporter.load_from_dict(training_data_paths=[str(data)]).get_nlu_data()
    processor = Agent.load(str(model)).processor
    parses, diet_results, used_results = [], [], []
    for example in examples.intent_examples:
        result = await processor.parse_message(
            UserMessage(text=example.get(TEXT)), only_output_properties=False
        )
        tokens = result.get(TOKENS_NAMES[TEXT], [])
        entities = list(result.get(ENTITIES) or [])
        gold = example.get(ENTITIES, [])
        used = _union(entities)
        for_diet = dict(result)
        _remove_entities_of_extractors(for_diet, {SPACY})
        diet_results.append(
            EntityEvaluationResult(gold, for_diet.get(ENTITIES, []), tokens, example.get(TEXT))
        )
        used_results.append(EntityEvaluationResult(gold, used, tokens, example.get(TEXT)))
        parses.append(
            {
                "text": example.get(TEXT),
                "intent": (result.get("intent") or {}).get("name"),
                "confidence": (result.get("intent") or {}).get("confidence"),
                "ranking": [
                    {"name": r.get("name"), "confidence": r.get("confidence")}
                    for r in (result.get("intent_ranking") or [])[:10]
                ],
                "entities": [
                    {
                        k: e.get(k)
                        for k in (
                            "entity",
                            "value",
                            "start",
                            "end",
                            "extractor",
                            "confidence_entity",
                        )
                    }
                    for e in entities
                ],
            }
        )
    # Without an entity_ruler in the pipeline, the entities used are DIET's alone.
    return {
        "parses": parses,
        "entity_f1": {DIET: _entity_f1(diet_results, DIET), USED: _entity_f1(used_results, USED)},
    }


def parse_to_file(model: Path, data: Path, out: Path) -> None:
    """Parse ``data`` with ``model`` and write the result as JSON to ``out``."""
    result = asyncio.run(parse_all(model, data))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> None:
    """Command-line entry point (the run calls parse_to_file through eval.rasa_cli)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    parse_to_file(args.model, args.data, args.out)


if __name__ == "__main__":
    main()
