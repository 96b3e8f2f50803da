#!/usr/bin/env bash
# Installs what is needed, builds the dev preset (ASan + UBSan, -Werror) and
# runs every test: unit tests, policy lint/test/coverage, CLI scenarios, the
# benign corpus, fuzz-corpus replays, and the clang-format check.
# .ci/run calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
JOBS=${JOBS:-$(nproc)}
cmake --preset dev
cmake --build --preset dev -j "$JOBS"
ctest --preset dev -j "$JOBS"
./scripts/check-format.sh
echo "test.sh: all tests passed"
