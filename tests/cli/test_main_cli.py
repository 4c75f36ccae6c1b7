"""The `gbfield` entry point itself: help, unknown commands, a closed pipe."""
import subprocess
import sys
from pathlib import Path

from cli.main import main

GBFIELD = Path(sys.executable).with_name("gbfield")


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "judge" in capsys.readouterr().out


def test_a_closed_pipe_ends_quietly():
    """`gbfield standards list | true` must not print a BrokenPipeError traceback."""
    proc = subprocess.run(f"'{GBFIELD}' standards list | true", shell=True, check=False,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_help_lists_every_command(capsys):
    from cli.main import COMMANDS
    assert main([]) == 2
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_a_command_loads_only_its_own_module():
    """`gbfield judge` imports neither the server's, the device's nor the tablet's frameworks."""
    code = ("import sys; from cli.main import main; rc = main(['judge', '16.4', '≤16.5']); "
            "print(rc, sorted(m for m in ('flask', 'sqlalchemy', 'requests', 'kivy', 'cli.server', 'cli.device')"
            " if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "0 []"
