#!/usr/bin/env bash
# Gatehouse beside the npm filters schools use today, on the same texts in one
# run: accuracy on the dev splits of ../shared/eval (never test), the filter
# edge cases, and texts per second on one core; then the issue-6 speed table:
# 280-character posts with every rule and a 50,000-pupil register, beside
# obscenity and @2toad/profanity on the same texts, one core and all cores.
#   bench/peers/run.sh [--pack llmat] [--limit N] [--split val|all] [--speed-pack lt2]
#                      [--speed-events 20000] [--cores N] [--speed-only]
#     (--split val, the default: of davidson and olid only the fifth of the rows
#     the text classifier never trained on; ethos and the edge cases whole)
#   bench/peers/run.sh --pii     # personal data instead: Gatehouse beside the
#                                # npm PII libraries on presidio-pii (pii.mjs)
# Installs the peers (pinned in package-lock.json) into a scratch folder
# ($GATEHOUSE_PEERS_DIR, default build/peers); uses build/release's gatehouse
# ($GATEHOUSE_BIN) and, for --pii, build/release's eval_accuracy
# ($GATEHOUSE_EVAL_BIN). Skips cleanly when ../shared/eval is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
eval_dir="${GATEHOUSE_EVAL_DIR:-$root/../shared/eval}"
if [ ! -d "$eval_dir" ]; then
  echo "bench/peers: $eval_dir is absent; nothing to measure (skipped)"
  exit 0
fi
scratch="${GATEHOUSE_PEERS_DIR:-$root/build/peers}"
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$scratch/node_modules/.package-lock.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$scratch/"
  (cd "$scratch" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
if [ "${1:-}" = "--pii" ]; then
  shift
  exec env NODE_PATH="$scratch/node_modules" GATEHOUSE_EVAL_DIR="$eval_dir" GATEHOUSE_PEERS_DIR="$scratch" \
    node "$here/pii.mjs" --eval-bin "${GATEHOUSE_EVAL_BIN:-$root/build/release/bench/eval_accuracy}" "$@"
fi
exec env NODE_PATH="$scratch/node_modules" GATEHOUSE_PEERS_DIR="$scratch" GATEHOUSE_EVAL_DIR="$eval_dir" \
  node "$here/run.mjs" --bin "${GATEHOUSE_BIN:-$root/build/release/src/cli/gatehouse}" "$@"
