#!/usr/bin/env bash
# The main job: installs what is needed, builds the release preset and starts
# `gatehouse serve` on an embedded SQLite file with demo data for the five
# trusts and the web application (web/dist), printing the address and the
# demo log-ins. Ctrl-C stops it.
#   GATEHOUSE_DB      the store (default build/demo.db; a postgres:// URL works too)
#   GATEHOUSE_LISTEN  HOST:PORT (default 127.0.0.1:8080)
# Extra arguments are passed to `gatehouse serve`. `gatehouse demo` (no server)
# screens the demo events and prints every finding.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
./scripts/web.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "${JOBS:-$(nproc)}" --target gatehouse
exec ./build/release/src/cli/gatehouse serve --demo \
  --db "${GATEHOUSE_DB:-build/demo.db}" --listen "${GATEHOUSE_LISTEN:-127.0.0.1:8080}" "$@"
