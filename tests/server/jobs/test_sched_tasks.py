"""Each job as a plain function with a frozen clock (`now` passed in)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from server_testkit import GOOD_CREDIT, finding, inspection_item, uid
from sqlalchemy import select

from server.jobs import tasks
from server.jobs.scheduler import run_job
from server.kernel import clock
from server.kernel.extensions import db

BEIJING = timezone(timedelta(hours=8))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING).astimezone(UTC)


def test_edition_status_changes_on_the_date_and_become_catalog_deltas(api, config):
    token = api.device("insp_chaoyang")
    assert tasks.edition_status(at("2025-08-31T23:50"), config=config)["changed"] == []
    cursor = api.pull(token=token).json["cursor"]
    done = tasks.edition_status(at("2025-09-01T00:05"), config=config)
    assert sorted(done["changed"]) == ["GB 17761-2018", "GB 17761-2024"]
    page = api.pull(token=token, since=cursor).json["changes"]
    status = {c["id"]: c["data"]["status"] for c in page if c["entity"] == "edition"}
    assert status == {"GB 17761-2018": "废止", "GB 17761-2024": "现行"}
    assert tasks.edition_status(at("2025-09-01T12:00"), config=config)["changed"] == []


def _queued_question(api, token, text="塑料积木的锑含量怎么送检？"):
    ident = uid()
    api.push([{"mutation_id": uid(), "entity": "question", "id": ident, "base_version": 0,
               "data": {"id": ident, "text": text, "edition_id": "GB 6675.4-2014"}}], token=token)
    return ident


def test_unanswered_questions_escalate_after_the_configured_hours(api, config):
    token = api.device("insp_chaoyang")
    api.call("PUT", "/api/v1/questions/experts/expert/fields", "admin", json={"fields": ["toy"]})
    qid = _queued_question(api, token)
    now = clock.now()
    assert tasks.escalate_questions(now + timedelta(hours=47), config=config)["escalated"] == []
    assert tasks.escalate_questions(now + timedelta(hours=49), config=config)["escalated"] == [qid]
    assert tasks.escalate_questions(now + timedelta(hours=50), config=config)["escalated"] == []
    kinds = [n["kind"] for n in api.call("GET", "/api/v1/questions/notifications", "expert").json]
    assert kinds == ["question_escalated"]
    assert api.call("GET", "/api/v1/questions/notifications", "admin").json[0]["data"]["question_id"] == qid
    changes = [c for c in api.pull(token=token, entities="question").json["changes"] if c["id"] == qid]
    assert changes[-1]["data"]["escalated"] is True


def test_compliance_statistics_per_jurisdiction_and_standard(api, config):
    token = api.device("insp_chaoyang")
    api.push([inspection_item(findings=[finding(measured="15"), finding(measured="25", outcome="fail")]),
              inspection_item(findings=[finding(measured="30", outcome="pass")])], token=token)
    assert tasks.compliance_stats(at("2025-06-02T02:00"), config=config) == {"rows": 1}
    rows = api.call("GET", "/api/v1/compliance/stats?from=2025-05-01&to=2025-06-30", "sup_chaoyang").json
    assert len(rows) == 1
    row = rows[0]
    assert (row["jurisdiction_code"], row["standard_code"]) == ("110105", "GB 18401")
    assert (row["inspections"], row["findings"], row["passed"], row["failed"], row["disagreements"]) == (2, 3, 1, 2, 1)
    assert row["disagreement_rate"] == round(1 / 3, 4)
    assert api.call("GET", "/api/v1/compliance/stats?from=2025-05-01&to=2025-06-30", "sup_haidian").json == []
    assert api.call("GET", "/api/v1/compliance/stats", "insp_chaoyang").status_code == 403
    # a rerun replaces, never doubles
    tasks.compliance_stats(at("2025-06-02T02:00"), config=config)
    again = api.call("GET", "/api/v1/compliance/stats?from=2025-05-01&to=2025-06-30", "sup_chaoyang").json
    assert again == rows


def test_purge_removes_old_tombstones_and_expired_uploads(app, config):
    from server.kernel.changes import Change
    from server.syncing.pull import horizon
    from server.uploads import staging

    old = clock.now() - timedelta(days=200)
    with app.app_context():
        db.session.add(Change(entity="product", entity_id="06900000000000", op="delete", version=2, data=None,
                              scope_path=None, owner_user_id=None, created_at=old))
        db.session.commit()
    area = staging.Staging(f"{config['GBFIELD_BLOB_DIR']}/.staging")
    now = clock.now()
    for hours in (-1, 5):   # one expired an hour ago, one still open
        area.create(staging.UploadInfo(id="", length=10, sha256="0" * 64, metadata={}, user_id=1,
                                       created_at=now.isoformat(),
                                       expires_at=(now + timedelta(hours=hours)).isoformat()))
    result = tasks.purge(now, config=config)
    assert result == {"changes_purged": 1, "uploads_purged": 1}
    with app.app_context():
        assert horizon() > 0
    assert tasks.purge(now, config=config) == {"changes_purged": 0, "uploads_purged": 0}


def test_recheck_reminders_for_failed_findings_without_follow_up(api, config):
    token = api.device("insp_chaoyang")
    failed = finding(measured="25", outcome="fail")
    api.push([inspection_item(findings=[failed, finding(measured="10")])], token=token)  # 2025-06-01
    assert tasks.recheck_reminders(at("2025-06-20T08:00"), config=config)["reminded"] == []
    assert tasks.recheck_reminders(at("2025-07-15T08:00"), config=config)["reminded"] == [failed["id"]]
    assert tasks.recheck_reminders(at("2025-07-16T08:00"), config=config)["reminded"] == []
    flags = [c["data"] for c in api.pull(token=token, entities="flag").json["changes"]]
    assert [f["finding_id"] for f in flags if f.get("kind") == "recheck_reminder"] == [failed["id"]]
    kinds = [n["kind"] for n in api.call("GET", "/api/v1/questions/notifications", "insp_chaoyang").json]
    assert kinds == ["recheck_reminder"]


def test_a_later_inspection_of_the_company_cancels_the_reminder(api, config):
    token = api.device("insp_chaoyang")
    api.push([inspection_item(findings=[finding(measured="25", outcome="fail")])], token=token)
    api.push([inspection_item(inspected_on="2025-07-01", credit_code=GOOD_CREDIT, findings=[finding()])], token=token)
    assert tasks.recheck_reminders(at("2025-08-15T08:00"), config=config)["reminded"] == []


def test_a_slot_runs_once(app, config):
    from server.jobs.models import JobRun

    now = at("2025-06-02T02:00")
    assert run_job("compliance_stats", config, now) == {"rows": 0}
    assert run_job("compliance_stats", config, now + timedelta(hours=3)) is None   # same local day
    assert run_job("compliance_stats", config, now + timedelta(days=1)) == {"rows": 0}
    with app.app_context():
        rows = db.session.execute(select(JobRun.due, JobRun.result).where(JobRun.job == "compliance_stats")
                                  .order_by(JobRun.due)).all()
    assert [r.due for r in rows] == ["2025-06-02", "2025-06-03"]
