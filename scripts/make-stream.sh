#!/usr/bin/env bash
# Builds a long test recording for `speechcmd listen --truth` from a folder of one-word clips
# (Speech Commands layout, DATA/<word>/*.wav): a thin wrapper over `speechcmd bench stream`
# (`speechcmd bench stream --help` says what it writes), kept for the old option spelling.
#
# Usage: scripts/make-stream.sh [options] DATA OUT.wav OUT.csv
#   --words N           number of command words (default 50)
#   --seed S            random seed (default 1): the same seed and data give the same stream
#   --gap MIN MAX       gap after each clip in seconds (default 1.5 2.5)
#   --noise FILE        background noise (default: the first file of DATA/_background_noise_/)
#   --noise-volume V    gain of the noise (default 0.1; 0 for none)
#   --unknown-every K   after every K words, also place a DATA/_unknown_ clip that is not in the
#                       truth (a distractor; default 0 = none)
# Runs $SPEECHCMD, else .build/release/speechcmd (built with `swift build -c release` if missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --gap) args+=(--gap-min "$2" --gap-max "$3"); shift 3 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
bin="${SPEECHCMD:-$root/.build/release/speechcmd}"
if [[ ! -x "$bin" ]]; then
  (cd "$root" && swift build -c release --static-swift-stdlib --product speechcmd >&2)
fi
exec "$bin" bench stream "${args[@]}"
