"""``update`` skips a catalog it left unchanged last time while neither file changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from diglot.catalogs import Template, UpdateSummary
from diglot.pofile import POFile
from diglot.uptodate import FOLDER

Run = Callable[..., int]
TEXT = "Первое предложение. Второе!\n\nТретий абзац. Ещё одно.\n"


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "locales").rglob("*.po*"))}


@pytest.fixture
def merged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The catalogs ``update`` parses and merges (not skipped) while a test runs."""
    from diglot.catalogs import update_catalog as real

    seen: list[str] = []

    def counting(catalog: POFile, template: Template, lang: str) -> UpdateSummary:
        seen.append(template.metadata["Project-Id-Version"])
        return real(catalog, template, lang)

    monkeypatch.setattr("diglot.workflow.update_catalog", counting)
    return seen


def _update(run: Run, root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    capsys.readouterr()
    assert run(root, "update", *argv) == 0
    return sorted(capsys.readouterr().out.splitlines())


def test_an_unchanged_catalog_is_skipped_with_the_same_report(
        tmp_path: Path, run: Run, new_project: Callable[..., Path], merged: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """The run after the one that left a catalog unchanged merges nothing and reports the
    same counts; a translator's edit or a new template brings the merge back, for that
    document only."""
    root = new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT + "\nКонец.\n"})
    assert run(root, "extract") == 0
    _update(run, root, capsys)           # creates the catalogs
    merged.clear()
    second = _update(run, root, capsys)  # merges both: they come out the same (noted)
    assert sorted(merged) == ["a", "b"]
    merged.clear()
    before = _digests(root)
    assert _update(run, root, capsys) == second  # skipped, same report
    assert merged == []
    assert _digests(root) == before

    po = root / "locales" / "en" / "LC_MESSAGES" / "a.po"
    po.write_text(po.read_text().replace('msgid "Второе!"\nmsgstr ""',
                                         'msgid "Второе!"\nmsgstr "Second!"'))
    _update(run, root, capsys)
    assert merged == ["a"]  # the translator's edit: merged (and then noted: it was unchanged)
    assert "Second!" in po.read_text()
    (root / "source" / "ru" / "b.txt").write_text(TEXT + "\nДругой конец.\n")
    assert run(root, "extract") == 0
    merged.clear()
    lines = _update(run, root, capsys)
    assert merged == ["b"]  # a new template
    assert any("b.po (4 kept, 0 fuzzy, 1 new, 0 obsolete)" in line for line in lines), lines


def test_skipping_gives_the_bytes_a_merge_gives(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Two projects through the same steps, one without the stored digests before each
    update: the same catalogs and the same report."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    roots = [new_project(tmp_path / name, docs={"a.txt": TEXT}) for name in ("a", "b")]
    reports: list[list[list[str]]] = [[], []]
    for step in range(3):
        for number, root in enumerate(roots):
            if step == 1:
                (root / "source" / "ru" / "a.txt").write_text(TEXT + "\nНовое.\n")
            assert run(root, "extract") == 0
            if number == 1:
                for stored in (root / FOLDER).glob("*"):
                    stored.unlink()
            reports[number].append(_update(run, root, capsys))
            reports[number].append(_update(run, root, capsys))
    assert reports[0] == reports[1]
    assert _digests(roots[0]) == _digests(roots[1])


def test_a_damaged_store_merges_again_and_check_stores_nothing(
        tmp_path: Path, run: Run, new_project: Callable[..., Path], merged: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A stored file cut short is no error (every catalog is merged again); ``update
    --check`` neither writes the store nor needs it."""
    root = new_project(tmp_path, docs={"a.txt": TEXT})
    assert run(root, "extract") == 0
    _update(run, root, capsys)
    assert not (root / FOLDER).exists() or not list((root / FOLDER).glob("*.marshal"))
    assert run(root, "update", "--check") == 0
    assert not (root / FOLDER).exists() or not list((root / FOLDER).glob("*.marshal"))
    _update(run, root, capsys)
    (stored,) = (root / FOLDER).glob("*.marshal")
    stored.write_bytes(stored.read_bytes()[:-5])
    merged.clear()
    _update(run, root, capsys)
    assert len(merged) == 1
    merged.clear()
    _update(run, root, capsys)
    assert merged == []


def test_what_is_remembered_follows_the_project(
        tmp_path: Path, run: Run, new_project: Callable[..., Path], merged: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """An update of one document keeps what was remembered of the others; a whole update
    forgets the catalogs the project no longer has."""
    import marshal

    root = new_project(tmp_path, docs={"a.txt": TEXT, "b.txt": TEXT})
    assert run(root, "extract") == 0
    for _ in range(2):
        _update(run, root, capsys)

    def remembered() -> list[str]:
        (stored,) = (root / FOLDER).glob("*.marshal")
        data = stored.read_bytes()
        payload = data[data.index(b"\n") + 1 + 32:]
        return sorted(marshal.loads(payload))

    assert remembered() == ["locales/en/LC_MESSAGES/a.po", "locales/en/LC_MESSAGES/b.po"]
    (root / "source" / "ru" / "a.txt").write_text(TEXT + "\nНовое.\n")
    assert run(root, "extract") == 0
    merged.clear()
    _update(run, root, capsys, "--doc", "a")  # a.po written: not remembered; b.po kept
    assert merged == ["a"]
    assert remembered() == ["locales/en/LC_MESSAGES/b.po"]
    merged.clear()
    _update(run, root, capsys)  # b.po skipped, a.po merged and found unchanged
    assert merged == ["a"]
    (root / "source" / "ru" / "b.txt").unlink()
    (root / "locales" / "b.pot").unlink()
    (root / "locales" / "en" / "LC_MESSAGES" / "b.po").unlink()
    _update(run, root, capsys)
    assert remembered() == ["locales/en/LC_MESSAGES/a.po"]
