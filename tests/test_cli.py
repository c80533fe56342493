"""The diglot command driven in-process through its real entry point."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diglot.cli import main
from diglot.errors import LockError
from diglot.fileio import project_lock

Run = Callable[..., int]


def test_init_writes_config_and_folders(tmp_path: Path, run: Run) -> None:
    """init writes a diglot.toml that the other commands accept, and the folders."""
    assert run(tmp_path, "init", "--source", "ru", "--target", "en", "--target", "de") == 0
    assert (tmp_path / "source" / "ru").is_dir()
    assert (tmp_path / "locales" / "de" / "LC_MESSAGES").is_dir()
    assert run(tmp_path, "status", "--json") == 0


def test_init_rejects_an_unknown_language(tmp_path: Path, run: Run,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped language code exits 2 with a suggestion, writing nothing."""
    assert run(tmp_path, "init", "--source", "ru", "--target", "engl") == 2
    assert "unknown target language 'engl'" in capsys.readouterr().err
    assert not (tmp_path / "diglot.toml").exists()


def test_init_does_not_overwrite(tmp_path: Path, run: Run) -> None:
    """A second init keeps the existing config unless --force is given."""
    run(tmp_path, "init", "--source", "ru", "--target", "en")
    (tmp_path / "diglot.toml").write_text("# mine\n" + (tmp_path / "diglot.toml").read_text())
    assert run(tmp_path, "init", "--source", "ru", "--target", "de") == 2
    assert (tmp_path / "diglot.toml").read_text().startswith("# mine")


