#!/usr/bin/env bash
# The README's "main job" command: installs what is missing, builds speechcmd in release mode,
# classifies the shipped sample clips with the shipped model, then retrains that model on the sample
# clips (as you would with new recordings) and classifies again. A few minutes on a fresh 2-core
# machine, most of it the build.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
echo "demo: building speechcmd (release)…"
# --static-swift-stdlib: the Swift runtime and Foundation linked in, so start-up loads and relocates
# no Swift shared libraries (see the README, "Start-up").
swift build -c release --static-swift-stdlib --product speechcmd 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/speechcmd"

echo
echo "== 1. Classify the shipped clips with the shipped model (samples/model.safetensors)"
"$bin" classify --model samples/model.safetensors --top-k 2 --format table samples/clips

out="${TMPDIR:-/tmp}/speechcmd-demo"
rm -rf "$out" && mkdir -p "$out"
echo
echo "== 2. Retrain the shipped model on the sample clips (all of them for training)"
"$bin" train --from samples/model.safetensors samples/clips --out "$out/model.safetensors" \
  --report "$out/report" --validation-percent 0 --test-percent 0 --epochs 20 --seed 1

echo
echo "== 3. Classify again with the new model"
"$bin" classify --model "$out/model.safetensors" --format table samples/clips

cat <<MSG

Done. The retrained model is $out/model.safetensors; its report (metrics.json,
confusion.svg, curves.svg) is in $out/report/ — open the SVG files in a browser.
Next: record your own words (README, "Recording your own words"), then
  $bin train YOUR_DATA --out my.safetensors --report my-report
  $bin classify --model my.safetensors some.wav
  arecord -t raw -f S16_LE -r 16000 -c 1 | $bin listen --model my.safetensors -
MSG
