#!/usr/bin/env bash
# Install the distribution packages the tests need, only those missing, in one apt-get call:
#   chromium       the browser test (tests/test_browser_widget.py)
#   postgresql     PostgreSQL 15 server binaries (initdb, pg_ctl) for tests/test_scale.py
#   redis-server   the shared lock store for tests/test_scale.py
#   nginx          the load balancer in front of the servers for tests/test_scale.py
# Uses apt-get (Debian/Ubuntu) as root or through sudo; elsewhere it says what to install and
# stops. The tests start their own PostgreSQL, Redis and nginx on loopback in a temporary
# directory; the services these packages register are neither needed nor started.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

declare -A needed=()
[ -x /usr/bin/chromium ] || needed[chromium]=/usr/bin/chromium
{ [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; } || needed[postgresql]=$PG_BIN/initdb
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || needed[redis-server]=/usr/bin/redis-server
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || needed[nginx]=/usr/sbin/nginx

if [ ${#needed[@]} -eq 0 ]; then
  echo "==> System packages present (chromium, postgresql 15, redis-server, nginx)"
  exit 0
fi

packages="${!needed[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: please install these packages with your system's package manager: $packages" >&2
  echo "       (the scale-out test needs PostgreSQL 15's initdb and pg_ctl in $PG_BIN)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: run as root or install sudo to get: $packages" >&2; exit 1; }
  sudo=sudo
fi

# Debian's postgresql, redis-server and nginx packages try to start their services at install
# time. Nothing here needs those services (the tests run their own on free loopback ports), and
# a service that starts on :80, :5432 or :6379 could take a port someone else wants. Where
# there is no policy-rc.d yet, add one that refuses service starts for the duration of the
# install (exit 101 is Debian's "action forbidden by policy"), and remove it afterwards. In
# containers without systemd the services usually cannot start anyway; this makes it certain.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Temporary, from scripts/install-system-packages.sh: no service starts during install.\nexit 101\n' \
    | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  added_policy=1
fi
cleanup() { [ -n "$added_policy" ] && $sudo rm -f "$policy"; return 0; }
trap cleanup EXIT

echo "==> Installing system packages: $packages (a couple of minutes)"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages

for package in "${!needed[@]}"; do
  if [ ! -x "${needed[$package]}" ]; then
    echo "error: $package installed but ${needed[$package]} is missing" >&2
    exit 1
  fi
done
echo "==> System packages installed: $packages"
