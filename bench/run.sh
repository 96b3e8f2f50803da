#!/usr/bin/env bash
# Builds the release preset and measures screening speed, start-up and memory
# (docs/performance.md).
#
#   bench/run.sh              # everything
#   bench/run.sh micro        # only bench_screen
#   bench/run.sh cli          # only the whole-CLI measurement
#
# Environment: JOBS (ninja -j, default 1: the build machine is shared),
# WORK (scratch folder, default /tmp/gh-bench), EVENTS (default 100000),
# BUILD (an already configured optimised build folder to use instead of the
# release preset's build/release).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
what="${1:-all}"
jobs="${JOBS:-1}"
work="${WORK:-/tmp/gh-bench}"
events="${EVENTS:-100000}"
cd "$root"
if [[ -n "${BUILD:-}" ]]; then
  build="$BUILD"
else
  build="$root/build/release"
  cmake --preset release >/dev/null
fi
ninja -C "$build" -j"$jobs" gatehouse bench_screen
echo "build: $build ($(grep -m1 '^CMAKE_BUILD_TYPE' "$build/CMakeCache.txt"), $(grep -m1 '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2))"

echo "== machine"
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ "$what" == all || "$what" == micro ]]; then
  echo "== bench_screen (5 repetitions; medians)"
  "$build/bench/bench_screen" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_counters_tabular=true
fi

if [[ "$what" == all || "$what" == cli ]]; then
  echo "== whole CLI: gatehouse check --trust lt2 --data <50k register> --jsonl <${events} events> (warm pattern cache)"
  mkdir -p "$work"
  python3 "$here/gen_register.py" --out "$work/register" --pupils 50000
  python3 "$here/gen_events.py" --register "$work/register" --out "$work/events.jsonl" --count "$events"
  bytes=$(stat -c %s "$work/events.jsonl")
  # Start-up alone: the same command on an empty stream, first with the
  # pattern cache off (GATEHOUSE_CACHE_DIR empty: every pattern database is
  # compiled), then with a warm cache (what every run after the first finds).
  : >"$work/empty.jsonl"
  rm -rf "$work/cache"
  for i in 1 2 3; do
    GATEHOUSE_CACHE_DIR= /usr/bin/time -f "%e %M" -o "$work/cold.$i" \
      "$build/src/cli/gatehouse" check --trust lt2 --data "$work/register" --jsonl "$work/empty.jsonl" >/dev/null || true
  done
  GATEHOUSE_CACHE_DIR="$work/cache" "$build/src/cli/gatehouse" check --trust lt2 --jsonl "$work/empty.jsonl" >/dev/null || true
  for i in 1 2 3 4 5; do
    GATEHOUSE_CACHE_DIR="$work/cache" /usr/bin/time -f "%e %M" -o "$work/startup.$i" \
      "$build/src/cli/gatehouse" check --trust lt2 --data "$work/register" --jsonl "$work/empty.jsonl" >/dev/null || true
  done
  for i in 1 2 3 4 5; do
    # Exit status 1 (some lines not allowed) is expected.
    GATEHOUSE_CACHE_DIR="$work/cache" /usr/bin/time -v -o "$work/time.$i" \
      "$build/src/cli/gatehouse" check --trust lt2 --data "$work/register" --jsonl "$work/events.jsonl" >/dev/null || true
  done
  python3 - "$work" "$events" "$bytes" <<'EOF'
import re, statistics, sys
work, events, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def field(text, name):
    m = re.search(r"^\s*" + re.escape(name) + r": (.*)$", text, re.M)
    return m.group(1).strip()
def seconds(v):
    parts = [float(p) for p in v.split(":")]
    s = 0.0
    for p in parts:
        s = s * 60 + p
    return s
cold = [open("%s/cold.%d" % (work, i)).read().split() for i in range(1, 4)]
startup = [open("%s/startup.%d" % (work, i)).read().split() for i in range(1, 6)]
su = statistics.median(float(s[0]) for s in startup)
su_rss = statistics.median(int(s[1]) for s in startup) / 1024
print("start-up, pattern cache off (empty stream, 50k register, lt2): median %.2f s wall, max RSS %.1f MiB" %
      (statistics.median(float(s[0]) for s in cold), statistics.median(int(s[1]) for s in cold) / 1024))
runs = []
for i in range(1, 6):
    t = open("%s/time.%d" % (work, i)).read()
    runs.append((seconds(field(t, "Elapsed (wall clock) time (h:mm:ss or m:ss)")),
                 float(field(t, "User time (seconds)")), float(field(t, "System time (seconds)")),
                 int(field(t, "Maximum resident set size (kbytes)")) / 1024))
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] + r[2] for r in runs)
rss = statistics.median(r[3] for r in runs)
print("start-up, warm pattern cache (empty stream, 50k register, lt2): median %.3f s wall, max RSS %.1f MiB" % (su, su_rss))
print("%d events, %.1f MB: median wall %.2f s, user+sys %.2f s, max RSS %.1f MiB" % (events, size / 1e6, wall, cpu, rss))
print("  including start-up: %.0f events/s, %.1f MB/s" % (events / wall, size / 1e6 / wall))
print("  excluding start-up: %.0f events/s, %.1f MB/s" % (events / (wall - su), size / 1e6 / (wall - su)))
print("  per run (wall s, user s, sys s, RSS MiB): " + "; ".join("%.2f %.2f %.2f %.1f" % r for r in runs))
EOF
fi
