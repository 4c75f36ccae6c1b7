"""JSON is stored and sent as compact UTF-8 on every backend (SQLite used to keep `\\uXXXX`
escapes, PostgreSQL's jsonb text has spaces), and the migration rewrites existing rows
without changing what they mean."""
from __future__ import annotations

import json

import sqlalchemy as sa
from server_testkit import finding, inspection_item

from server import MIGRATIONS_DIR, create_app
from server.kernel.extensions import db
from server.kernel.types import content_hash


def raw_change_texts(app, entity: str) -> list[str]:
    with app.app_context():
        return [t for (t,) in db.session.execute(sa.text(
            "SELECT CAST(data AS TEXT) FROM changes WHERE entity = :e"), {"e": entity})]


def test_pushed_records_are_stored_and_pulled_as_compact_utf8(app, api):
    item = inspection_item(company_name="北京示例婴童服饰有限公司", findings=[finding(note="甲醛 合格")])
    assert api.push([item], "insp_chaoyang").json["results"][0]["status"] == "applied"
    texts = raw_change_texts(app, "inspection")
    assert texts and all("\\u" not in t and '": ' not in t and '", "' not in t for t in texts)
    assert "北京示例婴童服饰有限公司" in texts[0]
    page = api.call("GET", "/api/v1/sync/pull?since=0&limit=10000&data=text&entities=inspection",
                    "insp_chaoyang").json
    assert page["changes"][0]["data"] in texts


def test_the_catalog_is_stored_compact(app):
    texts = raw_change_texts(app, "indicator")
    assert texts and not any("\\u" in t or '": ' in t for t in texts)


def test_the_migration_rewrites_escaped_rows_compact_keeping_their_meaning(db_url):
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    record = {"name": "甲醛含量", "limit": "≤20", "nested": {"单位": "mg/kg", "list": [1, "二"]}}
    old_text = json.dumps(record)                       # the stdlib default: \uXXXX, spaces
    assert "\\u" in old_text
    with app.app_context():
        # the revision before the compact-JSON migration (read from the script: landing re-chains migrations)
        upgrade(directory=MIGRATIONS_DIR,
                revision=ScriptDirectory(MIGRATIONS_DIR).get_revision("a1c3e5f70915").down_revision)
        db.session.execute(sa.text(
            "INSERT INTO changes (entity, entity_id, op, version, data, created_at) "
            "VALUES ('indicator', 'x', 'upsert', 1, :d, CURRENT_TIMESTAMP)"), {"d": old_text})
        db.session.commit()
        upgrade(directory=MIGRATIONS_DIR)
        (text,) = db.session.execute(sa.text(
            "SELECT CAST(data AS TEXT) FROM changes WHERE entity_id = 'x'")).one()
        (obj,) = db.session.execute(sa.text("SELECT data FROM changes WHERE entity_id = 'x'")).one()
        db.session.remove()
        db.engine.dispose()
    # jsonb kept its own key order on PostgreSQL; the text is compact UTF-8 either way
    assert json.loads(text) == record and "\\u" not in text and ": " not in text and ", " not in text
    assert len(text.encode()) == len(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
    obj = json.loads(obj) if isinstance(obj, str) else obj
    assert obj == record and content_hash(obj) == content_hash(record)
