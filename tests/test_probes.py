"""Probes at the edges (issue 11): each refused input gets one line and its exit code, and
changes nothing — a checksum of the whole project (and of a folder outside it) before and
after the command proves it.

One row per probe: how to set up the trap, the command, the exit code and the message.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
import pytest

from diglot.cli import main
from diglot.fileio import project_lock

DOC = "Первое предложение. Второе предложение.\n\nТретий абзац.\n"
CATALOG = Path("locales/en/LC_MESSAGES/doc.po")

Setup = Callable[[Path, Path, pytest.MonkeyPatch], Any]


def diglot(root: Path, *argv: str) -> int:
    return main(["--project", str(root), *argv])


def checksum(*folders: Path) -> dict[str, str]:
    """Every file (and link and folder) under ``folders`` with its content and mode."""
    seen: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if ".diglot" in path.relative_to(folder).parts:
                continue  # the lock file and cache: diglot's own state
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                what = f"link:{path.readlink()}"
            elif stat.S_ISREG(st.st_mode):
                what = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                what = "other"
            seen[str(path)] = f"{stat.S_IMODE(st.st_mode):o} {what}"
    return seen


def base_project(root: Path) -> Path:
    """A project with one document, its template and an English catalog, fully reviewed."""
    root.mkdir(parents=True)
    (root / "diglot.toml").write_text('source_language = "ru"\ntarget_languages = ["en"]\n',
                                      encoding="utf-8")
    (root / "source" / "ru").mkdir(parents=True)
    (root / "source" / "ru" / "doc.txt").write_text(DOC, encoding="utf-8")
    assert diglot(root, "extract") == 0
    assert diglot(root, "update") == 0
    set_translations(root, lambda msgid: f"Translation {len(msgid)}.")
    return root


def set_translations(root: Path, translate: Callable[[str], str]) -> None:
    po = polib.pofile(str(root / CATALOG))
    for entry in po:
        entry.msgstr = translate(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def edit_source(root: Path) -> None:
    """A new sentence in the source and a new template: the next update has work to do."""
    with (root / "source" / "ru" / "doc.txt").open("a", encoding="utf-8") as f:
        f.write("\nНовый абзац.\n")
    assert diglot(root, "extract") == 0


def config(text: str) -> Setup:
    def setup(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
        (root / "diglot.toml").write_text('source_language = "ru"\n' + text, encoding="utf-8")
    return setup


def raw_config(data: bytes) -> Setup:
    def setup(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
        (root / "diglot.toml").write_bytes(data)
    return setup


def source_file(name: str, data: bytes) -> Setup:
    def setup(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
        (root / "source" / "ru" / name).write_bytes(data)
    return setup


def nothing(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    pass


def symlinked_source(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    (outside / "secret.txt").write_text("Секретный текст.\n", encoding="utf-8")
    (root / "source" / "ru" / "leak.txt").symlink_to(outside / "secret.txt")


def symlinked_folder(name: str, *, edit: bool = False) -> Setup:
    def setup(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
        target = outside / "elsewhere"
        if (root / name).exists():
            shutil.move(root / name, target)
        else:
            target.mkdir()
        (root / name).symlink_to(target, target_is_directory=True)
        if edit:
            edit_source(root)
    return setup


def linked_catalog(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    shutil.move(root / CATALOG, outside / "doc.po")
    (root / CATALOG).symlink_to(outside / "doc.po")


def symlinked_catalog(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    """A catalog linked to a file inside the project: read, but never replaced."""
    (root / "shared").mkdir()
    shutil.move(root / CATALOG, root / "shared" / "doc.po")
    (root / CATALOG).symlink_to(root / "shared" / "doc.po")
    edit_source(root)


def read_only_catalog(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    (root / CATALOG).chmod(0o444)
    edit_source(root)


def fifo_report(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    (root / "reports").mkdir()
    os.mkfifo(root / "reports" / "status.html")


def lock_is_a_folder(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    (root / ".diglot" / "lock").unlink(missing_ok=True)
    (root / ".diglot" / "lock").mkdir(parents=True)


def held_lock(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> Any:
    return project_lock(root)


def fault(name: str, code: int, *, edit: bool = True) -> Setup:
    """``os.<name>`` fails with ``code`` during the command (a full disk, a denied folder)."""
    def setup(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
        if edit:
            edit_source(root)

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(code, os.strerror(code))

        mp.setattr(os, name, fail)
    return setup


def deep(prefix: Callable[[int], str], levels: int) -> bytes:
    return "".join(f"{prefix(i)}Пункт {i}.\n" for i in range(levels)).encode()


def bidi_translation(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    set_translations(root, lambda msgid: "\u202eReversed from here on." if msgid.startswith(
        "Второе") else f"Translation {len(msgid)}.")


def escape_in_translation(root: Path, outside: Path, mp: pytest.MonkeyPatch) -> None:
    set_translations(root, lambda msgid: "See http://x.org/\x1b[2J\x1b]0;owned\x07 now."
                     if msgid.startswith("Второе") else f"Translation {len(msgid)}.")


@dataclass(frozen=True)
class Probe:
    name: str
    setup: Setup
    argv: tuple[str, ...]
    code: int
    message: str
    empty: bool = False
    """The probe runs in an empty folder (``init``), not in the base project."""
    stdout: bool = False
    """The message is looked for on standard output (``check``) rather than standard error."""


PROBES = [
    # paths
    Probe("source symlinked outside", symlinked_source, ("extract",), 3,
          "source/ru/leak.txt: resolves outside the project"),
    Probe("editions symlinked outside", symlinked_folder("editions"), ("build",), 3,
          "resolves outside the project"),
    Probe("draft editions symlinked outside", symlinked_folder("editions-draft"),
          ("build", "--draft"), 3, "resolves outside the project"),
    Probe("LC_MESSAGES symlinked outside", symlinked_folder("locales/en/LC_MESSAGES", edit=True),
          ("update",), 3, "resolves outside the project"),
    Probe("catalog is a symlink", symlinked_catalog, ("update",), 3,
          "doc.po: is a symbolic link; diglot does not replace links"),
    Probe("catalog linked from outside, build", linked_catalog, ("build",), 3,
          "locales/en/LC_MESSAGES/doc.po: resolves outside the project"),
    Probe("catalog linked from outside, check", linked_catalog, ("check",), 3,
          "locales/en/LC_MESSAGES/doc.po: resolves outside the project"),
    Probe("catalog is read-only", read_only_catalog, ("update",), 3,
          "doc.po: is read-only; diglot leaves it alone — make it writable"),
    Probe("report is a FIFO", fifo_report, ("status", "--html"), 3,
          "reports/status.html: is not a regular file"),
    Probe("report outside the project", nothing, ("status", "--html", "outside/r.html"),
          3, "resolves outside the project"),
    Probe("update --lang unconfigured", nothing, ("update", "--lang", "de"), 2,
          "unknown target language 'de'"),
    Probe("update --lang a path", nothing, ("update", "--lang", "../../x"), 2,
          "unknown target language '../../x'"),
    Probe("status --lang unconfigured", nothing, ("status", "--lang", "de"), 2,
          "unknown target language 'de'"),
    Probe("build --lang unconfigured", nothing, ("build", "--lang", "de"), 2,
          "unknown language 'de'"),
    Probe("check --lang unconfigured", nothing, ("check", "--lang", "de"), 2,
          "unknown language 'de'"),
    # nothing dropped silently
    Probe("a.txt beside a.md", source_file("doc.md", b"# Other\n"), ("extract",), 3,
          "two sources for the document 'doc': source/ru/doc.md and source/ru/doc.txt"),
    Probe("quotes nested 60 deep", source_file("deep.md", deep(lambda i: "> " * 60, 1)),
          ("extract",), 3, "source/ru/deep.md:1: lists or block quotes nested too deeply"),
    Probe("lists nested 40 deep", source_file("deep.md", deep(lambda i: "  " * i + "- ", 40)),
          ("extract",), 3, "source/ru/deep.md:29: lists or block quotes nested too deeply"),
    Probe("file name with a line break", source_file("a\nb.txt", b"\xd0\x90.\n"), ("extract",),
          3, "holds a line break"),
    Probe("UTF-16 source", source_file("u.txt", "Текст.\n".encode("utf-16")), ("extract",), 3,
          "source/ru/u.txt:1: is UTF-16, not UTF-8"),
    Probe("UTF-16 source without BOM", source_file("u.txt", "Текст.\n".encode("utf-16-le")),
          ("extract",), 3, "is UTF-16, not UTF-8"),
    Probe("cp1251 source", source_file("c.txt", "Текст.\n".encode("cp1251")), ("extract",), 3,
          "source/ru/c.txt:1: not valid UTF-8"),
    # configuration
    Probe("memory_similarity = 500",
          config('target_languages = ["en"]\n[translate]\nmemory_similarity = 500\n'),
          ("status",), 2, "diglot.toml:4: 'memory_similarity' must be between 0 and 100"),
    Probe("threshold = -5", config('target_languages = ["en"]\n[build]\nthreshold = -5\n'),
          ("build",), 2, "'threshold' must be between 0 and 100"),
    Probe("threshold a string", config('target_languages = ["en"]\n[build]\nthreshold = "x"\n'),
          ("build",), 2, "'threshold' must be a whole number"),
    Probe("config not UTF-8", raw_config('# заметка\nsource_language = "ru"\n'.encode("cp1251")),
          ("status",), 2, "diglot.toml:1: not valid UTF-8"),
    Probe("eng", config('target_languages = ["eng"]\n'), ("status",), 2,
          "target language 'eng' is not a code diglot takes as written (it would mean "
          "'en-US') — did you mean 'en'?"),
    Probe("duplicate targets", config('target_languages = ["en", "de", "en"]\n'), ("status",),
          2, "target language 'en' is given twice"),
    Probe("init --source russian", nothing, ("init", "--source", "russian", "--target", "en"),
          2, "unknown source language 'russian' — did you mean 'ru'?", empty=True),
    Probe("init twice the same target", nothing,
          ("init", "--source", "ru", "--target", "en", "--target", "en"), 2,
          "target language 'en' is given twice", empty=True),
    Probe("init source = target", nothing, ("init", "--source", "ru", "--target", "ru"), 2,
          "'ru' is both the source and a target language", empty=True),
    Probe("init run twice", nothing, ("init", "--source", "ru", "--target", "en"), 2,
          "diglot.toml: diglot.toml exists already — edit it, or pass --force"),
    Probe("segment a missing file", nothing, ("segment", "--lang", "ru", "/nonexistent.txt"),
          3, "/nonexistent.txt: cannot read: No such file or directory"),
    # messages, not tracebacks
    Probe("disk full", fault("fsync", errno.ENOSPC), ("update",), 3,
          "doc.po: cannot write: No space left on device — free some disk space"),
    Probe("folder not writable", fault("open", errno.EACCES), ("update",), 3,
          "cannot write: Permission denied — check the permissions"),
    Probe("lock is not a file", lock_is_a_folder, ("extract",), 3,
          ".diglot/lock: cannot open the project lock: Is a directory"),
    Probe("lock held", held_lock, ("--lock-timeout", "0.1", "update"), 6,
          ".diglot/lock: another diglot run is working on this project (waited 0.1 s)"),
    # text that fools a reader
    Probe("unclosed U+202E", bidi_translation, ("check",), 5,
          "[bidi] error: U+202E RIGHT-TO-LEFT OVERRIDE is never closed", stdout=True),
    Probe("escape sequence in a translation", escape_in_translation, ("check",), 5,
          "'http://x.org/<U+001B>[2J<U+001B>' is in the translation", stdout=True),
]


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_probe(probe: Probe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> None:
    """The command exits with the probe's code and one-line message; nothing else changes."""
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    if probe.empty:
        root.mkdir()
    else:
        base_project(root)
    monkeypatch.chdir(tmp_path)
    held = probe.setup(root, outside, monkeypatch) or contextlib.nullcontext()
    before = checksum(root, outside)
    capsys.readouterr()
    with held:
        code = diglot(root, *probe.argv)
    monkeypatch.undo()
    captured = capsys.readouterr()
    shown = captured.out if probe.stdout else captured.err
    assert (code, probe.message in shown) == (probe.code, True), shown
    assert "Traceback" not in captured.err
    if not probe.stdout:
        assert len(captured.err.strip().splitlines()) <= 2, captured.err  # (a lock note + error)
    assert checksum(root, outside) == before
    assert not list(root.rglob("*.diglot.tmp"))
    assert "\x1b" not in captured.out + captured.err


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() == 0,
                    reason="permissions do not bind root")
