"""Nightly compliance figures."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.kernel.extensions import db
from server.kernel.types import Timestamp


class ComplianceStat(db.Model):
    """Nightly compliance figures per inspection day × jurisdiction × standard."""

    __tablename__ = "compliance_stats"
    __table_args__ = (UniqueConstraint("day", "jurisdiction_code", "standard_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(6))
    jurisdiction_path: Mapped[str] = mapped_column(String(200), index=True)
    standard_code: Mapped[str] = mapped_column(String(60))
    inspections: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    inconclusive: Mapped[int] = mapped_column(Integer)
    disagreements: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(Timestamp)
