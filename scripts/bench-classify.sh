#!/usr/bin/env bash
# Whole-process timings of `speechcmd classify` and `speechcmd listen` next to the Python
# equivalent (../shared/bench/classify_anchor.py: soundfile + python_speech_features +
# scikit-learn), on the same files in the same run. Start-up is included: this is what a user
# waits for. Library-level figures (files/s on 1 and 2 threads, listen's real-time factor) come
# from `speechcmd bench classify`, run at the end.
#
# Usage: scripts/bench-classify.sh [DATA]      (default: ../shared/data/speech-commands-dev)
# Environment:
#   PYTHON      interpreter with numpy, scipy, soundfile, python_speech_features, scikit-learn
#               (default: /tmp/anchors/bin/python if present, else python3; see bench/README.md)
#   OUT         working folder for models, streams and results (default: ./bench-out/classify)
#   RUNS        timed runs of the one-file commands (default 20 for Swift, RUNS_PY=5 for Python)
#   EPOCHS      epochs of the Swift model trained once on DATA (default 20)
#   STATIC      1 (default): also build with --static-swift-stdlib and time one file with it
#               (start-up without loading the Swift runtime and Foundation as shared libraries)
# Models are trained once and kept in OUT (delete them to retrain). Uses hyperfine when it is
# installed (apt: hyperfine), else a loop timing each run with `date +%s%N` (median reported).
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/speech-commands-dev}"
[[ -d "$data" ]] || { echo "bench-classify: no data folder '$data'" >&2; exit 1; }
data="$(cd "$data" && pwd)"
anchors="${SPEECHCMD_SHARED:-$root/../shared}/bench"
python="${PYTHON:-$([[ -x /tmp/anchors/bin/python ]] && echo /tmp/anchors/bin/python || echo python3)}"
out="${OUT:-$PWD/bench-out/classify}"
runs="${RUNS:-20}" runs_py="${RUNS_PY:-5}" epochs="${EPOCHS:-20}" static="${STATIC:-1}"
mkdir -p "$out"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

echo "== building speechcmd (release)" >&2
bin="$("$root/scripts/build-release.sh" .build-classify-rel)"
if [[ "$static" == 1 ]]; then
  bin_static="$("$root/scripts/build-release.sh" .build-classify-static --static-swift-stdlib)"
fi

# Every audio clip of the data folder (word and _unknown_/_silence_ folders, not the long noise).
find "$data" -mindepth 2 -type f -name '*.wav' ! -path '*/_background_noise_/*' | sort > "$out/files.txt"
count=$(wc -l < "$out/files.txt")
one="$(head -n 1 "$out/files.txt")"
folder="$out/clips"   # the same clips as one folder of symbolic links, for `classify DIR`
if [[ ! -d "$folder" ]]; then
  mkdir -p "$folder"
  n=0
  while read -r f; do n=$((n + 1)); ln -s "$f" "$folder/$(printf '%05d' $n).wav"; done < "$out/files.txt"
fi

if [[ ! -f "$out/model.safetensors" ]]; then
  echo "== training the Swift model once (144,144,144, $epochs epochs)" >&2
  "$bin" train "$data" --out "$out/model.safetensors" --hidden 144,144,144 --epochs "$epochs" \
    --seed 1 --test-percent 0 > "$out/train-swift.log" 2>&1
fi
have_python=1
"$python" -c 'import numpy, scipy, soundfile, python_speech_features, sklearn' 2>/dev/null || have_python=0
if [[ $have_python -eq 1 && ! -f "$out/model.pkl" ]]; then
  echo "== training the Python model once (classify_anchor.py train)" >&2
  "$python" "$anchors/classify_anchor.py" train "$data" "$out/model.pkl" > "$out/train-python.log" 2>&1
fi
[[ $have_python -eq 1 ]] || echo "bench-classify: $python lacks the anchor's packages; Python side skipped" >&2

