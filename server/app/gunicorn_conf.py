"""gunicorn settings for the scaled deployment (docs/operations.md):

    gunicorn -c python:server.app.gunicorn_conf 'server:create_app()'

Threaded workers (`gthread`) that keep connections alive between requests (a tablet's
`requests.Session` sends its pushes, pulls and upload chunks over one TCP/TLS
connection; idle kept-alive connections wait in the worker's poller, not in a thread).
Every value comes from the environment (`GBFIELD_WEB_*`), and the command line wins over
both. With `PROMETHEUS_MULTIPROC_DIR` set, each worker's metrics are kept in that folder
and a dead worker's are marked so (`/metrics` adds up all workers).
"""
from __future__ import annotations

import os

from prometheus_client import multiprocess


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


bind = os.environ.get("GBFIELD_WEB_BIND", "127.0.0.1:8000")
workers = _int("GBFIELD_WEB_WORKERS", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int("GBFIELD_WEB_THREADS", 4)
#: seconds an idle connection stays open: longer than a tablet's pause between requests of
#: one sync, and longer than a load balancer's idle timeout (60 s) in front of it
keepalive = _int("GBFIELD_WEB_KEEPALIVE", 75)
#: simultaneous client connections per worker (kept-alive ones included)
worker_connections = _int("GBFIELD_WEB_CONNECTIONS", 1000)
timeout = _int("GBFIELD_WEB_TIMEOUT", 60)
graceful_timeout = 30
#: gunicorn's control socket (`gunicornc`) is off unless asked for: two servers on one
#: machine would otherwise share ~/.gunicorn/gunicorn.ctl
control_socket_disable = os.environ.get("GBFIELD_WEB_CONTROL_SOCKET") is None


def child_exit(server, worker) -> None:
    """Mark a dead worker's metrics (prometheus_client multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
