"""Atomic, change-only writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diglot import fileio
from diglot.errors import FileAccessError
from diglot.fileio import batched_writes, write_text


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


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_batch_syncs_once_before_any_file_is_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files in a batch: one sync of their data and folders, the renames, the folders again."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "same.po").write_text("same\n", encoding="utf-8")
    calls: list[str] = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(fileio, "_sync_data", lambda pending: calls.append("sync"))

    def replace(src: str, dst: str) -> None:
        calls.append("replace")
        real_replace(src, dst)

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    with batched_writes() as batch:
        changed = [batch.write_text(tmp_path / "en" / f"{i}.po", f"{i}\n") for i in range(5)]
        changed.append(batch.write_text(tmp_path / "en" / "same.po", "same\n"))
        changed.append(batch.write_text(tmp_path / "de" / "0.po", "null\n"))
        assert not (tmp_path / "en" / "0.po").exists()  # nothing replaced before the end
    assert changed == [True] * 5 + [False, True]
    assert calls == ["sync"] + ["fsync"] * 2 + ["replace"] * 6 + ["fsync"] * 2
    assert _tree(tmp_path) == {"de/0.po": "null\n", "en/0.po": "0\n", "en/1.po": "1\n",
                               "en/2.po": "2\n", "en/3.po": "3\n", "en/4.po": "4\n",
                               "en/same.po": "same\n"}


def test_batch_that_fails_touches_nothing(tmp_path: Path) -> None:
    """An error while a batch is being written leaves every target as it was, and no temp file."""
    (tmp_path / "a.po").write_text("old a\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), batched_writes() as batch:
        batch.write_text(tmp_path / "a.po", "new a\n")
        batch.write_text(tmp_path / "b.po", "new b\n")
        raise KeyboardInterrupt
    assert _tree(tmp_path) == {"a.po": "old a\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]


def test_batch_that_fails_removes_the_folders_it_made(tmp_path: Path) -> None:
    """A discarded batch leaves no empty folder behind; a folder that was there, or that
    another file went into meanwhile, stays."""
    (tmp_path / "kept").mkdir()
    with pytest.raises(KeyboardInterrupt), batched_writes() as batch:
        batch.write_text(tmp_path / "reports" / "align" / "en" / "a.html", "page\n")
        batch.write_text(tmp_path / "kept" / "new" / "b.po", "b\n")
        batch.write_text(tmp_path / "busy" / "c.po", "c\n")
        (tmp_path / "busy" / "other.txt").write_text("someone else's\n", encoding="utf-8")
        raise KeyboardInterrupt
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        ["busy", "busy/other.txt", "kept"]


def test_a_batch_reused_after_commit_keeps_the_folders_it_committed_into(tmp_path: Path) -> None:
    """The folders a committed batch made are no longer its own: discarding the same batch
    later (its next files) leaves them, even when they have become empty meanwhile."""
    batch = fileio.WriteBatch()
    batch.write_text(tmp_path / "reports" / "en" / "a.html", "page\n")
    batch.commit()
    (tmp_path / "reports" / "en" / "a.html").unlink()  # emptied by someone else
    batch.write_text(tmp_path / "b.po", "b\n")
    batch.discard()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        ["reports", "reports/en"]


def test_batch_interrupted_while_replacing_leaves_whole_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure between two renames: each file is whole, old or new, and no temp file remains."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.po").write_text(f"old {name}\n", encoding="utf-8")
    real_replace = os.replace
    done: list[str] = []

    def replace(src: str, dst: str) -> None:
        if len(done) == 1:
            raise OSError("power cut")
        done.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(FileAccessError, match="power cut"), batched_writes() as batch:
        for name in ("a", "b", "c"):
            batch.write_text(tmp_path / f"{name}.po", f"new {name}\n")
    assert _tree(tmp_path) == {"a.po": "new a\n", "b.po": "old b\n", "c.po": "old c\n"}


def test_batch_writes_parts_without_joining_them(tmp_path: Path) -> None:
    """Parts are staged as one file; the same bytes again leave the target and its mtime alone."""
    path = tmp_path / "en" / "doc.html"
    parts = ["<p>", "один", "</p>\n"] + ["ж" * 1000] * 100  # over one 64 K-character chunk
    with batched_writes() as batch:
        assert batch.write_parts(path, iter(parts)) is True
        assert not path.exists()
    assert path.read_text(encoding="utf-8") == "".join(parts)
    stamp = path.stat().st_mtime_ns
    with batched_writes() as batch:
        assert batch.write_parts(path, iter(parts)) is False
        assert batch.write_parts(tmp_path / "en" / "other.html", iter(["x"])) is True
    assert path.stat().st_mtime_ns == stamp
    with batched_writes() as batch:  # same size, different bytes
        assert batch.write_parts(path, iter(["<p>", "одна", "</p>\n", *parts[3:]])) is True
    assert path.read_text(encoding="utf-8").startswith("<p>одна</p>")
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == ["doc.html", "other.html"]


def test_batch_flushes_its_file_system_for_real(tmp_path: Path) -> None:
    """The data sync runs unpatched (syncfs on Linux) and the batch lands whole."""
    with batched_writes() as batch:
        for i in range(3):
            batch.write_text(tmp_path / f"{i}.po", f"{i}\n")
    assert _tree(tmp_path) == {"0.po": "0\n", "1.po": "1\n", "2.po": "2\n"}


def test_confinement_resolves_each_folder_once_and_still_sees_every_link(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside one confined run a folder's components are resolved once, while a catalog that
    is itself a link out of the project is refused even in a folder already resolved."""
    root, outside = tmp_path / "p", tmp_path / "out"
    (root / "locales").mkdir(parents=True)
    outside.mkdir()
    (outside / "x.po").write_text("x")
    (root / "locales" / "a.po").write_text("a")
    (root / "locales" / "b.po").symlink_to(outside / "x.po")
    calls: list[str] = []
    realpath = os.path.realpath

    def counted(p: str, **kw: bool) -> str:
        calls.append(str(p))
        return realpath(p, **kw)

    monkeypatch.setattr(os.path, "realpath", counted)
    with fileio.confined(root):
        for _ in range(3):
            fileio.check_inside(root / "locales" / "a.po")
        assert calls.count(str(root / "locales")) == 1
        with pytest.raises(FileAccessError, match="resolves outside the project"):
            fileio.check_inside(root / "locales" / "b.po")
        fileio.check_inside(root)
        with pytest.raises(FileAccessError, match="resolves outside the project"):
            fileio.check_inside(root / ".." / "out" / "x.po")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with fileio.confined(root), pytest.raises(FileAccessError, match="resolves outside"):
        fileio.check_inside(root / "linked" / "x.po")


