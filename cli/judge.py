"""`gbfield judge VALUE LIMIT` and `gbfield round VALUE --interval I`."""
from __future__ import annotations

import json

from cli.main import UsageError, add_command
from rules.errors import RulesError
from rules.judge import judge
from rules.numbers import round_value
from rules.verdict import METHOD_TEXT, OUTCOME_TEXT


def register(subparsers) -> None:
    """Add the judge and round commands to the `gbfield` parser."""
    p = add_command(subparsers, "judge", description="Judge VALUE against LIMIT as written in a standard, e.g. "
                    "gbfield judge 16.50(+) '≤16.50' --method full")
    p.add_argument("value", help='measured value: "1.050", "16.50(+)", "<0.01", "ND", "3-4"')
    p.add_argument("limit", help='limit as written: "≤0.5", "4.0~8.5", "≥3-4级", "不得检出"')
    p.add_argument("--method", choices=("full", "rounded"), default="full",
                   help="full = 全数值比较法 (default), rounded = 修约值比较法")
    p.add_argument("--interval", help="rounding interval for --method rounded (default: the limit's last digit)")
    p.add_argument("--unit", help="unit of VALUE (converted to the limit's unit)")
    p.add_argument("--limit-unit", help="unit of LIMIT when the limit text has none")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_judge)

    r = add_command(subparsers, "round", description="Round VALUE once to a multiple of INTERVAL (10ⁿ, 0.5×10ⁿ, 0.2×10ⁿ), "
                    "round-half-even; (+)/(−) marks accepted.")
    r.add_argument("value", help='value to round, e.g. "60.28" or "16.50(+)"')
    r.add_argument("--interval", required=True, help='rounding interval, e.g. "0.1", "0.5", "20"')
    r.set_defaults(func=run_round)


def run_judge(args) -> int:
    """Print the verdict; raises UsageError for an unreadable value, limit or interval."""
    try:
        verdict = judge(args.value, args.limit, method=args.method, interval=args.interval,
                        value_unit=args.unit, limit_unit=args.limit_unit)
    except RulesError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False))
        return 0
    print(f"{OUTCOME_TEXT[verdict.outcome]} ({verdict.outcome})")
    print(f"比较的数值：{verdict.compared_value if verdict.compared_value is not None else '—'}")
    print(f"判定方法：{METHOD_TEXT[verdict.method]}")
    if verdict.reason:
        print(f"原因：{verdict.reason}")
    print("步骤：")
    for number, step in enumerate(verdict.steps, 1):
        print(f"  {number}. {step}")
    return 0


def run_round(args) -> int:
    """Print the rounded value; raises UsageError for an unreadable value or interval."""
    try:
        rounded = round_value(args.value, args.interval)
    except RulesError as exc:
        raise UsageError(str(exc)) from exc
    print(format(rounded, "f"))
    return 0