def test_a_source_that_cannot_be_read_is_one_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A source without read permission: exit 3 and the file named (no traceback)."""
    root = base_project(tmp_path / "p")
    (root / "source" / "ru" / "doc.txt").chmod(0)
    assert diglot(root, "extract") == 3
    assert "source/ru/doc.txt: cannot read: Permission denied" in capsys.readouterr().err


def test_stale_temporary_files_go_with_the_next_run(tmp_path: Path) -> None:
    """Temporary files a killed run left are removed by the next run that takes the lock;
    files of other names are left alone."""
    from diglot.fileio import TEMP_GLOB

    root = base_project(tmp_path / "p")
    stale = [root / "locales" / "en" / "LC_MESSAGES" / ".doc.po.k1ll3d.diglot.tmp",
             root / "editions" / "en" / ".doc.html.x7.diglot.tmp",
             root / ".diglot.toml.a.diglot.tmp"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
        assert path.match(TEMP_GLOB)
    mine = root / "locales" / ".notes.tmp"
    mine.write_text("the user's own", encoding="utf-8")
    assert diglot(root, "extract") == 0
    assert [p for p in stale if p.exists()] == []
    assert mine.exists()


def test_a_catalog_keeps_its_mode(tmp_path: Path) -> None:
    """update rewrites a catalog in place of the old one with the old one's permissions."""
    root = base_project(tmp_path / "p")
    (root / CATALOG).chmod(0o660)
    edit_source(root)
    assert diglot(root, "update") == 0
    assert "Новый абзац." in (root / CATALOG).read_text(encoding="utf-8")
    assert stat.S_IMODE((root / CATALOG).stat().st_mode) == 0o660


