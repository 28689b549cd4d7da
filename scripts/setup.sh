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
  zlib1g-dev libxml2-dev
)
# Test-only tools: sqlite3 and db-util let the import test build Redland stores;
# time measures peak memory in tests and benchmarks.
TEST_PACKAGES=( sqlite3 db-util time )

if [ "$(id -u)" = 0 ] && [ -z "${CITYKG_SKIP_APT:-}" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCITYKG_WERROR=ON
cmake --build build -j"$(nproc)"
