"""双随机 sampling, pure: the directories (一单两库) and their import reports, sampling plans,
the reproducible and auditable draw with its verification, and the stratified compliance
estimate. Imports nothing of ours but `codes`; no Flask, no database, no files.

    plan = Plan.from_dict(plan_json)
    doc = commit_draw(plan, enterprises, inspectors, history, new_seed())   # publish its digest
    doc = reveal_draw(doc, seed)                                            # seed + result
    verify(doc).matches                                                     # anyone can re-run it
    estimate([StratumCount("risk_class=A", 400, 20, 19), ...]).overall
"""
from sampling.canonical import canonical_json, sha256_hex
from sampling.directory import check_enterprise_file, check_inspector_file, check_item_file
from sampling.draw import ALGORITHM, commit_draw, reveal_draw, run_draw
from sampling.errors import (
    DrawFormatError,
    EstimateError,
    PlanError,
    SamplingError,
    SeedError,
    TableError,
)
from sampling.estimate import Estimate, Interval, StratumCount, estimate
from sampling.model import Enterprise, Inspector, Item
from sampling.plan import Plan
from sampling.prng import new_seed, seed_commitment
from sampling.verify import Difference, VerifyReport, verify

__all__ = [
    "ALGORITHM", "Difference", "DrawFormatError", "Enterprise", "Estimate", "EstimateError", "Inspector",
    "Interval", "Item", "Plan", "PlanError", "SamplingError", "SeedError", "StratumCount", "TableError",
    "VerifyReport", "canonical_json", "check_enterprise_file", "check_inspector_file", "check_item_file", "commit_draw",
    "estimate", "new_seed", "reveal_draw", "run_draw", "seed_commitment", "sha256_hex", "verify",
]
