#!/usr/bin/env bash
# Install everything the tests need, then run every C and Python test:
#   1. system packages (Check, valgrind, pkg-config, a C++ compiler) via apt-get if missing
#   2. the Python package with its test extras (pytest, hypothesis, xxhash, numpy,
#      pyarrow, rapidfuzz, stringzilla, tqdm)
#   3. a check that lib/text/unicode_tables.{c,h} match their generator
#   4. the C build with warnings as errors: Check suites, header tests, exported-symbol
#      test, CLI test (meson test), printing Check's summary line
#   5. a staged install, and a C program built against it with pkg-config
#   6. the Check suites again under AddressSanitizer + UndefinedBehaviorSanitizer
#   7. the Check suites under valgrind (meson test --setup valgrind); beside 6 and 7, in
#      the background, scripts/test_aarch64.sh: an aarch64 cross build (gcc-aarch64-linux-gnu
#      and qemu-user via apt-get) running the Check suites and the NEON-vs-scalar tests
#      under qemu-user
#   8. pytest once per backend (cffi with the CPython fast path, then ctypes without it),
#      printing pytest's summary lines
# Usage: bash scripts/test.sh [--quick]   (--quick skips the sanitizer, valgrind and aarch64
# runs)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
PY=${PYTHON:-python3}
summary=()

step() { printf '\n==== %s\n' "$*"; }

step "system packages"
need=()
pkg-config --version >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists check 2>/dev/null || need+=(check)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "all present (check $(pkg-config --modversion check), $(valgrind --version))"
fi

step "Python package and test dependencies"
$PY -m pip install -q --disable-pip-version-check --root-user-action=ignore ".[test]" 2>&1 \
  | grep -v "^WARNING: Running pip as" || true
$PY -c "import hotpath, sys; print('installed hotpath', hotpath.version(), 'at', hotpath.library_path())"

step "generated Unicode tables are up to date"
$PY scripts/gen_unicode_tables.py --check

step "C build (warnings are errors) and meson test"
meson setup build/ci --wipe -Dwerror=true >/dev/null 2>&1 || meson setup build/ci -Dwerror=true >/dev/null
ninja -C build/ci >/dev/null
meson test -C build/ci --print-errorlogs | tail -n 12
check_line=$(CK_VERBOSITY=normal build/ci/tests/hotpath-tests 2>&1 | grep -E '^[0-9]+%: Checks:' | tail -n 1)
echo "Check: $check_line"
summary+=("Check (release build): $check_line")
cli_line=$($PY tests/cli_test.py build/ci/tools/hotpath | tail -n 1)
summary+=("CLI $cli_line")

step "install (staged) and build a C program with pkg-config"
rm -rf build/stage
meson install -C build/ci --destdir "$PWD/build/stage" --quiet >/dev/null
pcdir=$(dirname "$(find build/stage -name hotpath.pc | head -n 1)")
libdir=$(dirname "$(find build/stage -name 'libhotpath.so.0' | head -n 1)")
flags=$(PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$PWD/build/stage" pkg-config --cflags --libs hotpath)
cc -std=c11 -Wall -Wextra -Werror examples/split_and_hash.c $flags -o build/stage/split_and_hash
out=$(printf 'hello\nworld' | LD_LIBRARY_PATH="$libdir" build/stage/split_and_hash)
echo "$out"
[ "$(echo "$out" | head -n 1)" = "9555e8555c62dcfd  hello" ] || { echo "pkg-config example gave wrong output"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$(find build/stage -path '*bin/hotpath')" version

if [ $quick -eq 0 ]; then
  # The emulated aarch64 run is single-threaded and mostly waits on qemu: it runs on the
  # other core while the sanitizer and valgrind runs below take this one.
  step "aarch64: cross build, Check suites and NEON kernels under qemu-user (background)"
  bash scripts/test_aarch64.sh >build/ci/aarch64.log 2>&1 &
  aarch64_pid=$!
  trap 'kill "$aarch64_pid" 2>/dev/null || true' EXIT
  echo "started (log: build/ci/aarch64.log)"

  step "Check suites under AddressSanitizer + UndefinedBehaviorSanitizer"
  meson setup build/asan --wipe -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
    -Dc_args=-fno-sanitize-recover=all >/dev/null 2>&1 \
    || meson setup build/asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
         -Dc_args=-fno-sanitize-recover=all >/dev/null
  ninja -C build/asan tests/hotpath-tests >/dev/null
  asan_line=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    build/asan/tests/hotpath-tests 2>&1 | tee build/asan/check.log | grep -E '^[0-9]+%: Checks:' | tail -n 1)
  echo "Check under ASan+UBSan: $asan_line"
  if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' build/asan/check.log; then
    grep -E -A20 'runtime error|AddressSanitizer|LeakSanitizer' build/asan/check.log | head -n 60
    exit 1
  fi
  case "$asan_line" in 100%*) ;; *) cat build/asan/check.log | tail -n 40; exit 1 ;; esac
  summary+=("Check (ASan+UBSan): $asan_line")

  step "Check suites under valgrind"
  meson test -C build/ci --setup valgrind --print-errorlogs check header-c | tail -n 8
  summary+=("Check (valgrind): no errors, no definite or indirect leaks")

  step "aarch64 results (scripts/test_aarch64.sh)"
  if ! wait "$aarch64_pid"; then
    tail -n 40 build/ci/aarch64.log
    echo "aarch64 tests failed"
    exit 1
  fi
  trap - EXIT
  tail -n 12 build/ci/aarch64.log
  summary+=("$(tail -n 1 build/ci/aarch64.log)")
fi

# The cffi run keeps the CPython fast path (hotpath._fast) on; the ctypes run turns it
# off (HOTPATH_FAST=0), so the binding path it short-cuts is tested on every call too.
for backend in cffi ctypes; do
  step "pytest, backend $backend"
  fast=1
  [ "$backend" = ctypes ] && fast=0
  set +e
  HOTPATH_BACKEND=$backend HOTPATH_FAST=$fast $PY -m pytest tests/python -q -p no:cacheprovider 2>&1 \
    | tee build/ci/pytest-$backend.log | tail -n 25
  rc=${PIPESTATUS[0]}
  set -e
  line=$(grep -E '^[=]* ?[0-9]+ (passed|failed)' build/ci/pytest-$backend.log | tail -n 1)
  summary+=("pytest ($backend): $line")
  [ "$rc" -eq 0 ] || { echo "pytest failed on backend $backend"; exit "$rc"; }
done

step "summary"
for s in "${summary[@]}"; do echo "$s"; done
# One plain closing line over every runner above (Check counts its checks once, from
# the release build; the sanitizer and valgrind runs repeat the same checks).
total=0
for s in "${summary[@]}"; do
  n=$(echo "$s" | grep -oE '(Checks: [0-9]+|[0-9]+ passed)' | head -n 1 | grep -oE '[0-9]+' || true)
  case "$s" in "Check (ASan"*|"Check (valgrind"*) n=0 ;; esac
  total=$((total + ${n:-0}))
done
echo "all: $total passed, 0 failed"
