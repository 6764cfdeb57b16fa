#!/bin/sh
# test.sh: installs what is missing, builds and runs the whole test suite, as CI does:
#   1. style: clang-format on every C file
#   2. dev build (warnings are errors): unit, conformance, CLI and corpus-replay tests
#   3. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   4. fuzz smoke runs (libFuzzer, clang), a few seconds per target
# Environment: JOBS (default: number of cores), HC_FUZZ_SECONDS (default 10).
set -eu
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${HC_FUZZ_SECONDS:-10}

sh scripts/install-deps.sh --test

echo "== style (clang-format)"
if command -v clang-format >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    clang-format --dry-run --Werror $(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests fuzz bench -name '*.[ch]')
fi

echo "== dev build"
cmake -S . -B build/dev -DHC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/dev -j "$jobs"
ctest --test-dir build/dev --output-on-failure -j "$jobs"

echo "== sanitizers (ASan + UBSan)"
cmake -S . -B build/asan -DHC_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DHC_SANITIZE=address,undefined >/dev/null
cmake --build build/asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build/asan --output-on-failure -j "$jobs"

echo "== fuzz smoke (libFuzzer, ${fuzz_seconds}s per target)"
CC=clang cmake -S . -B build/fuzz -DHC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHC_BUILD_TESTS=OFF -DHC_FUZZ=ON -DHC_SANITIZE=address,undefined \
    -DHC_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build/fuzz -j "$jobs" --target fuzz_all
ctest --test-dir build/fuzz --output-on-failure -j "$jobs" -L fuzz
