#!/usr/bin/env bash
# The main job: installs what is needed, builds the release preset and screens
# the demo events of the five trusts (demo/<trust>/events) against their policy
# packs with their demo registers, printing every finding with its clauses.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "${JOBS:-$(nproc)}" --target gatehouse
exec ./build/release/src/cli/gatehouse demo "$@"
