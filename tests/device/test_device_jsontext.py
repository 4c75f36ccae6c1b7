"""device.jsontext: orjson where installed, the standard library on the tablet's build —
the same text either way (a store written by one reads with the other)."""
import importlib
import sys

import pytest

from device import jsontext

orjson = pytest.importorskip("orjson")    # the desktop's fast path, compared with the tablet's

VALUES = [
    {"company_name": "北京示例婴童服饰有限公司", "measured": "20.4", "photos": ["ab" * 32], "n": 3, "ok": True},
    {"nested": {"list": [1, 2.5, None, "无异味"], "empty": {}}, "float": 0.1, "big": 10**15},
    [{"a": "\u3000全角空格", "b": "emoji 🙂", "c": 'quote " and \\ backslash'}],
    {1: "an int key", "z": -0.0},
]


@pytest.fixture
def stdlib_only(monkeypatch):
    """device.jsontext as the tablet's build has it: no orjson."""
    monkeypatch.setitem(sys.modules, "orjson", None)
    module = importlib.reload(jsontext)
    assert module.orjson is None
    yield module
    monkeypatch.delitem(sys.modules, "orjson")
    importlib.reload(jsontext)


@pytest.mark.parametrize("value", VALUES)
def test_both_write_the_same_text_and_read_each_other(value, stdlib_only):
    fast = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    assert stdlib_only.dumps(value) == fast
    assert stdlib_only.dumpb(value) == fast.encode("utf-8")
    assert stdlib_only.loads(fast) == orjson.loads(stdlib_only.dumps(value))
    assert stdlib_only.loads(memoryview(fast.encode("utf-8"))) == orjson.loads(fast)


@pytest.mark.parametrize("bad", [b"{", b"", "not json", b'{"a": 1,}'])
def test_bad_text_raises_a_value_error_either_way(bad, stdlib_only):
    with pytest.raises(stdlib_only.JSONDecodeError):
        stdlib_only.loads(bad)
    importlib.reload(jsontext)
    if jsontext.orjson is not None:
        with pytest.raises(jsontext.JSONDecodeError):
            jsontext.loads(bad)


def test_nan_is_refused_without_orjson(stdlib_only):
    """orjson writes NaN as null, the tablet's build refuses it: no record holds one (the
    record schema takes measured values as text)."""
    with pytest.raises(ValueError):
        stdlib_only.dumps({"x": float("nan")})
