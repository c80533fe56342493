"""Templates kept in the cache of parsed catalogs by ``extract``, read from it by ``update``."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diglot import workflow
from diglot.cachestore import CacheStore
from diglot.fileio import batched_writes
from diglot.pofile import CATALOG_CACHE, CatalogRecords, readonly, recordcache
from diglot.pofile.readonly import _cached
from diglot.project import Project

Run = Callable[..., int]

TRICKY = {
    "plain.txt": "Первое предложение. Второе предложение!\n\nТретье? Первое предложение.\n",
    "quotes.md": "# Заголовок\n\nАбзац с «кавычками» и \\ обратной косой чертой. "
                     "Табуляция\tвнутри. Очень длинное предложение, которое никак не "
                     "помещается в одну строку шириной семьдесят девять знаков, и его "
                     "приходится переносить.\n",
    "odd.txt": "Строка с разделителем\u2028внутри. Формат\x0cпотока.\n\nКонец.\n",
    "lines.md": "- пункт один\n- пункт два\n\n```\nкод\n  с отступом\n```\n",
    "a space.txt": "Имя файла с пробелом.\n",
}


def _cached_records(root: Path, path: Path) -> CatalogRecords | None:
    """What the cache holds for the bytes of ``path`` now (None: nothing)."""
    return _cached(recordcache.slot(root / CATALOG_CACHE, path, path.read_bytes()).load())


def _parsed(path: Path) -> CatalogRecords:
    return readonly._parse_records(path.read_bytes(), path)[0]


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "locales").rglob("*.po*"))}


def test_extract_stores_what_the_reader_reads(tmp_path: Path, new_project: Callable[..., Path],
                                              run: Run) -> None:
    """Every template extract keeps in the cache is, record for record and line for line,
    what parsing its bytes gives; the usual ones are all kept."""
    root = new_project(tmp_path, docs=TRICKY)
    assert run(root, "extract") == 0
    kept = {}
    for path in sorted((root / "locales").glob("*.pot")):
        cached = _cached_records(root, path)
        if cached is not None:
            assert cached == _parsed(path)
        kept[path.stem] = cached is not None
    assert kept["plain"] and kept["quotes"] and kept["lines"]
    assert not kept["odd"]  # a line separator the reader may not give back: parsed instead
    assert not kept["a space"]  # the reader splits a reference at a space: parsed instead


def test_update_reads_templates_from_the_cache_with_the_same_result(
        tmp_path: Path, new_project: Callable[..., Path], run: Run,
        catalog_parses: list[str]) -> None:
    """After extract, update parses no template it kept, and writes the catalogs it writes
    when every template is parsed (the cache deleted)."""
    docs = {k: v for k, v in TRICKY.items() if k not in ("odd.txt", "a space.txt")}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = new_project(tmp_path / "a", docs=docs)
    second = new_project(tmp_path / "b", docs=docs)
    for root in (first, second):
        assert run(root, "extract") == 0
    catalog_parses.clear()
    assert run(first, "update") == 0
    assert not [name for name in catalog_parses if name.endswith(".pot")]
    for cache in (second / CATALOG_CACHE).glob("*"):
        cache.unlink()
    assert run(second, "update") == 0
    assert sorted(name for name in catalog_parses if name.endswith(".pot")) == \
        sorted(f"{Path(name).stem}.pot" for name in docs)
    assert _digests(first) == _digests(second)


def test_a_damaged_template_cache_is_parsed_again(tmp_path: Path,
                                                  new_project: Callable[..., Path],
                                                  run: Run, catalog_parses: list[str]) -> None:
    """A cache file cut short is a miss: the template is parsed, the result the same."""
    root = new_project(tmp_path, docs={"plain.txt": TRICKY["plain.txt"]})
    assert run(root, "extract") == 0
    for cache in (root / CATALOG_CACHE).glob("*.marshal"):
        cache.write_bytes(cache.read_bytes()[:-20])
    catalog_parses.clear()
    assert run(root, "update") == 0
    assert catalog_parses == ["plain.pot"]
    before = _digests(root)
    assert run(root, "update") == 0  # (stored again by that parse: no parse now)
    assert catalog_parses == ["plain.pot"]
    assert _digests(root) == before


def test_a_template_kept_for_its_date_is_stored_too(
        tmp_path: Path, new_project: Callable[..., Path], run: Run,
        catalog_parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a fresh clone: the cache is empty and extract, on another day, finds every
    template the same but for its creation date.  It leaves each file as it is and keeps
    its records (with the file's date), so update parses no template, and writes what it
    writes after a parse."""
    docs = {k: v for k, v in TRICKY.items() if k not in ("odd.txt", "a space.txt")}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = new_project(tmp_path / "a", docs=docs)
    second = new_project(tmp_path / "b", docs=docs)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for root in (first, second):
        assert run(root, "extract") == 0
        for cache in (root / CATALOG_CACHE).glob("*"):
            cache.unlink()
    templates = {p: p.read_bytes() for p in (first / "locales").glob("*.pot")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # another day
    assert run(first, "extract") == 0
    assert {p: p.read_bytes() for p in (first / "locales").glob("*.pot")} == templates
    for path in templates:
        assert _cached_records(first, path) == _parsed(path)
    catalog_parses.clear()
    assert run(first, "update") == 0
    assert not [name for name in catalog_parses if name.endswith(".pot")]
    assert run(second, "update") == 0  # (every template parsed)
    assert _digests(first) == _digests(second)


def test_extract_check_stores_nothing(tmp_path: Path, new_project: Callable[..., Path],
                                      run: Run) -> None:
    """``extract --check`` writes neither templates nor their cache."""
    root = new_project(tmp_path, docs={"plain.txt": TRICKY["plain.txt"]})
    run(root, "extract", "--check")
    assert not (root / "locales").exists() or not list((root / "locales").glob("*.pot"))
    assert not (root / CATALOG_CACHE).exists()


_TEXT = st.lists(st.sampled_from(["а", "б", "Я", " ", "  ", ".", "!", "?", "\n", "\n\n", "\t",
                                  "\\", '"', "«", "»", "-", "—", "1", "#", "%", "\u00a0",
                                  "x" * 90, "\u2028", "\r", "\x0b", "é", "ß", "# ", "- "]),
                 min_size=1, max_size=80).map("".join)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.sampled_from(["doc.txt", "doc.md", "a b.txt"]))
