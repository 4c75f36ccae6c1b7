"""Is the server reachable from here? A TCP connection to its host and port, bounded by a
short timeout, so the tablet says "offline" within seconds instead of spinning through
the sync engine's retries. Plain Python (no Kivy): the presenters call it on a worker."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

__all__ = ["reachable"]


def reachable(server_url: str, timeout: float = 3.0) -> bool:
    """True when a TCP connection to `server_url`'s host and port opens within `timeout` s."""
    parts = urlsplit(server_url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False
