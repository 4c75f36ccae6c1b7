"""A loopback photo server in its own process, for the restart tests:

    python photo_server_proc.py FOLDER PORT

SQLite and folder blobs in FOLDER (kept across restarts), fsync on; prints one line
{"url", "token"} when it listens, then serves until killed."""
from __future__ import annotations

import json
import sys
import time

from server.app import loopback


def main(folder: str, port: int) -> None:
    app = loopback.make_app(folder)
    with app.app_context():
        token = loopback.device_token("insp_chaoyang", label="restart-test")[1]
    with loopback.serve(app, port=port) as url:
        print(json.dumps({"url": url, "token": token}), flush=True)
        deadline = time.monotonic() + 120      # never outlive a test run by much
        while time.monotonic() < deadline:
            time.sleep(0.2)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
