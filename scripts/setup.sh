#!/usr/bin/env bash
# Installs the Debian packages speechcmd needs to build and test, and only those that are missing.
# Idempotent: a second run installs nothing. Needs root or sudo when something is missing.
# Usage: scripts/setup.sh [extra-package...]   (extra packages, e.g. espeak-ng sox, are added to the list)
set -euo pipefail

packages=(pkg-config libsndfile1-dev libfftw3-dev libsamplerate0-dev libopenblas-dev sndfile-programs sox "$@")
# The browser test of `speechcmd serve` (scripts/test-browser.sh); it skips, saying so, only when
# these cannot be installed.
browser=(chromium python3-websocket fonts-dejavu-core)

updated=0
install_browser() {
  local missing=()
  for p in "${browser[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "setup: installing ${missing[*]} (browser test)"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $updated -eq 0 ]] && ! "${sudo[@]}" apt-get update -qq; then
    echo "setup: warning: 'apt-get update' failed; the browser test will be skipped" >&2
    return 0
  fi
  if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "setup: warning: 'apt-get install ${missing[*]}' failed; the browser test will be skipped" >&2
  fi
}

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  sudo=(false)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all required packages are installed (${packages[*]})"
  install_browser
  exit 0
fi

if [[ "${sudo[*]}" == false ]]; then
  echo "setup: error: missing packages (${missing[*]}) and not root, and sudo is not available; install them as root" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get update -qq; then
  echo "setup: error: 'apt-get update' failed; check the network or the apt sources" >&2
  exit 1
fi
updated=1
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "setup: error: 'apt-get install ${missing[*]}' failed" >&2
  exit 1
fi
echo "setup: installed ${missing[*]}"
install_browser
