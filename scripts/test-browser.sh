#!/usr/bin/env bash
# The browser test of `speechcmd serve` (scripts/browser-test.py): headless Chromium with a fake
# microphone drives the page. Needs the debug build (swift build --build-tests) and Debian's
# chromium and python3-websocket, which scripts/setup.sh installs; skips, saying so, only when
# they could not be installed. Screenshots go to $1 (default: a temporary folder); give
# docs/serve (with SPEECHCMD_BROWSER_RETRAIN=1) to refresh the README's.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d /tmp/speechcmd-screens.XXXXXX)}
if ! command -v chromium >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import websocket' 2>/dev/null; then
  echo "SKIPPED: browser test of speechcmd serve: chromium or python3-websocket is not installed (scripts/setup.sh could not install them)"
  exit 0
fi
bin=$(swift build --show-bin-path)
/usr/bin/python3 scripts/browser-test.py "$bin" "$out"
