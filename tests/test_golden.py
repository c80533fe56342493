"""Golden files: the sample's catalogs and editions, compared whole, byte for byte.

Each case builds a project in a temporary folder through the real CLI and compares every file
it wrote under the listed folders with ``tests/golden/<case>/``: the same set of files, each
identical.  After an intended change of output, regenerate with::

    .venv/bin/python -m pytest tests/test_golden.py --update-golden

and review ``git diff tests/golden`` before committing it.  Dates come from
``SOURCE_DATE_EPOCH`` (set for every test in ``conftest.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"

Run = Callable[..., int]


def _sample(root: Path, run: Run) -> list[str]:
    """The repository's sample (reviewed catalogs): extract, update, build."""
    shutil.copy(REPO / "diglot.toml", root)
    for folder in ("source", "locales", "glossary"):
        shutil.copytree(REPO / folder, root / folder)
    for command in ("extract", "update", "build"):
        assert run(root, command) == 0, command
    return ["locales", "editions"]


def _fresh(root: Path, run: Run) -> list[str]:
    """The sample's two sources in a new project: new catalogs, then a draft build."""
    shutil.copy(REPO / "diglot.toml", root)
    shutil.copytree(REPO / "source", root / "source")
    for command in ("extract", "update"):
        assert run(root, command) == 0, command
    assert run(root, "build", "--draft") == 0
    return ["locales", "editions-draft"]


CASES: dict[str, Callable[[Path, Run], list[str]]] = {"fresh": _fresh, "sample": _sample}


def _files(root: Path, folders: list[str]) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in folders for p in sorted((root / folder).rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, tmp_path: Path, run: Run, request: pytest.FixtureRequest) -> None:
    """Every catalog and edition the case writes equals its golden file, and no file is missing
    or extra."""
    root = tmp_path / case
    root.mkdir()
    got = _files(root, CASES[case](root, run))
    golden = GOLDEN / case
    if request.config.getoption("--update-golden"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, content in got.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(content)
    want = {p.relative_to(golden).as_posix(): p.read_bytes()
            for p in sorted(golden.rglob("*")) if p.is_file()}
    assert sorted(got) == sorted(want)
    for name, content in got.items():
        assert content.decode("utf-8") == want[name].decode("utf-8"), name
