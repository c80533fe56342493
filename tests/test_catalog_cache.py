"""The cache of parsed catalogs (``.diglot/cache/catalogs/``): the same records, fewer parses."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings

from diglot import cachestore
from diglot.errors import CatalogError, FileAccessError
from diglot.fileio import TEMP_GLOB, confined
from diglot.model import EntryState
from diglot.pofile import (
    CATALOG_CACHE,
    CatalogRecords,
    Origin,
    read_records,
    recordcache,
    render_catalog,
)
from diglot.project import Project
from diglot.publish import build
from test_fast_io import _SETTINGS, _catalogs
from test_pofile_tolerance import CASES

REPO = Path(__file__).parent.parent
TEST_CATALOGS = sorted(p for p in (REPO / "tests").rglob("*.po*") if p.suffix in (".po", ".pot"))
PO = REPO / "tests" / "data" / "checks" / "project" / "locales" / "en" / "LC_MESSAGES" / \
    "kpk-2015.po"


def _types(records: CatalogRecords) -> list[tuple[type, ...]]:
    """The types of every field that equality would not tell apart (a StrEnum equals its
    value; a tuple is not a list)."""
    return [(type(e), type(e.state), type(e.origin), type(e.flags), type(e.occurrences),
             *map(type, e.occurrences), type(e.msgstr_plural)) for e in records.entries] + \
        [(type(records.metadata), type(records.warnings), *map(type, records.warnings))]


def _cache_file(folder: Path, path: Path) -> Path:
    where = cachestore.CacheStore(folder, recordcache.MAGIC).path(recordcache.cache_name(path))
    assert where is not None
    return where


def _twice(path: Path, folder: Path) -> tuple[object, object, object]:
    """A fresh parse, the first read through the cache (stores) and the second (loads)."""
    def attempt(**kwargs: object) -> object:
        try:
            return read_records(path, **kwargs)  # type: ignore[arg-type]
        except CatalogError as exc:
            return str(exc)

    return attempt(), attempt(cache=folder), attempt(cache=folder)


@pytest.mark.parametrize("path", TEST_CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_a_cached_catalog_is_the_parsed_catalog(tmp_path: Path, path: Path,
                                                catalog_parses: list[str]) -> None:
    """Every catalog of the tests: read twice through the cache, parsed once, and both
    times equal to a read without a cache, field types included."""
    fresh, first, second = _twice(path, tmp_path / "cache")
    assert isinstance(fresh, CatalogRecords)
    assert fresh == first == second
    assert isinstance(second, CatalogRecords)
    assert _types(second) == _types(fresh)
    # the fresh read and the first through the cache
    assert catalog_parses == [path.name, path.name]


@pytest.mark.parametrize("name", list(CASES))
def test_tolerated_and_broken_catalogs(tmp_path: Path, name: str,
                                       catalog_parses: list[str]) -> None:
    """Every catalog of the tolerance table: what the tolerant reader reads comes back from
    the cache equal; a broken one raises the same error every time and is never stored."""
    content, line, _ = CASES[name]
    path = tmp_path / "x.po"
    path.write_bytes(content)
    folder = tmp_path / "cache"
    fresh, first, second = _twice(path, folder)
    assert fresh == first == second
    if isinstance(fresh, CatalogRecords):
        assert isinstance(second, CatalogRecords) and _types(second) == _types(fresh)
        assert len(catalog_parses) == 2
    else:
        assert line is not None
        assert len(catalog_parses) == 3 and not list(folder.glob("*.marshal"))


@settings(_SETTINGS, max_examples=60)
@given(catalog=_catalogs())
def test_any_catalog_comes_back_equal(tmp_path_factory: pytest.TempPathFactory,
                                      catalog: polib.POFile) -> None:
    """Generated catalogs (contexts, plurals, obsolete entries, marks, flags, previous msgids):
    the cached records are the parsed ones."""
    folder = tmp_path_factory.mktemp("po")
    path = folder / "x.po"
    path.write_text(render_catalog(catalog), encoding="utf-8")
    fresh, first, second = _twice(path, folder / "cache")
    assert fresh == first == second
    if isinstance(fresh, CatalogRecords):
        assert isinstance(second, CatalogRecords) and _types(second) == _types(fresh)


def test_the_tolerant_readers_records_need_the_same_polib(
        tmp_path: Path, catalog_parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Records the tolerant reader (on polib) made are taken back only with the same polib."""
    path = tmp_path / "x.po"
    path.write_bytes(CASES["flag without space"][0])
    folder = tmp_path / "cache"
    read_records(path, cache=folder)
    read_records(path, cache=folder)
    assert len(catalog_parses) == 1
    monkeypatch.setattr(polib, "__version__", "0.0-other")
    assert read_records(path, cache=folder) == read_records(path)
    assert len(catalog_parses) == 3


