#!/usr/bin/env bash
# Builds a synthetic speech-command corpus in the Speech Commands folder layout with espeak-ng
# and sox, so the demo and the tests have data without downloading anything.
#
#   <word>/<speaker>_nohash_<take>.wav          yes no up down left right on off stop go
#   _unknown_/<word>_<speaker>_nohash_0.wav     other words (the dataset's auxiliary words)
#   _silence_/<nnnn>.wav                        one-second excerpts of the noise below
#   _background_noise_/<kind>_noise.wav         20–30 s of white, pink, brown noise and a hum
#   validation_list.txt, testing_list.txt       the dataset's SHA-1 `which_set` rule (10 % / 10 %)
#   voices.tsv                                  speaker id → split and espeak-ng parameters
#   MAKE-SAMPLES.txt                            options and tool versions (an up-to-date corpus is reused)
#
# Every clip is 16 kHz mono 16-bit PCM, exactly one second, the word roughly centred.
# A "speaker" is one espeak-ng voice (accent + variant, e.g. en-us+m3) with its own base pitch and
# speed; its 8-hex id is the start of SHA-1("speechcmd-espeak:<voice>"), so the split of a voice
# never changes and voices in testing_list.txt are never heard in training.
# Takes differ in speed, pitch and punctuation (. ! ?); "realism" adds a seeded peak level, a slight
# tempo change, an off-centre position and a quiet pink-noise floor. All variation comes from SHA-1
# of the seed and the clip's name, so the same script, options and espeak-ng/sox versions give
# byte-identical files.
#
# Usage: scripts/make-samples.sh [options] [OUTDIR]      (--help for the options)
set -euo pipefail
export LC_ALL=C   # the same sort and glob order everywhere

readonly COMMAND_WORDS=(yes no up down left right on off stop go)
readonly UNKNOWN_WORDS=(backward bed bird cat dog eight five follow forward four happy house learn
  marvin nine one seven sheila six three tree two visual wow zero)
# Accents (espeak-ng language voices) and variants (voices/!v); speaker i is ACCENTS[i % 8]+VARIANTS[i].
readonly ACCENTS=(en-us en-gb en-gb-scotland en-029 en-gb-x-rp en-us-nyc en-gb-x-gbclan en-gb-x-gbcwmd)
readonly VARIANTS=(m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 croak whisper whisperf klatt klatt2
  klatt4 Alex Alicia Andrea Andy Annie Denis Diogo Gene Henrique Hugo Jacky Lee Marco Mario Michael
  Mike Nguyen Storm Tweaky adam anika announcer antonio aunty belinda benjamin boris david ed edward
  grandma grandpa gustave iven john linda marcelo max michel miguel norbert pablo paul pedro quincy
  rob robert sandro shelby steph travis victor zac)
readonly RATE=16000 CLIP=16000 MAX_SPEECH=15200   # samples: 1 s clip, at most 0.95 s of speech
readonly FLOOR_SECONDS=20 FLOOR_OFFSETS=$(( 18 * RATE ))  # noise floor: clips start in its first 18 s
readonly VALIDATION_PCT=10 TESTING_PCT=10 MAX_NUM_WAVS_PER_CLASS=134217727   # 2^27 - 1, as in TF
readonly DEF_TAKES=2 DEF_UNKNOWN=6 DEF_SILENCE=100 DEF_SEED=1
readonly STAMP=MAKE-SAMPLES.txt STAMP_MARK="Made by scripts/make-samples.sh"
readonly SUBSET_MARK="# Sample clips made by scripts/make-samples.sh"

