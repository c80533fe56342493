"""A command imports only what it needs: '--help' no rich, 'status' no Jinja and no markdown-it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_HEAVY = ("rich", "jinja2", "markdown_it")
_PROBE = """
import json, sys
from diglot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {"rich", "jinja2", "markdown_it"}
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def _loaded(cwd: Path, *argv: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=cwd, capture_output=True,
                          text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_help_loads_no_output_library(tmp_path: Path) -> None:
    """'diglot --help' is argparse alone: rich, Jinja and markdown-it stay unloaded."""
    assert _loaded(tmp_path, "--help") == []


def test_status_loads_neither_jinja_nor_markdown_it(sample_project: Path) -> None:
    """'diglot status' prints a table (rich) without loading the report's Jinja or the checks."""
    assert _loaded(sample_project, "status") == ["rich"]
    assert _loaded(sample_project, "status", "--html") == sorted(_HEAVY)
