"""Home's attention list made actionable: a real conflict (two tablets of one inspector
edit the same inspection against the real server app) settled by keep mine / take the
server's; a rejected item corrected and retried; messages in the chosen language."""
from __future__ import annotations

import pytest
from tablet_kit import make_conflict

from device import DeviceRecords
from kivy_client.presenters import PresenterError, SyncPresenter, localize


@pytest.fixture
def conflicted(synced_store, server, wsgi_factory, tmp_path):
    ident = make_conflict(server, synced_store, tmp_path)
    return SyncPresenter(synced_store, transport_factory=wsgi_factory), ident


def test_conflict_shows_both_versions_side_by_side(conflicted):
    sync, ident = conflicted
    (item,) = sync.attention()
    assert (item.kind, item.entity, item.record_id) == ("conflict", "inspection", ident)
    assert item.server_version == 2 and item.retry_fields() == ()
    rows = {name: (mine, theirs) for name, mine, theirs in item.differences()}
    assert rows == {"company_name": ("北京示例婴童服饰有限公司（我的）", "北京示例婴童服饰有限公司（另一台）")}


@pytest.mark.parametrize("keep,expected", [("mine", "（我的）"), ("server", "（另一台）")])
def test_resolve_then_sync_agrees_with_the_server(conflicted, keep, expected):
    sync, ident = conflicted
    (item,) = sync.attention()
    new_id = sync.resolve(item.mutation_id, keep)
    assert (new_id is None) == (keep == "server")
    assert sync.outbox_counts()["conflict"] == 0
    assert sync.sync() and sync.state == "done", sync.message
    assert sync.attention() == [] and sync.outbox_counts() == {"pending": 0, "conflict": 0, "rejected": 0}
    record = sync.store.records.get("inspection", ident)
    assert record["data"]["company_name"].endswith(expected)
    assert record["version"] == (3 if keep == "mine" else 2)


def test_resolve_unknown_or_bad_choice_is_readable(conflicted):
    sync, _ = conflicted
    with pytest.raises(PresenterError, match="无法处理冲突"):
        sync.resolve("no-such-item", "mine")
    with pytest.raises(PresenterError, match="无效的选择"):
        sync.resolve(sync.attention()[0].mutation_id, "both")
    assert sync.outbox_counts()["conflict"] == 1


def test_rejected_item_corrected_and_retried(synced_store, wsgi_factory):
    ident = DeviceRecords(synced_store).create_inspection("2025-06-01", company_name="某企业", jurisdiction="999999")
    sync = SyncPresenter(synced_store, transport_factory=wsgi_factory)
    sync.sync()
    (item,) = sync.attention()
    assert item.kind == "rejected" and "辖区" in item.reason
    assert item.suggested_field() == "jurisdiction" and "company_name" in item.retry_fields()
    with pytest.raises(PresenterError, match="不能修改字段"):
        sync.retry(item.mutation_id, status="approved")
    sync.retry(item.mutation_id, jurisdiction="110105")
    assert "重新发送" in sync.message and sync.outbox_counts()["rejected"] == 0
    assert sync.sync() and sync.state == "done", sync.message
    assert sync.attention() == [] and synced_store.records.get("inspection", ident)["version"] == 1


@pytest.mark.parametrize("message,language,shown", [
    ("同步完成：拉取 3，推送 1 / synced: pulled 3, pushed 1", "zh_CN", "同步完成：拉取 3，推送 1"),
    ("同步完成：拉取 3，推送 1 / synced: pulled 3, pushed 1", "en", "synced: pulled 3, pushed 1"),
    ("单位 mg/kg 不能换算为 g / unit cannot be converted", "zh_CN", "单位 mg/kg 不能换算为 g"),
    ("同步未完成 / sync incomplete\n请更新应用 / update the app", "en", "sync incomplete\nupdate the app"),
    ("测量值无法识别：第3个字符", "en", "测量值无法识别：第3个字符"),
    ("", "en", ""),
    ("检查记录已被修改（服务器版本 2）/ inspection changed", "zh_CN", "检查记录已被修改（服务器版本 2）"),
    ("检查记录已被修改（服务器版本 2）/ inspection changed", "en", "inspection changed"),
])
def test_messages_follow_the_language(message, language, shown):
    assert localize(message, language) == shown


def test_sync_message_in_english_and_chinese(synced_store, wsgi_factory):
    sync = SyncPresenter(synced_store, transport_factory=wsgi_factory)
    sync.sync()
    assert localize(sync.message, "zh_CN").startswith("同步完成：拉取") and "/" not in localize(sync.message, "zh_CN")
    assert localize(sync.message, "en").startswith("synced: pulled")
