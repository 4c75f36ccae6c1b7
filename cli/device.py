"""`gbfield device enroll | sync | status`: drive the tablet's sync engine without the UI.

Only `gbfield device …` imports this module (cli.main), so the device core and the engine
(`sync.client`, requests) add nothing to the start of the other commands."""
from __future__ import annotations

import getpass
import json
import os
import platform
import sys
from pathlib import Path

from cli.main import UsageError, add_command
from device import open_store
from device.trust import CatalogTrust
from sync.client import HttpTransport, SyncClient, SyncError
from sync.protocol import ItemStatus, ProtocolError, parse_enrol_payload


def default_store() -> str:
    """Return the device store path: $GBFIELD_DEVICE_STORE or ~/.local/share/gbfield/device.sqlite."""
    return os.environ.get("GBFIELD_DEVICE_STORE") or str(
        Path.home() / ".local" / "share" / "gbfield" / "device.sqlite")


def register(subparsers) -> None:
    """Add the `device` command group to the `gbfield` parser."""
    parser = add_command(subparsers, "device")
    sub = parser.add_subparsers(dest="device_command", metavar="ACTION")

    enroll = sub.add_parser("enroll", help="enrol this device with a one-time code")
    enroll.add_argument("target", metavar="PAYLOAD_OR_URL",
                        help="the QR payload gbfield-enrol:v1?server=…&code=… or the server URL")
    enroll.add_argument("--code", help="the enrolment code (when a URL is given)")
    enroll.add_argument("--label", default=platform.node() or "gbfield-cli", help="device label")
    enroll.add_argument("--store", default=None, help="device store file (default: %(default)s)")
    enroll.add_argument("--password-stdin", action="store_true",
                        help="read the officer's own password from stdin (else prompt): it confirms the enrolment")
    enroll.set_defaults(func=cmd_enroll)

    sync = sub.add_parser("sync", help="push the outbox, pull changes, check drift")
    sync.add_argument("--store", default=None)
    sync.add_argument("--batch", type=int, default=200, help="push batch size")
    sync.add_argument("--page", type=int, default=1000, help="pull page size")
    sync.add_argument("--no-digest", action="store_true", help="skip the drift check")
    sync.add_argument("--quiet", action="store_true", help="no progress bar")
    sync.set_defaults(func=cmd_sync)

    status = sub.add_parser("status", help="cursor, counts and outbox of this device")
    status.add_argument("--store", default=None)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(func=cmd_status)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _open_store(path: str | None, must_exist: bool = True):

    path = path or default_store()
    if must_exist and not Path(path).exists():
        raise UsageError(f"设备数据库不存在 / no device store at {path}: run `gbfield device enroll` first")
    return open_store(path)


