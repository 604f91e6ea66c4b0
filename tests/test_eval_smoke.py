"""`make eval` keeps working: the accuracy benchmark's quick run, and what its figures rely on.

The full run (`python -m eval.run`, about 45 minutes) writes docs/benchmarks-accuracy.md; here
the same code path runs with tiny sizes (1 epoch, 2 folds, a few examples per intent) into a
temporary directory. No figure is asserted: these are benchmarks, not tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eval import answers, rasa_nlu
from eval.rasa_nlu import COUNT_VECTORS, RASA_INIT, SYSTEMS

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.model


def test_quick_run_writes_the_tables_and_plots(tmp_path: Path) -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "eval.run", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # a few minutes on 2 quiet cores, more on a shared machine (pytest-timeout's
        # 900 s still bounds it)
        timeout=850,
    )
    assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])

    doc = (tmp_path / "benchmarks-accuracy.md").read_text(encoding="utf-8")
    for heading in (
        "## Targets",
        "### Intent accuracy",
        "### Intent macro-F1",
        "### Entity F1",
        "## Answers",
        "## Invented facts",
        "## Misses through the server",
        "## Questions nobody here wrote: the blind sets",  # blind sets beside the held-out set
        "## Reading level",
    ):
        assert heading in doc, heading
    for system in SYSTEMS:
        assert f"| {system.label} |" in doc, system.label
    assert "red-flag recall" in doc
    assert "Quick smoke run" in doc  # never mistaken for the real figures
    assert re.search(r"code: (commit [0-9a-f]{7}|not a git checkout)", doc)  # which code

    linked = re.findall(r"\]\((images/[^)]+\.png)\)", doc)
    expected = {f"images/accuracy-confusion-{s.key}.png" for s in SYSTEMS} | {
        "images/accuracy-summary.png"
    }
    assert expected <= set(linked), linked
    for link in linked:
        assert (tmp_path / link).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", link

    # The same tables on stdout.
    assert "### Answer-level accuracy" in result.stdout
    assert "### Intent accuracy" in result.stdout


def test_count_vectors_config_is_the_project_pipeline_without_spacy() -> None:
    assert rasa_nlu.count_vectors_drift() is None


def test_rasa_init_config_is_rasas_default_pipeline() -> None:
    """Rasa fills a `rasa init` project's commented-out pipeline from this file."""
    import rasa.engine.recipes.default_recipe as recipe

    default = yaml.safe_load(
        (Path(recipe.__file__).parent / "config_files" / "default_config.yml").read_text()
    )
    ours = rasa_nlu.load_config(RASA_INIT)
    without_seed = [{k: v for k, v in c.items() if k != "random_seed"} for c in ours["pipeline"]]
    assert without_seed == default["pipeline"]
    assert all(
        c.get("random_seed") is not None
        for c in ours["pipeline"]
        if c["name"] in ("DIETClassifier", "ResponseSelector")
    )
    assert rasa_nlu.load_config(COUNT_VECTORS)["assistant_id"] != ours["assistant_id"]


def test_the_judge_does_not_take_the_disclaimer_or_a_clarification_for_an_answer() -> None:
    assistant = answers.get_assistant()
    disclaimer = {"text": assistant.disclaimer()}
    emergency = answers.expected_reply("red_flag", "i cant breathe", [])
    only_disclaimer = answers.ServerTurn("i cant breathe", [disclaimer], "greet").reply()
    assert answers.judge(emergency, "red_flag", only_disclaimer) == ("emergency", False)

    question = "can kids take benlysta"
    gold = [
        {"entity": "drug", "value": "benlysta", "start": 15, "end": 23},
        {"entity": "age_group", "value": "kids", "start": 4, "end": 8},
    ]
    expected = answers.expected_reply("faq_drug_children", question, gold)
    assert expected.entry_ids == ("belimumab_children",)
    unsure = answers.bot_reply(
        "nlu_fallback", question, gold, [{"name": "faq_drug_children", "confidence": 0.4}]
    )
    assert answers.judge(expected, "faq_drug_children", unsure) == ("entries", False)
    no_drug = answers.bot_reply("faq_drug_children", question, [])  # entity missed
    assert answers.judge(expected, "faq_drug_children", no_drug) == ("entries", False)
    right = answers.bot_reply("faq_drug_children", question, gold)
    assert answers.judge(expected, "faq_drug_children", right) == ("entries", True)

    decline = answers.expected_reply("ask_not_covered", "what are the side effects of benlysta", [])
    answered = answers.bot_reply(
        "faq_drug_mechanism",
        "what does benlysta do",
        [{"entity": "drug", "value": "benlysta", "start": 10, "end": 18}],
    )
    assert answers.judge(decline, "ask_not_covered", answered) == ("decline", False)


def test_the_french_wordings_are_curated_texts_not_invented_ones() -> None:
    from lupus_faq.knowledge import load_knowledge

    knowledge = load_knowledge()
    french = knowledge.texts("fr")
    entry = knowledge.entry("biologic_definition")
    assert answers.uncurated([{"text": french.answer(entry)}]) == []
    assert answers.uncurated([{"text": french.message("other_language")}]) == []
    assert answers.uncurated([{"text": "Le belimumab guérit le lupus."}]) != []


def test_invented_sentences_are_found() -> None:
    curated = answers.expected_reply("faq_future_treatments", "what is coming", []).text
    assert answers.uncurated([{"text": curated}]) == []
    assert answers.uncurated(
        [{"text": curated + "\nBelimumab cures lupus in 90 % of patients."}]
    ) == ["Belimumab cures lupus in 90 % of patients."]


def test_the_blind_table_counts_an_emergency_reply_to_a_question_that_was_not_one() -> None:
    from eval import blind

    catalogue = blind.Catalogue.load()
    emergency_reply = "\n".join(answers.bot_reply("red_flag", "i cant breathe").messages)
    items = [
        {"id": "x-1", "turns": [{"text": "what is a biologic?", "expect": "answer"}]},
        {"id": "x-2", "turns": [{"text": "i cant breathe", "expect": "emergency"}]},
    ]
    verdicts = blind.score(items, lambda sender, text: [emergency_reply], catalogue)
    assert [v.false_alarm for v in verdicts] == [True, False]
    table = blind.table([blind.Summary("set", verdicts)])
    assert "| emergency replies to turns that were not emergencies | 1 |" in table


def test_zero_folds_plans_no_cross_validation(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    with_cv = rasa_nlu.plan(COUNT_VECTORS, config, [ROOT / "data" / "nlu.yml"], config, 2, tmp_path)
    without = rasa_nlu.plan(COUNT_VECTORS, config, [ROOT / "data" / "nlu.yml"], config, 0, tmp_path)
    assert any("--cross-validation" in step.get("rasa", ()) for step in with_cv.steps)
    assert not any("--cross-validation" in step.get("rasa", ()) for step in without.steps)
    assert rasa_nlu.cv_scores(without) is None  # reported as "n/a", never read from disk
