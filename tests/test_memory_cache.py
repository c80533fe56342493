"""The memory files read and indexed once, kept in the project's cache between runs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot.engines import memory as memory_module
from diglot.engines import memory_cache
from diglot.engines.memory import MemoryUnit, TranslationMemory, load_memory
from diglot.engines.memory_cache import MEMORY_CACHE, FilePart
from diglot.errors import DiglotError
from diglot.project import Project
from test_memory import _WORDS, Run, _sentence, memory_project, write_tmx

__all__ = ["memory_project"]  # the fixture, used by name


@st.composite
def _memory_in_parts(draw: st.DrawFn) -> tuple[list[list[tuple[str, str]]], list[str]]:
    """The project's pairs then two memory files' pairs, drawn from one pool of sentences (so
    that they overlap), some with an empty translation; and sentences to look up."""
    few = st.sampled_from(_WORDS[:5])  # few words: sentences share many runs
    pool = [" ".join(draw(st.lists(few, min_size=draw(st.sampled_from((1, 8))), max_size=12)))
            + "." for _ in range(draw(st.integers(1, 20)))]
    pair = st.tuples(st.sampled_from(pool), st.sampled_from(("T:a", "T:b", "")))
    parts = [draw(st.lists(pair, max_size=12)) for _ in range(3)]
    queries = [" ".join(_sentence(draw)) + "." for _ in range(3)] + pool[:4]
    return parts, queries


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_memory_in_parts(), st.sampled_from((70, 85)))
def test_indexed_parts_give_the_index_cutting_every_source_gives(
        case: tuple[list[list[tuple[str, str]]], list[str]], similarity: int) -> None:
    """A memory whose files come indexed has the keys, rows and short sources, and offers the
    matches, of the same memory with every source cut."""
    (own, *files), queries = case
    triples = [(s, t, "p") for s, t in own] + \
        [(s, t, f"f{n}") for n, pairs in enumerate(files) for s, t in pairs]
    plain = TranslationMemory.of_pairs(triples)
    parted = TranslationMemory.of_pairs(triples, parts=[FilePart.of_pairs(p) for p in files])
    assert parted._keys_index() == plain._keys_index()
    assert parted._short.rows == plain._short.rows
    assert parted._all.rows == plain._all.rows
    for query in queries:
        assert parted.closest(query, similarity=similarity) == \
            plain.closest(query, similarity=similarity)


def _with_memory_files(root: Path) -> None:
    """A TMX file and a compendium named in the config of the project at ``root``."""
    write_tmx(root / "old.tmx")
    compendium = polib.POFile()
    compendium.metadata = {"Language": "de", "Content-Type": "text/plain; charset=UTF-8"}
    compendium.append(polib.POEntry(msgid="Совсем другое предложение.", msgstr="Verloren."))
    compendium.append(polib.POEntry(msgid="Забастовка продолжается уже неделю на заводе.",
                                    msgstr="Der Streik dauert schon eine Woche."))
    compendium.save(str(root / "compendium.po"))
    config = root / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[translate]\nmemory_files = '
                      '["compendium.po", "old.tmx"]\n', encoding="utf-8")


Answers = tuple[list[tuple[str, str]], tuple[MemoryUnit, int] | None,
                tuple[MemoryUnit, int] | None]


def _answers(memory: TranslationMemory) -> Answers:
    """Every pair of ``memory`` and its close matches of two sentences."""
    return (list(memory.pairs()),
            memory.closest("Забастовка продолжается уже неделю на заводе!", similarity=85),
            memory.closest("Совсем другое предложение!", similarity=85))


def _unreadable(*_: object, **__: object) -> None:
    raise AssertionError("read or indexed again")


def test_a_second_load_neither_parses_nor_indexes_the_memory_files(
        memory_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second load takes the files' pairs and keys from the cache, and answers the same."""
    _with_memory_files(memory_project)
    project = Project.load(memory_project)
    cache = memory_cache.memory_cache(memory_project)
    first = _answers(load_memory(project, "de", cache=cache))
    assert len(list((memory_project / MEMORY_CACHE).glob("*.marshal"))) == 2
    with monkeypatch.context() as patched:
        patched.setattr(memory_module, "translations_of", _unreadable)
        patched.setattr(ET, "parse", _unreadable)
        patched.setattr(memory_cache, "build_postings", _unreadable)
        again = _answers(load_memory(project, "de", cache=cache))
    assert again == first
    assert first[2] is not None and first[2][0].target == "Verloren."  # the compendium first


def test_a_changed_or_damaged_memory_file_cache_is_not_used(memory_project: Path) -> None:
    """An edited compendium is read again; a damaged cache file is a miss, not an error; a
    broken compendium still raises its error with a cache."""
    _with_memory_files(memory_project)
    project = Project.load(memory_project)
    cache = memory_cache.memory_cache(memory_project)
    load_memory(project, "de", cache=cache)
    path = memory_project / "compendium.po"
    path.write_text(path.read_text(encoding="utf-8").replace("Verloren.", "Anders."),
                    encoding="utf-8")
    memory = load_memory(project, "de", cache=cache)
    found = memory.exact("Совсем другое предложение.")
    assert found is not None and found.target == "Anders."
    stored = cache.path(str(path.absolute()))
    assert stored is not None and stored.is_file()
    stored.write_bytes(stored.read_bytes()[:-20])  # cut short: marshal cannot load it
    assert _answers(load_memory(project, "de", cache=cache)) == _answers(memory)
    path.write_text('msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "x"\nmsgstr "y\n',
                    encoding="utf-8")
    for _ in range(2):  # never stored: the error again
        with pytest.raises(DiglotError, match="line") as caught:
            load_memory(project, "de", cache=cache)
        assert caught.value.path == path


def test_translate_keeps_the_memory_files_indexed_but_a_dry_run_does_not(
        memory_project: Path, run: Run) -> None:
    """``translate`` stores the memory files in the cache; ``--dry-run`` writes nothing."""
    _with_memory_files(memory_project)
    folder = memory_project / MEMORY_CACHE
    assert run(memory_project, "translate", "--dry-run") == 0
    assert not folder.exists()
    assert run(memory_project, "translate") == 0
    assert len(list(folder.glob("*.marshal"))) == 2


def test_without_a_cache_the_memory_files_are_not_indexed_ahead(
        memory_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A memory loaded without a cache (as ``import`` loads it, for its pairs) does not index
    its files up front; a lookup still finds their sources (cut as the catalogs' are)."""
    _with_memory_files(memory_project)
    project = Project.load(memory_project)
    cached = _answers(load_memory(project, "de", cache=memory_cache.memory_cache(memory_project)))
    monkeypatch.setattr(memory_cache, "build_postings", _unreadable)
    assert _answers(load_memory(project, "de")) == cached
