#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, without systemd.
#
#   eval "$(scripts/pg.sh start)"    # exports GATEHOUSE_TEST_PG_URL and TEST_PG_DIR
#   ...                              # run tests
#   scripts/pg.sh stop "$TEST_PG_DIR"
#
# The server lives in a fresh /tmp directory: its own data folder, a private
# Unix socket there, no TCP listener, trust authentication and fsync off (the
# data is thrown away). initdb and postgres refuse to run as root, so as root
# the server runs as the package's `postgres` user. Only stdout carries the
# export lines; progress and errors go to stderr.
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg.sh: no PostgreSQL server found under /usr/lib/postgresql (install postgresql-15)" >&2
  exit 1
fi
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX)
    chmod 755 "$dir"
    if [ ${#RUN[@]} -gt 0 ]; then chown postgres: "$dir"; fi
    if ! "${RUN[@]}" "$PGBIN/initdb" -D "$dir/data" -U test --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
      echo "pg.sh: initdb failed; see $dir/initdb.log" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    # A random port may be taken by another server: try a few.
    started=""
    for _ in 1 2 3 4 5; do
      port=${PGPORT_WANTED:-$((20000 + RANDOM % 20000))}
      if "${RUN[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
        started=1
        break
      fi
      [ -n "${PGPORT_WANTED:-}" ] && break
    done
    if [ -z "$started" ]; then
      echo "pg.sh: the server did not start; see $dir/pg.log" >&2
      cat "$dir/pg.log" >&2 || true
      exit 1
    fi
    "${RUN[@]}" "$PGBIN/createdb" -h "$dir" -p "$port" -U test testdb
    echo "export GATEHOUSE_TEST_PG_URL='postgresql://test@/testdb?host=$dir&port=$port'"
    echo "export TEST_PG_DIR='$dir'"
    ;;
  stop)
    dir=${2:-${TEST_PG_DIR:-}}
    if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
      echo "pg.sh: usage: pg.sh stop DIR (or set TEST_PG_DIR)" >&2
      exit 2
    fi
    "${RUN[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg.sh start | pg.sh stop [DIR]" >&2
    exit 2
    ;;
esac