def test_a_changed_byte_code_or_version_is_a_miss(tmp_path: Path, catalog_parses: list[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Another byte in the catalog, other code: parsed again, and the records are the new
    ones; one cache file per catalog whatever its content."""
    path = tmp_path / "x.po"
    shutil.copy(PO, path)
    folder = tmp_path / "cache"
    first = next(e.msgstr[:5] for e in read_records(path, cache=folder).entries
                 if len(e.msgstr) > 5)
    assert read_records(path, cache=folder).entries[0].msgstr[:1] != "!"
    data = path.read_bytes()
    changed = data.replace(f'msgstr "{first}'.encode(), f'msgstr "!{first}'.encode(), 1)
    assert changed != data
    path.write_bytes(changed)
    again = read_records(path, cache=folder)
    assert len(catalog_parses) == 2 and again == read_records(path)
    assert any(e.msgstr.startswith("!") for e in again.entries)
    monkeypatch.setattr(recordcache, "fingerprint", lambda: b"another diglot")
    read_records(path, cache=folder)
    assert len(catalog_parses) == 4
    assert len(list(folder.iterdir())) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "magic only", "shifted"])
def test_a_damaged_cache_file_is_a_miss(tmp_path: Path, catalog_parses: list[str],
                                        damage: str) -> None:
    """A cache file cut short, overwritten or emptied: the catalog is parsed again (no
    traceback), and the file replaced by a good one."""
    path = tmp_path / "x.po"
    shutil.copy(PO, path)
    folder = tmp_path / "cache"
    expected = read_records(path, cache=folder)
    where = _cache_file(folder, path)
    data = where.read_bytes()
    head = len(recordcache.MAGIC) + cachestore.KEY_SIZE
    where.write_bytes({"truncate": data[: len(data) // 2], "garbage": data[:head] + b"\xff" * 40,
                       "empty": b"", "magic only": recordcache.MAGIC,
                       "shifted": data[:head] + b"\x00" + data[head:]}[damage])
    assert read_records(path, cache=folder) == expected
    assert len(catalog_parses) == 2
    assert where.read_bytes() == data
    assert read_records(path, cache=folder) == expected
    assert len(catalog_parses) == 2


@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_a_cache_file_that_is_not_a_regular_file_is_left_alone(
        tmp_path: Path, catalog_parses: list[str], kind: str) -> None:
    """A symbolic link (even to a good cache file), a folder or a FIFO where the cache file
    should be: not followed, not replaced; the catalog is parsed each time."""
    path = tmp_path / "x.po"
    shutil.copy(PO, path)
    folder = tmp_path / "cache"
    expected = read_records(path, cache=folder)
    where = _cache_file(folder, path)
    good = where.rename(tmp_path / "good.marshal")
    if kind == "symlink":
        where.symlink_to(good)
    elif kind == "folder":
        where.mkdir()
    else:
        os.mkfifo(where)
    for _ in range(2):
        assert read_records(path, cache=folder) == expected
    assert len(catalog_parses) == 3
    assert where.is_symlink() if kind == "symlink" else not where.is_file()
    assert good.read_bytes().startswith(recordcache.MAGIC)
    assert not list(folder.glob(TEMP_GLOB))


def test_a_cache_folder_outside_the_project_is_not_read(tmp_path: Path,
                                                        catalog_parses: list[str]) -> None:
    """While a run is confined to its project, a cache folder linked from outside is neither
    read nor written; the catalogs are read all the same."""
    root = tmp_path / "project"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    path = root / "x.po"
    shutil.copy(PO, path)
    expected = read_records(path, cache=outside)  # stored there, unconfined
    assert len(list(outside.iterdir())) == 1
    (root / ".diglot" / "cache").mkdir(parents=True)
    (root / CATALOG_CACHE).symlink_to(outside)
    with confined(root):
        assert read_records(path, cache=root / CATALOG_CACHE) == expected
    assert len(catalog_parses) == 2


def test_deleting_the_cache_is_safe_and_nothing_is_left_behind(tmp_path: Path,
                                                               catalog_parses: list[str]) -> None:
    """Remove the folder between reads: the next read parses and stores again; no temporary
    file stays; the cache's .gitignore ignores everything in it."""
    path = tmp_path / "x.po"
    shutil.copy(PO, path)
    folder = tmp_path / ".diglot" / "cache" / "catalogs"
    first = read_records(path, cache=folder)
    shutil.rmtree(tmp_path / ".diglot")
    assert read_records(path, cache=folder) == first
    assert read_records(path, cache=folder) == first
    assert len(catalog_parses) == 2
    assert [p.name for p in folder.iterdir()] == [_cache_file(folder, path).name]
    assert (folder.parent / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    assert not list(tmp_path.rglob(TEMP_GLOB))


def test_an_unwritable_cache_is_passed_over(tmp_path: Path, catalog_parses: list[str]) -> None:
    """A file where the cache folder should be: every read parses, none fails."""
    path = tmp_path / "x.po"
    shutil.copy(PO, path)
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    assert read_records(path, cache=tmp_path / "cache") == read_records(path)
    assert read_records(path, cache=tmp_path / "cache") == read_records(path)
    assert len(catalog_parses) == 4


def test_a_catalog_outside_the_project_is_refused_before_the_cache(tmp_path: Path) -> None:
    """The paths policy comes first: a catalog linked from outside is refused, cached or not."""
    root = tmp_path / "project"
    root.mkdir()
    outside = tmp_path / "x.po"
    shutil.copy(PO, outside)
    read_records(outside, cache=root / CATALOG_CACHE)
    (root / "x.po").symlink_to(outside)
    with confined(root), pytest.raises(FileAccessError, match="outside the project"):
        read_records(root / "x.po", cache=root / CATALOG_CACHE)


def test_status_check_and_build_fill_and_read_the_cache(
        sample_project: Path, run: Callable[..., int], catalog_parses: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """status fills the cache; check and build then parse nothing and give what they give
    without a cache; a catalog changed by hand is parsed again."""
    folder = sample_project / CATALOG_CACHE
    assert run(sample_project, "status") == 0
    catalogs = sorted((sample_project / "locales").rglob("*.po"))
    assert len(catalog_parses) == len(catalogs) and len(list(folder.iterdir())) == len(catalogs)
    catalog_parses.clear()
    outputs = []
    for _ in range(2):
        capsys.readouterr()
        assert run(sample_project, "status") == 0
        assert run(sample_project, "check") == 0
        build(Project.load(sample_project), draft=False)
        outputs.append((capsys.readouterr().out,
                        {p.relative_to(sample_project): p.read_bytes()
                         for p in (sample_project / "editions").rglob("*") if p.is_file()}))
        assert catalog_parses == []
        shutil.rmtree(folder.parent)
        capsys.readouterr()
        assert run(sample_project, "status") == 0
        assert len(catalog_parses) == len(catalogs)
        catalog_parses.clear()
    assert outputs[0] == outputs[1]
    edited = catalogs[0]
    edited.write_bytes(edited.read_bytes() + b"\n")
    assert run(sample_project, "check") == 0
    assert catalog_parses == [edited.name]
    assert not list(sample_project.rglob(TEMP_GLOB))


def test_records_keep_their_states_and_shared_origins(tmp_path: Path) -> None:
    """A memory match, a machine draft, an aligned entry, a fuzzy and an obsolete one: the
    cached records have the states and origins of the parsed ones."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for n, (tcomment, flags) in enumerate([
            ("diglot-draft: memory 2026-11-27 92%", ["fuzzy"]),
            ("diglot-draft: deepl 2026-11-27", ["fuzzy"]),
            ("diglot-draft: deepl 2026-11-27", ["fuzzy"]),
            ("diglot-aligned: 0.83", ["fuzzy"]), ("", ["fuzzy"]), ("", [])]):
        po.append(polib.POEntry(msgid=f"Предложение {n}.", msgstr=f"Sentence {n}.",
                                tcomment=tcomment, flags=flags))
    po.append(polib.POEntry(msgid="Старое.", msgstr="Old.", obsolete=True))
    path = tmp_path / "x.po"
    path.write_text(render_catalog(po), encoding="utf-8")
    read_records(path, cache=tmp_path / "c")
    cached = read_records(path, cache=tmp_path / "c")
    assert [e.state for e in cached.entries] == [
        EntryState.MEMORY, EntryState.MACHINE, EntryState.MACHINE, EntryState.ALIGNED,
        EntryState.FUZZY, EntryState.TRANSLATED, EntryState.OBSOLETE]
    assert cached.entries[1].origin == Origin("deepl", "deepl 2026-11-27")
    assert cached == read_records(path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_inits_gitignore_covers_the_cache(tmp_path: Path, run: Callable[..., int]) -> None:
    """A project made by 'diglot init' ignores the cache of parsed catalogs."""
    assert run(tmp_path, "init", "--source", "ru", "--target", "en") == 0
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    where = tmp_path / CATALOG_CACHE / "0123.marshal"
    done = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "-q",
                           str(where.relative_to(tmp_path))])
    assert done.returncode == 0
