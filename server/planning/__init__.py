"""Planning and the enforcement cycle (双随机、一公开): directories, plans and draws, tasks,
orders to correct, published results, compliance reports and self-check lists.

The pure parts live in `sampling/`; this feature stores and shows them. So far it holds the
pieces that need no database: the self-check list (`selfcheck`), its PDF (`pdf`) and the
compliance charts (`charts`).
"""
from __future__ import annotations

from server.kernel.features import Feature

#: no tables or blueprints yet: its pages and tables register here when they come
FEATURE = Feature("planning")
