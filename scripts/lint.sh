#!/usr/bin/env bash
# Lint, format check and types: the cheapest checks, run first by `make test` (and `make lint`).
# What is checked and how: pyproject.toml ([tool.ruff], [tool.mypy]).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy lupus_faq actions nlu_components channels rasa_extensions stores
