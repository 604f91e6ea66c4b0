#!/usr/bin/env bash
# The whole test suite, cheapest first: lint and types, knowledge and actions (seconds), the spaCy pipeline,
# the trained model through Rasa's tools, then real servers. Assumes `make test` set things up.
set -uo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}

started=$(date +%s)
if ! scripts/lint.sh; then
  echo "==> make test: FAILED at lint/types (scripts/lint.sh) after $(( $(date +%s) - started ))s"
  exit 1
fi
# tests/conftest.py orders them: plain tests, then `model`, then `servers`.
.venv/bin/python -m pytest tests "$@"
status=$?
elapsed=$(( $(date +%s) - started ))
if [ $status -eq 0 ]; then
  echo "==> make test: all tests passed in ${elapsed}s (NLU report: results/nlu/intent_report.json)"
else
  echo "==> make test: FAILED (exit $status) after ${elapsed}s; see the output above"
fi
exit $status
