#!/usr/bin/env bash
# Checks every compiled pattern database of the five packs against its
# patterns compiled one at a time (match/set_check.h) on the evaluation texts
# as well as the corpus the normal test run uses: the *dev* splits of
# davidson, olid and ethos, the filter edge cases and the presidio-pii cases
# from ../shared/eval (never a test split). Skips, and says so, when
# ../shared/eval is absent.
#
#   bench/set_check.sh            # release build; exit 0 when the sets are right
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${EVAL:-../shared/eval}
if [[ ! -d $EVAL ]]; then
  echo "set_check: $EVAL is absent; skipped (the normal test run checks the repository's corpus)"
  exit 0
fi
WORK=${WORK:-/tmp/gh-set-check}
mkdir -p "$WORK"
python3 - "$EVAL" "$WORK/texts.jsonl" <<'PY'
import csv, json, sys
root, out = sys.argv[1], sys.argv[2]
n = 0
with open(out, "w") as f:
    for name in ("davidson/dev.csv", "olid/dev.csv", "ethos/dev.csv", "filter-edge-cases/cases.csv"):
        with open(f"{root}/{name}", newline="") as c:
            for row in csv.DictReader(c):
                f.write(json.dumps({"text": row["text"]}) + "\n"); n += 1
    with open(f"{root}/presidio-pii/cases.jsonl") as c:
        for line in c:
            f.write(json.dumps({"text": json.loads(line)["text"]}) + "\n"); n += 1
print(f"set_check: {n} texts from {root} (dev splits, edge cases, presidio cases)")
PY
cmake --preset release >/dev/null
cmake --build --preset release --target engine_tests -j"$(nproc)" >/dev/null
GATEHOUSE_CACHE_DIR=${GATEHOUSE_CACHE_DIR:-$WORK/cache} GATEHOUSE_SET_CHECK_TEXTS="$WORK/texts.jsonl" \
  build/release/tests/engine_tests --gtest_filter='DatabaseAgreementTest.*:FivePacks/PackDatabases.*' \
  | grep -v '^\[ RUN\|^\[       OK'
