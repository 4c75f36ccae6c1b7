#!/usr/bin/env bash
# Install what the tests need (Python extras, Chromium, a CJK font, libzbar for the Android decoder,
# poppler for reading PDFs back), start a throwaway
# PostgreSQL on loopback, run the import contracts and the whole pytest suite, stop PostgreSQL.
source "$(dirname "$0")/common.sh"
apt_install chromium fonts-wqy-microhei libmtdev1 libzbar0 poppler-utils
ensure_venv "dev,client,postgres,s3"
cd "$ROOT"

log "linting (ruff)"
"$VENV/bin/ruff" check "$ROOT"

log "checking import directions (import-linter)"
"$VENV/bin/lint-imports" --config setup.cfg

source "$ROOT/scripts/pg.sh"
pg_start
trap pg_stop EXIT
export GBFIELD_TEST_PG_URL="$PG_URL"

log "running pytest"
"$PY" -m pytest -n 2 --dist loadgroup -p no:cacheprovider --durations=10 "$@"
