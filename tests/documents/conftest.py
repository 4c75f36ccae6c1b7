"""poppler-utils (pdftotext, pdffonts, pdfimages, pdftoppm) read the PDFs back; scripts/test.sh
installs them, so in CI a missing tool fails instead of skipping."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts" / "documents"


@pytest.fixture
def poppler():
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is missing: run the suite through scripts/test.sh")
        pytest.skip("poppler-utils is installed by scripts/test.sh")

    def run(tool: str, *args: str) -> str:
        return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout
    return run


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
