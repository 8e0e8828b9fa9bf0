#!/usr/bin/env bash
# Installs the Debian packages speechcmd needs to build and test, and only those that are missing.
# Idempotent: a second run installs nothing. Needs root or sudo when something is missing.
# Usage: scripts/setup.sh [extra-package...]   (extra packages, e.g. espeak-ng sox, are added to the list)
set -euo pipefail

packages=(pkg-config libsndfile1-dev libfftw3-dev libsamplerate0-dev libopenblas-dev sndfile-programs sox "$@")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all required packages are installed (${packages[*]})"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: error: missing packages (${missing[*]}) and not root, and sudo is not available; install them as root" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get update -qq; then
  echo "setup: error: 'apt-get update' failed; check the network or the apt sources" >&2
  exit 1
fi
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "setup: error: 'apt-get install ${missing[*]}' failed" >&2
  exit 1
fi
echo "setup: installed ${missing[*]}"
