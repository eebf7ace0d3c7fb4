#!/usr/bin/env bash
# Serves OncoLien as `make run` does: the background consumer (huey: escalation every
# minute, messages and their retries) beside gunicorn. When either stops, or on Ctrl-C
# or SIGTERM, both are stopped: a server without its consumer would never escalate.
# Usage: scripts/serve.sh HOST:PORT   (VENV names the virtual environment, .venv by default)
set -uo pipefail
VENV=${VENV:-.venv}
BIND=${1:?usage: scripts/serve.sh HOST:PORT}

"$VENV/bin/python" manage.py run_huey &
consumer=$!
# gunicorn's own rule for sync workers, (2 × cores) + 1: while one process waits for the
# database, another computes, and a long page does not hold the short ones behind it
# (bench/load.py: at 50 users on 2 cores, p95 810 ms with 3 processes, 230–400 ms with 5).
# WEB_CONCURRENCY, as gunicorn reads it, chooses another count.
WORKERS=${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}
"$VENV/bin/gunicorn" oncolien.wsgi --bind "$BIND" --workers "$WORKERS" --timeout 600 \
  --access-logfile - --error-logfile - &
server=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$server" "$consumer" 2>/dev/null
  wait "$server" "$consumer" 2>/dev/null
  echo "OncoLien arrêté (serveur web et traitement en arrière-plan)."
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

wait -n "$server" "$consumer"
if kill -0 "$server" 2>/dev/null && ! kill -0 "$consumer" 2>/dev/null; then
  echo "Le traitement en arrière-plan (run_huey) s'est arrêté : arrêt du serveur." >&2
fi
