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
