#!/usr/bin/env bash
# Rebuilds the demo model shipped as samples/model.safetensors: generates the synthetic corpus
# (scripts/make-samples.sh, deterministic), trains on its training voices, and prints the accuracy
# on the held-out testing voices (voices the model never heard). Same corpus + seed → same model.
# Usage: scripts/train-demo.sh [CORPUS_DIR]   (default ./corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-corpus}"

scripts/setup.sh
scripts/make-samples.sh "$corpus"
# --static-swift-stdlib: the Swift runtime and Foundation linked in, so start-up loads and relocates
# no Swift shared libraries (see the README, "Start-up").
swift build -c release --static-swift-stdlib --product speechcmd 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/speechcmd"

# A fixed date keeps the model file byte-identical from run to run.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1798761600}"
report="${TMPDIR:-/tmp}/speechcmd-demo-model-report"
"$bin" train "$corpus" --out samples/model.safetensors --report "$report" \
  --preset hello-edge --hidden 144,144,144 --label-smoothing 0 --gain-db 0 --speed 0 --seed 1 \
  --no-operating-point
echo
echo "held-out voices (testing_list.txt):"
"$bin" evaluate --model samples/model.safetensors "$corpus" --split test
ls -l samples/model.safetensors
