"""The matrix would catch a missing check: each part of each rule of the policy is removed
in turn (a role set widened to every role, a subtree scope dropped, a named check
dropped, an "everywhere" exception dropped) and the matrix rows of that action must then
disagree with access_table. A mutation the matrix does not notice fails this test."""
from __future__ import annotations

from dataclasses import replace

import pytest
from access_matrix import build_world, run_op
from access_table import OPS

from server.kernel.access import ANYONE, PLANNING_ACTIONS, POLICY


def mutations():
    for action, rule in sorted(POLICY.items()):
        if action in PLANNING_ACTIONS and not any(op.action == action for op in OPS):
            continue                         # no matrix row yet (test_access_matrix.py says why)
        if set(rule.roles) != set(ANYONE):
            yield action, "roles=anyone", replace(rule, roles=ANYONE)
        if rule.scope == "subtree":
            yield action, "scope=anywhere", replace(rule, scope="anywhere")
        for check in rule.checks:
            yield action, f"without {check}", replace(rule, checks=tuple(c for c in rule.checks if c != check))
        if rule.everywhere:
            yield action, "everywhere=()", replace(rule, everywhere=())


MUTATIONS = list(mutations())


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from server_testkit import dispose_app
    w = build_world(f"sqlite:///{tmp_path_factory.mktemp('mut') / 'm.db'}")
    yield w
    dispose_app(w.app)


@pytest.mark.slow
@pytest.mark.parametrize("action, what, mutated", MUTATIONS, ids=[f"{a}:{w}" for a, w, _ in MUTATIONS])
def test_the_matrix_notices_each_removed_check(world, monkeypatch, action, what, mutated):
    world.consoles.clear()       # sessions signed in under another mutation are not reused
    monkeypatch.setitem(POLICY, action, mutated)
    rows = [op for op in OPS if op.action == action]
    assert rows, f"no matrix row exercises {action}"
    for op in rows:
        _, misses = run_op(world, op, first_miss=True)
        if misses:
            return
    pytest.fail(f"the matrix did not notice {action} {what}")
