#!/usr/bin/env bash
# Retraining benchmark (issue 12), on speech-commands-dev split into speaker folds:
#   base       speechcmd train (defaults) on 9 classes: seven of the ten words, _unknown_, _silence_
#   new words  the other three (fold 0: left right stop, 1: down go yes, 2: no off up, then again):
#              15 takes each, one take from each of 15 training speakers
#   with old   train --from base NEW --data OLD   (defaults)
#   without    train --from base NEW              (defaults; only the model file)
#   personal   train --from base OWN              (defaults): the first take of every old word from
#              half of the held-out speakers ("own voice"); scored on their other takes and on
#              the other held-out speakers
# Every figure is measured on speakers neither model heard (the fold's held-out speakers); with
# SPLIT=validation, on a fifth of the other speakers instead ("tune", for tuning: held out of
# every training run, since training learns from its validation split too: it is trained again
# on training + validation clips, README "Training a model").
# Speakers (8-hex id before _nohash_; _silence_ clips by file name) are hashed with SHA-1:
# fold = hash % FOLDS; of the other speakers, 10% validate the base model, the rest train it
# (SPLIT=validation: another 20% are the tuning speakers).
# Deterministic: the same data and options give the same figures.
# Usage: scripts/bench-retrain.sh
# Environment:
#   SPEECHCMD_SHARED  the shared folder (default: ../shared next to the repository)
#   FOLDS             number of speaker folds (default 3); FOLD_LIST which to run (default all)
#   SPLIT             test (default) or validation: which speakers the figures come from
#   OUT               working folder (default ./bench-out/retrain)
#   RETRAIN_ARGS      extra `train --from` options (default none: the defaults)
#   SCRATCH           1: also train a reference model from scratch (defaults) on the old data and
#                     the new takes together (every take in training), to show how much of the new
#                     words 15 takes can teach at all (default 0)
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SPEECHCMD_SHARED:-$root/../shared}"
sc="$shared/data/speech-commands-dev"
[[ -d "$sc" ]] || { echo "bench-retrain: '$sc' not found" >&2; exit 1; }
folds="${FOLDS:-3}"
fold_list="${FOLD_LIST:-$(seq -s ' ' 0 $((folds - 1)))}"
split="${SPLIT:-test}"
out="${OUT:-$PWD/bench-out/retrain}"
read -r -a extra <<< "${RETRAIN_ARGS:-}"
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1798761600

echo "== building speechcmd (release)" >&2
bin="$("$root/scripts/build-release.sh" .build-bench-rel --static-swift-stdlib)"

