#!/usr/bin/env bash
# The accuracy quality bar (issue 3): speechcmd trained with its DEFAULT settings on
#   1. FSDD, official split (takes 0-4 of every digit and speaker = test, 300 files);
#   2. FSDD, leave one speaker out: mean test accuracy over the six speakers;
#   3. Speech Commands dev subset, twelve classes, on speakers never seen in training;
#   4. across datasets: all of FSDD (8 kHz, 6 speakers) against the digits said in
#      speech-commands-dev's `_unknown_` (16 kHz, real speakers none of FSDD's; target 75%);
# and the Python anchors (../shared/bench/accuracy_anchor.py and sc_anchor.py) on the same splits
# in the same run. Targets (../shared/bench/TARGETS.md): FSDD >= 98.5%, LOSO >= 75%, SC >= 70%.
#
# Splits (manifests written to OUT, so every figure can be reproduced with `speechcmd train`):
#   FSDD official  test = takes 0-4; validation (calibration) = takes 5-9; train = takes 10-49.
#   FSDD LOSO      test = every take of the held-out speaker; validation = takes 0-4 of the other
#                  five; train = their takes 5-49. (The anchor trains on all five speakers' takes.)
#   Across         validation = takes 0-4 of FSDD, train = the rest; test = the `_unknown_` clips
#                  whose word is a digit (zero..nine), labelled 0..9 like FSDD.
#   Speech Cmds    speakers (8-hex id before _nohash_; _silence_ clips by file name) hashed with
#                  SHA-1: 20% test, 10% validation, 70% train; no speaker is in two parts. The
#                  anchor trains on train+validation and tests on test.
# Usage: scripts/bench-accuracy.sh
# Environment:
#   SPEECHCMD_SHARED  the shared folder (default: ../shared next to the repository)
#   PYTHON            interpreter with numpy, scipy, soundfile, python_speech_features,
#                     scikit-learn (default /tmp/anchors/bin/python if present; see bench/README.md);
#                     without them the anchors are skipped
#   ANCHOR_SEEDS      seeds of the anchors' fits (default 0; the anchors' own default is 0,1,2)
#   OUT               working folder (default ./bench-out/accuracy)
#   TRAIN_ARGS        extra `speechcmd train` options for every run (default none: the defaults)
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SPEECHCMD_SHARED:-$root/../shared}"
fsdd="$shared/data/fsdd/recordings"
sc="$shared/data/speech-commands-dev"
[[ -d "$fsdd" && -d "$sc" ]] || { echo "bench-accuracy: data not found under '$shared/data'" >&2; exit 1; }
python="${PYTHON:-$([[ -x /tmp/anchors/bin/python ]] && echo /tmp/anchors/bin/python || echo python3)}"
seeds="${ANCHOR_SEEDS:-0}"
out="${OUT:-$PWD/bench-out/accuracy}"
read -r -a extra <<< "${TRAIN_ARGS:-}"
mkdir -p "$out"
start=$(date +%s)

echo "== building speechcmd (release)" >&2
bin="$("$root/scripts/build-release.sh" .build-bench-rel --static-swift-stdlib)"

echo "== writing split manifests to $out" >&2
python3 - "$fsdd" "$sc" "$out" "$root/scripts" <<'EOF'
import os, sys
fsdd, sc, out = sys.argv[1:4]
sys.path.insert(0, sys.argv[4])
from speakers import NOISE, clips, percent
files = sorted(f for f in os.listdir(fsdd) if f.endswith(".wav"))
def fsdd_rows(split_of):
    return [(f"{fsdd}/{f}", f.split("_")[0], split_of(f)) for f in files]
def write(name, rows):
    with open(f"{out}/{name}", "w") as h:
        h.write("path,label,split\n")
        for r in rows:
            h.write(",".join(r) + "\n")
take = lambda f: int(f[:-4].split("_")[2])
speaker = lambda f: f.split("_")[1]
write("fsdd-official.csv", fsdd_rows(lambda f: "test" if take(f) < 5 else "validation" if take(f) < 10 else "train"))
speakers = sorted({speaker(f) for f in files})
for s in speakers:
    write(f"fsdd-loso-{s}.csv", fsdd_rows(
        lambda f: "test" if speaker(f) == s else "validation" if take(f) < 5 else "train"))
with open(f"{out}/speakers.txt", "w") as h:
    h.write("\n".join(speakers) + "\n")
# Speech Commands: split by speaker, then folders of links for the anchor.
def part(label, name):
    h = percent(label, name)
    return "test" if h < 20 else "validation" if h < 30 else "train"
