#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa Open Source 3.6 supports 3.8-3.10 only).
# Order: $PYTHON310, python3.10 on PATH, the newest 3.10.x known to pyenv; else explain and fail.
set -uo pipefail

is_python310() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

for candidate in "${PYTHON310:-}" python3.10; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  # A pyenv shim exists even when its version is not selected; is_python310 runs it to be sure.
  if is_python310 "$path"; then echo "$path"; exit 0; fi
done

if command -v pyenv >/dev/null 2>&1; then
  version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -V | tail -n 1)
  if [ -n "$version" ]; then
    path=$(PYENV_VERSION="$version" pyenv which python3.10 2>/dev/null)
    if [ -n "$path" ] && is_python310 "$path"; then echo "$path"; exit 0; fi
  fi
fi

cat >&2 <<'MSG'
error: Python 3.10 not found. Rasa Open Source 3.6 runs on Python 3.8-3.10 only.
Get one of these ways, then run the command again:
  - pyenv:   pyenv install 3.10.13
  - Debian/Ubuntu: sudo apt install python3.10 python3.10-venv   (deadsnakes PPA on Ubuntu)
  - or point to one: PYTHON310=/path/to/python3.10 make ...
MSG
exit 1
