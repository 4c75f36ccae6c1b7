"""rules: GB/T 8170 rounding, limit parsing, judgement, units, catalog and rule sets.

Pure Python, Decimal only, no I/O; imports nothing else of gbfield. Main entry points:
rules.numbers.parse_measured / round_value, rules.limits.parse_limit,
rules.judge.judge, rules.units.convert, rules.ruleset.RuleSet, rules.verdict.Verdict.
"""
