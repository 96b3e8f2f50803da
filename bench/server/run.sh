#!/usr/bin/env bash
# Server benchmarks (docs/performance.md, "Server (issue 3)"): POST /api/v1/check under
# wrk on SQLite and PostgreSQL, with GET /healthz (the HTTP floor) and `gatehouse check
# --jsonl` on the same events (the engine floor); then `gatehouse import` of a
# 50,000-pupil roster on both backends.
#
#   bench/server/run.sh            # everything
#   bench/server/run.sh http       # only the wrk runs
#   bench/server/run.sh import     # only the import timings
#
# Environment:
#   CONFIGS   "connections:threads ..." to try (default "16:16 32:32 64:64"); the server is
#             thread-per-connection (cpp-httplib): threads must be >= connections or the
#             extra connections starve.
#   REPS      repetitions of each wrk run and import (default 3); medians are reported.
#   DURATION  wrk -d (default 10s); WARMUP seconds of load before measuring (default 3).
#   BACKENDS  "sqlite postgres" (default both).
#   WORK      scratch folder (default /tmp/gh-server-bench); BUILD (default build/release,
#             built with the release preset unless BUILD is given); PORT (default 18090).
#   SERVE_ARGS extra `gatehouse serve` options (e.g. "--cache-ms 60000").
#   ROSTER=1  also import the 50,000-pupil roster into the served database before the wrk
#             runs (the screener then searches 50k pupil names).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
what="${1:-all}"
configs="${CONFIGS:-16:16 32:32 64:64}"
reps="${REPS:-3}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3}"
backends="${BACKENDS:-sqlite postgres}"
work="${WORK:-/tmp/gh-server-bench}"
port="${PORT:-18090}"
cd "$root"
if [[ -n "${BUILD:-}" ]]; then
  build="$BUILD"
else
  build="$root/build/release"
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target gatehouse
fi
gh="$build/src/cli/gatehouse"
mkdir -p "$work"
export GATEHOUSE_CACHE_DIR="${GATEHOUSE_CACHE_DIR:-$work/cache}"

echo "== machine"
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $build ($(grep -m1 '^CMAKE_BUILD_TYPE' "$build/CMakeCache.txt"))"
wrk --version 2>&1 | head -1 || true

pg_dir=""
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$pg_dir" ]]; then "$root/scripts/pg.sh" stop "$pg_dir" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# The throwaway PostgreSQL server, started once (in this shell, not in a $(...)
# subshell, so that it is started only once and stopped on exit).
pg_url=""
ensure_pg() {
  if [[ "$1" == postgres && -z "$pg_dir" ]]; then
    eval "$("$root/scripts/pg.sh" start)"
    pg_dir="$TEST_PG_DIR"
    pg_url="$GATEHOUSE_TEST_PG_URL"
  fi
}

# A fresh database URL for a backend (for postgres, a new database in the one server).
fresh_db() {
  local backend="$1" name="$2"
  if [[ "$backend" == sqlite ]]; then
    rm -f "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
    echo "$work/$name.db"
  else
    local host port_
    host=$(sed -E 's/.*host=([^&]*).*/\1/' <<<"$pg_url")
    port_=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$pg_url")
    psql -q -h "$host" -p "$port_" -U test -d testdb \
      -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    echo "postgresql://test@/$name?host=$host&port=$port_"
  fi
}

