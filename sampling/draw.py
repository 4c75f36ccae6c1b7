"""The reproducible, auditable draw (双随机): targets from the directory, inspectors from the roster.

Two steps, so the seed cannot be chosen after the outcome is known:

    doc = commit_draw(plan, directory, roster, history, seed)   # publish doc["commitment_sha256"]
    doc = reveal_draw(doc, seed)                                # adds the seed and the result

`history` maps a credit code to the inspectors of that enterprise's last inspection (nobody
goes to the same enterprise twice running). The document holds everything `verify` needs
to re-run the draw: the plan, the directory and roster snapshots (no names or ID numbers of
inspectors), the history, their SHA-256 digests, the seed's commitment and then the seed.

Algorithm `gbfield-draw/1` (keys: `sampling.prng`):
1. Enterprises in the plan's scope are grouped into strata by the plan's strata fields
   (label "risk_class=D|jurisdiction=110105" in the plan's field order; "all" when none).
2. Sample sizes per stratum follow the plan's allocation (`Plan.allocate`).
3. In each stratum the enterprises with the smallest key("target", credit code) are drawn.
4. Inspectors lacking a competence an item needs are excluded for the whole plan.
5. Targets are staffed in ascending order of their key; for each, the inspectors whose
   jurisdiction covers the enterprise's, minus those with a conflict of interest (回避) and
   those of its last inspection, are ranked by key("inspector", credit code, inspector code);
   the first `inspectors_per_target` not yet at `max_targets_per_inspector` are assigned.
   A target with too few is kept and marked with its shortfall.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sampling.canonical import sha256_hex
from sampling.errors import DrawFormatError, SamplingError, SeedError
from sampling.model import Enterprise, Inspector, covers
from sampling.plan import Plan
from sampling.prng import key, seed_bytes, seed_commitment

FORMAT = "gbfield-draw"
ALGORITHM = "gbfield-draw/1"
ALGORITHMS = (ALGORITHM,)


def directory_snapshot(directory: Iterable[Enterprise]) -> list[dict[str, Any]]:
    """Return the directory's published form sorted by credit code; raises SamplingError on a
    repeated credit code."""
    rows = sorted((e.snapshot() for e in directory), key=lambda r: r["credit_code"])
    _unique(rows, "credit_code", "检查对象名录库中统一社会信用代码重复")
    return rows


def roster_snapshot(roster: Iterable[Inspector]) -> list[dict[str, Any]]:
    """Return the roster's published form sorted by code; raises SamplingError on a repeated code."""
    rows = sorted((i.snapshot() for i in roster), key=lambda r: r["code"])
    _unique(rows, "code", "执法检查人员名录库中执法证号重复")
    return rows