def _password(args) -> str:
    """Return the officer's password (stdin with --password-stdin, else a prompt)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("密码 / password: ")


def cmd_enroll(args) -> int:
    """Enrol: exchange the one-time code for a device token; save it in the store."""
    target = args.target.strip()
    try:
        if target.startswith("gbfield-enrol:"):
            server, code = parse_enrol_payload(target)
            code = args.code or code
        else:
            if not target.startswith(("http://", "https://")):
                raise UsageError(f"不是服务器地址或登记二维码 / not a URL or enrolment payload: {target!r}")
            if not args.code:
                raise UsageError("缺少登记码 / --code is required with a server URL")
            server, code = target.rstrip("/"), args.code
    except ProtocolError as exc:
        raise UsageError(str(exc)) from exc
    store = _open_store(args.store, must_exist=False)
    try:
        transport = HttpTransport(server)
        try:
            answer = transport.enrol(code, args.label, f"cli/{platform.system().lower()}", _password(args))
        except SyncError as exc:
            print(f"登记失败 / enrolment failed: {exc}", file=sys.stderr)
            return 1
        store.state.save_credentials({"server_url": server, "device_id": answer.get("device_id"),
                                      "token": answer.get("token"), "user": answer.get("user")})
        CatalogTrust(store.state).remember(answer.get("catalog_keys"))   # pull pages must be signed by these
        user = (answer.get("user") or {}).get("username", "?")
        print(f"已登记 / enrolled: device {answer.get('device_id')} for {user} at {server}")
        print(f"store: {store.path}")
        return 0
    finally:
        store.close()


def _progress_bar(stream=sys.stderr):
    state = {"shown": False}

    def progress(stage: str, done: int, remaining: int) -> None:
        total = done + remaining
        if stage != "pull" or (total < 2000 and not state["shown"]):
            return
        state["shown"] = True
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r拉取 pulling [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if remaining == 0:
            stream.write("\n")
        stream.flush()
    return progress


def cmd_sync(args) -> int:
    """Run one sync; print the report. Exit 1 when the run ended with errors."""
    store = _open_store(args.store)
    try:
        creds = store.state.credentials()
        if not creds:
            raise UsageError("本设备尚未登记 / this device is not enrolled: run `gbfield device enroll`")
        if args.batch < 1 or args.page < 1:
            raise UsageError("--batch and --page must be ≥ 1")
        transport = HttpTransport(creds["server_url"], creds["token"])
        client = SyncClient(store, transport, push_batch=args.batch, pull_limit=args.page,
                            check_digest=not args.no_digest)
        report = client.sync(progress=None if args.quiet else _progress_bar())
        transport.close()
        print(report.summary())
        counts = store.outbox.counts()
        if counts[ItemStatus.CONFLICT] or counts[ItemStatus.REJECTED]:
            print(f"待处理 needs attention: {counts[ItemStatus.CONFLICT]} conflict(s), "
                  f"{counts[ItemStatus.REJECTED]} rejected — see `gbfield device status`")
        return 0 if report.ok else 1
    finally:
        store.close()


def cmd_status(args) -> int:
    """Print the cursor, record counts, the outbox (with reasons for conflicts/rejections)
    and the photo queue (with reasons for photos that failed)."""
    store = _open_store(args.store)
    try:
        creds = store.state.credentials() or {}
        status = {
            "store": store.path,
            "server_url": creds.get("server_url"),
            "device_id": creds.get("device_id"),
            "user": (creds.get("user") or {}).get("username"),
            "cursor": store.state.cursor,
            "counts": store.counts(),
            "outbox": store.outbox.counts(),
            "photos": store.photos.counts(),
            "photos_attention": [{"sha256": p["sha256"], "path": p["path"], "state": p["state"],
                                  "attempts": p["attempts"], "reason": p["last_error"]}
                                 for p in store.photos.rows() if p["state"] != "uploaded" and p["last_error"]],
            "attention": [{"mutation_id": i["mutation_id"], "entity": i["entity"], "id": i["id"],
                           "state": i["state"], "reason": i["last_error"], "error": i["error_code"],
                           "server_version": i["server_version"]}
                          for i in store.outbox.items() if i["state"] != "pending"],
        }
        if args.json:
            print(json.dumps(status, ensure_ascii=False, indent=2))
            return 0
        print(f"设备 device: {status['device_id'] or '未登记 not enrolled'}  用户 user: {status['user']}")
        print(f"服务器 server: {status['server_url']}")
        print(f"游标 cursor: {status['cursor']}")
        for key, n in sorted(status["counts"].items()):
            print(f"  {key}: {n}")
        ob = status["outbox"]
        print(f"待上传 outbox: {ob['pending']} pending, {ob[ItemStatus.CONFLICT]} conflict, {ob[ItemStatus.REJECTED]} rejected")
        for item in status["attention"]:
            print(f"  [{item['state']}] {item['entity']} {item['id']}: {item['reason']}")
        ph = status["photos"]
        print(f"照片 photos: {ph['pending']} pending, {ph['uploaded']} uploaded, {ph['rejected']} rejected")
        for photo in status["photos_attention"]:
            print(f"  [{photo['state']}] {photo['sha256'][:12]}… {photo['path']} "
                  f"({photo['attempts']} attempts): {photo['reason']}")
        return 0
    finally:
        store.close()
