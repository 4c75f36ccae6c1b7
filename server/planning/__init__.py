"""Planning and the enforcement cycle (双随机、一公开): the directories (一单两库) and the
item list, plans and their draws, tasks on tablets, orders to correct (责令改正) and
回头看, published results, compliance reports and self-check lists.

The pure parts live in `sampling/`; this feature stores, runs and shows them. Public
service: `server.planning.service`; the orders' push handler: `server.planning.push`;
the public result pages: `server.planning.public`.
"""
from __future__ import annotations

from flask import Flask

from server.inspections.service import add_review_listener
from server.kernel.features import Feature
from server.planning import console, console_tasks, models, public  # noqa: F401  (console*: pages; models: tables)
from server.planning.cycle import on_review
from server.planning.push import OrdersPush
from server.syncing.service import register_handler


def _setup(app: Flask) -> None:
    register_handler(app, OrdersPush())
    add_review_listener(app, on_review)


FEATURE = Feature("planning", pages=(public.bp,), setup=_setup)
