"""Experts: the open question queue of their fields, answering, and publishing an answer as
an official interpretation."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from server.accounts import service as accounts
from server.catalog import service as catalog
from server.inspections import service as inspections
from server.interpretations import publishing
from server.interpretations import questions as question_service
from server.kernel import uow
from server.kernel.console import bp, parse_date, require_action, t
from server.kernel.errors import NotFound, ValidationFailed

EFFECTS = ("method", "interval", "limit", "applicable")
#: what an expert may type or choose for the 判定方法 and 适用 effects, in words or codes
METHOD_WORDS = {"全数值比较法": "full", "全数值": "full", "full": "full",
                "修约值比较法": "rounded", "修约值": "rounded", "rounded": "rounded"}
APPLICABLE_WORDS = {"适用": True, "是": True, "true": True, "1": True, "不适用": False, "否": False,
                    "false": False, "0": False}


def _require_expert(action: str = "question.queue") -> None:
    require_action(action)


@bp.route("/questions/")
def questions():
    """Open questions in the expert's fields (question_service.list_questions with queue=True)."""
    _require_expert()
    rows = question_service.list_questions(g.console_user, queue=True, limit=200)
    return render_template("console/questions.html", rows=rows, fields=question_service.expert_fields(g.console_user.user_id))


def _question_context(question_id: str) -> dict:
    question = question_service.get_question(g.console_user, question_id)
    indicators = catalog.indicator_info([question.get("indicator_id")])
    asker_id, inspection_id = question_service.asked(question_id)
    inspection = inspections.inspection_brief(inspection_id)
    places = accounts.jurisdiction_names([inspection["jurisdiction"]] if inspection else [])
    return {"q": question, "indicators": indicators, "inspection": inspection, "places": places,
            "asker": accounts.display_names([asker_id]).get(asker_id) if asker_id is not None else None}


def _render_question(question_id: str, *, answer_form=None, publish_form=None, errors=None, status=200,
                     preview=None):
    ctx = _question_context(question_id)
    q = ctx["q"]
    indicator = ctx["indicators"].get(q.get("indicator_id") or "", {})
    answers = q.get("answers") or []
    defaults = {"title": "", "text": answers[-1]["text"] if answers else "", "effective": "",
                "edition_id": q.get("edition_id") or indicator.get("edition_id") or "",
                "clause": q.get("clause") or indicator.get("clause") or "",
                "indicator_ids": q.get("indicator_id") or "", "effect_key": "method", "effect_value": "",
                "answer_id": answers[-1]["id"] if answers else ""}
    form = {**defaults, **(publish_form or {})}
    choices = catalog.indicators_of_clause(form["edition_id"], form["clause"]) if form["edition_id"] else []
    picked = {i.strip() for i in form["indicator_ids"].splitlines() if i.strip()}
    choices = sorted(set(choices) | picked)
    return render_template("console/question.html", answer_form=answer_form or {}, publish_form=form,
                           errors=errors or {}, effects=EFFECTS, preview=preview,
                           preview_names=indicator_names(preview), indicator_choices=choices,
                           picked=picked, choice_info=catalog.indicator_info(choices), **ctx), status


@bp.route("/questions/<question_id>")
def question(question_id: str):
    """One question with its candidates, answers and the two forms."""
    _require_expert()
    return _render_question(question_id)


@bp.route("/questions/<question_id>/answer", methods=["POST"])
def answer(question_id: str):
    """Store an answer (question_service.answer_question); errors re-render the page with 400."""
    _require_expert("question.answer")
    text = (request.form.get("text") or "").strip()
    if not text:
        return _render_question(question_id, answer_form={"text": text},
                                errors={"answer": t()["answer_required"]}, status=400)
    try:
        question_service.answer_question(g.console_user, question_id, text)
    except ValidationFailed as exc:
        uow.rollback()
        return _render_question(question_id, answer_form={"text": text}, errors={"answer": exc.message}, status=400)
    flash(t()["answered_flash"], "success")
    return redirect(url_for("console.question", question_id=question_id))


def effect_of_form(key: str, value: str):
    """Return the effect of a publication from the form: 判定方法 and 适用 in words (the
    select's value, or what was typed: 修约值, 全数值比较法 …); other effects as typed.
    Raises ValueError for a method or applicability the words do not name."""
    text = value.strip()
    if key == "applicable":
        if text.lower() not in APPLICABLE_WORDS:
            raise ValueError(text)
        return {"applicable": APPLICABLE_WORDS[text.lower()]}
    if key == "method":
        if text.lower() not in METHOD_WORDS:
            raise ValueError(text)
        return {"method": METHOD_WORDS[text.lower()]}
    return {key: text}


