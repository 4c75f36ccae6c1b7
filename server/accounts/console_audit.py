"""The audit log page (admins): the newest administrative acts and evidence reads."""
from __future__ import annotations

from flask import render_template, request

from server.kernel import audit
from server.kernel.console import bp, require_action


@bp.route("/audit/")
def audit_log():
    """The audit log, newest first (?action= filters one kind of act); admins only."""
    require_action("audit.read")
    action = request.args.get("action") or None
    if action not in audit.ACTIONS:
        action = None
    return render_template("console/audit.html", events=audit.recent(limit=200, action=action),
                           actions=audit.ACTIONS, chosen=action)