def test_any_kept_template_is_its_parse(text: str, name: str) -> None:
    """Whatever a document holds, a template extract keeps in the cache reads back equal."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "diglot.toml").write_text('source_language = "ru"\ntarget_languages = ["en"]\n',
                                          encoding="utf-8")
        source = root / "source" / "ru" / name
        source.parent.mkdir(parents=True)
        source.write_text(text, encoding="utf-8", newline="")
        project = Project.load(root)
        workflow.extract(project)
        for path in (root / "locales").glob("*.pot"):
            cached = _cached_records(root, path)
            if cached is not None:
                assert cached == _parsed(path)


def test_a_batch_writes_bytes(tmp_path: Path) -> None:
    """WriteBatch.write_bytes stages bytes as write_text stages text: unchanged is no write."""
    path = tmp_path / "a.bin"
    with batched_writes() as batch:
        assert batch.write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    with batched_writes() as batch:
        assert not batch.write_bytes(path, b"\x00\x01")


def test_a_template_row_has_an_entrys_fields() -> None:
    """The cache's rows read as TemplateRow name an Entry's fields in the same order."""
    from dataclasses import fields

    from diglot.pofile import Entry
    from diglot.pofile.written import TemplateRow

    assert TemplateRow._fields == tuple(f.name for f in fields(Entry))


def test_a_template_merges_alike_as_polib_records_and_rows(sample_project: Path,
                                                           run: Run) -> None:
    """The sample's catalogs merged with their templates read by polib, as records and as
    the cache's rows (what update reads) render byte for byte the same."""
    from diglot.catalogs import read_catalog, render_catalog, update_catalog
    from diglot.pofile import read_records
    from diglot.pofile.written import TemplateRecords, read_template

    for source in (sample_project / "source" / "ru").iterdir():  # three sentences edited
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(". ", " и ещё. ", 3), encoding="utf-8")
    assert run(sample_project, "extract") == 0
    cache = sample_project / CATALOG_CACHE
    for pot in sorted((sample_project / "locales").glob("*.pot")):
        po = sample_project / "locales" / "en" / "LC_MESSAGES" / f"{pot.stem}.po"
        read_template(pot, cache=cache)  # (parsed and kept, if extract did not keep it)
        rows = read_template(pot, cache=cache)
        assert isinstance(rows, TemplateRecords)
        texts = set()
        for template in (read_catalog(pot), read_records(pot), rows):
            catalog = read_catalog(po)
            update_catalog(catalog, template, "en")
            texts.add(render_catalog(catalog))
        assert len(texts) == 1


