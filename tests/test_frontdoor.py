"""What a first-time coordinator meets: terminal width, defaults, hints and next steps."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from diglot.cli import main
from fake_deepl import FakeDeepL, running

Run = Callable[..., int]
HEADERS = ("document", "lang", "reviewed", "fuzzy", "untransl.", "words", "left", "done")


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_status_fits_the_terminal_width(sample_project: Path, run: Run, columns: int,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """status honours COLUMNS: no line is wider, and every header word is printed whole."""
    monkeypatch.setenv("COLUMNS", str(columns))
    assert run(sample_project, "status") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    assert max(len(line) for line in lines) <= columns
    header = set(re.split(r"[\s┃│]+", " ".join(lines[:6])))
    assert set(HEADERS) <= header
    assert "…" not in "\n".join(lines)
    assert any(re.split(r"[\s│]+", line.strip("│ "))[:2] == ["kpk-2015", "en"]
               for line in lines)


def test_segment_takes_the_project_source_language(project: Path, run: Run,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Inside a project, segment needs no --lang: Russian rules apply ("гг." before a capital)."""
    text = project / "note.txt"
    text.write_text("В 2011–2012 гг. было так. См. ст. 37.\n", encoding="utf-8")
    assert run(project, "segment", str(text)) == 0
    assert capsys.readouterr().out == "В 2011–2012 гг. было так.\nСм. ст. 37.\n"


def test_segment_outside_a_project_asks_for_a_language(tmp_path: Path, run: Run,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Outside a project, segment without --lang is a usage error (exit 2) saying what to pass."""
    text = tmp_path / "note.txt"
    text.write_text("One. Two.\n", encoding="utf-8")
    assert run(tmp_path, "segment", str(text)) == 2
    assert "pass --lang" in capsys.readouterr().err


def test_status_and_update_take_doc(sample_project: Path, run: Run,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """--doc limits status and update to the documents named; a typo gets a "did you mean"."""
    assert run(sample_project, "update", "--doc", "kpk-2015") == 0
    out = capsys.readouterr().out
    assert "kpk-2015.po" in out
    assert "strike-2024" not in out
    assert run(sample_project, "status", "--doc", "strike-2024") == 0
    out = capsys.readouterr().out
    assert "strike-2024" in out
    assert "kpk-2015" not in out
    assert run(sample_project, "status", "--doc", "kpk-2051") == 2
    assert "did you mean 'kpk-2015'" in capsys.readouterr().err


def test_translate_with_nothing_to_offer_says_what_could(new_project: Callable[..., Path],
                                                         tmp_path: Path, run: Run,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """A memory run that drafts nothing lists what is left per document, each on one line,
    and names what could help (DeepL, memory files, diglot align)."""
    long_name = "statement-of-the-central-committee-" + "x" * 100
    root = new_project(tmp_path, docs={"a.txt": "Первая фраза.\n",
                                       f"{long_name}.txt": "Вторая фраза. Третья фраза.\n"})
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    capsys.readouterr()
    assert run(root, "translate") == 0
    lines = capsys.readouterr().out.splitlines()
    assert "drafts: none" in lines
    assert "still untranslated: a (en) 1" in lines
    assert f"still untranslated: {long_name} (en) 2" in lines
    hints = [line for line in lines if line.startswith("hint: ")]
    assert any("--engine deepl" in h for h in hints)
    assert any("diglot align" in h for h in hints)
    assert any("memory_files" in h for h in hints)


def test_draft_build_without_reviewed_pairs_links_no_tmx(project: Path, run: Run) -> None:
    """A draft edition with no reviewed sentence writes and links no (empty) TMX or TSV."""
    assert run(project, "extract") == 0
    assert run(project, "update") == 0
    assert run(project, "build", "--draft") == 0
    pair = project / "editions-draft" / "ru-en"
    assert (pair / "kpk-2015.html").is_file()
    assert not (pair / "kpk-2015.tmx").exists()
    assert not (pair / "kpk-2015.tsv").exists()
    assert "kpk-2015.tmx" not in (pair / "kpk-2015.html").read_text(encoding="utf-8")


def test_draft_build_with_reviewed_pairs_links_tmx(sample_project: Path, run: Run) -> None:
    """With reviewed sentences the TMX and TSV are written and linked."""
    assert run(sample_project, "build", "--draft") == 0
    pair = sample_project / "editions-draft" / "ru-en"
    assert "<tu " in (pair / "kpk-2015.tmx").read_text(encoding="utf-8")
    assert 'href="kpk-2015.tmx"' in (pair / "kpk-2015.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["status", "build"])
def test_empty_project_says_what_to_do_next(tmp_path: Path, run: Run, command: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """status and build in a project with no documents say where statements go and what next."""
    assert run(tmp_path, "init", "--source", "ru", "--target", "en") == 0
    capsys.readouterr()
    assert run(tmp_path, command) == 0
    assert capsys.readouterr().out == (
        "no documents yet: put statements (.txt or .md) in source/ru/, then run "
        "'diglot extract' and 'diglot update'\n")


@pytest.mark.parametrize(("command", "text"), [
    ("segment", "default: the project's source"),
    ("segment", "whole paragraphs"),
    ("init", "one catalog entry per sentence"),
    ("check", "problems and counts for scripts"),
    ("status", "only this document"),
    ("update", "only this document"),
])
def test_help_texts(command: str, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The options a newcomer reads about have help texts."""
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert text in " ".join(capsys.readouterr().out.split())


def test_dry_run_quota_note_is_one_line_when_piped(sample_project: Path, run: Run,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Piped into a narrow COLUMNS, the dry run's quota note stays on one line."""
    monkeypatch.setenv("COLUMNS", "40")
    with running(FakeDeepL()) as server:
        monkeypatch.setenv("DEEPL_AUTH_KEY", server.auth_key)
        monkeypatch.setenv("DEEPL_SERVER_URL", server.url)
        assert run(sample_project, "translate", "--engine", "deepl", "--dry-run") == 0
    lines = capsys.readouterr().out.splitlines()
    note = [line for line in lines if line.startswith("would bill ")]
    assert len(note) == 1
    assert note[0].endswith("characters left this period")