def test_deep_lists_and_quotes_are_translated(tmp_path: Path) -> None:
    """Lists nested 12 levels and quotes nested 20 give a segment per item, none lost."""
    root = base_project(tmp_path / "p")
    (root / "source" / "ru" / "lists.md").write_bytes(deep(lambda i: "  " * i + "- ", 12))
    (root / "source" / "ru" / "quotes.md").write_bytes(deep(lambda i: "> " * 20, 1))
    assert diglot(root, "extract") == 0
    lists = polib.pofile(str(root / "locales" / "lists.pot"))
    quotes = polib.pofile(str(root / "locales" / "quotes.pot"))
    assert [e.msgid for e in lists] == [f"Пункт {i}." for i in range(12)]
    assert [e.msgid for e in quotes] == ["Пункт 0."]


def test_other_spellings_of_source_suffixes_are_read(tmp_path: Path) -> None:
    """``.TXT`` and ``.markdown`` are sources like ``.txt`` and ``.md``."""
    root = base_project(tmp_path / "p")
    (root / "source" / "ru" / "upper.TXT").write_text("Большие буквы.\n", encoding="utf-8")
    (root / "source" / "ru" / "long.markdown").write_text("# Заголовок\n", encoding="utf-8")
    assert diglot(root, "extract") == 0
    assert [e.msgid for e in polib.pofile(str(root / "locales" / "upper.pot"))] == [
        "Большие буквы."]
    assert [e.msgid for e in polib.pofile(str(root / "locales" / "long.pot"))] == ["Заголовок"]


