"""Re-running a published draw from its own inputs: `verify(doc)` says whether it matches.

Checks, each reported as a Difference when it fails:
- the format and algorithm are known;
- each input (plan, directory, roster, history) hashes to the digest in the commitment;
- the revealed seed hashes to the committed seed digest;
- the commitment hashes to `commitment_sha256` (and to `expected_commitment`, the digest
  published before the draw, when the caller has it);
- the result re-computed from the inputs and the seed equals the published result
  (strata sizes, targets drawn, inspectors assigned, exclusions recorded).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sampling.canonical import sha256_hex
from sampling.draw import ALGORITHMS, FORMAT, compute_result, load_inputs
from sampling.errors import DrawFormatError, SamplingError
from sampling.prng import seed_commitment


@dataclass(frozen=True)
class Difference:
    part: str            # "directory_sha256", "seed", "result.targets", "target 9111…"
    message: str         # Chinese first, then English
    published: Any = None
    recomputed: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "message": self.message, "published": self.published,
                "recomputed": self.recomputed}


@dataclass
class VerifyReport:
    differences: list[Difference] = field(default_factory=list)
    commitment_sha256: str | None = None
    targets: int = 0

    @property
    def matches(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        """Return {matches, commitment_sha256, targets, differences}."""
        return {"matches": self.matches, "commitment_sha256": self.commitment_sha256, "targets": self.targets,
                "differences": [d.to_dict() for d in self.differences]}

    def lines(self) -> list[str]:
        """Return the report as lines for a terminal or a page."""
        if self.matches:
            return [(f"一致：按公布的输入重新抽取，结果与公布的结果相同（{self.targets} 个检查对象；"
                    f"承诺值 {self.commitment_sha256}）"),
                    (f"MATCH: re-running from the published inputs gives the published result "
                    f"({self.targets} targets)")]
        return [f"不一致：发现 {len(self.differences)} 处差异 (MISMATCH: {len(self.differences)} differences)"] + \
            [f"- {d.part}: {d.message}" for d in self.differences]


def verify(doc: Any, *, expected_commitment: str | None = None) -> VerifyReport:
    """Re-run the draw in `doc` and compare; returns a VerifyReport (never raises for a
    mismatch). Raises DrawFormatError when `doc` is not a revealed gbfield draw at all."""
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        raise DrawFormatError(f"不是 gbfield 抽取文件（format 应为 {FORMAT}） (not a gbfield draw document)")
    for part in ("plan", "inputs", "commitment", "commitment_sha256", "seed", "result"):
        if part not in doc:
            raise DrawFormatError(f"抽取文件缺少 {part} (draw document lacks {part})")
    report = VerifyReport(commitment_sha256=doc["commitment_sha256"])
    diffs = report.differences
    commitment = doc["commitment"]
    if not isinstance(commitment, Mapping) or not isinstance(doc["inputs"], Mapping):
        raise DrawFormatError("commitment 与 inputs 应为 JSON 对象 (commitment and inputs are objects)")
    algorithm = doc.get("algorithm")
    if algorithm not in ALGORITHMS:
        diffs.append(Difference("algorithm", f"未知的抽取算法版本 {algorithm!r}，无法重新抽取 "
                                             f"(unknown algorithm; known: {', '.join(ALGORITHMS)})", algorithm))
        return report
    if commitment.get("algorithm") != algorithm:
        diffs.append(Difference("algorithm", "文件声明的算法与承诺中的算法不同 (algorithm differs from the committed one)",
                                algorithm, commitment.get("algorithm")))
    digests = {"plan_sha256": lambda: sha256_hex(doc["plan"])}
    for name in ("directory", "roster", "history"):
        digests[f"{name}_sha256"] = (lambda n=name: sha256_hex(doc["inputs"].get(n)))
    for part, compute in digests.items():
        try:
            actual = compute()
        except SamplingError as exc:
            actual = f"（无法计算：{exc.message}）"
        if actual != commitment.get(part):
            diffs.append(Difference(part, f"{_LABELS[part]}的摘要与承诺值不同：输入被改动过 "
                                          f"({part} differs from the commitment: the input was changed)",
                                    commitment.get(part), actual))
    try:
        seed_hash = seed_commitment(doc["seed"])
    except SamplingError as exc:
        seed_hash = f"（{exc.message}）"
    if seed_hash != commitment.get("seed_sha256"):
        diffs.append(Difference("seed", "公布的随机种子与事先承诺的摘要不符 (the revealed seed does not match "
                                        "its commitment)", commitment.get("seed_sha256"), seed_hash))
    try:
        own = sha256_hex(dict(commitment))
    except SamplingError as exc:
        own = f"（{exc.message}）"
    if own != doc["commitment_sha256"]:
        diffs.append(Difference("commitment_sha256", "承诺对象的摘要与公布值不同 (the commitment was altered)",
                                doc["commitment_sha256"], own))
    if expected_commitment is not None and expected_commitment.strip().lower() != own:
        diffs.append(Difference("commitment_sha256", "与事先公布的承诺值不同 (differs from the commitment "
                                                     "published before the draw)", expected_commitment, own))
    try:
        plan, directory, roster, history = load_inputs(doc)
        recomputed = compute_result(plan, directory, roster, history, doc["seed"])
    except SamplingError as exc:
        diffs.append(Difference("result", f"无法按公布的输入重新抽取：{exc.message} (cannot re-run)"))
        return report
    report.targets = len(recomputed["targets"])
    _compare_results(doc["result"], recomputed, diffs)
    return report


_LABELS = {"plan_sha256": "抽查计划", "directory_sha256": "检查对象名录库", "roster_sha256": "执法检查人员名录库",
           "history_sha256": "上次检查记录"}


def _compare_results(published: Any, recomputed: dict[str, Any], diffs: list[Difference]) -> None:
    if not isinstance(published, Mapping):
        diffs.append(Difference("result", "公布的结果不是 JSON 对象 (result is not an object)"))
        return
    for part in ("population", "shortfalls"):
        if published.get(part) != recomputed[part]:
            diffs.append(Difference(f"result.{part}", "数量不同 (count differs)", published.get(part), recomputed[part]))
    if published.get("strata") != recomputed["strata"]:
        old = {s.get("label"): s for s in published.get("strata") or [] if isinstance(s, Mapping)}
        for s in recomputed["strata"]:
            if old.get(s["label"]) != s:
                diffs.append(Difference(f"stratum {s['label']}", "分层的总体数或抽取数不同 (stratum sizes differ)",
                                        old.get(s["label"]), s))
        extra = sorted(set(old) - {s["label"] for s in recomputed["strata"]}, key=str)
        for label in extra:
            diffs.append(Difference(f"stratum {label}", "重新抽取时没有这一层 (no such stratum on re-run)", old[label]))
    if published.get("roster_excluded") != recomputed["roster_excluded"]:
        diffs.append(Difference("result.roster_excluded", "因执法领域被排除的人员不同 (competence exclusions differ)",
                                published.get("roster_excluded"), recomputed["roster_excluded"]))
    mine = {t["credit_code"]: t for t in recomputed["targets"]}
    theirs = {t.get("credit_code"): t for t in published.get("targets") or [] if isinstance(t, Mapping)}
    for code in sorted(set(theirs) - set(mine), key=str):
        diffs.append(Difference(f"target {code}", "公布的结果中有，重新抽取时未抽中 (published but not drawn on re-run)",
                                theirs[code].get("name"), None))
    for code in sorted(set(mine) - set(theirs)):
        diffs.append(Difference(f"target {code}", "重新抽取时抽中，但公布的结果中没有 (drawn on re-run but not published)",
                                None, mine[code]["name"]))
    for code in sorted(set(mine) & set(theirs)):
        if theirs[code] != mine[code]:
            changed = sorted(k for k in set(mine[code]) | set(theirs[code]) if theirs[code].get(k) != mine[code].get(k))
            diffs.append(Difference(f"target {code}", f"该检查对象的 {', '.join(changed)} 不同 (differs in {', '.join(changed)})",
                                    {k: theirs[code].get(k) for k in changed}, {k: mine[code].get(k) for k in changed}))
    if not diffs and [t.get("credit_code") for t in published.get("targets") or []] != list(mine):
        diffs.append(Difference("result.targets", "检查对象的顺序不同 (targets are in another order)"))