start_server() {
  local db="$1" threads="$2"
  "$gh" serve --demo --trust chiltern --db "$db" --listen "127.0.0.1:$port" --threads "$threads" \
    ${SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/serve.log"; exit 1; fi
    sleep 0.2
  done
  echo "the server did not answer" >&2
  cat "$work/serve.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

new_token() {
  local jar="$work/cookies"
  rm -f "$jar"
  curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d '{"username":"chiltern.head","password":"demo-password-1"}' \
    "http://127.0.0.1:$port/api/v1/login" >/dev/null
  curl -sf -b "$jar" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
    "http://127.0.0.1:$port/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# wrk output -> "req/s p50_ms p99_ms non2xx errors"
wrk_summary() {
  python3 -c '
import re, sys
t = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    x = float(m.group(1))
    return x / 1000 if m.group(2) == "us" else (x * 1000 if m.group(2) == "s" else x)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errs = re.search(r"Socket errors: (.*)", t)
print("%.0f %.3f %.3f %s %s" % (rps, p50, p99, non2xx.group(1) if non2xx else 0,
      "none" if not errs else errs.group(1).replace(" ", "")))
'
}

median_report() {  # label file (lines of "rps p50 p99 ...")
  python3 - "$1" "$2" <<'PY'
import statistics, sys
label, path = sys.argv[1], sys.argv[2]
rows = [l.split() for l in open(path) if l.strip()]
med = lambda i: statistics.median(float(r[i]) for r in rows)
print("%-44s median %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms   runs: %s" % (
    label, med(0), med(1), med(2), "; ".join("%s/%s/%s non2xx=%s err=%s" % tuple(r) for r in rows)))
PY
}

if [[ "$what" == all || "$what" == http ]]; then
  if [[ "${ROSTER:-0}" == 1 && ! -f "$work/roster/pupils.csv" ]]; then
    python3 "$here/gen_roster.py" --trust chiltern --out "$work/roster" --pupils 50000
  fi
  # Engine floor: the same events through `gatehouse check --jsonl`, one process, one core.
  python3 - "$here/check.lua" "$work/events.jsonl" <<'PY'
import re, sys
events = re.findall(r"\[\[(.*?)\]\]", open(sys.argv[1]).read())
with open(sys.argv[2], "w") as f:
    for i in range(100000):
        f.write(events[i % len(events)] + "\n")
PY
  data="$root/demo/chiltern/data"
  if [[ "${ROSTER:-0}" == 1 ]]; then
    rm -rf "$work/data+roster"; mkdir -p "$work/data+roster"
    cp "$data"/*.csv "$work/data+roster/"
    tail -n +2 "$work/roster/pupils.csv" >>"$work/data+roster/pupils.csv"
    tail -n +2 "$work/roster/parents.csv" >>"$work/data+roster/parents.csv"
    data="$work/data+roster"
  fi
  "$gh" check --trust chiltern --data "$data" --jsonl "$work/events.jsonl" >/dev/null || true  # warm the cache
  : >"$work/engine.txt"
  for i in $(seq 1 "$reps"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/engine.time" \
      "$gh" check --trust chiltern --data "$data" --jsonl "$work/events.jsonl" >/dev/null || true
    tail -1 "$work/engine.time" >>"$work/engine.txt"
  done
  : >"$work/empty.jsonl"
  /usr/bin/time -f "%e" -o "$work/engine.startup" \
    "$gh" check --trust chiltern --data "$data" --jsonl "$work/empty.jsonl" >/dev/null || true
  python3 - "$work/engine.txt" "$work/engine.startup" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
su = float(open(sys.argv[2]).read().split()[-1])
wall = statistics.median(float(r[0]) for r in rows)
print("== engine floor: gatehouse check --jsonl, 100,000 events (the wrk events), one core")
print("median wall %.2f s (start-up %.2f s): %.0f events/s excluding start-up, %.0f including; runs: %s" % (
    wall, su, 100000 / (wall - su), 100000 / wall, "; ".join(r[0] for r in rows)))
PY

  for backend in $backends; do
    ensure_pg "$backend"
    db=$(fresh_db "$backend" ghbench_http)
    if [[ "${ROSTER:-0}" == 1 ]]; then
      "$gh" import --trust chiltern --db "$db" "$root/demo/chiltern/data" >/dev/null
      "$gh" import --trust chiltern --db "$db" "$work/roster" >/dev/null
    fi
    for cfg in $configs; do
      conns="${cfg%%:*}"
      threads="${cfg##*:}"
      start_server "$db" "$threads"
      token=$(new_token)
      # Warm-up: the register snapshot, thread-local scanners, the credential cache.
      GH_TOKEN="$token" wrk -t1 -c"$conns" -d"${warmup}s" -s "$here/check.lua" "http://127.0.0.1:$port" >/dev/null
      : >"$work/check.$backend.$cfg.txt"
      : >"$work/health.$backend.$cfg.txt"
      for i in $(seq 1 "$reps"); do
        GH_TOKEN="$token" wrk -t1 -c"$conns" -d"$duration" --latency -s "$here/check.lua" \
          "http://127.0.0.1:$port" >"$work/wrk.check.$backend.$cfg.$i"
        wrk_summary <"$work/wrk.check.$backend.$cfg.$i" >>"$work/check.$backend.$cfg.txt"
        wrk -t1 -c"$conns" -d"$duration" --latency "http://127.0.0.1:$port/healthz" \
          >"$work/wrk.health.$backend.$cfg.$i"
        wrk_summary <"$work/wrk.health.$backend.$cfg.$i" >>"$work/health.$backend.$cfg.txt"
      done
      stop_server
      echo "== $backend, wrk -t1 -c$conns -d$duration --latency, serve --threads $threads"
      median_report "POST /api/v1/check (check.lua)" "$work/check.$backend.$cfg.txt"
      median_report "GET /healthz" "$work/health.$backend.$cfg.txt"
    done
  done
fi

if [[ "$what" == all || "$what" == import ]]; then
  if [[ ! -f "$work/roster/pupils.csv" ]]; then
    python3 "$here/gen_roster.py" --trust chiltern --out "$work/roster" --pupils 50000
  fi
  echo "== import: gatehouse import --trust chiltern --db <fresh db> $work/roster ($(($(wc -l <"$work/roster/pupils.csv") - 1)) pupils, $(($(wc -l <"$work/roster/parents.csv") - 1)) parents, $(du -ch "$work"/roster/*.csv | tail -1 | cut -f1))"
  for backend in $backends; do
    ensure_pg "$backend"
    : >"$work/import.$backend.txt"
    : >"$work/reimport.$backend.txt"
    for i in $(seq 1 "$reps"); do
      db=$(fresh_db "$backend" "ghbench_import_$i")
      # The trust's schools are seeded by the first command that opens the store; do
      # that outside the timing, as a server or `user add` would have.
      "$gh" import --trust chiltern --db "$db" --dry-run "$root/demo/chiltern/data/sites.csv" >/dev/null
      /usr/bin/time -f "%e %U %S %M" -o "$work/import.time" \
        "$gh" import --trust chiltern --db "$db" "$work/roster" >"$work/import.out.$backend.$i"
      tail -1 "$work/import.time" >>"$work/import.$backend.txt"
      /usr/bin/time -f "%e %U %S %M" -o "$work/import.time" \
        "$gh" import --trust chiltern --db "$db" "$work/roster" >"$work/reimport.out.$backend.$i"
      tail -1 "$work/import.time" >>"$work/reimport.$backend.txt"
    done
    echo "-- $backend: first import: $(cat "$work/import.out.$backend.1")"
    echo "-- $backend: re-import:    $(cat "$work/reimport.out.$backend.1")"
    python3 - "$backend" "$work/import.$backend.txt" "$work/reimport.$backend.txt" <<'PY'
import statistics, sys
for label, path in (("import into a fresh database", sys.argv[2]), ("re-import of the same files", sys.argv[3])):
    rows = [[float(x) for x in l.split()] for l in open(path) if l.strip()]
    med = lambda i: statistics.median(r[i] for r in rows)
    print("%-8s %-30s median wall %6.2f s, user %6.2f s, sys %5.2f s, peak RSS %6.1f MiB; walls: %s" % (
        sys.argv[1], label, med(0), med(1), med(2), med(3) / 1024, " ".join("%.2f" % r[0] for r in rows)))
PY
  done
fi
