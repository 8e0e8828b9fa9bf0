#!/usr/bin/env bash
# The whole test suite under ThreadSanitizer and under AddressSanitizer: one debug build each, in
# .build-tsan and .build-asan (gitignored), then `swift test`. Any report fails the run. Slow (two
# more full builds, each slower than the ordinary one): for before a release or after changing
# concurrent or unsafe code. scripts/test.sh runs the concurrency tests under TSan on every run.
# Usage: scripts/sanitize.sh [thread] [address]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=("$@")
[[ ${#sanitizers[@]} -gt 0 ]] || sanitizers=(thread address)
# halt_on_error: the first report fails the test process (TSan would otherwise exit 66 at the end).
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"
# LeakSanitizer: Tests/lsan.supp names the system libraries whose own leaks we cannot free
# (Foundation, XCTest, libvorbis). Some of them allocate from frames the fast unwinder cannot
# walk, leaving a leak with no stack to match, so the stacks are unwound fully: several times
# slower (35 min for the suite on a loaded 2-core machine, against 5 without leak stacks).
export ASAN_OPTIONS="halt_on_error=1 fast_unwind_on_malloc=0 ${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/Tests/lsan.supp ${LSAN_OPTIONS:-}"
for sanitizer in "${sanitizers[@]}"; do
  case "$sanitizer" in
    thread) scratch=.build-tsan ;;
    address) scratch=.build-asan ;;
    *) echo "sanitize: unknown sanitizer '$sanitizer' (thread, address)" >&2; exit 2 ;;
  esac
  echo "sanitize: building with --sanitize=$sanitizer in $scratch"
  swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 | tail -1
  status=0
  swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" \
    > "$scratch/test.log" 2>&1 || status=$?
  grep -E "Sanitizer|SUMMARY|✘|Test run with|Executed" "$scratch/test.log" || true
  [[ $status -eq 0 ]] || { echo "sanitize: $sanitizer FAILED (log: $scratch/test.log)" >&2; exit 1; }
  echo "sanitize: $sanitizer clean"
done
