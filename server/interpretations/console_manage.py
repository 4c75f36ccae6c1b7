"""Published interpretations managed by experts (issue 14 item 8): the list (in force or
withdrawn), one interpretation with every version, a revision (version n+1, previewed
first: which synced findings it would change) and a withdrawal (previewed, with a reason;
the tablets get it through sync, the FAQ stops showing it)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.catalog import service as catalog
from server.interpretations import publishing
from server.interpretations.console import EFFECTS, effect_of_form, indicator_names
from server.kernel import uow
from server.kernel.console import bp, parse_date, require_action, t
from server.kernel.errors import Conflict, NotFound, ValidationFailed

REASON_MAX = 2000


@bp.route("/interpretations/")
def interpretations():
    """Every interpretation ever published, newest first, with its state."""
    require_action("interpretation.publish")
    return render_template("console/interpretations.html", rows=publishing.managed(g.console_user))


def _form_of(newest: dict) -> dict:
    (key, value), = (newest.get("effect") or {"method": ""}).items()
    return {"title": newest["title"], "text": newest["text"], "effective": newest["effective"], "effect_key": key,
            "effect_value": "" if key in ("method", "applicable") else str(value),
            "method_value": value if key == "method" else "", "applicable_value": str(value).lower()
            if key == "applicable" else ""}


def _page(interpretation_id: str, *, form: dict | None = None, errors: dict | None = None, preview=None,
          status: int = 200):
    versions = publishing.versions_of(g.console_user, interpretation_id)     # NotFound
    newest = versions[-1]
    withdrawn = publishing.is_withdrawn(interpretation_id)
    info = catalog.indicator_info(newest["indicator_ids"] or [])
    return render_template("console/interpretation.html", x=newest, versions=list(reversed(versions)),
                           withdrawn=withdrawn, form=form or _form_of(newest), errors=errors or {},
                           effects=EFFECTS, preview=preview, preview_names=indicator_names(preview),
                           indicators=info), status


@bp.route("/interpretations/<interpretation_id>")
def interpretation_page(interpretation_id: str):
    """One interpretation: every version (newest first), the revision form, the withdrawal."""
    require_action("interpretation.publish")
    return _page(interpretation_id)


@bp.route("/interpretations/<interpretation_id>/revise", methods=["POST"])
def revise(interpretation_id: str):
    """Preview (`preview=1`) or publish version n+1 with the same clauses and indicators;
    refusals re-render with 400 (409 for a withdrawn one)."""
    require_action("interpretation.publish")
    words = t()
    form = {k: (request.form.get(k) or "").strip() for k in
            ("title", "text", "effective", "effect_key", "effect_value", "method_value", "applicable_value")}
    chosen = {"method": form["method_value"], "applicable": form["applicable_value"]}.get(form["effect_key"])
    value = form["effect_value"] or chosen or ""
    errors = {}
    effective = parse_date(form["effective"])
    if effective is None:
        errors["effective"] = words["invalid_date"]
    effect = None
    if form["effect_key"] not in EFFECTS:
        errors["effect"] = words["effect"]
    else:
        try:
            effect = effect_of_form(form["effect_key"], value)
        except ValueError:
            errors["effect"] = words[f"effect_{form['effect_key']}_invalid"].format(value=value)
    if errors:
        return _page(interpretation_id, form=form, errors=errors, status=400)
    newest = publishing.versions_of(g.console_user, interpretation_id)[-1]
    what = {"title": form["title"], "text": form["text"], "effect": effect, "effective": effective,
            "clauses": newest["clauses"], "indicator_ids": newest["indicator_ids"],
            "interpretation_id": interpretation_id}
    try:
        if request.form.get("preview") == "1":
            return _page(interpretation_id, form=form, preview=publishing.preview(g.console_user, **what))
        result = publishing.publish(g.console_user, **what)
    except (ValidationFailed, NotFound, Conflict) as exc:
        uow.rollback()
        return _page(interpretation_id, form=form, errors={"publish": exc.message},
                     status=409 if isinstance(exc, Conflict) else 400)
    item = result["interpretation"]
    flash(words["published_flash"].format(id=item["id"], version=item["version"], flags=len(result["flags"])),
          "success")
    return redirect(url_for("console.interpretation_page", interpretation_id=interpretation_id))


@bp.route("/interpretations/<interpretation_id>/withdraw", methods=["GET", "POST"])
def withdraw(interpretation_id: str):
    """GET: the confirmation page with the findings the withdrawal would change. POST (a
    reason): withdraw; no reason: 400; withdrawn already: 409."""
    require_action("interpretation.publish")
    newest = publishing.versions_of(g.console_user, interpretation_id)[-1]
    reason = (request.form.get("reason") or "").strip()
    error, status = None, 200
    if request.method == "POST":
        if not reason or len(reason) > REASON_MAX:
            error, status = (t()["withdraw_reason_required"] if not reason else f"≤ {REASON_MAX}"), 400
        else:
            try:
                result = publishing.withdraw(g.console_user, interpretation_id, reason)
            except Conflict as exc:
                uow.rollback()
                error, status = exc.message, 409
            else:
                flash(t()["withdrawn_flash"].format(id=interpretation_id, flags=len(result["flags"])), "success")
                return redirect(url_for("console.interpretation_page", interpretation_id=interpretation_id))
    withdrawn = publishing.is_withdrawn(interpretation_id)
    preview = None if withdrawn else publishing.preview_withdrawal(g.console_user, interpretation_id)
    return render_template("console/withdraw_interpretation.html", x=newest, reason=reason, error=error,
                           preview=preview, preview_names=indicator_names(preview), withdrawn=withdrawn), status
