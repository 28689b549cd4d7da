#!/usr/bin/env bash
# Installs what tests/bench/load_bench.sh and query_bench.sh need: the peer
# engines (Apache Jena TDB2 and Virtuoso from Debian, Oxigraph from npm into
# tests/bench/node_modules) and the tools (GNU time, rapper, unzip, curl, a C
# compiler, make, a JDK, Node.js).
# Run as root on Debian 12. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential     # cc + make for gen_city
  time                # /usr/bin/time: peak RSS
  raptor2-utils       # rapper: validates the generated N-Quads
  unzip               # extracts the Xerces message bundles for Jena
  iproute2            # ss: finds a free port for Virtuoso
  curl                # query_bench: SPARQL requests to Virtuoso
  libapache-jena-java # Jena 4.5.0: tdb2.tdbloader
  virtuoso-opensource # Virtuoso 7.2.5: virtuoso-t + isql-vt
)
# Only when missing: a JDK (Jena's package does not pull in Java; query_bench
# compiles QueryJena.java with javac) and Node.js + npm (a machine may already
# have a newer Node.js with npm bundled; Debian's npm package would fight with
# it).
command -v javac >/dev/null || PACKAGES+=(default-jdk-headless)
command -v npm >/dev/null || PACKAGES+=(nodejs npm)

if [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
  # Under systemd the package also starts a system-wide Virtuoso on the default
  # ports 1111/8890; the benchmark never uses it (it runs a private server).
  if command -v systemctl >/dev/null && systemctl is-active --quiet virtuoso-opensource-7 2>/dev/null; then
    systemctl stop virtuoso-opensource-7 || true
  fi
else
  echo "setup-peers: not root, skipping apt-get (needs: ${PACKAGES[*]})" >&2
fi

node --version | grep -qE '^v(1[89]|[2-9][0-9])\.' ||
  echo "setup-peers: warning: Node.js $(node --version) is old; oxigraph 0.5 wants >= 18" >&2
npm ci --no-audit --no-fund
make -s work/gen_city
echo "setup-peers: done (Jena $(dpkg-query -W -f='${Version}' libapache-jena-java)," \
  "Virtuoso $(dpkg-query -W -f='${Version}' virtuoso-opensource)," \
  "oxigraph $(node -p "require('./node_modules/oxigraph/package.json').version"))"
