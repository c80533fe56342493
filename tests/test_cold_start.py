"""A command imports only what it needs (issue 12's cold-start bar).

'--help' builds the parser only: no output library, no dataclasses (the model, the project's
settings), no catalog reader, no config reader and no locale data; 'status' prints a rich table
without polib (it reads records only), the report module (its Jinja, datetime and URL quoting),
the checks (markdown-it), the engines, the source readers, the memory's rapidfuzz, babel's
catalog module, the draft cache's sqlite3, or the writers' tempfile and ctypes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_HEAVY = ("rich", "jinja2", "markdown_it")
_WATCHED = ("babel", "babel.messages", "diglot.checks", "diglot.effort", "diglot.pofile",
            "diglot.workflow", "jinja2", "markdown_it", "polib", "rapidfuzz", "rich",
            "sqlite3", "dataclasses", "diglot.model", "diglot.project", "diglot.status",
            "diglot.report", "diglot.engines.base", "diglot.sources", "tomllib", "tempfile",
            "ctypes", "diglot.pofile.scan", "rich._emoji_codes")
_PROBE = """
import json, sys
from diglot.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
watched = set(json.loads(sys.argv[1]))
print(json.dumps(sorted(watched & set(sys.modules))))
"""


def _loaded(cwd: Path, *argv: str) -> list[str]:
    """Which of :data:`_WATCHED` a fresh interpreter has imported after ``diglot argv``."""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(_WATCHED), *argv],
                          cwd=cwd, capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_help_loads_no_output_library(tmp_path: Path) -> None:
    """'diglot --help' is argparse and the names its choices list: no rich, no dataclasses, no
    config or catalog reader, no babel locale data."""
    assert _loaded(tmp_path, "--help") == []
    assert _loaded(tmp_path, "status", "--help") == []


def test_status_loads_only_what_its_table_needs(sample_project: Path) -> None:
    """'diglot status' reads catalogs (records only: no polib) and prints a table; the report's
    libraries and the document model stay out."""
    # the first run parses (the scanner) and fills the catalog cache (a write: tempfile); from
    # then on, reads only; no cell is parsed for emoji codes (every cell is rich Text)
    assert {"tempfile", "diglot.pofile.scan"} <= set(_loaded(sample_project, "status"))
    assert _loaded(sample_project, "status") == [
        "babel", "dataclasses", "diglot.pofile", "diglot.project", "diglot.status", "rich",
        "tomllib"]
    assert _loaded(sample_project, "status", "--json") == [
        "babel", "dataclasses", "diglot.pofile", "diglot.project", "diglot.status", "rich",
        "tomllib"]
    with_html = _loaded(sample_project, "status", "--html")
    assert set(_HEAVY) | {"diglot.checks", "diglot.effort", "babel.messages",
                          "diglot.report", "tempfile"} <= set(with_html)


def test_check_list_loads_neither_jinja_nor_sqlite(tmp_path: Path) -> None:
    """'diglot check --list' loads the checks, not the report's Jinja nor the draft cache."""
    loaded = _loaded(tmp_path, "check", "--list")
    assert "diglot.checks" in loaded
    assert "jinja2" not in loaded and "sqlite3" not in loaded


def test_build_and_check_read_catalogs_without_the_merge(sample_project: Path) -> None:
    """Reading catalogs does not load the merge's rapidfuzz; update and the memory need it."""
    for argv in (("build", "--draft"), ("check",)):
        assert "rapidfuzz" not in _loaded(sample_project, *argv), argv
