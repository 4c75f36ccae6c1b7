"""Unbound Flask extensions, bound to an app in `server.create_app`."""
from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from server.kernel.http_errors import GbfieldApi


class Base(DeclarativeBase):
    """Declarative base of every model (naming convention so migrations name constraints)."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def make_api() -> GbfieldApi:
    """Return a new flask-smorest Api; create_app makes one per app (an Api holds its
    app's OpenAPI spec, so tests that build many apps must not share one)."""
    return GbfieldApi()

