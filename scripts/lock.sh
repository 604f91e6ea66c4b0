#!/usr/bin/env bash
# `make lock`: resolve the pinned requirements afresh and keep every copy of the result in step.
#   constraints.txt        every package of .venv and of the deployment image, the build tools
#                          (pip, setuptools, wheel) included: requirements-test.txt resolved in a
#                          scratch venv with the newest pip and wheel and the setuptools Rasa
#                          allows (Rasa 3.6.21 requires setuptools <70.4)
#   constraints-tools.txt  the audit tools of requirements-tools.txt (`make audit`), resolved in a
#                          venv of their own: pip-audit needs newer packages than Rasa allows
#   deploy/Dockerfile      FROM python:<the Python the lock was resolved with>-slim-bookworm
# After changing requirements*.txt: `make lock`, then `make setup-test` installs the new set.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/find-python310.sh)
version=$("$python" -c 'import platform; print(platform.python_version())')
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

resolve() {  # resolve <requirements file> <venv dir>: install it into a fresh venv
  "$python" -m venv "$2"
  "$2/bin/python" -m pip install --disable-pip-version-check --quiet --upgrade pip setuptools wheel
  "$2/bin/python" -m pip install --disable-pip-version-check -r "$1"
}

echo "==> Resolving requirements-test.txt with Python $version"
resolve requirements-test.txt "$scratch/venv"
{
  echo "# Every package of .venv and of the deployment image (deploy/Dockerfile), build tools"
  echo "# included: \`pip freeze --all\` of requirements-test.txt resolved with Python $version."
  echo "# Written by \`make lock\` (scripts/lock.sh); scripts/setup.sh and the image install with"
  echo "# -c constraints.txt. Do not edit by hand: change requirements*.txt and run \`make lock\`."
  "$scratch/venv/bin/python" -m pip freeze --all --exclude-editable --disable-pip-version-check
} > constraints.txt

echo "==> Resolving requirements-tools.txt (audit tools, a venv of their own)"
resolve requirements-tools.txt "$scratch/tools"
{
  echo "# The audit tools' venv (.venv-tools, \`make audit\`): \`pip freeze --all\` of"
  echo "# requirements-tools.txt resolved with Python $version by \`make lock\`. Do not edit by hand."
  "$scratch/tools/bin/python" -m pip freeze --all --disable-pip-version-check
} > constraints-tools.txt

# The image runs the Python the lock was resolved (and the tests run) with.
sed -i -E "s/^FROM python:[0-9]+\.[0-9]+\.[0-9]+-slim-bookworm /FROM python:${version}-slim-bookworm /" deploy/Dockerfile
grep -q "^FROM python:${version}-slim-bookworm " deploy/Dockerfile \
  || { echo "error: deploy/Dockerfile has no 'FROM python:X.Y.Z-slim-bookworm ' line to update" >&2; exit 1; }

echo "==> constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned;" \
     "constraints-tools.txt: $(grep -vc '^#' constraints-tools.txt); image: python:${version}-slim-bookworm"
