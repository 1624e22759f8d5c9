"""The documentation builds without a single warning.

Slow (the gallery runs every example): run it with ``python -m pytest -m slow
tests/test_docs.py``. Skipped when the docs extra is not installed
(``python -m pip install -e ".[docs]"``).
"""

import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "doc"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    reason = 'needs the docs extra: pip install -e ".[docs]"'
    for module in ("sphinx", "numpydoc", "pydata_sphinx_theme", "sphinx_gallery"):
        pytest.importorskip(module, reason=reason)
    pytest.importorskip("matplotlib", reason="the gallery examples plot")
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",  # a warning is an error
        "--keep-going",  # ... but list all of them
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        str(DOC),
        str(tmp_path / "html"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=DOC)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-10000:]
    for page in ("index", "api", "benchmarks", "user_guide/uncertainty_sampler"):
        assert (tmp_path / "html" / f"{page}.html").is_file(), page
    assert (tmp_path / "html" / "auto_examples" / "index.html").is_file()