def _never(_: bytes) -> bool:
    return False


def test_appended_lines_go_at_the_end_of_the_same_file(tmp_path: Path) -> None:
    """An append keeps the file (same inode, earlier bytes untouched), makes a missing one
    (mode 0644, its folder too), happens only at commit, and not at all if discarded."""
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"one\n")
    log.chmod(0o600)
    inode = log.stat().st_ino
    with batched_writes() as batch:
        batch.append_lines(log, b"two\nthree\n", keep=_never)
        batch.append_lines(tmp_path / "new" / "b.jsonl", b"b\n", keep=_never)
        assert log.read_bytes() == b"one\n"  # not before the commit
    assert log.read_bytes() == b"one\ntwo\nthree\n"
    assert log.stat().st_ino == inode and log.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new" / "b.jsonl").read_bytes() == b"b\n"
    assert (tmp_path / "new" / "b.jsonl").stat().st_mode & 0o777 == 0o644
    with pytest.raises(KeyboardInterrupt), batched_writes() as batch:
        batch.append_lines(log, b"four\n", keep=_never)
        batch.append_lines(tmp_path / "gone" / "c.jsonl", b"c\n", keep=_never)
        raise KeyboardInterrupt
    assert log.read_bytes() == b"one\ntwo\nthree\n"
    assert not (tmp_path / "gone").exists()
    with pytest.raises(ValueError, match="whole lines"), batched_writes() as batch:
        batch.append_lines(log, b"no newline", keep=_never)


def test_an_append_cuts_off_a_torn_last_line_and_keeps_a_whole_one(tmp_path: Path) -> None:
    """A last line without its newline is cut off, unless ``keep`` says it is whole (then a
    newline goes after it); a tail longer than one read is found all the same."""
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"one\n" + b"x" * 10000)
    with batched_writes() as batch:
        batch.append_lines(log, b"two\n", keep=_never)
    assert log.read_bytes() == b"one\ntwo\n"
    log.write_bytes(b"x" * 5000)  # no newline at all: all of it torn
    with batched_writes() as batch:
        batch.append_lines(log, b"two\n", keep=_never)
    assert log.read_bytes() == b"two\n"
    log.write_bytes(b"one\nwhole")
    with batched_writes() as batch:
        batch.append_lines(log, b"two\n", keep=lambda line: line == b"whole")
    assert log.read_bytes() == b"one\nwhole\ntwo\n"


def test_an_append_refuses_links_and_other_files(tmp_path: Path) -> None:
    """A symbolic link is neither followed nor replaced; a folder or a FIFO is refused."""
    outside = tmp_path / "outside.jsonl"
    outside.write_bytes(b"mine\n")
    (tmp_path / "link.jsonl").symlink_to(outside)
    (tmp_path / "folder.jsonl").mkdir()
    os.mkfifo(tmp_path / "fifo.jsonl")
    for name in ("link.jsonl", "folder.jsonl", "fifo.jsonl"):
        with pytest.raises(FileAccessError), batched_writes() as batch:
            batch.append_lines(tmp_path / name, b"x\n", keep=_never)
    assert outside.read_bytes() == b"mine\n"
    assert (tmp_path / "link.jsonl").is_symlink()
