#!/usr/bin/env bash
# Installs what is needed, builds the dev preset (ASan + UBSan, -Werror) and
# runs every test: unit tests, policy lint/test/coverage, CLI scenarios, the
# benign corpus, fuzz-corpus replays, the web application end to end in
# headless Chromium (screenshots in build/dev/e2e/), and the clang-format check.
# .ci/run calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
./scripts/web.sh
JOBS=${JOBS:-$(nproc)}
cmake --preset dev
cmake --build --preset dev -j "$JOBS"
# A throwaway PostgreSQL server (scripts/pg.sh) so the store tests also run
# against PostgreSQL; stopped on exit whether or not the tests pass.
pg_env=$(./scripts/pg.sh start)
eval "$pg_env"
trap './scripts/pg.sh stop "$TEST_PG_DIR"' EXIT
export GATEHOUSE_TEST_PG_URL
ctest --preset dev -j "$JOBS"
./scripts/check-format.sh
echo "test.sh: all tests passed"
