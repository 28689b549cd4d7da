#!/usr/bin/env bash
# The main job: install, build, load the bundled Regensburg demo twin into an
# embedded store (./citykg-data) and print its statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
DATA=${CITYKG_DATA:-./citykg-data}
G=https://regensburg.example/graph
if [ ! -e "$DATA/data.mdb" ]; then
  build/citykg load --data "$DATA" --graph "$G/buildings" data/demo/buildings.ttl
  build/citykg load --data "$DATA" --graph "$G/parking" data/demo/parking.ttl
  build/citykg load --data "$DATA" --graph "$G/catalog" data/demo/catalog.ttl
fi
build/citykg check --data "$DATA" --quiet
build/citykg stats --data "$DATA"
