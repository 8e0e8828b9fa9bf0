#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input (model files, manifests, truth files, audio bytes) with
# libFuzzer and AddressSanitizer, one target after another, for N seconds each (default 60).
# A crash stops the script with libFuzzer's report; the input that caused it is saved as
# .build-fuzz/crashes/<target>-crash-<sha1> (replay it with `speechcmd-fuzz TARGET FILE` from an
# ordinary build, and keep it as a regression test). Inputs that add coverage accumulate in
# .build-fuzz/corpus/<target>/; the committed seeds are Fuzz/corpus/<target>/.
# --seed S makes the mutation sequence repeatable (the test suite's short pass uses one); without
# it each run explores differently.
# Usage: scripts/fuzz.sh [--seconds N] [--seed S] [TARGET...]   (targets: model manifest truth audio head)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
seed=0
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 ]] || { echo "fuzz: --seconds must be a positive whole number" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "fuzz: --seed must be a whole number" >&2; exit 2; }
[[ ${#targets[@]} -gt 0 ]] || targets=(model manifest truth audio head)

scratch=.build-fuzz
# SwiftPM hands swiftc `-sanitize=fuzzer -sanitize=address` as two flags, and swift-driver keeps
# only the last, so the Swift code would get no coverage counters and libFuzzer would mutate
# blind. The combined flag after them (the last wins) instruments the Swift code for both; SwiftPM's
# own flags still set up the C targets and the link. The counter check below catches a regression.
swift build --sanitize=fuzzer --sanitize=address --scratch-path "$scratch" \
  --product speechcmd-fuzz -Xswiftc -DSPEECHCMD_LIBFUZZER -Xswiftc -sanitize=fuzzer,address 2>&1 \
  | grep -v "Cannot export local symbol" | tail -3
fuzzer="$scratch/debug/speechcmd-fuzz"
min_counters=10000

for target in "${targets[@]}"; do
  [[ -d "Fuzz/corpus/$target" ]] || { echo "fuzz: unknown target '$target' (model manifest truth audio head)" >&2; exit 2; }
  mkdir -p "$scratch/corpus/$target" "$scratch/crashes"
  echo "fuzz: $target for ${seconds}s"
  # -rss_limit_mb: a parser that allocates without bound fails here; -timeout: one that hangs.
  # Fuzz/lsan.supp: leaks inside system C libraries (see there); our own code stays leak-checked.
  # SWIFT_BACKTRACE=enable=no: a Swift trap (e.g. "Fatal error: index out of range") is then
  # reported by libFuzzer as a deadly signal with the message and stack; Swift's own backtracer
  # would instead read memory ASan forbids and bury the trap under an unrelated ASan report.
  # -seed=0 is libFuzzer's "pick one at random".
  if ! SPEECHCMD_FUZZ_TARGET="$target" LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp" SWIFT_BACKTRACE=enable=no \
      "$fuzzer" -seed="$seed" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$scratch/crashes/$target-" "$scratch/corpus/$target" "Fuzz/corpus/$target" \
      > "$scratch/$target.log" 2>&1; then
    tail -40 "$scratch/$target.log" >&2
    echo "fuzz: $target FAILED; input saved under $scratch/crashes/" >&2
    exit 1
  fi
  # "INFO: Loaded 1 modules (N inline 8-bit counters)": one counter per instrumented branch. The
  # Swift parsers alone have tens of thousands; a few dozen means the build lost its coverage.
  counters=$(sed -n 's/^INFO: Loaded [0-9]* modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$scratch/$target.log" | head -1)
  if [[ -z "$counters" || "$counters" -lt "$min_counters" ]]; then
    echo "fuzz: $target ran with ${counters:-no} coverage counters (expected at least $min_counters): the build is not instrumented, so the run proves nothing" >&2
    exit 1
  fi
  echo -n "$counters counters; "
  grep -E "^stat::number_of_executed_runs|^Done" "$scratch/$target.log" | tr '\n' ' '
  echo
done
echo "fuzz: no failures in ${#targets[@]} targets × ${seconds}s"