# median_ms RUNS CMD... : runs CMD (output discarded) RUNS times after one warm-up, prints the
# median wall time in milliseconds.
median_ms() {
  local n="$1"; shift
  "$@" > /dev/null 2>&1 || true
  local times=()
  for ((i = 0; i < n; i++)); do
    local t0 t1
    t0=$(date +%s%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}
# time_ms RUNS CMD... : hyperfine's median when available, else median_ms.
time_ms() {
  local n="$1"; shift
  if command -v hyperfine > /dev/null; then
    local quoted; quoted=$(printf '%q ' "$@")
    hyperfine -N --warmup 1 --runs "$n" --export-json "$out/hf.json" "$quoted" > /dev/null 2>&1 \
      && "$python" -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$out/hf.json" \
      && return
  fi
  median_ms "$n" "$@"
}

swift_one=$(time_ms "$runs" "$bin" classify --model "$out/model.safetensors" "$one")
[[ "$static" == 1 ]] && swift_one_static=$(time_ms "$runs" "$bin_static" classify --model "$out/model.safetensors" "$one")
swift_folder=$(time_ms 3 "$bin" classify --model "$out/model.safetensors" --format csv "$folder")
if [[ $have_python -eq 1 ]]; then
  py_one=$(time_ms "$runs_py" "$python" "$anchors/classify_anchor.py" classify "$out/model.pkl" "$one")
  py_folder=$(median_ms 1 xargs -a "$out/files.txt" -d '\n' "$python" "$anchors/classify_anchor.py" classify "$out/model.pkl")
fi

# listen: a stream of 100 words (~5 min), classified on one core.
if [[ ! -f "$out/stream.wav" ]]; then
  "$bin" bench stream --words 100 --seed 1 "$data" "$out/stream.wav" "$out/stream.csv"
fi
stream_seconds=$(soxi -D "$out/stream.wav" 2>/dev/null || echo 0)
one_core=(); command -v taskset > /dev/null && one_core=(taskset -c 0)
listen_ms=$(median_ms 3 "${one_core[@]}" "$bin" listen --model "$out/model.safetensors" "$out/stream.wav")
"$bin" listen --model "$out/model.safetensors" --truth "$out/stream.csv" "$out/stream.wav" > "$out/listen.txt"

{
  echo "files: $count ($(basename "$data")); one file: $(basename "$one")"
  printf 'classify one file, whole process:  speechcmd %8.1f ms' "$swift_one"
  [[ $have_python -eq 1 ]] && awk -v s="$swift_one" -v p="$py_one" 'BEGIN { printf "   python %8.1f ms   (%.1fx faster)", p, p / s }'
  echo
  if [[ "$static" == 1 ]]; then
    printf '  static build (--static-swift-stdlib): %8.1f ms' "$swift_one_static"
    [[ $have_python -eq 1 ]] && awk -v s="$swift_one_static" -v p="$py_one" 'BEGIN { printf "   (%.1fx faster)", p / s }'
    echo
  fi
  printf 'classify the folder, whole process: speechcmd %8.1f ms' "$swift_folder"
  [[ $have_python -eq 1 ]] && awk -v s="$swift_folder" -v p="$py_folder" 'BEGIN { printf "   python %8.1f ms", p }'
  echo
  awk -v n="$count" -v s="$swift_folder" -v s1="$swift_one" 'BEGIN { printf "  files/s: speechcmd %.0f (after start-up %.0f)", n / (s / 1000), (n - 1) / ((s - s1) / 1000) }'
  [[ $have_python -eq 1 ]] && awk -v n="$count" -v p="$py_folder" -v p1="$py_one" -v s="$swift_folder" -v s1="$swift_one" \
    'BEGIN { ps = (n - 1) / ((p - p1) / 1000); ss = (n - 1) / ((s - s1) / 1000); printf "   python %.0f (after start-up %.0f)   ratio after start-up %.1fx", n / (p / 1000), ps, ss / ps }'
  echo
  awk -v d="$stream_seconds" -v t="$listen_ms" 'BEGIN { printf "listen, one core, whole process: %.1f s of audio in %.0f ms = %.0fx real time\n", d, t, d / (t / 1000) }'
  echo "listen --truth: $(tail -n 1 "$out/listen.txt")"
  echo "== speechcmd bench classify (library: files/s by threads, listen real-time factor)"
  "$bin" bench classify --model "$out/model.safetensors" "$folder"
} | tee "$out/results.txt"
