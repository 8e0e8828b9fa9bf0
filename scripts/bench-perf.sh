#!/usr/bin/env bash
# The three performance figures of the README's table (issue 15), each beside its Python anchor
# measured in the same run: `speechcmd bench summary` (classify one file as a whole process and
# `--version` alone, listen on one core, training on two threads with its share of sgemm's rate),
# then ../shared/bench/classify_anchor.py on the same file (whole process) and
# ../shared/bench/mlp_anchor.py --threads 2 (scikit-learn), and the ratios.
#
# Usage: scripts/bench-perf.sh [DATA]     (default: ../shared/data/speech-commands-dev)
# Environment:
#   MODEL   model for classify and listen (default: samples/model.safetensors)
#   PYTHON  interpreter with numpy, soundfile, python_speech_features, scikit-learn (default:
#           /tmp/anchors/bin/python if present, else python3; see ../shared/bench/README.md);
#           without them the Python side is skipped, saying so
#   OUT     working folder (default: ./bench-out/perf); the Python model is trained there once
# Timings on a shared machine are noisy: compare the ratios, and rerun.
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/speech-commands-dev}"
[[ -d "$data" ]] || { echo "bench-perf: no data folder '$data'" >&2; exit 1; }
data="$(cd "$data" && pwd)"
anchors="${SPEECHCMD_SHARED:-$root/../shared}/bench"
python="${PYTHON:-$([[ -x /tmp/anchors/bin/python ]] && echo /tmp/anchors/bin/python || echo python3)}"
model="${MODEL:-$root/samples/model.safetensors}"
out="${OUT:-$PWD/bench-out/perf}"
mkdir -p "$out"

echo "== building speechcmd (release, --static-swift-stdlib)" >&2
bin="$("$root/scripts/build-release.sh" .build --static-swift-stdlib)"

# The word clips of the data folder (not the long noise recordings), as one folder of links.
clips="$out/clips"
if [[ ! -d "$clips" ]]; then
  mkdir -p "$clips"
  n=0
  # The whole list first: `head` closing a pipe early would fail the script under pipefail.
  mapfile -t files < <(find "$data" -mindepth 2 -type f -name '*.wav' ! -path '*/_background_noise_/*' | sort)
  for f in "${files[@]:0:400}"; do n=$((n + 1)); ln -s "$f" "$clips/$(printf '%05d' $n).wav"; done
fi
one="$clips/00001.wav"

echo "== speechcmd bench summary" >&2
"$bin" bench summary --model "$model" --format json "$clips" > "$out/summary.json"
field() { "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$out/summary.json" "$1" 2>/dev/null \
  || python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$out/summary.json" "$1"; }
classify_ms=$(field classifyOneFileMilliseconds)
version_ms=$(field versionMilliseconds)
listen_rtf=$(field listenRealTimeFactor)
train_sps=$(field trainSamplesPerSecond)
train_share=$(field trainShareOfSgemm)

have_python=1
"$python" -c 'import numpy, soundfile, python_speech_features, sklearn' 2>/dev/null || have_python=0
py_classify_ms="" py_train_sps=""
if [[ $have_python -eq 1 ]]; then
  if [[ ! -f "$out/model.pkl" ]]; then
    echo "== training the Python anchor model once (classify_anchor.py train)" >&2
    "$python" "$anchors/classify_anchor.py" train "$data" "$out/model.pkl" > "$out/train-python.log" 2>&1
  fi
  echo "== Python anchors (classify one file x5, scikit-learn MLP on 2 threads)" >&2
  times=()
  for i in 1 2 3 4 5 6; do
    t0=$(date +%s%N); "$python" "$anchors/classify_anchor.py" classify "$out/model.pkl" "$one" > /dev/null; t1=$(date +%s%N)
    [[ $i -gt 1 ]] && times+=($(( (t1 - t0) / 1000 )))
  done
  py_classify_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }')
  py_train_sps=$("$python" "$anchors/mlp_anchor.py" --threads 2 | sed -n 's/.*train \([0-9,]*\) samples\/s.*/\1/p' | tr -d ,)
else
  echo "bench-perf: $python lacks the anchors' packages (numpy soundfile python_speech_features scikit-learn); Python side skipped" >&2
fi

{
  echo "measure | speechcmd | anchor (same run) | target"
  printf 'classify one 1 s file, whole process | %.1f ms (--version alone %.1f ms) | ' "$classify_ms" "$version_ms"
  if [[ -n "$py_classify_ms" ]]; then
    awk -v p="$py_classify_ms" -v s="$classify_ms" 'BEGIN { printf "Python + scikit-learn %.0f ms (%.0fx slower)", p, p / s }'
  else printf 'n/a'; fi
  echo ' | <= 12 ms'
  printf 'listen, one core, 30 ms stride | %.0fx real time | - | >= 500x\n' "$listen_rtf"
  printf 'bench train, 2 threads | %.0f samples/s, %.0f%% of sgemm | ' "$train_sps" "$(awk -v x="$train_share" 'BEGIN { print 100 * x }')"
  if [[ -n "$py_train_sps" ]]; then
    awk -v p="$py_train_sps" -v s="$train_sps" 'BEGIN { printf "scikit-learn %.0f samples/s (speechcmd %.1fx)", p, s / p }'
  else printf 'n/a'; fi
  echo ' | >= 3x scikit-learn, >= 60% of sgemm'
} | tee "$out/results.txt"
