#!/usr/bin/env bash
# A PostgreSQL 15 server for the tests (the ledger's replica store), started once and reused.
#
#   eval "$(.ci/postgres.sh)"      # exports INFERGATE_TEST_POSTGRES_URL for the tests
#
# Installs Debian's `postgresql` if its binaries are missing, runs the server as a non-root user (the
# `postgres` user when run as root; PostgreSQL refuses root), on 127.0.0.1:$INFERGATE_PG_PORT (55432) with
# its data in $INFERGATE_PG_DIR (/tmp/infergate-pg-<port>), creates database $INFERGATE_PG_DB
# (infergate_test) and prints `export INFERGATE_TEST_POSTGRES_URL=jdbc:postgresql://...` on stdout.
# Everything else goes to stderr. Idempotent: a second call finds the running server and only prints.
# Stop it with: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/infergate-pg-55432 stop
set -euo pipefail

PORT="${INFERGATE_PG_PORT:-55432}"
DATA="${INFERGATE_PG_DIR:-/tmp/infergate-pg-$PORT}"
DB="${INFERGATE_PG_DB:-infergate_test}"
BIN=/usr/lib/postgresql/15/bin
log() { echo "postgres.sh: $*" >&2; }

if [ ! -x "$BIN/pg_ctl" ]; then
  log "PostgreSQL 15 not found in $BIN; installing Debian's postgresql"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >&2
  [ -x "$BIN/pg_ctl" ] || { log "installed postgresql but $BIN/pg_ctl is missing (not version 15?)"; exit 1; }
fi

if [ "$(id -u)" = 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initdb in $DATA"
    mkdir -p "$DATA"
    chown "$OWNER" "$DATA"
    chmod 700 "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  fi
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c max_connections=200" \
    start >&2 || { log "start failed; see $DATA/server.log (is port $PORT taken? set INFERGATE_PG_PORT)"; exit 1; }
fi

if [ "$("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
fi

echo "export INFERGATE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$PORT/$DB?user=postgres'"
