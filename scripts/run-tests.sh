#!/usr/bin/env bash
# Installs, builds (Release, -Werror) and runs every test; then builds the
# unit tests with AddressSanitizer + UBSan and runs them too.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs=$(nproc)
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCITYKG_SANITIZE=ON -DCITYKG_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
# LMDB and raptor keep process-lifetime allocations; leaks are checked by the
# unit tests' own free paths, so only errors abort here.
(cd build-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -L unit)
echo "citykg: all tests passed"
