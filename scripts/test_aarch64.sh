#!/usr/bin/env bash
# Cross-build hotpath for aarch64 and run its tests under qemu-user on this x86-64 machine:
#   1. system packages via apt-get if missing: the cross compiler (gcc-aarch64-linux-gnu),
#      qemu-user, and Check for arm64 (check:arm64, after dpkg --add-architecture arm64)
#   2. configure build/aarch64 with cross/aarch64-linux-gnu.ini, warnings as errors; build
#   3. the whole Check runner under qemu (every suite; vector and sum run their SIMD
#      checks at the scalar and NEON levels)
#   4. tests/c/neon_test.c under qemu: every NEON kernel against the scalar level through
#      the public API (lengths 0..67, 4096, 100003, unaligned rows, NaN/inf, the f32
#      bound at dim 4096, i8 exact, sums bit-identical to the 16-lane AVX2 layout)
#   5. the header, fuzz-corpus and exported-symbol tests (meson test, through the cross
#      file's exe_wrapper)
# and prints one summary line: "aarch64 (qemu): N checks passed".
#
# Decision: the full Check runner (option b), not a standalone assert program. Debian's
# check:arm64 is Multi-Arch: same and installs cleanly beside the amd64 one; the cross gcc
# finds its header in /usr/include and its libraries in /usr/lib/aarch64-linux-gnu, and the
# whole runner takes about 1.5 minutes under qemu. That also proves that the whole library
# builds warning-free and passes on aarch64, not only the NEON kernels.
#
# One test cannot run under qemu-user 7.2 (Debian 12): a forked child of a threaded
# process that starts threads makes qemu abort ("cpu == current_cpu" assertion; a plain C
# program without hotpath reproduces it). test_pool__child_after_fork_recreates_pool does
# exactly that, so its failure is accepted only together with that qemu assertion in the
# log, and it is not counted. Any other failure fails the script.
#
# Timing is meaningless under emulation: nothing here is a benchmark.
# Usage: bash scripts/test_aarch64.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==== %s\n' "$*"; }

# The cross file's exe_wrapper, for running the test binaries directly (so Check's own
# output, and its summary line, come through unchanged). The cross libc from the sysroot
# is put first: the multiarch libc6:arm64 that check:arm64 pulls in may be a different
# build than the sysroot's loader, and mixing the two hangs in pthread_create.
QEMU=(qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib)
LIMIT=900 # seconds per runner; Check's own timeouts are not reliable under qemu-user

step "system packages (aarch64 cross compiler, qemu-user, Check for arm64)"
need=()
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
command -v qemu-aarch64 >/dev/null 2>&1 || need+=(qemu-user)
dpkg -s check:arm64 >/dev/null 2>&1 || need+=(check:arm64)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]}"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "all present ($(aarch64-linux-gnu-gcc -dumpfullversion) cross gcc," \
    "$(qemu-aarch64 --version | head -n 1), check:arm64 $(dpkg-query -W -f='${Version}' check:arm64))"
fi

step "cross build for aarch64 (warnings are errors)"
cross=cross/aarch64-linux-gnu.ini
meson setup build/aarch64 --cross-file "$cross" -Dwerror=true --wipe >/dev/null 2>&1 \
  || meson setup build/aarch64 --cross-file "$cross" -Dwerror=true >/dev/null
ninja -C build/aarch64 | tail -n 1
aarch64-linux-gnu-readelf -h build/aarch64/libhotpath.so.0 | grep -E "Class|Machine"

# Runs a Check runner under qemu; prints and returns (in $checks) its passed-check count.
run_check() {
  local name=$1 exe=$2 log=build/aarch64/$1.log
  set +e
  CK_TIMEOUT_MULTIPLIER=10 timeout "$LIMIT" "${QEMU[@]}" "$exe" >"$log" 2>&1
  local rc=$?
  set -e
  local line total failed errors
  line=$(grep -E '^[0-9]+%: Checks:' "$log" | tail -n 1 || true)
  echo "$name: ${line:-no summary (exit $rc)}"
  [ -n "$line" ] || { tail -n 30 "$log"; exit 1; }
  total=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
  failed=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
  errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
  local bad
  bad=$(grep -E ':[FE]:' "$log" || true)
  local known=0
  if [ -n "$bad" ]; then
    grep -E ':[FE]:' "$log" | head -n 20
    if [ "$(echo "$bad" | wc -l)" -eq 1 ] \
      && echo "$bad" | grep -q ':F:fork:test_pool__child_after_fork_recreates_pool:' \
      && grep -q 'cpu_exec: assertion failed' "$log"; then
      echo "  (not counted: qemu-user aborts in a forked child that starts threads; see the top of this script)"
      known=1
    else
      exit 1
    fi
  fi
  [ "$rc" -eq 0 ] || [ "$known" -eq 1 ] || { tail -n 30 "$log"; exit 1; }
  checks=$((total - failed - errors))
}

step "Check suites under qemu-aarch64"
run_check hotpath-tests build/aarch64/tests/hotpath-tests
all_checks=$checks

step "NEON kernels against the scalar level under qemu-aarch64"
run_check neon-tests build/aarch64/tests/neon-tests
all_checks=$((all_checks + checks))

step "header, fuzz corpus replay and exported symbols (meson test)"
meson test -C build/aarch64 --no-rebuild --print-errorlogs header-c fuzz-replay-utf8 exported-symbols \
  | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail):'

step "summary"
echo "aarch64 (qemu): $all_checks checks passed"