# manifests FOLD DIR: writes base.csv, new.csv, own.csv, eval-old.csv, eval-new.csv,
# eval-own.csv (own voices' other takes) and eval-others.csv (the other held-out speakers).
manifests() {
  python3 - "$sc" "$folds" "$1" "$2" "$split" "$root/scripts" <<'EOF'
import os, sys
sc, folds, fold, out, split = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
sys.path.insert(0, sys.argv[6])
from speakers import digest as h, speaker
words = ["down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes"]
new = [["left", "right", "stop"], ["down", "go", "yes"], ["no", "off", "up"]][fold % 3]
old = [w for w in words if w not in new] + ["_unknown_", "_silence_"]
def part(key):
    if h(key) % folds == fold:
        return "test"
    rest = (h(key) // folds) % 10
    # SPLIT=validation: a fifth of the other speakers ("tune") is held out of every training
    # run, the base model's validation split included, which training may learn from.
    if split == "validation" and rest % 5 == 1:
        return "tune"
    return "validation" if rest == 0 else "train"
clips = []  # (label, path, speaker, part)
for label in old + new:
    for name in sorted(os.listdir(f"{sc}/{label}")):
        if name.endswith(".wav"):
            s = speaker(label, name)
            clips.append((label, f"{sc}/{label}/{name}", s, part(s)))
noise = [f"{sc}/_background_noise_/{n}" for n in sorted(os.listdir(f"{sc}/_background_noise_"))
         if n.endswith(".wav")]
def write(name, rows, with_noise=False):
    with open(f"{out}/{name}", "w") as f:
        f.write("path,label,split\n")
        for path, label, sp in rows:
            f.write(f"{path},{label},{sp}\n")
        if with_noise:
            for n in noise:
                f.write(f"{n},_background_noise_,\n")
write("base.csv", [(p, l, s) for l, p, _, s in clips if l in old and s in ("train", "validation")],
      True)
# New words: the first take of 15 training speakers (lowest hash of speaker + word first).
rows = []
for w in new:
    takes = {}
    for l, p, s, sp in clips:
        if l == w and sp == "train":
            takes.setdefault(s, p)
    for s in sorted(takes, key=lambda s: h(s + w))[:15]:
        rows.append((takes[s], w, ""))
write("new.csv", rows, True)
write("scratch.csv", [(p, l, s) for l, p, _, s in clips if l in old and s in ("train", "validation")]
      + [(p, l, "train") for p, l, _ in rows], True)
held = "test" if split == "test" else "tune"
unseen = sorted({s for l, p, s, sp in clips if sp == held and l != "_silence_"}, key=h)
write("eval-old.csv", [(p, l, "test") for l, p, s, sp in clips if sp == held and l in old])
write("eval-new.csv", [(p, l, "test") for l, p, s, sp in clips if sp == held and l in new])
# Personalisation: half of the unseen speakers record one take of each old word they have.
own = set(unseen[: len(unseen) // 2])
first, rest, others = [], [], []
seen = set()
for l, p, s, sp in clips:
    if sp != held or l not in old or l == "_silence_":
        continue
    if s in own:
        (rest if (s, l) in seen else first).append((p, l, "test"))
        seen.add((s, l))
    else:
        others.append((p, l, "test"))
write("own.csv", [(p, l, "") for p, l, _ in first], True)
write("eval-own.csv", rest)
write("eval-others.csv", others)
print(len(rows), len(first), len(rest), len(others), file=sys.stderr)
EOF
}

# accuracy MODEL MANIFEST: percent of the manifest's clips the model labels right.
accuracy() {
  "$bin" evaluate --model "$1" --manifest "$2" --split all --format json |
    python3 -c 'import json,sys; print("%.1f" % (100 * json.load(sys.stdin)["accuracy"]))'
}

# retrain NAME DIR ARGS...: train --from, printing the wall time in seconds.
retrain() {
  local name="$1" dir="$2"
  shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" train --from "$dir/base.safetensors" "$@" --out "$dir/$name.safetensors" \
    --report "$dir/report-$name" "${extra[@]}" > "$dir/$name.out" 2> "$dir/$name.log"
  t1=$(date +%s.%N)
  python3 -c "print('%.1f' % ($t1 - $t0))"
}

results="$out/results.tsv"
printf 'fold\tbase_old\twith_new\twith_old\twith_s\twithout_new\twithout_old\twithout_s\town_before\town_after\tothers_before\tothers_after\town_s\n' > "$results"
rm -f "$out/scratch.tsv"
for fold in $fold_list; do
  dir="$out/fold$fold"
  mkdir -p "$dir"
  echo "== fold $fold: manifests" >&2
  manifests "$fold" "$dir"
  # The base model is trained once per fold and data (kept across runs of the script).
  if ! cmp -s <(sort "$dir/base.csv") <(sort "$dir/base-trained.csv" 2>/dev/null) ||
    [[ ! -f "$dir/base.safetensors" ]]; then
    echo "== fold $fold: base model (defaults)" >&2
    "$bin" train --manifest "$dir/base.csv" --out "$dir/base.safetensors" \
      > "$dir/base.out" 2> "$dir/base.log"
    cp "$dir/base.csv" "$dir/base-trained.csv"
  fi
  base_old=$(accuracy "$dir/base.safetensors" "$dir/eval-old.csv")
  echo "== fold $fold: retrain with the old data" >&2
  with_s=$(retrain with "$dir" --manifest "$dir/new.csv" --data "$dir/base.csv")
  echo "== fold $fold: retrain without it" >&2
  without_s=$(retrain without "$dir" --manifest "$dir/new.csv")
  echo "== fold $fold: personalisation" >&2
  own_s=$(retrain own "$dir" --manifest "$dir/own.csv")
  row="$fold\t$base_old"
  row+="\t$(accuracy "$dir/with.safetensors" "$dir/eval-new.csv")"
  row+="\t$(accuracy "$dir/with.safetensors" "$dir/eval-old.csv")\t$with_s"
  row+="\t$(accuracy "$dir/without.safetensors" "$dir/eval-new.csv")"
  row+="\t$(accuracy "$dir/without.safetensors" "$dir/eval-old.csv")\t$without_s"
  row+="\t$(accuracy "$dir/base.safetensors" "$dir/eval-own.csv")"
  row+="\t$(accuracy "$dir/own.safetensors" "$dir/eval-own.csv")"
  row+="\t$(accuracy "$dir/base.safetensors" "$dir/eval-others.csv")"
  row+="\t$(accuracy "$dir/own.safetensors" "$dir/eval-others.csv")\t$own_s"
  printf "$row\n" | tee -a "$results" >&2
  if [[ "${SCRATCH:-0}" == 1 ]]; then
    echo "== fold $fold: reference model from scratch on the old data and the new takes" >&2
    "$bin" train --manifest "$dir/scratch.csv" --out "$dir/scratch.safetensors" \
      > "$dir/scratch.out" 2> "$dir/scratch.log"
    printf '%s\t%s\t%s\n' "$fold" "$(accuracy "$dir/scratch.safetensors" "$dir/eval-new.csv")" \
      "$(accuracy "$dir/scratch.safetensors" "$dir/eval-old.csv")" | tee -a "$out/scratch.tsv" >&2
  fi
done

python3 - "$results" "$([[ "${SCRATCH:-0}" == 1 ]] && echo "$out/scratch.tsv")" <<'EOF' | tee "$out/summary.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
m = lambda k: sum(float(r[k]) for r in rows) / len(rows)
print(f"folds: {len(rows)} (mean over folds; speakers neither model heard)")
print(f"base model, old classes:             {m('base_old'):5.1f}%")
print(f"with old data:    new words {m('with_new'):5.1f}% (target >= 85)   old classes {m('with_old'):5.1f}% "
      f"({m('with_old') - m('base_old'):+.1f} points, target >= -2)   {m('with_s'):.1f} s")
print(f"without old data: new words {m('without_new'):5.1f}% (target >= 80)   old classes {m('without_old'):5.1f}% "
      f"({m('without_old') - m('base_old'):+.1f} points, target >= -5)   {m('without_s'):.1f} s")
print(f"personalisation:  own voice {m('own_before'):5.1f}% -> {m('own_after'):5.1f}%   "
      f"other speakers {m('others_before'):5.1f}% -> {m('others_after'):5.1f}%   {m('own_s'):.1f} s")
if sys.argv[2]:
    ref = [line.split() for line in open(sys.argv[2])]
    ref = [r for r in ref if r[0] in {row["fold"] for row in rows}]
    mean = lambda i: sum(float(r[i]) for r in ref) / len(ref)
    print(f"from scratch on old data + new takes (reference): new words {mean(1):5.1f}%   "
          f"old classes {mean(2):5.1f}%")
EOF
