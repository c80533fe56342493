"""The cache of parsed documents (``.diglot/cache/documents/``): same documents, fewer parses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from diglot import sources
from diglot.fileio import TEMP_SUFFIX
from diglot.model import Document, Unit
from diglot.project import Project
from diglot.publish import build
from diglot.sources import cache as parse_cache
from diglot.sources import make_splitter, read_document
from diglot.sources.cache import CACHE_FOLDER, DocumentReader, decode, encode
from diglot.workflow import extract

DATA = Path(__file__).parent / "data"

MARKDOWN = """\
---
title: Заявление
---

# Заявление *партии*

Первое предложение. Второе, со [ссылкой](https://example.org/a. b) и `кодом. Да`.
Продолжение строки.\\
После жёсткого переноса.{TWO_SPACES}
И ещё одно.

> Цитата. Вторая фраза
> цитаты.
>
> - пункт один. Ещё;
>   пункт два.

1. Первый. Второй.
2. Третий.

```
код. Не переводится.
```

Да. Да. Да.
""".replace("{TWO_SPACES}", "  ")  # a hard line break by trailing spaces


def _sources() -> dict[str, str]:
    return {
        "kpk-2015.txt": (DATA / "kpk-2015" / "ru.txt").read_text(encoding="utf-8"),
        "strike-2024.md": (DATA / "strike-2024" / "ru.md").read_text(encoding="utf-8"),
        "mixed.md": MARKDOWN,
        "lines.txt": "Иванов И. И.\nМосква\n2024\n\nТекст. Ещё текст.\n",
    }


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sources parsed (not taken from the cache) while a test runs."""
    seen: list[str] = []
    real = sources.parse_source

    def counting(text: str, fmt: object, **kwargs: object) -> object:
        seen.append(str(kwargs["path"]))
        return real(text, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_cache, "parse_source", counting)
    return seen


def _reader(tmp_path: Path, **kwargs: object) -> DocumentReader:
    return DocumentReader("ru", folder=tmp_path / "cache", **kwargs)  # type: ignore[arg-type]


def _parsed(path: Path, **kwargs: object) -> Document:
    return read_document(path, name=path.stem, lang="ru",
                         splitter=make_splitter("ru", **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(_sources()))
def test_a_cached_document_is_the_parsed_document(tmp_path: Path, name: str,
                                                  parses: list[str]) -> None:
    """Read twice: parsed once, and both times equal to what read_document gives."""
    path = tmp_path / name
    path.write_text(_sources()[name], encoding="utf-8")
    reader = _reader(tmp_path)
    expected = _parsed(path)
    first = reader.read(path, name=path.stem)
    second = reader.read(path, name=path.stem)
    assert parses == [str(path)]
    assert first == expected and second == expected
    # equal is not enough for enums that are strings: the same types back
    assert [(type(b.kind), *map(type, b.containers)) for b in second.blocks] == \
        [(type(b.kind), *map(type, b.containers)) for b in expected.blocks]
    assert second.source_text() == path.read_text(encoding="utf-8")


def test_settings_code_and_bytes_are_part_of_the_key(tmp_path: Path, parses: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Other abbreviations, another unit, other code or other bytes: parsed again, and the
    document is what those settings give."""
    path = tmp_path / "a.txt"
    path.write_text("Выступил спецкор. Иванов. Потом все ушли.\n", encoding="utf-8")
    _reader(tmp_path).read(path, name="a")
    assert len(parses) == 1
    with_abbreviation = _reader(tmp_path, abbreviations=("спецкор.",)).read(path, name="a")
    assert len(parses) == 2
    assert with_abbreviation == _parsed(path, abbreviations=("спецкор.",))
    assert len(with_abbreviation.segments) == 2
    paragraphs = _reader(tmp_path, unit=Unit.PARAGRAPH).read(path, name="a")
    assert len(parses) == 3 and len(paragraphs.segments) == 1
    monkeypatch.setattr(parse_cache, "code_fingerprint", lambda: b"another diglot")
    _reader(tmp_path, unit=Unit.PARAGRAPH).read(path, name="a")
    assert len(parses) == 4
    path.write_text("Выступил спецкор. Иванов. Потом все ушли!\n", encoding="utf-8")
    changed = _reader(tmp_path, unit=Unit.PARAGRAPH).read(path, name="a")
    assert len(parses) == 5 and changed.segments[0].msgid.endswith("ушли!")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other text"])
def test_a_damaged_cache_file_is_parsed_over(tmp_path: Path, parses: list[str],
                                             damage: str) -> None:
    """A cache file cut short, overwritten, or holding another text's skeleton under this
    text's key: the source is parsed again, and the file replaced by a good one."""
    path = tmp_path / "a.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    reader = _reader(tmp_path)
    expected = reader.read(path, name="a")
    where = reader.cache_path("a")
    assert where is not None
    data = where.read_bytes()
    key_end = data.index(b"\n") + 1 + 32
    if damage == "truncate":
        where.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        where.write_bytes(data[:key_end] + b"\xff" * 40)
    else:
        other = tmp_path / "b.md"
        other.write_text(MARKDOWN.replace("Первое", "Самое первое"), encoding="utf-8")
        reader.read(other, name="b")
        other_cache = reader.cache_path("b")
        assert other_cache is not None
        where.write_bytes(data[:key_end] + other_cache.read_bytes()[key_end:])
    assert reader.read(path, name="a") == expected
    assert len(parses) == 2 + (damage == "other text")
    assert where.read_bytes() == data
    assert reader.read(path, name="a") == expected
    assert len(parses) == 2 + (damage == "other text")


def test_encoding_keeps_offsets_not_text(tmp_path: Path) -> None:
    """The data holds lengths and offsets into the source, and only the msgids that differ
    from their source text: much smaller than the text for unwrapped prose."""
    path = tmp_path / "kpk.txt"
    path.write_text(_sources()["kpk-2015.txt"], encoding="utf-8")
    document = _parsed(path)
    data = encode(document.parts, document.front_matter)
    assert data is not None
    text = document.source_text()
    assert len(data) < len(text.encode("utf-8")) / 4
    assert decode(data, text) == (document.parts, document.front_matter)
    with pytest.raises(ValueError, match="not a parsed document"):
        decode(data, text + "ещё")


def test_extract_fills_the_cache_and_build_reads_it(
        tmp_path: Path, new_project: Callable[..., Path], run: Callable[..., int],
        parses: list[str]) -> None:
    """extract --check writes no cache; extract does, and prunes a removed document's; build
    after extract parses nothing and builds the same editions as a build without a cache."""
    docs = {name: text for name, text in _sources().items() if name != "kpk-2015.txt"}
    new_project(tmp_path, docs=docs)
    project = Project.load(tmp_path)
    folder = tmp_path / CACHE_FOLDER
    extract(project, check=True)
    assert not folder.exists()
    assert len(parses) == 3
    extract(project)
    assert len(list(folder.iterdir())) == 3 and len(parses) == 6
    assert (folder.parent / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    assert run(tmp_path, "update") == 0
    parses.clear()
    build(project, draft=True)
    assert parses == []
    cached = {p.relative_to(tmp_path): p.read_bytes()
              for p in (tmp_path / "editions-draft").rglob("*") if p.is_file()}
    for path in folder.iterdir():
        path.unlink()
    build(project, draft=True)
    assert len(parses) == 3
    assert cached == {p.relative_to(tmp_path): p.read_bytes()
                      for p in (tmp_path / "editions-draft").rglob("*") if p.is_file()}
    (tmp_path / "source" / "ru" / "lines.txt").unlink()
    extract(project)
    assert len(list(folder.iterdir())) == 2


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path: Path,
                                                       parses: list[str]) -> None:
    """A file where the cache folder should be: every read parses, none fails."""
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text("Текст. Ещё текст.\n", encoding="utf-8")
    reader = _reader(tmp_path)
    assert reader.read(path, name="a") == reader.read(path, name="a") == _parsed(path)
    assert len(parses) == 2


@pytest.mark.parametrize("doc", ["kpk-2015", "strike-2024"])
def test_blocking_problems_are_the_full_checks_blocking_errors(tmp_path: Path, doc: str) -> None:
    """build runs only what can block (not the final-punctuation check, which only warns):
    it finds exactly the blocking errors that every check together finds, entry by entry."""
    import polib

    from diglot.checks import (
        BLOCKING_CHECKS,
        Problem,
        Severity,
        blocking_problems,
        check_catalog,
    )
    from diglot.pofile import read_catalog

    po = polib.pofile(str(DATA / "checks" / "project" / "locales" / "en" / "LC_MESSAGES"
                          / f"{doc}.po"))
    mutations = (lambda t: t + " «", lambda t: "(" + t, lambda t: t.rstrip(".!?") + "?",
                 lambda t: t.replace("]", "", 1) + " [x](y)", lambda t: t + "\n",
                 lambda t: t.replace(".", "", 1), lambda t: "'" + t, lambda t: t + ")")
    live = [e for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags]
    for n, entry in enumerate(live):
        entry.msgstr = mutations[n % len(mutations)](entry.msgstr)
    path = tmp_path / f"{doc}.po"
    po.save(str(path))
    catalog = read_catalog(path)
    problems, _ = check_catalog(catalog, path=path, source_lang="ru", target_lang="en")
    by_line = {e.line: e.msgid for e in catalog.records() if e.line and e.msgctxt is None}
    expected: dict[str, Problem] = {}
    for problem in problems:
        if problem.severity is Severity.ERROR and problem.check in BLOCKING_CHECKS:
            expected.setdefault(by_line[problem.line], problem)
    wanted = {"punctuation", "markup"} if doc == "strike-2024" else {"punctuation"}
    assert {p.check for p in expected.values()} >= wanted
    assert any(p.check == "punctuation" for p in problems if p.severity is Severity.WARNING)
    found = blocking_problems(catalog, path=path, source_lang="ru", target_lang="en")
    assert found == expected


def test_a_killed_runs_temporary_cache_file_is_swept(
        tmp_path: Path, new_project: Callable[..., Path], run: Callable[..., int]) -> None:
    """A cache file half-written by a killed run is a temporary file like any other: the
    next run that takes the lock removes it, and the cache is whole."""
    new_project(tmp_path, docs={"a.txt": "Текст. Ещё текст.\n"})
    assert run(tmp_path, "extract") == 0
    folder = tmp_path / CACHE_FOLDER
    (cached,) = folder.iterdir()
    stale = folder / f".{cached.name}.k1ll3d00{TEMP_SUFFIX}"
    stale.write_bytes(cached.read_bytes()[:10])
    assert run(tmp_path, "build", "--draft") == 0
    assert not stale.exists()
    assert [p.name for p in folder.iterdir()] == [cached.name]