def test_a_template_the_cache_lacks_is_read_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A template the cache does not hold is read from disk once (its bytes parsed, and the
    key made of them, without reading it again), kept, then read from the cache."""
    from diglot.pofile.written import TemplateRecords, read_template

    pot = tmp_path / "doc.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   '#: doc.txt:1\nmsgid "Один."\nmsgstr ""\n', encoding="utf-8")
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    cache = tmp_path / "cache"
    first = read_template(pot, cache=cache)
    assert reads.count(pot) == 1
    assert isinstance(first, CatalogRecords) and [e.msgid for e in first.entries] == ["Один."]
    again = read_template(pot, cache=cache)
    assert isinstance(again, TemplateRecords) and [e.msgid for e in again.entries] == ["Один."]


def test_a_template_with_crlf_line_breaks_is_unchanged(tmp_path: Path,
                                                      new_project: Callable[..., Path],
                                                      run: Run) -> None:
    """A template whose line breaks a checkout turned into CRLF still says the same: extract
    leaves it alone (and keeps no records for bytes it did not write)."""
    root = new_project(tmp_path, docs={"plain.txt": TRICKY["plain.txt"]})
    assert run(root, "extract") == 0
    pot = root / "locales" / "plain.pot"
    pot.write_bytes(pot.read_bytes().replace(b"\n", b"\r\n"))
    crlf = pot.read_bytes()
    assert run(root, "extract", "--check") == 0
    assert run(root, "extract") == 0
    assert pot.read_bytes() == crlf
    assert _cached_records(root, pot) is None


def test_extract_prunes_parsed_copies_of_what_the_project_no_longer_has(
        tmp_path: Path, new_project: Callable[..., Path], run: Run) -> None:
    """A document whose template and catalog are deleted leaves no parsed copy behind after
    the next extract; every other template and catalog keeps its own."""
    docs = {k: v for k, v in TRICKY.items() if k in ("plain.txt", "quotes.md")}
    root = new_project(tmp_path, docs=docs)
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    assert run(root, "status") == 0  # stores the catalogs' parsed copies
    store = CacheStore(root / CATALOG_CACHE, recordcache.MAGIC)

    def cached(path: Path) -> bool:
        where = store.path(recordcache.cache_name(path))
        return where is not None and where.is_file()

    project = Project.find(root)
    lang = project.config.target_languages[0]
    files = {doc: (project.template_path(doc), project.catalog_path(lang, doc))
             for doc in ("plain", "quotes")}
    assert all(cached(path) for pair in files.values() for path in pair)
    (root / "source" / project.config.source_language / "quotes.md").unlink()
    for path in files["quotes"]:
        path.unlink()
    assert run(root, "extract") == 0
    assert [cached(path) for path in files["quotes"]] == [False, False]
    assert [cached(path) for path in files["plain"]] == [True, True]
    assert run(root, "extract", "--check") == 0  # a check removes nothing
    assert [cached(path) for path in files["plain"]] == [True, True]


def test_update_reads_each_template_once_even_on_a_miss(
        tmp_path: Path, new_project: Callable[..., Path], run: Run,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """update reads a template's bytes once: for the up-to-date digest and, the cache
    emptied, for the parse too."""
    from diglot.pofile import readonly

    root = new_project(tmp_path, docs={"plain.txt": TRICKY["plain.txt"]})
    assert run(root, "extract") == 0
    for cache in (root / CATALOG_CACHE).glob("*"):
        cache.unlink()
    reads: list[str] = []

    def counting(path: Path) -> bytes:
        reads.append(path.name)
        return readonly.catalog_bytes(path)

    monkeypatch.setattr("diglot.workflow.catalog_bytes", counting)
    monkeypatch.setattr("diglot.pofile.written.catalog_bytes", counting)
    assert run(root, "update") == 0
    assert reads.count("plain.pot") == 1
