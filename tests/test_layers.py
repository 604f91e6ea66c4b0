"""Dependencies go one way: knowledge <- language <- safety <- dialogue; the NLU components and
channels use only language and safety (and knowledge), never the dialogue; nothing in
lupus_faq imports Rasa."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Set

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> Set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def files(folder: str) -> list:
    return sorted((ROOT / folder).rglob("*.py"))


ALLOWED = {
    "lupus_faq/knowledge": ("lupus_faq.knowledge",),
    "lupus_faq/language": ("lupus_faq.knowledge", "lupus_faq.language"),
    "lupus_faq/safety": ("lupus_faq.knowledge", "lupus_faq.language", "lupus_faq.safety"),
    "lupus_faq/dialogue": ("lupus_faq.",),
    "nlu_components": ("lupus_faq.knowledge", "lupus_faq.language", "lupus_faq.safety"),
    "channels": ("lupus_faq.knowledge", "lupus_faq.language", "lupus_faq.safety"),
}


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(folder: str) -> None:
    for path in files(folder):
        ours = {m for m in imports(path) if m.startswith("lupus_faq")}
        wrong = {m for m in ours if not m.startswith(ALLOWED[folder])}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_lupus_faq_does_not_import_rasa() -> None:
    for path in files("lupus_faq"):
        rasa = {m for m in imports(path) if m.split(".")[0] in ("rasa", "rasa_sdk", "sanic")}
        assert not rasa, f"{path.relative_to(ROOT)} imports {sorted(rasa)}"
