#!/usr/bin/env bash
# Installs, builds (Release, -Werror) and runs every test; then builds the
# unit tests with AddressSanitizer + UBSan and runs them too, and the fuzz
# targets (scripts/fuzz.sh) for 30 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs=$(nproc)
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCITYKG_SANITIZE=ON -DCITYKG_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
# Unit tests under ASan (with LeakSanitizer) and UBSan.
(cd build-asan && UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs" -L unit)
# The libFuzzer targets (clang build in build-fuzz), 30 s each from the W3C seeds.
./scripts/fuzz.sh 30
echo "citykg: all tests passed"
