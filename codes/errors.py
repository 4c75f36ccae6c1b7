"""Exceptions of the `codes` package: one root, `CodeError`.

Every message is Chinese first (it may reach an officer on the tablet), then English in
brackets, and says what is wrong and where (which AI, which character position).
"""
from __future__ import annotations


class CodeError(ValueError):
    """Root of every error raised by `codes`: the text is not a usable product code.

    Fields: `message` (the full text, Chinese with an English gloss), `ai` (the
    application identifier concerned, if any), `position` (0-based character offset in
    the input, if known) and, for the errors a person meets most, `key` and `params`: the
    message of the catalogue (`assets/messages`, key `code.<key>`) that words it in one
    language.
    """

    def __init__(self, message: str, *, ai: str | None = None, position: int | None = None,
                 key: str | None = None, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.ai = ai
        self.position = position
        self.key = key
        self.params = dict(params or {})


class GTINError(CodeError):
    """A GTIN / EAN has the wrong length or characters."""


class CheckDigitError(GTINError):
    """A GS1 mod-10 check digit is wrong; `expected` and `actual` hold the digits."""

    def __init__(self, message: str, *, expected: str, actual: str,
                 ai: str | None = None, position: int | None = None, key: str | None = None,
                 params: dict | None = None):
        super().__init__(message, ai=ai, position=position, key=key, params=params)
        self.expected = expected
        self.actual = actual


class UnknownAIError(CodeError):
    """An application identifier that is not in the AI table."""


class AIValueError(CodeError):
    """An AI value breaks its format: length, character set, date, check digit of a part."""


class ElementStringError(CodeError):
    """A GS1 element string (`^01…` or `(01)…`) is malformed."""


class DuplicateAIError(ElementStringError):
    """The same AI appears twice with different values (or twice in a Digital Link)."""


class DigitalLinkError(CodeError):
    """A GS1 Digital Link URI is malformed or breaks the DL rules."""


class GBT33993Error(CodeError):
    """A payload breaks a rule of GB/T 33993 商品二维码."""


class StandardLinkError(CodeError):
    """A standard number or a standard link cannot be read."""


class UnrecognisedCodeError(CodeError):
    """`parse_any` recognises no supported form in the text."""
