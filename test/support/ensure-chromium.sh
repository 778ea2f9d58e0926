#!/usr/bin/env bash
# The dashboard's browser tests (test/dashboard.test.ts) drive a real Chromium. `npm test` runs this
# first, so a fresh machine needs no step of its own: Debian's chromium package is installed when
# it is missing and we may (root with apt-get); otherwise we say what to do.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the dashboard's browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 900 apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "The dashboard's browser tests need Chromium at $chromium: install it (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