usage() {
  cat <<EOF
Usage: scripts/make-samples.sh [options] [OUTDIR]

Builds a synthetic speech-command corpus in OUTDIR (default ./corpus) in the Speech Commands
layout: ten command words spoken by ${#VARIANTS[@]} espeak-ng voices, _unknown_ words, _silence_ clips,
_background_noise_, validation_list.txt and testing_list.txt. Deterministic; an up-to-date OUTDIR
is reused ($STAMP records the options and tool versions).

Options:
  --subset DIR   also copy a small subset (3 clips per command word from testing-set voices,
                 2 unknown words, 3 s of pink noise) into DIR, e.g. samples/clips
  --takes N      takes of each command word per voice (default $DEF_TAKES)
  --unknown N    unknown words per voice (default $DEF_UNKNOWN)
  --silence N    number of _silence_ clips (default $DEF_SILENCE)
  --seed N       seed of the take and realism variation (default $DEF_SEED); voices keep their ids
  --plain        no realism: fixed peak level, no tempo change, exactly centred, no noise floor
  --jobs N       parallel synthesis jobs (default: number of CPUs)
  --force        rebuild OUTDIR even if it is up to date
  -h, --help     show this help

Installs espeak-ng and sox with scripts/setup.sh when they are missing.
EOF
}

die() { echo "make-samples: error: $*" >&2; exit 1; }
log() { echo "make-samples: $*" >&2; }

# SHA-1 of a string as 40 hex digits.
sha1hex() {
  local h
  h=$(printf '%s' "$1" | sha1sum)
  echo "${h%% *}"
}

# The Speech Commands `which_set` rule on a speaker id: validation, testing or training.
which_set() {
  local h x
  h=$(sha1hex "$1")
  x=$(( 16#${h: -7} & 0x7FFFFFF ))   # int(sha1, 16) % 2^27
  if (( x * 100 < VALIDATION_PCT * MAX_NUM_WAVS_PER_CLASS )); then echo validation
  elif (( x * 100 < (VALIDATION_PCT + TESTING_PCT) * MAX_NUM_WAVS_PER_CLASS )); then echo testing
  else echo training
  fi
}

# Sets variable $1 to integer hundredths $2 as a decimal string: 97 -> 0.97, -350 -> -3.50.
centi() {
  local v=$2 sign=""
  (( v < 0 )) && { sign=-; v=$(( -v )); }
  printf -v "$1" '%s%d.%02d' "$sign" $(( v / 100 )) $(( v % 100 ))
}

# ---------------------------------------------------------------------------------------------
# Worker: synthesises the clips described by its arguments (one tab-separated job per argument).
# Runs as `make-samples.sh --worker JOB...` under xargs; settings come from MS_* variables.
#   speech  REL  VOICE  BASE_SPEED  BASE_PITCH  TEXT  TAKE
#   silence REL  NOISE_FILE  OFFSET_SAMPLES  PEAK_DB
# ---------------------------------------------------------------------------------------------
synth_speech() {
  local rel=$1 voice=$2 speed=$3 pitch=$4 text=$5 take=$6
  local h n1 n2 n3 n4 n5 n6 n7 punct peak factor tempo=() len slack left room lead inputs
  local raw=(-t raw -r "$RATE" -c 1 -b 16 -e signed)
  h=$(sha1hex "$MS_SEED:$voice:$text:$take")
  n1=$((16#${h:0:6})) n2=$((16#${h:6:6})) n3=$((16#${h:12:6}))
  n4=$((16#${h:18:6})) n5=$((16#${h:24:6})) n6=$((16#${h:30:6})) n7=$((16#${h:36:4}))
  # Take variation: speed ±10 %, pitch ±6, mostly statements, some exclamations and questions.
  speed=$(( speed * (90 + n1 % 21) / 100 ))
  pitch=$(( pitch - 6 + n2 % 13 ))
  (( pitch < 0 )) && pitch=0
  (( pitch > 99 )) && pitch=99
  case $(( n3 % 20 )) in
    1[2-7]) punct='!' ;;
    1[89]) punct='?' ;;
    *) punct='.' ;;
  esac
  if [[ $MS_PLAIN == 1 ]]; then
    centi peak -300
  else
    centi peak $(( -(200 + n4 % 1601) ))     # peak level −2 … −18 dBFS
    centi factor $(( 93 + n5 % 15 ))         # tempo 0.93 … 1.07
    tempo=(tempo -s "$factor")
  fi
  # The word starts `lead` samples into $work.raw; the clip is cut from lead − left, and the noise
  # floor is mixed in from the same position of floor.raw, so `lead` also picks the floor excerpt.
  lead=$(( 9600 + (MS_PLAIN == 1 ? 0 : n1 / 21 % FLOOR_OFFSETS) ))
  espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$work.wav" "$text$punct"
  # Resample, trim the silence around the word (with 5 ms fades), then pad.
  sox -R -D "$work.wav" "${raw[@]}" "$work.raw" vol 0.5 rate "$RATE" "${tempo[@]}" norm -1 \
    silence 1 0.01 -45d fade q 0.005 reverse silence 1 0.01 -45d fade q 0.005 reverse \
    pad "${lead}s" "${CLIP}s"
  len=$(( $(stat -c %s "$work.raw") / 2 - lead - CLIP ))
  if (( len <= 0 )); then
    echo "make-samples: error: espeak-ng produced no speech for '$text' ($voice)" >&2
    return 1
  fi
  if (( len > MAX_SPEECH )); then   # a slow voice: speed it up to fit, without changing pitch
    local milli=$(( len * 1000 / MAX_SPEECH + 1 ))
    sox -R -D "${raw[@]}" "$work.raw" "${raw[@]}" "$work.fit.raw" trim "${lead}s" "${len}s" \
      tempo -s "$(( milli / 1000 )).$(printf '%03d' $(( milli % 1000 )))" pad "${lead}s" "${CLIP}s"
    mv "$work.fit.raw" "$work.raw"
    len=$(( $(stat -c %s "$work.raw") / 2 - lead - CLIP ))
    (( len <= CLIP )) || len=$CLIP
  fi
  slack=$(( CLIP - len ))
  left=$(( slack / 2 ))
  if [[ $MS_PLAIN == 1 ]]; then
    inputs=("${raw[@]}" "$work.raw")
  else
    # Off-centre by up to ±0.1 s (within the room there is), over a pink-noise floor 40–60 dB
    # below the peak, like a quiet room.
    room=$(( left < 1600 ? left : 1600 ))
    left=$(( left + room * (n6 % 201 - 100) / 100 ))
    centi factor $(( 10 + n7 % 91 ))
    inputs=(-m -v 1 "${raw[@]}" "$work.raw" -v "$factor" "${raw[@]}" "$MS_TMP/floor.raw")
  fi
  sox -R -D "${inputs[@]}" -t wav "$MS_OUT/$rel" trim "$(( lead - left ))s" "${CLIP}s" norm "$peak"
}

synth_silence() {
  local rel=$1 noise=$2 offset=$3 peak
  centi peak "$4"
  sox -R -D "$MS_OUT/_background_noise_/$noise" "$MS_OUT/$rel" trim "${offset}s" "${CLIP}s" norm "$peak"
}

run_worker() {
  work="$MS_TMP/w$$"
  local job kind rest
  for job in "$@"; do
    IFS=$'\t' read -r kind rest <<<"$job"
    IFS=$'\t' read -r -a fields <<<"$rest"
    if ! "synth_$kind" "${fields[@]}"; then
      echo "make-samples: error: could not make ${fields[0]}" >&2
      exit 255   # makes xargs stop at once
    fi
  done
  rm -f "$work".*
}

if [[ ${1:-} == --worker ]]; then
  shift
  run_worker "$@"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
outdir=./corpus outdir_given="" subset="" plain=0 force=0
takes=$DEF_TAKES unknown=$DEF_UNKNOWN silence=$DEF_SILENCE seed=$DEF_SEED
jobs=$(nproc 2>/dev/null || echo 2)
need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }
need_count() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 must be a whole number, not '$2'"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --subset) need_value "$@"; subset=$2; shift 2 ;;
    --takes) need_value "$@"; need_count "$1" "$2"; takes=$2; shift 2 ;;
    --unknown) need_value "$@"; need_count "$1" "$2"; unknown=$2; shift 2 ;;
    --silence) need_value "$@"; need_count "$1" "$2"; silence=$2; shift 2 ;;
    --seed) need_value "$@"; need_count "$1" "$2"; seed=$2; shift 2 ;;
    --jobs) need_value "$@"; need_count "$1" "$2"; jobs=$2; shift 2 ;;
    --plain) plain=1; shift ;;
    --force) force=1; shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z $outdir_given ]] || die "only one OUTDIR may be given ('$outdir' and '$1')"
       outdir=$1 outdir_given=1; shift ;;
  esac
