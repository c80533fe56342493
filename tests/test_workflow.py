"""Project-level steps: segmentation settings and documents that come and go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest

Run = Callable[..., int]

TEXT = "Проф. Иванов выступил. Он сказал: «Мы победим!»\n\nВторой абзац. Ещё одно.\n"


def _msgids(root: Path, doc: str) -> list[str]:
    return [e.msgid for e in polib.pofile(str(root / "locales" / f"{doc}.pot"))]


def test_paragraph_unit_gives_one_entry_per_block(tmp_path: Path, run: Run,
                                                   new_project: Callable[..., Path]) -> None:
    """With unit = "paragraph" each block is one catalog entry."""
    new_project(tmp_path, docs={"a.txt": TEXT}, extra='unit = "paragraph"\n')
    assert run(tmp_path, "extract") == 0
    assert _msgids(tmp_path, "a") == ["Проф. Иванов выступил. Он сказал: «Мы победим!»",
                                      "Второй абзац. Ещё одно."]


def test_configured_abbreviation_is_not_a_sentence_end(tmp_path: Path, run: Run,
                                                        new_project: Callable[..., Path]) -> None:
    """An abbreviation added in diglot.toml keeps its sentence whole."""
    text = "Выступил спецкор. Иванов. Потом все ушли.\n"
    new_project(tmp_path, docs={"a.txt": text})
    run(tmp_path, "extract")
    assert len(_msgids(tmp_path, "a")) == 3
    (tmp_path / "diglot.toml").write_text(
        (tmp_path / "diglot.toml").read_text() + '[abbreviations]\nru = ["спецкор."]\n')
    run(tmp_path, "extract")
    assert _msgids(tmp_path, "a") == ["Выступил спецкор. Иванов.", "Потом все ушли."]


def test_documents_in_subfolders_keep_their_path(tmp_path: Path, run: Run,
                                                 new_project: Callable[..., Path]) -> None:
    """source/ru/2024/a.md becomes locales/2024/a.pot and its catalogs follow the same path."""
    new_project(tmp_path, docs={"2024/a.md": "# Заголовок\n\nТекст.\n"})
    run(tmp_path, "extract")
    run(tmp_path, "update")
    assert (tmp_path / "locales" / "2024" / "a.pot").is_file()
    po = polib.pofile(str(tmp_path / "locales" / "en" / "LC_MESSAGES" / "2024" / "a.po"))
    assert po[0].occurrences == [("source/ru/2024/a.md", "1")]


def test_a_removed_source_leaves_its_template_reported_not_deleted(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """When a statement's source goes, extract says its template is stale and keeps it."""
    new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": "Другой текст.\n"})
    run(tmp_path, "extract")
    (tmp_path / "source" / "ru" / "b.txt").unlink()
    capsys.readouterr()
    assert run(tmp_path, "extract") == 0
    out = capsys.readouterr().out
    assert "stale     locales/b.pot" in out
    assert (tmp_path / "locales" / "b.pot").is_file()


def test_update_pauses_the_cycle_collector_only_while_it_runs(
        tmp_path: Path, run: Run, new_project: Callable[..., Path]) -> None:
    """The collector is off while catalogs are merged and on again afterwards."""
    import gc

    from diglot.project import Project
    from diglot.workflow import update

    new_project(tmp_path, docs={"a.txt": TEXT})
    run(tmp_path, "extract")
    seen: list[bool] = []
    assert gc.isenabled()
    results = update(Project.find(tmp_path), progress=lambda name: seen.append(gc.isenabled()))
    assert seen == [False] and results[0].created
    assert gc.isenabled()


def test_update_stopped_by_a_broken_catalog_replaces_none(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Catalogs are merged one by one, but a broken one further on (here the second of three)
    stops the run before any catalog is replaced: the first, already merged and staged, is
    left as it was, no temporary file stays behind, and the error names the file and line."""
    new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT, "c.txt": TEXT})
    run(tmp_path, "extract")
    run(tmp_path, "update")
    folder = tmp_path / "locales" / "en" / "LC_MESSAGES"
    (folder / "b.po").write_text((folder / "b.po").read_text() + 'msgid "x"\nmsgstr "y\n')
    for name in ("a", "b", "c"):
        (tmp_path / "source" / "ru" / f"{name}.txt").write_text(TEXT + "\nНовый абзац.\n")
    run(tmp_path, "extract")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    assert run(tmp_path, "update") != 0
    assert "b.po:" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_update_holds_one_catalog_at_a_time(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog is written (staged) before the next one is read, so memory does not grow
    with the number of documents: reads and writes alternate."""
    from diglot.fileio import WriteBatch
    from diglot.pofile import parse_catalog

    new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT, "c.txt": TEXT})
    run(tmp_path, "extract")
    run(tmp_path, "update")
    for name in ("a", "b", "c"):
        (tmp_path / "source" / "ru" / f"{name}.txt").write_text(TEXT + "\nНовый абзац.\n")
    run(tmp_path, "extract")
    events: list[str] = []
    read, write = parse_catalog, WriteBatch.write_bytes

    def reading(text: str, *, path: Path) -> object:
        events.append(f"read {path.stem}")
        return read(text, path=path)

    def writing(self: WriteBatch, path: Path, data: bytes) -> bool:
        events.append(f"write {path.stem}")
        return write(self, path, data)

    monkeypatch.setattr("diglot.workflow.parse_catalog", reading)
    monkeypatch.setattr(WriteBatch, "write_bytes", writing)
    assert run(tmp_path, "update") == 0
    assert events == ["read a", "write a", "read b", "write b", "read c", "write c"]


def test_extract_holds_one_document_at_a_time(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each template is staged before the next source is read: memory does not grow with
    the number of documents."""
    from diglot.fileio import WriteBatch
    from diglot.sources.cache import DocumentReader

    new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT, "c.txt": TEXT})
    events: list[str] = []
    read, write = DocumentReader.read, WriteBatch.write_bytes

    def reading(self: DocumentReader, path: Path, *, name: str) -> object:
        events.append(f"read {name}")
        return read(self, path, name=name)

    def writing(self: WriteBatch, path: Path, data: bytes) -> bool:
        if path.suffix == ".pot":
            events.append(f"write {path.stem}")
        return write(self, path, data)

    monkeypatch.setattr(DocumentReader, "read", reading)
    monkeypatch.setattr(WriteBatch, "write_bytes", writing)
    assert run(tmp_path, "extract") == 0
    assert events == ["read a", "write a", "read b", "write b", "read c", "write c"]


def test_extract_stopped_by_a_broken_source_writes_no_template(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Documents are read one by one, but a source that cannot be read further on (the
    second of three, not UTF-8) stops the run before any template is replaced, and no
    temporary file stays behind."""
    new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT, "c.txt": TEXT})
    run(tmp_path, "extract")
    for name in ("a", "c"):
        (tmp_path / "source" / "ru" / f"{name}.txt").write_text(TEXT + "\nНовый абзац.\n")
    (tmp_path / "source" / "ru" / "b.txt").write_bytes("Текст.\n".encode("cp1251"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "locales").iterdir()}
    capsys.readouterr()
    assert run(tmp_path, "extract") == 3
    assert "source/ru/b.txt:1: not valid UTF-8" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (tmp_path / "locales").iterdir()} == before
