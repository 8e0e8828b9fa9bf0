#!/usr/bin/env bash
# Builds the release `speechcmd` for the benchmark scripts and prints the binary's path on stdout.
# Installs missing packages first (scripts/setup.sh), so a benchmark runs on a bare machine too;
# on a failed build the compiler's errors are shown, not just its last line.
# Usage: scripts/build-release.sh SCRATCH_PATH [--static-swift-stdlib]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# -ge 1 ]] || { echo "usage: scripts/build-release.sh SCRATCH_PATH [--static-swift-stdlib]" >&2; exit 2; }
scratch="$1"; shift
"$root/scripts/setup.sh" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! (cd "$root" && swift build -c release --scratch-path "$scratch" "$@" --product speechcmd) > "$log" 2>&1; then
  grep -E "error:" "$log" | head -n 20 >&2 || tail -n 20 "$log" >&2
  echo "build-release: swift build failed (scratch path $scratch)" >&2
  exit 1
fi
tail -n 1 "$log" >&2
echo "$root/$scratch/release/speechcmd"
