#!/usr/bin/env bash
# Installs every Debian package citykg needs and builds it (Release, with tests).
# Run as root on Debian 12. Safe to run again: apt and cmake skip what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  librdf0-dev libraptor2-dev librasqal3-dev librdf-storage-sqlite redland-utils
  libmicrohttpd-dev libgeos-dev libcmocka-dev liblmdb-dev lmdb-utils
  libpcre2-dev libcurl4-gnutls-dev libjansson-dev libproj-dev libgdal-dev
  zlib1g-dev libxml2-dev libgnutls28-dev
)
# Test-only tools: sqlite3 and db-util let the import test build Redland stores;
# time measures peak memory in tests and benchmarks; clang and its runtime
# libraries (libFuzzer, sanitizers) build the fuzz targets (scripts/fuzz.sh);
# chromium runs the web UI test headless; python3 serves the server tests'
# small helpers (URL encoding, JSON checks, raw sockets).
TEST_PACKAGES=( sqlite3 db-util time clang libclang-rt-14-dev chromium python3 )
# PROJ and GDAL command-line tools: independent expected values of the
# GeoSPARQL tests, and the CRS84 transform of the geo bench data.
TEST_PACKAGES+=( proj-bin gdal-bin )
# Node.js and npm run the differential test against Oxigraph (tests/diff).
# Only when missing: a machine may have a newer Node.js with npm bundled,
# which Debian's npm package would fight with.
command -v npm >/dev/null || TEST_PACKAGES+=( nodejs npm )

if [ "$(id -u)" = 0 ] && [ -z "${CITYKG_SKIP_APT:-}" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
fi

# Oxigraph 0.5.11 from npm (pinned by tests/diff/package-lock.json) for the
# differential test; the test itself downloads nothing. Again only when the
# lock file is newer than what node_modules holds.
if [ tests/diff/package-lock.json -nt tests/diff/node_modules/.package-lock.json ]; then
  (cd tests/diff && npm ci --no-audit --no-fund --loglevel=error)
fi

# YASGUI 4.6.2 from npm (pinned by server/ui/package-lock.json) for the web
# UI; the build compiles it into the binary (server/embed_assets.c), so
# nothing is fetched at run time. Install scripts are not run.
if [ server/ui/package-lock.json -nt server/ui/node_modules/.package-lock.json ]; then
  (cd server/ui && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCITYKG_WERROR=ON
cmake --build build -j"$(nproc)"
