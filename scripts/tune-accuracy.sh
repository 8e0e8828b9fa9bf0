#!/usr/bin/env bash
# The tuning loop of the accuracy work (issue 13): trains on speech-commands-dev and measures on
# VALIDATION speakers only, never on the test speakers that scripts/bench-accuracy.sh reports.
#
# Speakers are hashed exactly as in scripts/bench-accuracy.sh (SHA-1 of the 8-hex id, mod 100;
# _silence_ clips by file name): h < 20 are the benchmark's test speakers and appear in no
# manifest here. The other 80% are cut into two folds:
#   fold A  tune = 20 <= h < 40, train = h >= 40
#   fold B  tune = 40 <= h < 60, train = the rest of h >= 20
# The tuning speakers are the manifest's `test` split; there is no validation split, so every
# run trains all its epochs and keeps the last one (no selection on the measured speakers).
# Run k (0, 1, …) uses fold A for even k, fold B for odd k, and --seed k, so two runs average
# over both the speakers and the seed.
# Usage: scripts/tune-accuracy.sh [RUNS] [-- extra speechcmd train options]
#   RUNS  how many runs (default 2: fold A seed 0, fold B seed 1)
# Environment: SPEECHCMD_SHARED (default ../shared), OUT (default ./bench-out/tune),
#   BIN (default .build/release/speechcmd), FIRST (number of the first run, default 0: FIRST=2
#   with RUNS=2 adds runs 2 and 3 to an earlier pair), EXTRA (a folder in the Speech Commands
#   layout, e.g. the synthetic corpus of scripts/make-samples.sh, whose labelled clips are all added
#   to the training split of both folds; its _background_noise_ is left out), VALIDATION (1: the
#   fold's training speakers with h mod 8 = 4, about a fifth of its training clips, form a
#   validation split, so runs calibrate, fit the operating point and train a second time on
#   training + validation, as `speechcmd train` does by default; default 0: no validation split).
# Output: one line per run and the mean, e.g. "A seed 0: 81.20%", "mean 80.95%".
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SPEECHCMD_SHARED:-$root/../shared}"
sc="$shared/data/speech-commands-dev"
[[ -d "$sc" ]] || { echo "tune-accuracy: '$sc' not found" >&2; exit 1; }
runs="${1:-2}"
shift || true
[[ "${1:-}" == "--" ]] && shift
out="${OUT:-$PWD/bench-out/tune}"
bin="${BIN:-$root/.build/release/speechcmd}"
[[ -x "$bin" ]] || { echo "tune-accuracy: build first (swift build -c release)" >&2; exit 1; }
mkdir -p "$out"

extra="${EXTRA:-}"
[[ -z "$extra" || -d "$extra" ]] || { echo "tune-accuracy: EXTRA '$extra' not found" >&2; exit 1; }
validation="${VALIDATION:-0}"
python3 - "$sc" "$out" "$root/scripts" "$extra" "$validation" <<'PY'
import os, sys
sc, out, scripts, extra, validation = sys.argv[1:6]
sys.path.insert(0, scripts)
from speakers import NOISE, clips, percent
def training(x):
    return "validation" if validation == "1" and x % 8 == 4 else "train"
folds = {"A": lambda x: "test" if 20 <= x < 40 else training(x),
         "B": lambda x: "test" if 40 <= x < 60 else training(x)}
for fold, split in folds.items():
    with open(f"{out}/tune-{fold}.csv", "w") as f:
        f.write("path,label,split\n")
        for path, label, name in clips(sc):
            if label == NOISE:
                f.write(f"{path},{label},\n")
            elif percent(label, name) >= 20:
                f.write(f"{path},{label},{split(percent(label, name))}\n")
        if extra:
            for path, label, name in clips(extra):
                if label != NOISE:
                    f.write(f"{os.path.abspath(path)},{label},train\n")
PY

sum=0
first="${FIRST:-0}"
for ((k = first; k < first + runs; k++)); do
  fold=$([[ $((k % 2)) == 0 ]] && echo A || echo B)
  name="$fold-seed$k"
  "$bin" train --manifest "$out/tune-$fold.csv" --out "$out/$name.safetensors" --seed "$k" "$@" \
    > "$out/$name.out" 2> "$out/$name.log"
  acc=$(awk '$1 == "test" { sub("%", "", $3); print $3 }' "$out/$name.out")
  echo "$fold seed $k: $acc%"
  sum=$(awk -v s="$sum" -v a="$acc" 'BEGIN { print s + a }')
done
awk -v s="$sum" -v n="$runs" 'BEGIN { printf "mean %.2f%%\n", s / n }'