def test_links_to_a_document_with_a_space_and_a_hash(tmp_path: Path) -> None:
    """References to ``a b#c`` stay one; links between its editions are percent-encoded."""
    root = base_project(tmp_path / "p")
    shutil.move(root / "source" / "ru" / "doc.txt", root / "source" / "ru" / "a b#c.txt")
    assert diglot(root, "extract") == 0
    assert diglot(root, "build", "--draft") == 0
    pot = (root / "locales" / "a b#c.pot").read_text(encoding="utf-8")
    assert "#: \u2068source/ru/a b#c.txt\u2069:1\n" in pot  # one reference, as GNU writes it
    page = root / "editions-draft" / "en" / "a b#c.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="../ru/a%20b%23c.html"' in html
    assert (page.parent / "../ru/a b#c.html").is_file()


def test_editions_close_a_directional_override(tmp_path: Path) -> None:
    """An unclosed U+202E in a reviewed translation ends with its sentence in every edition."""
    root = base_project(tmp_path / "p")
    bidi_translation(root, tmp_path, pytest.MonkeyPatch())
    assert diglot(root, "build") == 0
    for path in (root / "editions").rglob("*"):
        if path.is_file() and "\u202e" in path.read_text(encoding="utf-8"):
            text = path.read_text(encoding="utf-8")
            assert "\u202eReversed from here on.\u202c" in text, path


def test_a_carriage_return_stays_inside_its_tsv_row(tmp_path: Path) -> None:
    """A ``\\r`` in a translation is escaped in the TSV: one line per pair."""
    root = base_project(tmp_path / "p")
    set_translations(root, lambda msgid: f"Line\rbreak {len(msgid)}.")
    assert diglot(root, "build") == 0
    tsv = (root / "editions" / "ru-en" / "doc.tsv").read_bytes()
    assert b"\r" not in tsv
    assert len(tsv.decode().splitlines()) == 1 + 3
    assert "Line\\rbreak" in tsv.decode()


@pytest.mark.skipif(sys.platform != "linux", reason="signals")
def test_sigterm_is_handled_like_ctrl_c(tmp_path: Path) -> None:
    """A run terminated while it waits for the lock says so and exits 143, nothing touched."""
    import subprocess

    root = base_project(tmp_path / "p")
    before = checksum(root)
    with project_lock(root), subprocess.Popen(
            [sys.executable, "-m", "diglot.cli", "--project", str(root), "update"],
            stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stderr is not None
        first = proc.stderr.readline()  # the process is waiting: its handler is in place
        assert "waiting up to" in first
        proc.terminate()
        rest = proc.stderr.read()
        assert proc.wait(timeout=60) == 143
    assert "terminated: everything finished so far is saved" in rest
    assert "Traceback" not in rest
    assert checksum(root) == before