def history_snapshot(history: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Return [{credit_code, inspectors}] sorted, without empty entries."""
    return [{"credit_code": c, "inspectors": sorted(set(v))} for c, v in sorted(history.items()) if v]


def _unique(rows: list[dict[str, Any]], field: str, what: str) -> None:
    for a, b in itertools.pairwise(rows):
        if a[field] == b[field]:
            raise SamplingError(f"{what}：{a[field]} (duplicate {field})")


def commit_draw(plan: Plan, directory: Iterable[Enterprise], roster: Iterable[Inspector],
                history: Mapping[str, Sequence[str]], seed: str) -> dict[str, Any]:
    """Return the draw document before the draw: inputs and their commitment, no seed, no
    result. Raises SeedError for a malformed seed, SamplingError for duplicate entries."""
    inputs = {"directory": directory_snapshot(directory), "roster": roster_snapshot(roster),
              "history": history_snapshot(history)}
    plan_json = plan.to_dict()
    commitment = commitment_of(plan_json, inputs, seed_commitment(seed), ALGORITHM)
    return {"format": FORMAT, "algorithm": ALGORITHM, "plan": plan_json, "inputs": inputs,
            "commitment": commitment, "commitment_sha256": sha256_hex(commitment)}


def commitment_of(plan_json: dict[str, Any], inputs: Mapping[str, Any], seed_sha256: str,
                  algorithm: str) -> dict[str, str]:
    """Return the commitment object: the algorithm and the digests of every input and the seed."""
    return {"algorithm": algorithm, "plan_sha256": sha256_hex(plan_json),
            "directory_sha256": sha256_hex(inputs["directory"]), "roster_sha256": sha256_hex(inputs["roster"]),
            "history_sha256": sha256_hex(inputs["history"]), "seed_sha256": seed_sha256}


def reveal_draw(doc: Mapping[str, Any], seed: str) -> dict[str, Any]:
    """Return the committed document with the seed revealed and the result computed.

    Raises SeedError when the seed does not match the commitment, DrawFormatError when
    `doc` is not a committed draw document.
    """
    try:
        committed = doc["commitment"]["seed_sha256"]
    except (KeyError, TypeError) as exc:
        raise DrawFormatError("不是已承诺的抽取文件：缺少 commitment.seed_sha256 (not a committed draw)") from exc
    if seed_commitment(seed) != committed:
        raise SeedError("随机种子与事先公布的承诺值不符 (the seed does not match its commitment)")
    plan, directory, roster, history = load_inputs(doc)
    out = dict(doc)
    out["seed"] = seed.strip().lower()
    out["result"] = compute_result(plan, directory, roster, history, seed)
    return out


def run_draw(plan: Plan, directory: Iterable[Enterprise], roster: Iterable[Inspector],
             history: Mapping[str, Sequence[str]], seed: str) -> dict[str, Any]:
    """commit_draw then reveal_draw in one step (tests, offline use); raises as they do."""
    return reveal_draw(commit_draw(plan, directory, roster, history, seed), seed)


def load_inputs(doc: Mapping[str, Any]) -> tuple[Plan, list[Enterprise], list[Inspector], dict[str, list[str]]]:
    """Return (plan, directory, roster, history) from a draw document; raises DrawFormatError
    (or PlanError for an invalid plan)."""
    try:
        plan = Plan.from_dict(doc["plan"])
        inputs = doc["inputs"]
        directory = [Enterprise.from_snapshot(r) for r in inputs["directory"]]
        roster = [Inspector.from_snapshot(r) for r in inputs["roster"]]
        history = {str(r["credit_code"]): [str(c) for c in r["inspectors"]] for r in inputs["history"]}
    except (KeyError, TypeError, AttributeError) as exc:
        raise DrawFormatError(f"抽取文件缺少或错写了部分内容：{exc} (malformed draw document)") from exc
    return plan, directory, roster, history


def stratum_of(plan: Plan, enterprise: Enterprise) -> tuple[str, dict[str, str]]:
    """Return (label, values) of the stratum an enterprise falls in."""
    values = {f: getattr(enterprise, f) for f in plan.strata}
    return ("|".join(f"{f}={v}" for f, v in values.items()) or "all"), values


def compute_result(plan: Plan, directory: Sequence[Enterprise], roster: Sequence[Inspector],
                   history: Mapping[str, Sequence[str]], seed: str) -> dict[str, Any]:
    """Run algorithm gbfield-draw/1 and return the result part of a draw document; raises
    SeedError or PlanError (a count larger than the population)."""
    secret = seed_bytes(seed)
    strata: dict[str, tuple[dict[str, str], list[Enterprise]]] = {}
    for e in directory:
        if plan.in_scope(e.jurisdiction, e.industry, e.risk_class):
            label, values = stratum_of(plan, e)
            strata.setdefault(label, (values, []))[1].append(e)
    sizes = plan.allocate({label: (values, len(members)) for label, (values, members) in strata.items()})
    drawn: list[tuple[str, str, Enterprise]] = []
    strata_out = []
    for label in sorted(strata):
        values, members = strata[label]
        ranked = sorted(((key(secret, "target", e.credit_code), e) for e in members),
                        key=lambda pair: (pair[0], pair[1].credit_code))
        drawn.extend((k, label, e) for k, e in ranked[:sizes[label]])
        strata_out.append({"label": label, "values": values, "population": len(members),
                           "sample": sizes[label]})
    needed = set(plan.competences)
    competent, roster_excluded = [], []
    for inspector in sorted(roster, key=lambda i: i.code):
        missing = sorted(needed - set(inspector.competences))
        if missing:
            roster_excluded.append({"inspector": inspector.code, "reason": "competence", "missing": missing})
        else:
            competent.append(inspector)
    load: dict[str, int] = {}
    targets = []
    covering: dict[str, list[Inspector]] = {}       # enterprise jurisdiction -> inspectors covering it
    for target_key, label, e in sorted(drawn, key=lambda t: (t[0], t[2].credit_code)):
        if e.jurisdiction not in covering:
            covering[e.jurisdiction] = [i for i in competent if covers(i.jurisdiction, e.jurisdiction)]
        previous = set(history.get(e.credit_code, ()))
        excluded, candidates = [], []
        for inspector in covering[e.jurisdiction]:
            if e.credit_code in inspector.conflicts:
                excluded.append({"inspector": inspector.code, "reason": "conflict"})
            elif inspector.code in previous:
                excluded.append({"inspector": inspector.code, "reason": "previous"})
            else:
                candidates.append((key(secret, "inspector", e.credit_code, inspector.code), inspector.code))
        chosen, full = [], []
        for _, code in sorted(candidates):
            if len(chosen) == plan.inspectors_per_target:
                break
            if plan.max_targets_per_inspector is not None and load.get(code, 0) >= plan.max_targets_per_inspector:
                full.append(code)
                continue
            chosen.append(code)
        for code in chosen:
            load[code] = load.get(code, 0) + 1
        targets.append({"credit_code": e.credit_code, "name": e.name, "stratum": label, "key": target_key,
                        "inspectors": chosen, "excluded": excluded, "at_capacity": full,
                        "eligible": len(candidates),
                        "shortfall": plan.inspectors_per_target - len(chosen)})
    return {"population": sum(s["population"] for s in strata_out), "strata": strata_out,
            "targets": targets, "roster_excluded": roster_excluded,
            "shortfalls": sum(1 for t in targets if t["shortfall"])}
