#!/usr/bin/env bash
# Resolve requirements-test.txt in a scratch venv and write every version to constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/find-python310.sh)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$python" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --disable-pip-version-check -r requirements-test.txt
{
  echo "# Every package of .venv, pinned (pip freeze). Regenerate with \`make lock\` after changing"
  echo "# requirements*.txt; scripts/setup.sh installs with -c constraints.txt."
  "$scratch/venv/bin/python" -m pip freeze --exclude-editable
} > constraints.txt
echo "==> constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
