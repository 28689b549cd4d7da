#!/usr/bin/env bash
# The main job: install, build, load the bundled Regensburg demo twin into an
# embedded store (./citykg-data) and serve it at http://127.0.0.1:8080 —
# the web UI at /, SPARQL at /sparql, the graph store at /data.
# Environment: CITYKG_DATA (store directory), CITYKG_PORT, CITYKG_BIND.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
DATA=${CITYKG_DATA:-./citykg-data}
PORT=${CITYKG_PORT:-8080}
BIND=${CITYKG_BIND:-127.0.0.1}
G=https://regensburg.example/graph
if [ ! -e "$DATA/data.mdb" ]; then
  for f in buildings parking catalog; do
    build/citykg load --data "$DATA" --graph "$G/$f" "data/demo/$f.ttl"
    # open data (CC BY 4.0, MIT, dl-zero-de): the public part of the twin
    build/citykg graph access --data "$DATA" "$G/$f" public
  done
fi
build/citykg check --data "$DATA" --quiet
build/citykg stats --data "$DATA"
cat <<EOT

citykg serves the demo twin at http://$BIND:$PORT/ (Ctrl-C stops it).
Anonymous visitors read the public graphs. A token for editing in the web UI:
  build/citykg token create --data $DATA --role steward
EOT
exec build/citykg serve --data "$DATA" --port "$PORT" --bind "$BIND"
