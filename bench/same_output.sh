#!/usr/bin/env bash
# Checks that two gatehouse binaries screen a varied corpus to byte-identical
# output: the guard for speed work (docs/decisions/0012), where a change must
# make screening faster without changing one result.
#
#   bench/same_output.sh BEFORE AFTER            # two gatehouse binaries
#   WORK=/tmp/gh-same EVENTS=6000 bench/same_output.sh BEFORE AFTER
#
# The corpus, written under $WORK:
#   - $EVENTS generated posts (bench/gen_events.py) over a generated 50k register;
#   - tests/benign/posts.jsonl, every demo event, the fuzz seed events;
#   - bad lines (invalid JSON and UTF-8, empty lines, wrong types);
#   - when ../shared/eval is present: the texts of the davidson, olid and ethos
#     *dev* splits and the filter edge cases, as posts, comments, messages and
#     profiles (never a test split). Skipped, and said so, when it is absent.
# Each of the five packs screens it with the 50k register, its own demo
# register and none, with --jobs 1 and 2. Exit 0 when every output matches.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ne 2 ]]; then
  echo "usage: $0 BEFORE-BINARY AFTER-BINARY" >&2
  exit 2
fi
BEFORE=$1
AFTER=$2
WORK=${WORK:-/tmp/gh-same}
EVENTS=${EVENTS:-6000}
mkdir -p "$WORK"
export GATEHOUSE_CACHE_DIR=${GATEHOUSE_CACHE_DIR:-$WORK/cache}

if [[ ! -f $WORK/register/pupils.csv ]]; then
  python3 bench/gen_register.py --out "$WORK/register" --pupils 50000 >/dev/null
fi
corpus=$WORK/corpus.jsonl
python3 bench/gen_events.py --register "$WORK/register" --out "$WORK/generated.jsonl" \
  --count "$EVENTS" >/dev/null
python3 - "$corpus" "$WORK/generated.jsonl" <<'EOF'
import csv, glob, json, os, sys
out, generated = sys.argv[1], sys.argv[2]
lines = open(generated, encoding="utf-8").read().splitlines()
lines += open("tests/benign/posts.jsonl", encoding="utf-8").read().splitlines()
for path in sorted(glob.glob("demo/*/events/*.json")):
    try:
        lines.append(json.dumps(json.load(open(path, encoding="utf-8"))))
    except ValueError:
        pass
for path in sorted(glob.glob("fuzz/corpus/fuzz_event/*")):
    raw = open(path, "rb").read().decode("utf-8", "replace").replace("\n", " ")
    lines.append(raw)
lines += ['{"kind": "post", "text": ', "", '{"kind": 7}', "not json at all",
          '{"kind": "post", "channel": "personal", "text": "\\ud800 lone"}']
shared = "../shared/eval"
kinds = ["post", "comment", "message", "profile"]
n = 0
if os.path.isdir(shared):
    for name in ["davidson", "olid", "ethos"]:
        path = os.path.join(shared, name, "dev.csv")  # dev only: never a test split
        if not os.path.exists(path):
            continue
        for row in csv.DictReader(open(path, encoding="utf-8")):
            kind = kinds[n % 4]
            ev = {"id": row["id"], "kind": kind, "channel": "personal", "platform": "x",
                  "author": "S001", "at": "2026-03-04T%02d:15:00+00:00" % (n % 24)}
            if kind == "profile":
                ev["profile"] = {"bio": row["text"]}
            else:
                ev["text"] = row["text"]
            lines.append(json.dumps(ev))
            n += 1
    path = os.path.join(shared, "filter-edge-cases", "cases.csv")
    if os.path.exists(path):
        for row in csv.DictReader(open(path, encoding="utf-8")):
            lines.append(json.dumps({"kind": "post", "channel": "personal", "text": row.get("text", "")}))
            n += 1
    print(f"corpus: {len(lines)} lines, {n} of them from {shared} dev splits", file=sys.stderr)
else:
    print(f"corpus: {len(lines)} lines; {shared} absent, its dev splits skipped", file=sys.stderr)
with open(out, "wb") as f:
    for l in lines:
        f.write(l.encode("utf-8", "surrogatepass") + b"\n")
    f.write(b'{"kind": "post", "channel": "personal", "text": "bad \xff\xfe utf8"}\n')
EOF

now=2026-11-22T12:00:00Z
fail=0
runs=0
for trust in llmat mercia lt2 lionheart chiltern; do
  for data in "$WORK/register" "demo/$trust/data" ""; do
    for jobs in 1 2; do
      args=(check --trust "$trust" --now "$now" --jsonl "$corpus" --jobs "$jobs" --no-images)
      [[ -n $data ]] && args+=(--data "$data")
      "$BEFORE" "${args[@]}" >"$WORK/before.out" 2>"$WORK/before.err" || true
      "$AFTER" "${args[@]}" >"$WORK/after.out" 2>"$WORK/after.err" || true
      runs=$((runs + 1))
      if ! cmp -s "$WORK/before.out" "$WORK/after.out" || ! cmp -s "$WORK/before.err" "$WORK/after.err"; then
        echo "DIFFERENT: $trust data=${data:-none} jobs=$jobs" >&2
        diff <(cat "$WORK/before.out" "$WORK/before.err") <(cat "$WORK/after.out" "$WORK/after.err") | head -6 >&2
        fail=1
      fi
    done
  done
done
lines=$(wc -l <"$corpus")
if [[ $fail -eq 0 ]]; then
  echo "same output: $runs runs of $lines lines each (5 packs x 3 registers x --jobs 1,2)"
fi
exit $fail