def test_segment_prints_sentences_by_block(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """segment reads standard input and prints one sentence a line, blocks apart."""
    text = "Заявление\n\nВ 2011–2012 гг. было так. См. ст. 37 Конституции.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["segment", "--lang", "ru"]) == 0
    assert capsys.readouterr().out == (
        "Заявление\n\nВ 2011–2012 гг. было так.\nСм. ст. 37 Конституции.\n")


def test_segment_names_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A file that cannot be read is an error naming it."""
    assert main(["segment", "--lang", "ru", "/nonexistent/a.txt"]) == 3
    assert "/nonexistent/a.txt: cannot read" in capsys.readouterr().err


def test_segment_takes_the_language_of_the_project_around_it(
        project: Path, tmp_path_factory: pytest.TempPathFactory, run: Run,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Without --lang, segment splits a file as the source language of the project it runs in
    (from a subfolder, or named by --project); outside any project it asks for --lang."""
    text = project / "note.txt"
    text.write_text("См. ст. 37. Конец.\n", encoding="utf-8")
    assert run(project / "source", "segment", str(text)) == 0
    assert capsys.readouterr().out == "См. ст. 37.\nКонец.\n"
    outside = tmp_path_factory.mktemp("outside")
    assert run(outside, "--project", str(project), "segment", str(text)) == 0
    assert capsys.readouterr().out == "См. ст. 37.\nКонец.\n"
    assert run(outside, "segment", str(text)) != 0
    assert "which language? not inside a diglot project" in capsys.readouterr().err


def test_status_counts_fuzzy_apart_from_translated(project: Path, run: Run,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """status --json counts segments and words by state; fuzzy is never translated."""
    import polib

    run(project, "extract")
    run(project, "update")
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "Russian Communist Workers Party"
    po[1].msgstr = "A guess"
    po[1].flags.append("fuzzy")
    po[2].msgstr = "A machine draft"
    po[2].flags.append("fuzzy")
    po[2].tcomment = "diglot-draft: deepl 2026-11-27"
    po.save()
    capsys.readouterr()
    assert run(project, "status", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["segments"] == {"translated": 1, "memory match": 0, "machine draft": 1,
                               "aligned": 0, "fuzzy": 1, "untranslated": 12}
    assert row["words"]["translated"] == 4
    assert row["percent_translated"] == round(100 / 15, 1)


def test_status_table_lists_each_catalog(project: Path, run: Run,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The terminal table has a row per document and language with its share done."""
    run(project, "extract")
    run(project, "update")
    capsys.readouterr()
    assert run(project, "status") == 0
    out = capsys.readouterr().out
    assert "kpk-2015" in out
    assert "0.0%" in out


def test_status_table_shows_a_document_name_as_named(new_project: Callable[..., Path],
                                                    tmp_path: Path, run: Run,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Brackets and colons in a file name are not rich markup or emoji codes in the table."""
    root = new_project(tmp_path, docs={"a[bold]b :smile:.txt": "Первое предложение.\n",
                                       "c[x].txt": "Второе предложение.\n"})
    run(root, "extract")
    run(root, "update")
    capsys.readouterr()
    assert run(root, "status") == 0
    out = capsys.readouterr().out
    assert "a[bold]b :smile:" in out
    assert "c[x]" in out


def test_a_second_run_waits_for_or_refuses_the_lock(tmp_path: Path) -> None:
    """A second run says it is waiting, then gives up (exit 6); a non-waiting one is refused."""
    notes: list[str] = []
    with project_lock(tmp_path):
        with pytest.raises(LockError, match=r"waited 0\.2 s"), project_lock(
                tmp_path, timeout=0.2, on_wait=notes.append):
            pass
        with pytest.raises(LockError), project_lock(tmp_path, wait=False):
            pass
    assert len(notes) == 1
    assert "waiting up to 0.2 s" in notes[0]
    with project_lock(tmp_path, wait=False):
        pass


def test_a_waiting_run_goes_ahead_when_the_lock_is_released(tmp_path: Path) -> None:
    """A run that waits gets the lock as soon as the holder lets go, within its timeout."""
    import threading

    notes: list[str] = []
    holder_ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        with project_lock(tmp_path):
            holder_ready.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    holder_ready.wait(30)

    def waiting(note: str) -> None:
        notes.append(note)
        release.set()

    with project_lock(tmp_path, timeout=60, on_wait=waiting):
        pass
    thread.join()
    assert len(notes) == 1


def test_the_lock_timeout_is_exit_6(project: Path, run: Run,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """--lock-timeout bounds the wait; the command then exits 6 naming the lock."""
    with project_lock(project):
        assert run(project, "--lock-timeout", "0.1", "extract") == 6
    err = capsys.readouterr().err
    assert "waiting up to 0.1 s" in err
    assert ".diglot/lock: another diglot run is working on this project" in err


def test_paths_are_named_relative_to_the_project_wherever_diglot_runs(
        tmp_path: Path, new_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The library's errors carry the real path; the CLI names it relative to the project,
    run from a subfolder or from elsewhere with --project; without a project, as given."""
    from diglot.errors import CatalogError
    from diglot.pofile import read_catalog

    (tmp_path / "p").mkdir()
    root = new_project(tmp_path / "p", docs={"d.txt": "Один.\n"})
    assert main(["--project", str(root), "extract"]) == 0
    assert main(["--project", str(root), "update"]) == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "d.po"
    with po.open("a", encoding="utf-8") as f:
        f.write('msgid "x\n')
    with pytest.raises(CatalogError) as caught:
        read_catalog(po)
    assert caught.value.path == po
    expected = "error: locales/en/LC_MESSAGES/d.po:"
    for cwd, argv in ((root / "source", ["update"]), (tmp_path, ["--project", str(root), "update"]),
                      (root / "locales", ["status", "--json"])):
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        assert main(argv) == 3
        assert capsys.readouterr().err.startswith(expected)
    monkeypatch.chdir(tmp_path)
    assert main(["--project", str(root), "check", "--format", "json"]) == 5
    assert json.loads(capsys.readouterr().out)["problems"][0]["path"] == \
        "locales/en/LC_MESSAGES/d.po"
    (root / "diglot.toml").write_text("unit = 1\n", encoding="utf-8")
    assert main(["--project", str(root), "status"]) == 2  # no project loaded: the path as is
    assert capsys.readouterr().err.startswith(f"error: {root / 'diglot.toml'}")
