#!/usr/bin/env bash
# Builds a long test recording for `speechcmd listen --truth` from a folder of one-word clips
# (Speech Commands layout, DATA/<word>/*.wav), like TensorFlow's generate_streaming_test_wav.py:
# a second of background, then random clips of random words each followed by a random gap, with
# background noise mixed under the whole stream. Writes the WAV (16 kHz mono 16-bit) and the
# ground truth CSV (`label,time_seconds` per word, the time where the word's clip starts).
#
# Usage: scripts/make-stream.sh [options] DATA OUT.wav OUT.csv
#   --words N           number of command words (default 50)
#   --seed S            random seed (default 1): the same seed and data give the same stream
#   --gap MIN MAX       gap after each clip in seconds (default 1.5 2.5)
#   --noise FILE        background noise (default: the first file of DATA/_background_noise_/)
#   --noise-volume V    gain of the noise (default 0.1; 0 for none)
#   --unknown-every K   after every K words, also place a DATA/_unknown_ clip that is not in the
#                       truth (a distractor; default 0 = none)
# Needs sox and soxi (apt: sox). Swift-independent: uses only bash and sox.
set -euo pipefail
export LC_ALL=C

words=50 seed=1 gap_min=1.5 gap_max=2.5 noise="" noise_volume=0.1 unknown_every=0
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --words) words="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --gap) gap_min="$2"; gap_max="$3"; shift 3 ;;
    --noise) noise="$2"; shift 2 ;;
    --noise-volume) noise_volume="$2"; shift 2 ;;
    --unknown-every) unknown_every="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    --) shift; break ;;
    -*) echo "make-stream: unknown option $1" >&2; usage 64 >&2 ;;
    *) break ;;
  esac
done
[[ $# -eq 3 ]] || { echo "make-stream: need DATA OUT.wav OUT.csv" >&2; usage 64 >&2; }
data="$1" out_wav="$2" out_csv="$3"
command -v sox >/dev/null && command -v soxi >/dev/null \
  || { echo "make-stream: sox is not installed (apt-get install sox)" >&2; exit 1; }
[[ -d "$data" ]] || { echo "make-stream: '$data' is not a folder" >&2; exit 1; }

rate=16000
mapfile -t word_dirs < <(find "$data" -mindepth 1 -maxdepth 1 -type d ! -name '_*' ! -name '.*' | sort)
[[ ${#word_dirs[@]} -gt 0 ]] || { echo "make-stream: no word folders in '$data'" >&2; exit 1; }
if [[ -z "$noise" && -d "$data/_background_noise_" ]]; then
  noise=$(find "$data/_background_noise_" -maxdepth 1 -type f -name '*.wav' | sort | head -n 1)
fi
unknown_files=()
if [[ "$unknown_every" -gt 0 && -d "$data/_unknown_" ]]; then
  mapfile -t unknown_files < <(find "$data/_unknown_" -maxdepth 1 -type f -name '*.wav' | sort)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RANDOM=$seed
random_below() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }
# A gap length in samples, uniform between gap_min and gap_max seconds.
gap_samples() {
  awk -v a="$gap_min" -v b="$gap_max" -v r="$(random_below 1000000)" -v rate="$rate" \
    'BEGIN { printf "%d", (a + (b - a) * r / 1000000) * rate }'
}

pieces=()
position=0
add_silence() {  # $1 = samples
  local file="$work/piece-${#pieces[@]}.wav"
  sox -r "$rate" -c 1 -n -b 16 "$file" trim 0 "${1}s"
  pieces+=("$file")
  position=$((position + $1))
}
add_clip() {  # $1 = source file; echoes nothing; appends the clip at `position`
  local file="$work/piece-${#pieces[@]}.wav"
  sox "$1" -r "$rate" -c 1 -b 16 "$file"
  pieces+=("$file")
  position=$((position + $(soxi -s "$file")))
}

echo "label,time_seconds" > "$work/truth.csv"
add_silence "$rate"
for ((i = 1; i <= words; i++)); do
  dir="${word_dirs[$(random_below ${#word_dirs[@]})]}"
  mapfile -t files < <(find "$dir" -maxdepth 1 -type f -name '*.wav' | sort)
  [[ ${#files[@]} -gt 0 ]] || { echo "make-stream: no clips in '$dir'" >&2; exit 1; }
  awk -v l="$(basename "$dir")" -v p="$position" -v rate="$rate" \
    'BEGIN { printf "%s,%.3f\n", l, p / rate }' >> "$work/truth.csv"
  add_clip "${files[$(random_below ${#files[@]})]}"
  add_silence "$(gap_samples)"
  if [[ ${#unknown_files[@]} -gt 0 && $((i % unknown_every)) -eq 0 ]]; then
    add_clip "${unknown_files[$(random_below ${#unknown_files[@]})]}"
    add_silence "$(gap_samples)"
  fi
done

sox "${pieces[@]}" "$work/speech.wav"
total=$(soxi -s "$work/speech.wav")
if [[ -n "$noise" && "$noise_volume" != "0" ]]; then
  # Convert first, so that trim counts samples at the stream's rate.
  sox "$noise" -r "$rate" -c 1 -b 16 "$work/noise-source.wav"
  noise_samples=$(soxi -s "$work/noise-source.wav")
  repeats=$(( total / noise_samples + 1 ))
  start=$(random_below "$noise_samples")
  sox "$work/noise-source.wav" "$work/noise.wav" repeat "$repeats" \
    trim "${start}s" "${total}s" vol "$noise_volume"
  # -G lowers the gain where the sum would clip.
  sox -V1 -G -m -v 1 "$work/speech.wav" -v 1 "$work/noise.wav" -b 16 "$out_wav"
else
  cp "$work/speech.wav" "$out_wav"
fi
cp "$work/truth.csv" "$out_csv"
echo "make-stream: $(( $(wc -l < "$out_csv") - 1 )) words, $(awk -v s="$total" -v r="$rate" 'BEGIN { printf "%.1f", s / r }') s -> $out_wav, $out_csv" >&2
