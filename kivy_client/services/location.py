"""Where the tablet is: a position with its accuracy, behind one interface.

- `PlyerLocation` (Android): plyer's GPS (every provider the LocationManager has), fixes
  arrive on another thread and are handed to `post` (the UI thread).
- `NoLocation` (a desktop): says "no position" — the officer types the site instead.
- `ReplayLocation`: fixes read from a JSON file in plyer's `on_location` shape
  (`[{"lat", "lon", "accuracy", "altitude", "speed", "bearing", "t"}, …]`, t in seconds
  from the start), handed out in order at each `poll()` (tests) or by the app's clock.

    service = location_service(platform, post=run_on_ui_thread)
    service.start(on_fix)         # on_fix(Fix) for every fix
    service.best()                # the most accurate recent fix, or None
    service.status, service.message

Pick with `location_service`: $GBFIELD_LOCATION_REPLAY names a replay file; otherwise
Android gets plyer and everything else NoLocation.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kivy_client.errors import TabletError

__all__ = ["Fix", "LocationError", "LocationService", "NoLocation", "PlyerLocation", "ReplayLocation",
           "location_service"]

REPLAY_ENV = "GBFIELD_LOCATION_REPLAY"
NO_POSITION = "本机无法定位，请手动填写检查地点 / no position on this device: type the site"
#: a fix older than this is not used for a new inspection
MAX_AGE_SECONDS = 300


class LocationError(TabletError):
    """A replay file that cannot be read."""


@dataclass(frozen=True)
class Fix:
    """One position: degrees as decimal strings, horizontal accuracy in metres (None:
    unknown), when and from what."""

    lat: str
    lon: str
    accuracy_m: float | None
    fixed_at: str
    source: str                       # gps | replay

    @classmethod
    def of(cls, source: str, when: datetime | None = None, **kw: Any) -> Fix | None:
        """Return the fix of plyer's on_location keywords, or None when they are not a
        position on Earth."""
        try:
            lat, lon = Decimal(str(kw["lat"])), Decimal(str(kw["lon"]))
        except (KeyError, InvalidOperation):
            return None
        if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        accuracy = kw.get("accuracy")
        try:
            accuracy = round(float(accuracy), 1) if accuracy is not None and float(accuracy) > 0 else None
        except (TypeError, ValueError):
            accuracy = None
        moment = (when or datetime.now(UTC)).isoformat(timespec="seconds")
        return cls(f"{lat:.6f}", f"{lon:.6f}", accuracy, moment, source)

    def position(self) -> dict[str, Any]:
        """Return the inspection's `position` field."""
        out: dict[str, Any] = {"lat": self.lat, "lon": self.lon, "fixed_at": self.fixed_at, "source": self.source}
        if self.accuracy_m is not None:
            out["accuracy_m"] = self.accuracy_m
        return out

    def label(self) -> str:
        """Return e.g. "39.908720, 116.397500（±8 m）"."""
        accuracy = f"（±{self.accuracy_m:g} m）" if self.accuracy_m is not None else "（精度未知）"
        return f"{self.lat}, {self.lon}{accuracy}"


class LocationService:
    """Base: keeps the fixes, the best one and a status for the screen."""

    status = "off"                    # off | waiting | fixed | unavailable | denied
    message = ""

    def __init__(self) -> None:
        self.fixes: list[Fix] = []
        self._on_fix: Callable[[Fix], None] | None = None

    def start(self, on_fix: Callable[[Fix], None] | None = None) -> None:
        """Start delivering fixes to `on_fix`."""
        self._on_fix = on_fix

    def stop(self) -> None:
        """Stop delivering fixes."""

    def _deliver(self, fix: Fix | None) -> None:
        if fix is None:
            return
        self.fixes.append(fix)
        self.status, self.message = "fixed", f"已定位 / position: {fix.label()}"
        if self._on_fix is not None:
            self._on_fix(fix)

    def best(self, now: datetime | None = None) -> Fix | None:
        """Return the most accurate fix of the last MAX_AGE_SECONDS (the newest when none
        says its accuracy), or None."""
        moment = now or datetime.now(UTC)
        recent = [f for f in self.fixes
                  if (moment - datetime.fromisoformat(f.fixed_at)).total_seconds() <= MAX_AGE_SECONDS]
        if not recent:
            return None
        known = [f for f in recent if f.accuracy_m is not None]
        return min(known, key=lambda f: f.accuracy_m) if known else recent[-1]


class NoLocation(LocationService):
    """A desktop: no position; the officer types the site."""

    status, message = "unavailable", NO_POSITION


class ReplayLocation(LocationService):
    """Fixes from a recorded file, one per `poll()` (or all with `poll(all=True)`)."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__()
        try:
            rows = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LocationError(f"定位回放文件无法读取 / cannot read the location replay {path}: {exc}") from exc
        if not isinstance(rows, list):
            raise LocationError(f"定位回放文件应为列表 / the location replay must be a list: {path}")
        self.rows = [r for r in rows if isinstance(r, dict)]
        self.clock = clock
        self._next = 0

    def start(self, on_fix=None) -> None:
        super().start(on_fix)
        self.status, self.message = "waiting", "正在定位… / locating…"
        self.poll()

    def poll(self, *, all: bool = False) -> int:
        """Deliver the next recorded fix (every remaining one with all=True); return how
        many were delivered."""
        delivered = 0
        while self._next < len(self.rows):
            self._deliver(Fix.of("replay", self.clock(), **self.rows[self._next]))
            self._next += 1
            delivered += 1
            if not all:
                break
        return delivered


class PlyerLocation(LocationService):
    """Android: plyer's GPS; fixes come back through `post` on the UI thread."""

    def __init__(self, post: Callable[[Callable[[], None]], None]):
        super().__init__()
        self.post = post
        self._lock = threading.Lock()

    def start(self, on_fix=None) -> None:
        super().start(on_fix)
        try:
            from plyer import gps  # noqa: PLC0415 — the platform's GPS: only on a device, and a failure only means "no position"

            gps.configure(on_location=self._on_location, on_status=self._on_status)
            gps.start(minTime=1000, minDistance=0)
        except Exception as exc:  # noqa: BLE001 - NotImplementedError, no permission, no provider …
            self.status = "unavailable"
            self.message = f"{NO_POSITION}（{type(exc).__name__}）"
            return
        self.status, self.message = "waiting", "正在定位… / locating…"

    def stop(self) -> None:
        try:
            from plyer import gps  # noqa: PLC0415 — see start

            gps.stop()
        except Exception:  # noqa: BLE001, S110 - stopping a GPS that never started is not an error
            pass

    def _on_location(self, **kw: Any) -> None:
        fix = Fix.of("gps", **kw)
        self.post(lambda: self._deliver(fix))

    def _on_status(self, kind: str, status: str) -> None:
        if kind == "provider-disabled":
            def note() -> None:
                if self.status != "fixed":
                    self.status, self.message = "unavailable", f"定位已关闭（{status}） / location is off: {status}"
            self.post(note)


def location_service(platform: str, post: Callable[[Callable[[], None]], None] | None = None) -> LocationService:
    """Return the location service: the replay named by $GBFIELD_LOCATION_REPLAY, plyer's
    GPS on Android (with `post`), else NoLocation. Raises LocationError for an unreadable
    replay file."""
    replay = os.environ.get(REPLAY_ENV)
    if replay:
        return ReplayLocation(replay)
    if platform == "android" and post is not None:
        return PlyerLocation(post)
    return NoLocation()
