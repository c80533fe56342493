"""Atomic, change-only writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diglot.errors import FileAccessError
from diglot.fileio import write_text


def test_write_reports_whether_content_changed(tmp_path: Path) -> None:
    """A write of the same content leaves the file (and its mtime) alone."""
    path = tmp_path / "sub" / "a.po"
    assert write_text(path, "один\n") is True
    stamp = path.stat().st_mtime_ns
    assert write_text(path, "один\n") is False
    assert path.stat().st_mtime_ns == stamp
    assert write_text(path, "два\n") is True
    assert path.read_text(encoding="utf-8") == "два\n"


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final move fails, the old content is intact and no temp file remains."""
    path = tmp_path / "a.po"
    path.write_text("old\n", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(FileAccessError, match="cannot write: disk full"):
        write_text(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]
