"""Enrolment: the QR payload `gbfield-enrol:v1?server=…&code=…` (typed, pasted or read
from a photo of the QR) is exchanged for a device token that is saved in the device store."""
from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any

from device import DeviceStore
from device.trust import CatalogTrust
from kivy_client.presenters.base import InlineRunner, Observable, PresenterError, readable
from kivy_client.presenters.failures import plain_failure
from kivy_client.services.qr import QrDecodeError, decode_image
from sync.client import HttpTransport
from sync.protocol import ProtocolError, parse_enrol_payload

IDLE, WORKING, DONE, ERROR = "idle", "working", "done", "error"


class EnrolPresenter(Observable):
    """State: `state` (idle/working/done/error), `message`, `enrolled` (user, server)."""

    def __init__(self, store: DeviceStore, *, runner: InlineRunner | None = None,
                 transport_factory: Callable[[str], Any] = HttpTransport,
                 device_label: str | None = None):
        super().__init__()
        self.store = store
        self.runner = runner or InlineRunner()
        self.transport_factory = transport_factory
        self.device_label = device_label or platform.node() or "gbfield-tablet"
        self.state, self.message = IDLE, ""

    @property
    def enrolled(self) -> dict[str, Any] | None:
        """Return {server_url, user, device_id} of the saved credentials, or None."""
        creds = self.store.state.credentials()
        if not creds or not creds.get("token"):
            return None
        user = creds.get("user") or {}
        return {"server_url": creds.get("server_url"), "device_id": creds.get("device_id"),
                "user": user.get("display_name") or user.get("username") or "?"}

    @staticmethod
    def parse(payload: str) -> tuple[str, str]:
        """Return (server_url, code) of an enrolment payload. Raises PresenterError."""
        try:
            return parse_enrol_payload(payload)
        except ProtocolError as exc:
            raise PresenterError(readable(exc)) from exc

    def enrol_image(self, path: str, password: str | None = None) -> None:
        """Read the enrolment QR in a photo, then enrol (see enrol). Errors land in `message`."""
        try:
            texts = decode_image(path)
        except QrDecodeError as exc:
            self._fail(exc)
            return
        payload = next((t for t in texts if t.startswith("gbfield-enrol:")), texts[0])
        self.enrol(payload, password)

    def enrol(self, payload: str, password: str | None = None) -> None:
        """Exchange the payload's code for a device token in the background, confirmed with
        the officer's own `password` (the server asks for it); the state becomes done
        (credentials saved) or error (readable `message`)."""
        try:
            server, code = self.parse(payload)
        except PresenterError as exc:
            self._fail(exc)
            return
        self.state, self.message = WORKING, "正在登记… / enrolling…"
        self.notify()

        def work() -> dict[str, Any]:
            transport = self.transport_factory(server)
            try:
                return transport.enrol(code, self.device_label, f"tablet/{platform.system().lower()}", password)
            finally:
                close = getattr(transport, "close", None)
                if close:
                    close()

        def done(answer: dict[str, Any]) -> None:
            if not answer.get("token"):
                self._fail(PresenterError("服务器没有返回设备凭证 / the server sent no token"))
                return
            self.store.state.save_credentials({"server_url": server, "device_id": answer.get("device_id"),
                                         "token": answer.get("token"), "user": answer.get("user")})
            CatalogTrust(self.store.state).remember(answer.get("catalog_keys"))   # signed pull pages
            who = (self.enrolled or {}).get("user", "?")
            self.state, self.message = DONE, f"已登记：{who} @ {server} / enrolled"
            self.notify()

        self.runner.submit(work, done, lambda exc: self._fail(exc, server))

    def _fail(self, exc: BaseException, server: str = "") -> None:
        self.state = ERROR
        self.message = plain_failure(exc, server, zh_prefix="登记失败：", en_prefix="enrolment failed: ")
        self.notify()
