# Throwaway PostgreSQL on loopback for tests and benchmarks. Source it, then:
#   pg_start   -> exports PG_URL (postgresql+psycopg://postgres@127.0.0.1:PORT/gbfield_test)
#   pg_stop
# initdb refuses to run as root, so the cluster runs as the `postgres` user in a temp dir.
# PG_PORT may be set; otherwise the first free port from 54329 up is used.
_pg_free_port() {
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
for candidate in range(port, port + 200):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
PY
}
pg_start() {
  PG_PORT="${PG_PORT:-$(_pg_free_port 54329)}"
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_BIN="$bin"
  PG_DIR=$(mktemp -d /tmp/gbfield-pg.XXXXXX); chown postgres: "$PG_DIR"
  runuser -u postgres -- "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=200" start >/dev/null
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gbfield_test
  export PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/gbfield_test"
  echo "[gbfield] PostgreSQL up at $PG_URL (data in $PG_DIR)" >&2
}
pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; PG_DIR=
}