rows = []
for path, label, name in clips(sc):
    split = "" if label == NOISE else part(label, name)
    rows.append((path, label, split))
    if split:
        folder = f"{out}/sc-anchor-{'test' if split == 'test' else 'train'}/{label}"
        os.makedirs(folder, exist_ok=True)
        link = f"{folder}/{name}"
        if not os.path.lexists(link):
            os.symlink(path, link)
write("sc-dev.csv", rows)
digits = "zero one two three four five six seven eight nine".split()
write("fsdd-to-sc-digits.csv",
      fsdd_rows(lambda f: "validation" if take(f) < 5 else "train")
      + [(path, str(digits.index(name.split("_")[0])), "test")
         for path, label, name in clips(sc)
         if label == "_unknown_" and name.split("_")[0] in digits])
EOF

# train NAME MANIFEST: trains with the defaults, prints the test accuracy (percent).
train() {
  "$bin" train --manifest "$2" --out "$out/$1.safetensors" --report "$out/report-$1" \
    "${extra[@]}" > "$out/$1.out" 2> "$out/$1.log"
  awk '$1 == "test" { sub("%", "", $3); print $3 }' "$out/$1.out"
}

echo "== speechcmd: FSDD official split" >&2
official=$(train fsdd-official "$out/fsdd-official.csv")
echo "   test accuracy $official%" >&2
loso=()
for s in $(cat "$out/speakers.txt"); do
  echo "== speechcmd: FSDD leave out $s" >&2
  a=$(train "fsdd-loso-$s" "$out/fsdd-loso-$s.csv")
  echo "   test accuracy $a%" >&2
  loso+=("$s=$a")
done
echo "== speechcmd: Speech Commands dev, speaker-disjoint" >&2
scacc=$(train sc-dev "$out/sc-dev.csv")
echo "   test accuracy $scacc%" >&2
echo "== speechcmd: all of FSDD -> Speech Commands digits" >&2
across=$(train fsdd-to-sc-digits "$out/fsdd-to-sc-digits.csv")
echo "   test accuracy $across%" >&2
swift_end=$(date +%s)

anchor_official="n/a" anchor_loso="n/a" anchor_sc="n/a"
if "$python" -c 'import numpy, scipy, soundfile, python_speech_features, sklearn' 2>/dev/null; then
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
  echo "== anchor: accuracy_anchor.py (seeds $seeds)" >&2
  (cd "$out" && "$python" "$shared/bench/accuracy_anchor.py" "$fsdd" --seeds "$seeds" \
    --out "$out/accuracy_anchor.json" > "$out/accuracy_anchor.log" 2>&1)
  read -r anchor_official anchor_loso < <("$python" - "$out/accuracy_anchor.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
std = max(v["acc_mean"] for v in r["standard_split_end_pad"].values())
loso = max(v["acc_mean"] for v in r["loso_end_pad_seed0"].values())
print(f"{std * 100:.2f} {loso * 100:.2f}")
EOF
)
  echo "== anchor: sc_anchor.py (seeds $seeds)" >&2
  "$python" "$shared/bench/sc_anchor.py" "$out/sc-anchor-train" "$out/sc-anchor-test" --seeds "$seeds" \
    > "$out/sc_anchor.log" 2>&1
  anchor_sc=$(tail -n 1 "$out/sc_anchor.log" | "$python" -c \
    'import json,sys; print("%.2f" % (100 * max(v["mean"] for v in json.load(sys.stdin).values())))')
else
  echo "bench-accuracy: $python lacks the anchors' packages; anchors skipped (see $shared/bench/README.md)" >&2
fi
end=$(date +%s)

pct() { [[ "$1" == n/a ]] && echo "$1" || echo "$1%"; }
loso_mean=$(printf '%s\n' "${loso[@]}" | awk -F= '{ s += $2; n++ } END { printf "%.2f", s / n }')
loso_min=$(printf '%s\n' "${loso[@]}" | awk -F= 'NR == 1 || $2 < m { m = $2 } END { printf "%.2f", m }')
{
  echo "task                                   speechcmd   anchor (best)  target"
  printf '%-38s %8s%%   %9s     >= 98.5%%\n' "FSDD official split (test = takes 0-4)" "$official" "$(pct "$anchor_official")"
  printf '%-38s %8s%%   %9s     >= 75%%\n' "FSDD leave-one-speaker-out, mean of 6" "$loso_mean" "$(pct "$anchor_loso")"
  printf '%-38s %8s%%   %9s     >= 70%%\n' "Speech Commands dev, unseen speakers" "$scacc" "$(pct "$anchor_sc")"
  printf '%-38s %8s%%   %9s     >= 75%%\n' "All of FSDD -> Speech Commands digits" "$across" "n/a"
  echo "LOSO per speaker: ${loso[*]} (worst $loso_min%)"
  echo "time: speechcmd $((swift_end - start)) s (build included), anchors $((end - swift_end)) s"
} | tee "$out/summary.txt"
