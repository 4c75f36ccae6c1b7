"""`gbfield keys`: generate a key pair, show it, never overwrite, refuse a bad file."""
from __future__ import annotations

import stat

from cli.main import main
from server.kernel.signing import read_key


def test_generate_then_show(tmp_path, capsys):
    path = tmp_path / "catalog.key"
    assert main(["keys", "generate", str(path)]) == 0
    out = capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and (tmp_path / "catalog.key.pub").is_file()
    ident = out.split("id ")[1].split()[0]
    assert main(["keys", "show", str(path)]) == 0
    assert f"id {ident}" in capsys.readouterr().out
    assert main(["keys", "show", f"{path}.pub"]) == 0
    assert "(public)" in capsys.readouterr().out
    assert bytes(read_key(path).verify_key) == bytes(read_key(tmp_path / "catalog.key.pub"))


def test_generate_never_overwrites_and_show_refuses_a_bad_file(tmp_path, capsys):
    path = tmp_path / "catalog.key"
    main(["keys", "generate", str(path)])
    before = path.read_bytes()
    assert main(["keys", "generate", str(path)]) == 2
    assert "never overwritten" in capsys.readouterr().err and path.read_bytes() == before
    (tmp_path / "bad.key").write_text("hello\n")
    assert main(["keys", "show", str(tmp_path / "bad.key")]) == 2
    assert "bad.key" in capsys.readouterr().err
