"""The one exception root of the `rules` package and its subclasses.

Messages that can reach an officer are Chinese first; English follows in brackets.
"""
from __future__ import annotations


class RulesError(Exception):
    """Root of every error raised by the rules package."""


class _PositionedParseError(RulesError):
    """A text that could not be read; `position` is the 0-based index of the problem."""

    _what = "文本无法识别"

    def __init__(self, text: str, position: int, reason: str):
        self.text = text
        self.position = position
        self.reason = reason
        super().__init__(self._format())

    def _format(self) -> str:
        if self.position >= len(self.text):
            where = f"第{self.position + 1}个字符处（文本结束）"
        else:
            where = f'第{self.position + 1}个字符 "{self.text[self.position]}" 处'
        return f'{self._what} "{self.text}"：{where}：{self.reason}'

    def __reduce__(self):  # keep pickling (multiprocessing, xdist) working
        return (type(self), (self.text, self.position, self.reason))


class LimitParseError(_PositionedParseError):
    """A limit as written in a standard could not be read (text, position, reason)."""

    _what = "限值无法识别"


class ValueParseError(_PositionedParseError):
    """A measured value could not be read (text, position, reason)."""

    _what = "测定值无法识别"


class IntervalError(RulesError):
    """A rounding interval that is not 1, 2 or 5 times a power of ten."""

    def __init__(self, interval: str):
        self.interval = interval
        super().__init__(
            f'修约间隔无效 "{interval}"：应为 10ⁿ、0.5×10ⁿ 或 0.2×10ⁿ '
            "(rounding interval must be 1, 2 or 5 times a power of ten)")


class UnitConversionError(RulesError):
    """A value cannot be converted between two units (unknown unit or other dimension)."""

    def __init__(self, from_unit: str | None, to_unit: str | None, detail: str = ""):
        self.from_unit = from_unit
        self.to_unit = to_unit
        self.detail = detail
        tail = f"：{detail}" if detail else ""
        super().__init__(
            f'单位无法换算："{from_unit}" → "{to_unit}"{tail} (cannot convert units)')

    def __reduce__(self):
        return (type(self), (self.from_unit, self.to_unit, self.detail))


class CatalogLookupError(RulesError, LookupError):
    """Something named in the catalog does not exist.

    `key` is the name asked for, `suggestions` close names that do exist ("did you mean").
    """

    _what = "未找到"

    def __init__(self, key: str, suggestions: tuple[str, ...] = ()):
        self.key = key
        self.suggestions = tuple(suggestions)
        hint = f"；是否要找：{'、'.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"{self._what}：{key}{hint}")

    def __reduce__(self):
        return (type(self), (self.key, self.suggestions))


class UnknownStandard(CatalogLookupError):
    """No standard with that code in the catalog."""

    _what = "目录中没有该标准 (unknown standard)"


class UnknownEdition(CatalogLookupError):
    """No edition with that id in the catalog."""

    _what = "目录中没有该版本 (unknown edition)"


class UnknownIndicator(CatalogLookupError):
    """No indicator with that id in the catalog."""

    _what = "目录中没有该指标 (unknown indicator)"


class NoEditionInForce(RulesError):
    """No edition of a standard is in force on the date asked for (code, on)."""

    def __init__(self, code: str, on=None):
        self.code = code
        self.on = on
        when = f"在 {on} " if on is not None else ""
        super().__init__(f"{code} {when}没有现行版本 (no edition in force)")

    def __reduce__(self):
        return (type(self), (self.code, self.on))


class InterpretationError(RulesError):
    """An interpretation whose effect is not one the engine knows."""
