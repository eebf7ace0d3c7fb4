#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when they are missing:
# PostgreSQL (server + contrib) for the PostgreSQL run, Chromium for the browser
# tests, poppler-utils to read rendered PDFs, npm for axe-core, redis-server for the
# Redis queue test. Needs root (CI and dev machines are).
set -euo pipefail
missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Paquets Debian manquants pour les tests : ${missing[*]} (à installer en root : apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installation des paquets Debian : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
