"""Pause/resume: an inspection in progress survives Android pausing the app, and the
process being killed while paused (kivy_client.lifecycle over real presenters and store)."""
import pytest
from tablet_kit import DEMO_GTIN, FORMALDEHYDE_A

from kivy_client import lifecycle
from kivy_client.presenters import InspectionPresenter, ScanPresenter


@pytest.fixture
def in_progress(synced_store):
    presenter = InspectionPresenter(synced_store, inspector="王")
    presenter.use_resolution(ScanPresenter(synced_store).scan(DEMO_GTIN))
    presenter.start(**presenter.form)
    presenter.select(FORMALDEHYDE_A)
    return presenter


def test_a_killed_app_reopens_the_inspection_indicator_and_typed_text(synced_store, in_progress):
    snap = lifecycle.take("inspection", in_progress, {"measured": "19.8", "address": "", "batch": "B2"})
    lifecycle.save(synced_store, snap)
    reborn = InspectionPresenter(synced_store, inspector="王")      # a new process: nothing in memory
    kept = lifecycle.saved(synced_store)
    assert lifecycle.restore(kept, reborn) == []
    assert reborn.inspection_id == in_progress.inspection_id
    assert reborn.selected.id == FORMALDEHYDE_A
    assert kept.screen == "inspection" and kept.fields == {"measured": "19.8", "batch": "B2"}


def test_resume_in_the_same_process_clears_the_snapshot(synced_store, in_progress):
    lifecycle.save(synced_store, lifecycle.take("scan", in_progress, {}))
    lifecycle.clear(synced_store)
    assert lifecycle.saved(synced_store) is None


def test_an_inspection_gone_from_the_device_is_reported_not_raised(synced_store):
    problems = lifecycle.restore(lifecycle.Snapshot("inspection", "no-such-id", None, {}),
                                 InspectionPresenter(synced_store))
    assert len(problems) == 1 and "unknown inspection" in problems[0]


@pytest.mark.parametrize("stored", [None, "garbage", 42, {"fields": 3}])
def test_unreadable_snapshots_are_ignored(stored):
    assert lifecycle.Snapshot.from_dict(stored) is None


def test_the_language_chosen_is_kept_across_restarts(synced_store):
    from kivy_client.app import LANGUAGE_KEY, TabletApp

    assert TabletApp(store=synced_store).lang == "zh_CN"
    synced_store.state.set(LANGUAGE_KEY, "en")           # what set_language writes
    app = TabletApp(store=synced_store)
    assert app.lang == "en" and app.t("sync") == "Sync"
    synced_store.state.set(LANGUAGE_KEY, "fr")           # an unknown value is ignored
    assert TabletApp(store=synced_store).lang == "zh_CN"
