#!/usr/bin/env bash
# Install the distribution packages the tests need, only those missing: Chromium for the
# browser test. Uses apt-get (Debian/Ubuntu) as root or through sudo; elsewhere it says what
# to install and stops.
set -euo pipefail

declare -A needed=()
[ -x /usr/bin/chromium ] || needed[chromium]=/usr/bin/chromium

if [ ${#needed[@]} -eq 0 ]; then
  echo "==> System packages present (chromium)"
  exit 0
fi

packages="${!needed[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: please install these packages with your system's package manager: $packages" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: run as root or install sudo to get: $packages" >&2; exit 1; }
  sudo=sudo
fi
echo "==> Installing system packages: $packages (a couple of minutes)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages
