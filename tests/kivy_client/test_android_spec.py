"""buildozer.spec against what the tablet really imports.

Walks every module of the packages the tablet ships (main.py, kivy_client, device, sync,
rules, codes, zhsearch, assets, documents) with `ast`, follows their imports (module level and inside
functions), maps each third-party import to its distribution and that distribution's own
requirements, and checks each one: listed in the spec's `requirements`, and buildable by
python-for-android — a recipe of the pinned p4a release, or pure Python (no compiled file
in the installed distribution). Imports that never run on Android are listed with why."""
from __future__ import annotations

import ast
import configparser
import importlib.metadata as md
import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("kivy_client", "device", "sync", "rules", "codes", "zhsearch", "assets", "documents")
OURS = set(SHIPPED) | {"server", "cli"}
#: recipes of python-for-android v2026.05.09 (pythonforandroid/recipes/, the release p4a.branch names)
_RECIPES = """
Pillow aiohttp android apsw argon2-cffi atom aubio audiostream av av_codecs bcrypt bitarray boost
cffi coincurve coverage cryptography cymunk cython decorator enaml ethash evdev feedparser ffmpeg
ffpyplayer ffpyplayer_codecs flask fontconfig fortran freetype-py freetype genericndkbuild gevent
greenlet groestlcoin_hash grpcio harfbuzz hostpython3 httpx icu ifaddr ifaddrs jedi jpeg kivy kivy3
kiwisolver leveldb libbz2 libcairo libcurl libexpat libffi libgeos libglob libiconv liblzma libogg
libopenblas libpcre libpq libpthread librt libsecp256k1 libshine libsodium libtorrent libtribler
libvorbis libvpx libwebp libx264 libxml2 libxslt libzbar libzmq lxml m2crypto materialyoucolor
matplotlib moderngl msgpack-python msgspec ndghttpsclient netifaces numpy omemo-backend-signal omemo
openal opencv opencv_extras openssl pandas pil png preppy primp protobuf_cpp psycopg2 py3dns pyaml
pybind11 pycairo pycparser pycrypto pycryptodome pydantic-core pygame pyicu pyjnius pyleveldb pymunk
pynacl pyogg pyopenal pyopenssl pyproj pyrxp pysdl2 pysha3 python3 pyusb pyzbar pyzmq regex
reportlab ruamel.yaml scipy scrypt sdl2 sdl2_image sdl2_mixer sdl2_ttf sdl3 sdl3_image sdl3_mixer
sdl3_ttf secp256k1 setuptools shapely snappy spine sqlalchemy sqlite3 storm tflite-runtime tiktoken
twisted ujson uvloop videonative vispy vlc vosk wsaccel x3dh xeddsa zbar zbarlight zeroconf zope
zope_interface"""
P4A_RECIPES = frozenset(_RECIPES.split())
#: imports of shipped code that never run on Android, and why
NOT_ON_ANDROID = {
    "zxingcpp": "the desktop decoder; decoder_for('android') builds the zbar one",
    "werkzeug": "sync.client.transport.WsgiTransport: the in-process transport of the tests",
    "openpyxl": "assets.xlsx: the committee workbook, imported by the gbfield CLI only",
    "jsonschema": "assets.loader: validates the standards files (server, CLI); the tablet reads pulled rows and "
                  "never imports the loader (assets loads its names on first use)",
}
#: imports guarded by ImportError with a pure fallback: the tablet's build leaves them out
#: (test_the_tablet_runs_without_the_optional_and_desktop_only_imports proves it)
OPTIONAL = {
    "orjson": "device.jsontext: the standard library writes the same JSON text without it",
    "zstandard": "sync.client.transport: falls back to gzip without it",
}
#: imports that run on Android from modules provided by python-for-android itself
P4A_MODULES = {"android": "android", "jnius": "pyjnius"}
#: compiled distributions that ship a pure-Python wheel as well
PURE_FALLBACK = {"charset-normalizer": "py3-none-any wheel; the mypyc speed-ups are optional",
                 "fonttools": "py3-none-any wheel; its Cython speed-ups build only with FONTTOOLS_WITH_CYTHON"}
#: what the tablet imports today that python-for-android cannot build: the Android build
#: fails until these go (docs/android.md); the test fails when this list is out of date
BLOCKERS: dict[str, str] = {}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def module_file(name: str) -> Path | None:
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def external_imports() -> dict[str, set[str]]:
    """Return third-party top-level import -> modules of ours importing it (reachable from
    main.py and every module of the shipped packages)."""
    todo = ["main"] + [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                       for pkg in SHIPPED if (ROOT / pkg).is_dir() for p in (ROOT / pkg).rglob("*.py")]
    seen, found = set(), {}
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        path = module_file(mod)
        if path is None:
            continue
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OURS:
                    parts = name.split(".")
                    todo += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
                elif top not in sys.stdlib_module_names and top != "__future__":
                    found.setdefault(top, set()).add(mod)
    assert not any(m.split(".")[0] in ("server", "cli") for m in seen), "the tablet reaches server or cli"
    return found


def spec_requirements() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "buildozer.spec", encoding="utf-8")
    out = {}
    for item in config["app"]["requirements"].split(","):
        item = item.strip()
        if item:
            out[norm(re.split(r"[=<>]", item)[0])] = item
    return out


def needed_distributions(imports) -> dict[str, str]:
    """Return distribution -> why (the import, or the distribution requiring it)."""
    by_module = md.packages_distributions()
    todo = []
    for top in imports:
        if top in NOT_ON_ANDROID or top in OPTIONAL:
            continue
        if top in P4A_MODULES:
            todo.append((P4A_MODULES[top], f"import {top}"))
            continue
        dists = by_module.get(top)
        assert dists, f"import {top}: no installed distribution provides it"
        todo += [(d, f"import {top}") for d in dists]
    needed = {}
    while todo:
        dist, why = todo.pop()
        key = norm(dist)
        if key in needed:
            continue
        needed[key] = why
        if key in {norm(r) for r in P4A_RECIPES} or key in BLOCKERS:
            continue          # a recipe brings its own dependencies
        for spec in md.requires(dist) or ():
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": "", "sys_platform": "linux",
                                                          "platform_system": "Linux"}):
                todo.append((req.name, dist))
    return needed


def is_pure(dist: str) -> bool:
    files = md.distribution(dist).files or []
    return not any(str(f).endswith((".so", ".pyd", ".dylib")) for f in files)


@pytest.fixture(scope="module")
def needed():
    return needed_distributions(external_imports())


def test_every_tablet_dependency_is_in_the_spec_or_a_known_blocker(needed):
    spec = spec_requirements()
    missing = {d: why for d, why in needed.items() if d not in spec and d not in BLOCKERS}
    assert missing == {}


def test_every_spec_requirement_is_buildable_by_python_for_android():
    recipes = {norm(r) for r in P4A_RECIPES}
    unbuildable = [name for name in spec_requirements()
                   if name not in recipes and name not in PURE_FALLBACK
                   and not (name in {"python3", "hostpython3"}) and not is_pure(name)]
    assert unbuildable == []


def test_the_spec_lists_nothing_the_tablet_does_not_use(needed):
    build_only = {"python3", "hostpython3", "sqlite3", "libzbar", "libiconv", "pyjnius", "android"}
    unused = set(spec_requirements()) - set(needed) - build_only
    assert unused == set()


def test_blockers_are_exactly_what_the_tablet_imports_that_p4a_cannot_build(needed):
    recipes = {norm(r) for r in P4A_RECIPES}
    unbuildable = {d for d in needed if d not in recipes and d not in PURE_FALLBACK and not is_pure(d)}
    unbuildable |= {d for d in needed if d in BLOCKERS}
    assert unbuildable == set(BLOCKERS)


def test_desktop_only_imports_do_not_run_on_android():
    import subprocess

    code = ("import sys; sys.modules['zxingcpp'] = None\n"
            "from kivy_client.services.decoders import decoder_for\n"
            "print(decoder_for('android').name)")
    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "zbar", out.stderr


def test_the_spec_asks_for_the_permissions_and_storage_the_tablet_needs():
    config = configparser.ConfigParser()
    config.read(ROOT / "buildozer.spec", encoding="utf-8")
    app = config["app"]
    permissions = {p.strip() for p in app["android.permissions"].split(",")}
    assert {"CAMERA", "ACCESS_FINE_LOCATION", "INTERNET", "ACCESS_NETWORK_STATE", "VIBRATE"} <= permissions
    assert app["orientation"] == "landscape" and app["android.allow_backup"] == "False"
    assert "assets/fonts/*.ttc" in app["source.include_patterns"]       # the CJK font ships
    assert (ROOT / "assets" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (ROOT / "main.py").is_file() and "ttc" in app["source.include_exts"]


def test_the_tablet_runs_without_the_optional_and_desktop_only_imports():
    """With orjson, zstandard and jsonschema absent (as on Android), the tablet's code
    imports, keeps a record in its store and sends it as JSON; the loader stays unimported."""
    import subprocess

    blocked = sorted({"orjson", "zstandard", "jsonschema", "zxingcpp"})
    code = (f"import sys\nfor name in {blocked!r}: sys.modules[name] = None\n"
            "import kivy_client.presenters.completion, kivy_client.presenters.home, kivy_client.i18n, sync.client\n"
            "from device import DeviceRecords, memory_store\n"
            "from device.jsontext import dumpb, loads\n"
            "store = memory_store(); records = DeviceRecords(store)\n"
            "iid = records.create_inspection('2025-06-01', company_name='北京示例', credit_code='91110105MA01ABCD00')\n"
            "[item] = store.outbox.items()\n"
            "assert loads(dumpb(item['data'])) == item['data'] and item['data']['company_name'] == '北京示例'\n"
            "assert 'assets.loader' not in sys.modules and sys.modules['orjson'] is None\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
