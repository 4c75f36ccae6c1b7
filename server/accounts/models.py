"""Users, roles, the jurisdiction tree, devices, enrolments, tokens and notifications."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Json, Timestamp


class Jurisdiction(db.Model):
    """An administrative division (6-digit code) with its parent and materialised path.

    `path` is "/<root>/.../<code>/"; a subtree is every row whose path starts with it
    (digit prefixes of codes are not enough: municipalities and 直辖县 break them).
    """

    __tablename__ = "jurisdictions"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # province | city | district
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    path: Mapped[str] = mapped_column(String(200), index=True)


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    disabled_at: Mapped[datetime | None] = mapped_column(Timestamp)


class LoginThrottle(db.Model):
    """Wrong passwords counted under one key (a client, a username, or both:
    server.accounts.throttle), and until when logins under it are refused."""

    __tablename__ = "login_throttles"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime] = mapped_column(Timestamp)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp)


class Device(db.Model):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str | None] = mapped_column(String(50))
    enrolled_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Enrolment(db.Model):
    """A one-time enrolment code (stored hashed) for one user; expires; redeemed once."""

    __tablename__ = "enrolments"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    redeemed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))


class Token(db.Model):
    """A bearer token, stored as SHA-256; a device token has device_id set."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    note: Mapped[str | None] = mapped_column(Text)
    #: "api" (a bearer token) or "console" (an opaque console session: refused by the API)
    scope: Mapped[str] = mapped_column(String(10), default="api", server_default="api")


class Notification(db.Model):
    """A message for a user (escalated questions for experts/admins, reminders)."""

    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)


Index("ix_tokens_user_device", Token.user_id, Token.device_id)
