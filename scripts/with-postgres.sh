#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary
# directory, start on a free local port, export DATABASE_URL, run, stop, remove.
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d /tmp/oncolien-pg.XXXXXX)
PORT=${ONCOLIEN_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$WORK"
  chmod 700 "$WORK"
  RUN_AS=(runuser -u postgres --)
fi
# The server commands run from / so that the postgres user never needs our cwd.
as_pg() { (cd / && "${RUN_AS[@]}" "$@"); }
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
as_pg "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -w -l "$WORK/server.log" \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') démarré sur 127.0.0.1:$PORT (grappe jetable $WORK)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/oncolien"
"$@"
