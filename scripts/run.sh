#!/usr/bin/env bash
# Install what the server needs and run it on the embedded default
# (SQLite + local blob folder under ./instance) with demo data loaded.
source "$(dirname "$0")/common.sh"
apt_install fonts-wqy-microhei
ensure_venv "postgres"
cd "$ROOT"
exec "$VENV/bin/gbfield" serve --demo --host "${GBFIELD_HOST:-127.0.0.1}" --port "${GBFIELD_PORT:-5000}"