@bp.route("/questions/<question_id>/publish", methods=["POST"])
def publish(question_id: str):
    """Publish an interpretation from this question's answer (publishing.publish)."""
    _require_expert("interpretation.publish")
    words = t()
    form = {k: (request.form.get(k) or "").strip() for k in
            ("title", "text", "edition_id", "clause", "effective", "effect_key", "effect_value", "answer_id",
             "method_value", "applicable_value")}
    picked = [i.strip() for i in request.form.getlist("indicator_ids") for i in i.splitlines() if i.strip()]
    form["indicator_ids"] = "\n".join(dict.fromkeys(picked))
    chosen = {"method": form["method_value"], "applicable": form["applicable_value"]}.get(form["effect_key"])
    if chosen and not form["effect_value"]:
        form["effect_value"] = chosen
    effective = parse_date(form["effective"])
    errors = {}
    try:
        effect = effect_of_form(form["effect_key"], form["effect_value"]) if form["effect_key"] in EFFECTS else None
    except ValueError:
        effect = None
        errors["effect"] = words[f"effect_{form['effect_key']}_invalid"].format(value=form["effect_value"])
    if effective is None:
        errors["effective"] = words["invalid_date"]
    if form["effect_key"] not in EFFECTS:
        errors["effect"] = words["effect"]
    if not errors:
        what = {"title": form["title"], "text": form["text"], "effect": effect, "effective": effective,
                "clauses": [{"edition_id": form["edition_id"], "clause": form["clause"]}],
                "indicator_ids": [i.strip() for i in form["indicator_ids"].splitlines() if i.strip()]}
        if request.form.get("preview") == "1":          # which findings it would change; nothing stored
            try:
                preview = publishing.preview(g.console_user, **what)
            except (ValidationFailed, NotFound) as exc:
                uow.rollback()
                errors["publish"] = exc.message
            else:
                return _render_question(question_id, publish_form=form, preview=preview)
            return _render_question(question_id, publish_form=form, errors=errors, status=400)
        try:
            result = publishing.publish(g.console_user, **what, answer_id=form["answer_id"] or None)
        except (ValidationFailed, NotFound) as exc:
            uow.rollback()
            errors["publish"] = exc.message
        else:
            item = result["interpretation"]
            flash(words["published_flash"].format(id=item["id"], version=item["version"],
                                                  flags=len(result["flags"])), "success")
            return redirect(url_for("console.question", question_id=question_id))
    return _render_question(question_id, publish_form=form, errors=errors, status=400)


def indicator_names(preview: dict | None) -> dict[str, str]:
    """Return {indicator id: name} of the rows of a verdict preview."""
    if not preview:
        return {}
    info = catalog.indicator_info(sorted({r["indicator_id"] for r in preview["rows"]}))
    return {k: v.get("name") or k for k, v in info.items()}


def _field_choices(current: list[str]) -> list[str]:
    """Return the fields an admin may tick: every field the console names in words, and
    whatever the expert has already."""
    named = [k[len("field_"):] for k in t() if k.startswith("field_")]
    return sorted(set(named) | set(current))


@bp.route("/experts/<username>/fields", methods=["GET", "POST"])
def expert_fields_page(username: str):
    """GET: the fields of expert `username` as tick boxes; POST: replace them
    (question_service.set_expert_fields, audited). 404 unknown user, 400 not an expert."""
    require_action("expert.fields")
    if accounts.find_user(username) is None:
        raise NotFound("user", username=username)
    current = question_service.expert_fields(accounts.find_user(username).id)
    if request.method == "GET":
        return render_template("console/expert_fields.html", username=username, fields=current,
                               choices=_field_choices(current), error=None)
    chosen = [f for f in request.form.getlist("fields") if f in _field_choices(current)]
    try:
        question_service.set_expert_fields(g.console_user, username, chosen)
    except ValidationFailed as exc:
        uow.rollback()
        return render_template("console/expert_fields.html", username=username, fields=chosen,
                               choices=_field_choices(current), error=exc.message), 400
    flash(t()["expert_fields_saved_flash"].format(user=username), "success")
    return redirect(url_for("console.user", username=username))
