"""The shipped demo directory and roster import without a rejected row, and a demo plan drawn
from them staffs every target with two inspectors."""
from __future__ import annotations

from pathlib import Path

import assets
from sampling import Plan, check_enterprise_file, check_inspector_file, run_draw

FOLDER = Path(assets.__file__).parent / "registry"


def test_demo_files_import_cleanly_and_draw():
    enterprises = check_enterprise_file((FOLDER / "demo_enterprises.csv").read_bytes())
    inspectors = check_inspector_file((FOLDER / "demo_inspectors.csv").read_bytes())
    assert not enterprises.rejected and not inspectors.rejected
    assert len(enterprises.accepted) >= 60 and {e.risk_class for e in enterprises.accepted} == set("ABCD")
    plan = Plan.from_dict({"id": "demo", "name": "演示", "strata": ["risk_class"],
                           "scope": {"jurisdictions": ["110000"], "industries": ["C17", "C18"]},
                           "allocation": {"ratio": "0.1", "minimum": 1,
                                          "overrides": [{"where": {"risk_class": "D"}, "ratio": "0.3"}]},
                           "items": [{"id": "T1", "name": "纺织品", "competence": "textile", "legal_basis": "x"}]})
    result = run_draw(plan, enterprises.accepted, inspectors.accepted, {}, "c3" * 32)["result"]
    assert result["shortfalls"] == 0 and len(result["targets"]) >= 6
