"""Error codes come from the code table and messages from the catalogue: no module of
server/, cli/, sync/, device/, documents/, kivy_client/ or the pure packages writes an error code as a
literal string (sync/protocol/constants.py is the table), and every message the server raises or words exists in both languages with
the parameters it needs."""
import ast
import re
from pathlib import Path

import pytest

import server.app  # noqa: F401  (every feature, so every DomainError subclass, is imported)
from assets.messages import LANGUAGES, catalogue, placeholders
from server.kernel.errors import DomainError
from sync.protocol import ErrorCode

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CODES = {value for name, value in vars(ErrorCode).items() if name.isupper()}


def _sources(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


ERRORS = {cls.__name__: cls for cls in [DomainError, *_subclasses(DomainError)]}


def _literal_codes(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CODES
            and id(node) not in docstrings]


THE_TABLE = ROOT / "sync" / "protocol" / "constants.py"
#: outside server/ and cli/, words that are also another vocabulary's -> which
OTHER_VOCABULARY = {"conflict": "a push item's status (ItemStatus.CONFLICT), an outbox state, a 双随机 "
                                "conflict of interest",
                    "unavailable": "the tablet's location service state (kivy_client/services/location.py)"}


@pytest.mark.parametrize("path", list(_sources("server", "cli")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_literal_error_codes(path):
    assert _literal_codes(path) == [], "use sync.protocol.ErrorCode"


@pytest.mark.parametrize("path", [p for p in _sources("sync", "device", "documents", "rules", "codes", "assets",
                                                      "sampling", "zhsearch", "kivy_client") if p != THE_TABLE],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_literal_error_codes_beyond_the_server(path):
    found = [(line, code) for line, code in _literal_codes(path) if code not in OTHER_VOCABULARY]
    assert found == [], "use sync.protocol.ErrorCode"


def test_the_code_table_is_where_the_codes_are_written():
    assert {code for _, code in _literal_codes(THE_TABLE)} >= CODES


def _code_of(call, cls):
    for kw in call.keywords:
        if kw.arg == "code" and isinstance(kw.value, ast.Attribute) and isinstance(kw.value.value, ast.Name) \
                and kw.value.value.id == "ErrorCode":
            return getattr(ErrorCode, kw.value.attr)
    return cls.code


#: the calls whose variant is chosen at run time: where -> what chooses it (the variants are
#: checked where they are made: RowError, HeaderError, CellRefused and *_problem below)
DYNAMIC = {
    "server/registry/service.py": "the variant of a refused GTIN, CSV header or row (registry.rows)",
}
#: callables that name a variant of error.validation_failed: name -> index of the variant
VARIANT_MAKERS = {"RowError": 1, "HeaderError": 0, "CellRefused": 0}
#: DomainErrors whose __init__ chooses the message itself: name -> (variant, its parameters)
FIXED_MESSAGE = {"TransitionRefused": ("transition", {"status", "event"})}


def _constant_variants(node):
    """Return the string constants a variant expression can take, or None if it is not
    made of constants (a literal, None, or `a if cond else b` of those)."""
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constant_variants(node.body), _constant_variants(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _raised_messages():
    """Yield (where, key, parameter names) of every message the server makes: DomainErrors,
    registry row messages, text() and stored_message() calls. Fails for a DomainError whose
    variant is not a constant outside DYNAMIC."""
    for path in _sources("server"):
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple) \
                            and isinstance(ret.value.elts[0], ast.Constant):
                        params = {k.value for k in getattr(ret.value.elts[1], "keys", []) if isinstance(k, ast.Constant)}
                        yield f"{rel}:{ret.lineno}", f"error.validation_failed.{ret.value.elts[0].value}", params
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            where = f"{rel}:{node.lineno}"
            params = {kw.arg for kw in node.keywords if kw.arg}
            if name in FIXED_MESSAGE:
                variant, fixed = FIXED_MESSAGE[name]
                yield where, f"error.{ERRORS[name].code}.{variant}", fixed
            elif name in ERRORS:
                code = _code_of(node, ERRORS[name])
                variants = _constant_variants(node.args[0]) if node.args else [None]
                if variants is None:
                    assert rel in DYNAMIC, f"{where}: the variant of {name} is not a constant"
                    continue
                for variant in variants:
                    yield where, f"error.{code}" + (f".{variant}" if variant else ""), params
            elif name in VARIANT_MAKERS and len(node.args) > VARIANT_MAKERS[name]:
                arg = node.args[VARIANT_MAKERS[name]]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    extra = node.args[VARIANT_MAKERS[name] + 1] if len(node.args) > VARIANT_MAKERS[name] + 1 else None
                    if isinstance(extra, ast.Dict):
                        params |= {k.value for k in extra.keys if isinstance(k, ast.Constant)}
                    yield where, f"error.validation_failed.{arg.value}", params
            elif name in ("text", "stored_message") and node.args and isinstance(node.args[0], ast.Constant) \
                    and KEY.match(str(node.args[0].value)):
                yield where, node.args[0].value, params | {"path"}


MESSAGES = list(_raised_messages())


@pytest.mark.parametrize("where, key, params", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_message_the_server_uses_exists(where, key, params):
    for language in LANGUAGES:
        texts = catalogue(language)
        assert key in texts, f"{where}: {key} missing from {language}.json"
        missing = placeholders(texts[key]) - params - {"path"}
        assert not missing, f"{where}: {key} needs {sorted(missing)}"


def test_the_scan_sees_the_raises():
    assert len(MESSAGES) > 100