done
(( takes >= 1 && takes <= 20 )) || die "--takes must be between 1 and 20"
(( unknown <= ${#UNKNOWN_WORDS[@]} )) || die "--unknown must be at most ${#UNKNOWN_WORDS[@]}"
(( jobs >= 1 )) || die "--jobs must be at least 1"
outdir=${outdir%/}
content_options=""   # the options that change the files, for MAKE-SAMPLES.txt and ABOUT.md
(( takes == DEF_TAKES )) || content_options+=" --takes $takes"
(( unknown == DEF_UNKNOWN )) || content_options+=" --unknown $unknown"
(( silence == DEF_SILENCE )) || content_options+=" --silence $silence"
(( seed == DEF_SEED )) || content_options+=" --seed $seed"
(( plain == 0 )) || content_options+=" --plain"
[[ -n $outdir ]] || die "OUTDIR must not be the root folder"
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v espeak-ng >/dev/null 2>&1 || ! command -v sox >/dev/null 2>&1; then
  log "espeak-ng or sox is missing; installing them with scripts/setup.sh"
  "$script_dir/setup.sh" espeak-ng sox || die "could not install espeak-ng and sox"
fi

# The voices must exist: espeak-ng silently falls back to its default voice for unknown names.
available_accents=" $(espeak-ng --voices | awk 'NR > 1 { print $2 }' | tr '\n' ' ') "
available_variants=" $(espeak-ng --voices=variant |
  awk 'NR > 1 { sub(/^!v\//, "", $5); print $5 }' | tr '\n' ' ') "
for a in "${ACCENTS[@]}"; do
  [[ $available_accents == *" $a "* ]] ||
    die "espeak-ng has no voice '$a' (espeak-ng --voices); this script needs espeak-ng 1.51 or later"
done
for v in "${VARIANTS[@]}"; do
  [[ $available_variants == *" $v "* ]] ||
    die "espeak-ng has no variant '$v' (espeak-ng --voices=variant)"
done

versions="$(espeak-ng --version | sed 's/ *Data at:.*//'), $(sox --version 2>&1 | sed 's/^sox: *//')"
fingerprint=$(sha1hex "$(cat "${BASH_SOURCE[0]}")|$takes|$unknown|$silence|$seed|$plain|$versions")

build_corpus() {
  local start=$SECONDS tmp build i voice h id split word t n noise
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-samples.XXXXXX")
  build="$outdir.partial"
  trap 'rm -rf "$tmp" "$build"' EXIT
  rm -rf "$build"
  mkdir -p "$build/_background_noise_"
  # No empty label folders: a loader may take one for a class without examples.
  (( unknown == 0 )) || mkdir "$build/_unknown_"
  (( silence == 0 )) || mkdir "$build/_silence_"
  for word in "${COMMAND_WORDS[@]}"; do mkdir "$build/$word"; done
  log "building $outdir with ${#VARIANTS[@]} voices, $takes takes per word, $jobs jobs ($versions)"

  # Background noise: one fixed random sequence (sox -R), decorrelated by different offsets.
  local nb=(-R -D -n -r "$RATE" -c 1 -b 16 -e signed)
  sox "${nb[@]}" "$build/_background_noise_/white_noise.wav" synth 30 whitenoise norm -8
  sox "${nb[@]}" "$build/_background_noise_/pink_noise.wav" synth 47 pinknoise trim 17 norm -6
  sox "${nb[@]}" "$build/_background_noise_/brown_noise.wav" synth 61 brownnoise trim 31 norm -6
  sox "${nb[@]}" "$build/_background_noise_/hum_noise.wav" synth 43 brownnoise trim 23 \
    synth 20 sine mix 100 synth 20 sine mix 150 norm -10

  # The noise floor under the realistic clips: pink noise at −40 dBFS RMS, scaled per clip.
  sox "${nb[@]}" -t raw "$tmp/floor.raw" synth 75 pinknoise trim 53 "$FLOOR_SECONDS" norm -6 gain -20

  # Job list and the metadata files.
  : >"$tmp/jobs"
  printf 'speaker\tset\tvoice\tspeed\tpitch\n' >"$build/voices.tsv"
  : >"$build/validation_list.txt"
  : >"$build/testing_list.txt"
  for i in "${!VARIANTS[@]}"; do
    voice="${ACCENTS[i % ${#ACCENTS[@]}]}+${VARIANTS[i]}"
    h=$(sha1hex "speechcmd-espeak:$voice")
    id=${h:0:8}
    local speed=$(( 135 + 16#${h:8:6} % 51 )) pitch=$(( 20 + 16#${h:14:6} % 61 ))
    split=$(which_set "$id")
    printf '%s\t%s\t%s\t%d\t%d\n' "$id" "$split" "$voice" "$speed" "$pitch" >>"$build/voices.tsv"
    local rels=()
    for word in "${COMMAND_WORDS[@]}"; do
      for (( t = 0; t < takes; t++ )); do
        rels+=("$word/${id}_nohash_$t.wav")
        printf 'speech\t%s\t%s\t%d\t%d\t%s\t%d\n' "${rels[-1]}" "$voice" "$speed" "$pitch" "$word" "$t"
      done
    done >>"$tmp/jobs"
    for (( n = 0; n < unknown; n++ )); do
      word=${UNKNOWN_WORDS[(i * unknown + n) % ${#UNKNOWN_WORDS[@]}]}
      rels+=("_unknown_/${word}_${id}_nohash_0.wav")
      printf 'speech\t%s\t%s\t%d\t%d\t%s\t0\n' "${rels[-1]}" "$voice" "$speed" "$pitch" "$word"
    done >>"$tmp/jobs"
    [[ $split == training ]] || printf '%s\n' "${rels[@]}" >>"$build/${split}_list.txt"
  done
  local kinds=(white pink brown hum)
  for (( n = 0; n < silence; n++ )); do
    h=$(sha1hex "$seed:silence:$n")
    noise=${kinds[16#${h:0:4} % 4]}_noise.wav
    printf 'silence\t_silence_/%04d.wav\t%s\t%d\t%d\n' "$n" "$noise" \
      $(( 16#${h:4:6} % (19 * RATE) )) $(( -(1000 + 16#${h:10:6} % 4001) )) >>"$tmp/jobs"
  done
  sort -o "$build/validation_list.txt" "$build/validation_list.txt"
  sort -o "$build/testing_list.txt" "$build/testing_list.txt"

  log "synthesising $(wc -l <"$tmp/jobs") clips"
  export MS_OUT=$build MS_TMP=$tmp MS_SEED=$seed MS_PLAIN=$plain
  if ! xargs -d '\n' -n 40 -P "$jobs" "${BASH_SOURCE[0]}" --worker <"$tmp/jobs"; then
    die "synthesis failed (see the messages above); $outdir is unchanged"
  fi
  printf '%s (fingerprint %s)\noptions:%s\ntools: %s\n' \
    "$STAMP_MARK" "$fingerprint" "${content_options:- (defaults)}" "$versions" >"$build/$STAMP"
  rm -rf "$outdir"
  mv "$build" "$outdir"
  rm -rf "$tmp"
  trap - EXIT
  log "built $outdir in $(( SECONDS - start )) s"
}

stamp_line() { head -1 "$outdir/$STAMP" 2>/dev/null || true; }
if [[ $force == 0 && $(stamp_line) == "$STAMP_MARK (fingerprint $fingerprint)" ]]; then
  log "$outdir is up to date (use --force to rebuild)"
elif [[ -e $outdir && $(stamp_line) != "$STAMP_MARK"* && -n $(ls -A "$outdir" 2>/dev/null) ]]; then
  die "$outdir exists and was not made by this script; choose another OUTDIR or remove it"
else
  build_corpus
fi

# A deterministic subset for the repository: testing-set voices only, so a model trained on the
# training voices of the corpus has never heard them.
make_subset() {
  local dir=${1%/} tests=() i word id k files
  if [[ -e $dir && -n $(ls -A "$dir" 2>/dev/null) ]]; then
    [[ $(head -1 "$dir/ABOUT.md" 2>/dev/null) == "$SUBSET_MARK" ]] ||
      die "$dir exists and was not made by this script; choose another folder or remove it"
    rm -rf "$dir"
  fi
  mapfile -t tests < <(awk -F'\t' '$2 == "testing" { print $1 }' "$outdir/voices.tsv" | sort)
  (( ${#tests[@]} >= 3 )) || die "fewer than 3 testing-set voices in $outdir/voices.tsv"
  mkdir -p "$dir/_background_noise_"
  for i in "${!COMMAND_WORDS[@]}"; do
    word=${COMMAND_WORDS[i]}
    mkdir -p "$dir/$word"
    for k in 0 1 2; do   # rotate through the testing voices so every voice appears
      id=${tests[(i + k) % ${#tests[@]}]}
      cp "$outdir/$word/${id}_nohash_0.wav" "$dir/$word/"
    done
  done
  for id in "${tests[@]}"; do   # two unknown words, from two voices
    files=("$outdir/_unknown_/"*"_${id}_nohash_0.wav")
    [[ -f ${files[0]} ]] || continue
    mkdir -p "$dir/_unknown_"
    cp "${files[0]}" "$dir/_unknown_/"
    (( $(ls "$dir/_unknown_" | wc -l) < 2 )) || break
  done
  sox -R -D "$outdir/_background_noise_/pink_noise.wav" "$dir/_background_noise_/pink_noise.wav" trim 0 3
  {
    echo "$SUBSET_MARK"
    echo
    echo "Synthetic one-second clips (16 kHz mono 16-bit) in the Speech Commands layout, spoken by"
    echo "espeak-ng voices of the corpus's testing set (never in its training set). Rebuild with:"
    echo
    echo "    scripts/make-samples.sh${content_options} --subset $dir"
    echo
    echo "Voices (speaker id, espeak-ng voice):"
    echo
    for id in "${tests[@]}"; do
      awk -F'\t' -v id="$id" '$1 == id { printf "- %s: %s (speed %s, pitch %s)\n", $1, $3, $4, $5 }' \
        "$outdir/voices.tsv"
    done
  } >"$dir/ABOUT.md"
  log "copied $(find "$dir" -name '*.wav' | wc -l) clips to $dir ($(du -sh "$dir" | cut -f1))"
}
[[ -z $subset ]] || make_subset "$subset"

count() { if [[ -d $outdir/$1 ]]; then find "$outdir/$1" -name '*.wav' | wc -l; else echo 0; fi; }
commands=0
for word in "${COMMAND_WORDS[@]}"; do commands=$(( commands + $(count "$word") )); done
splits=$(awk -F'\t' 'NR > 1 { n[$2]++ }
  END { printf "%d training, %d validation, %d testing", n["training"], n["validation"], n["testing"] }' \
  "$outdir/voices.tsv")
echo "corpus: $outdir: $commands command clips" \
  "(${#VARIANTS[@]} voices x ${#COMMAND_WORDS[@]} words x $takes takes)," \
  "$(count _unknown_) unknown, $(count _silence_) silence, $(count _background_noise_) noise files;" \
  "voices: $splits"
