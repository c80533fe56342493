"""Translation memory: reviewed translations the project already has, offered as drafts.

The memory of a language pair holds, in this order of preference:

1. every reviewed entry (translated, not fuzzy) of the project's own catalogs
   for the target language, documents in name order, then their reviewed
   obsolete entries (sentences since deleted from a statement);
2. the translation units of the TMX files and PO compendia named in
   ``[translate] memory_files``, in the order given.

An exact match (the same source sentence) is offered with score 100; a close
match at or above ``memory_similarity`` (rapidfuzz's normalised Indel
similarity, the measure Poedit and Lokalize show) with its score, capped at 99
so that only an identical sentence reads as 100 %.  Every memory draft is still
written fuzzy: the same sentence can need another translation in another
paragraph.  Needs no key and no network.

The memory files are static archives: ``translate`` keeps each one read and
indexed in the project's cache (:mod:`diglot.engines.memory_cache`), keyed by
its bytes, so a second run neither parses nor indexes it again; the project's
own catalogs, which reviews change between runs, are read (and their new
sources indexed) each run.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from diglot.cachestore import CacheStore
from diglot.catalogs import read_catalog
from diglot.collector import collector_paused
from diglot.engines.base import (
    Batch,
    CostUnit,
    Draft,
    EngineKind,
    EngineStats,
    Origin,
    Quota,
    Result,
)
from diglot.engines.memory_cache import FilePart, file_part
from diglot.engines.memory_search import (
    FEW,
    ByLength,
    Key,
    Narrow,
    best_first,
    best_of,
    build_postings,
    candidates,
    cut_words,
    first_of_each,
    gather,
    length_bounds,
    runs,
)
from diglot.errors import ConfigError
from diglot.fileio import read_bytes
from diglot.model import EntryState
from diglot.pofile import CatalogRecords, Entry, POEntry, POFile, has_translation
from diglot.pofile.readonly import translations_of
from diglot.pofile.record import state_from
from diglot.project import CONFIG_NAME, Project

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def same_language(code: str, wanted: str) -> bool:
    """Whether a file's language tag names ``wanted``: equal, or one is the other's base.

    ``pt`` matches ``pt-BR`` (and the reverse); ``pt-PT`` does not match ``pt-BR``.
    """
    a = code.strip().replace("_", "-").lower()
    b = wanted.strip().replace("_", "-").lower()
    if not a or not b:
        return False
    return a == b or a.split("-")[0] == b or b.split("-")[0] == a


@dataclass(frozen=True)
class MemoryUnit:
    """One source sentence and its reviewed translation, with where it was found."""

    source: str
    target: str
    where: str


class TranslationMemory:
    """Source → translation for one language pair: exact lookups in a dict, close ones fuzzy.

    A close match is looked for among candidates, not every source: the
    sources that share one of the sentence's six rarest *word runs* (three
    neighbouring words, each cut to its first five letters so that Russian
    endings count less), as the global pass of :mod:`diglot.merge` does with
    words.  The sources sharing the most of those runs are compared first,
    then those sharing one fewer, down to one; only when none of them holds a
    match above the similarity are the next six tried (see
    :func:`candidates`).  This is a heuristic: a source that shares none of
    those runs (every third word changed) is not found, where a scan of every
    source (:meth:`closest_exhaustive`) would find it, and a match sharing
    more runs is offered even if one sharing fewer would score higher (a
    sentence gets a draft whenever one of the runs' sources is close enough;
    only which source it comes from can differ).  Candidates are scored in
    memory order, so a tie goes to the earlier unit, as in a scan of every
    source.  Sources and sentences of fewer than six words (one edited word
    could take all their runs) are compared with every source of a length
    that can reach the similarity.

    Candidates are scored on copies of the texts whose most frequent
    characters are renumbered into one byte each (:class:`Narrow`): the
    similarity only asks which characters are equal, so the scores are the
    same, and rapidfuzz compares one-byte strings about four times as fast
    as Cyrillic ones.
    """

    def __init__(self, units: Iterable[MemoryUnit]) -> None:
        self._hold(first_of_each((unit.source, unit.target, unit.where) for unit in units), ())

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[str, str, str]], *,
                 parts: Sequence[FilePart] = ()) -> TranslationMemory:
        """The memory of ``(source, translation, where)`` triples: as ``TranslationMemory``
        of their units, with no unit made (one is made for each match offered).

        ``parts``: memory files among the triples, already indexed (their sources' keys
        are taken from there, not cut again); they change nothing but the time.  The memory
        takes their index lists over (renumbered in place): a part serves one memory.
        """
        memory = cls.__new__(cls)
        memory._hold(first_of_each(pairs), parts)
        return memory

    def _hold(self, exact: dict[str, tuple[str, str]], parts: Sequence[FilePart]) -> None:
        self._exact = exact  # source -> (translation, where)
        self._sources = list(exact)
        self._parts = [part for part in parts if part.index is not None]
        self._index: dict[Key, list[int]] | None = None
        self._narrow = Narrow(())
        self._all = ByLength([])  # every source, by length
        self._short = ByLength([])  # the sources of few words, by length

    def __len__(self) -> int:
        return len(self._exact)

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every (source, translation) pair held, in order of preference."""
        return ((source, target) for source, (target, _) in self._exact.items())

    def exact(self, text: str) -> MemoryUnit | None:
        found = self._exact.get(text)
        return None if found is None else MemoryUnit(text, *found)

    def closest(self, text: str, *, similarity: int) -> tuple[MemoryUnit, int] | None:
        """The most similar source at or above ``similarity`` (0–100), with its score."""
        unit = self.exact(text)
        if unit is not None:
            return unit, 100
        if not self._sources:
            return None
        self._keys_index()
        coded = self._narrow.code(text)
        lo, hi = length_bounds(len(text), similarity)
        cut = cut_words(text)
        if len(cut) < FEW:  # too few runs to rely on: every source that fits its length
            return self._found(self._all.best(coded, lo, hi, similarity))
        # the key lists, shortest first (a tie: by key; keys are unique)
        ranked = sorted((len(rows), key, rows) for key, rows in self._postings(cut).items())
        short = self._short.best(coded, lo, hi, similarity)  # sources of too few runs
        for rows in candidates([rows for _, _, rows in ranked]):
            if isinstance(rows, set):  # a later round, unordered: put in order only if one fits
                fits = bool(rows) and self._best(coded, list(rows), similarity) is not None
                found = self._best(coded, sorted(rows), similarity) if fits else None
            else:
                found = self._best(coded, rows, similarity) if rows else None
            if short is not None:  # the first candidates are compared with the short ones too
                found = short if found is None else min(found, short, key=best_first)
                short = None
            if found is not None:
                return self._found(found)
        return None

    def closest_exhaustive(self, text: str, *, similarity: int) -> tuple[MemoryUnit, int] | None:
        """:meth:`closest` by scoring every source (the reference the index is tested against).

        Scores the texts as they are, not the renumbered copies :meth:`closest` scores.
        """
        unit = self.exact(text)
        if unit is not None:
            return unit, 100
        return self._found(best_of(text, self._sources, range(len(self._sources)), similarity))

    def _found(self, found: tuple[float, int] | None) -> tuple[MemoryUnit, int] | None:
        if found is None:
            return None
        score, row = found
        source = self._sources[row]
        return MemoryUnit(source, *self._exact[source]), min(99, math.floor(score))

    def _best(self, coded: str, rows: Sequence[int], similarity: int) -> tuple[float, int] | None:
        """The best ``(score, row)`` of ``rows`` (ascending): a tie goes to the first row."""
        return best_of(coded, gather(self._narrow.texts, rows), rows, similarity)

    def _postings(self, cut: Sequence[str]) -> dict[Key, list[int]]:
        """The rows of each key of a sentence's cut words that some source has."""
        get = self._keys_index().get
        return {key: rows for key in runs(cut) if (rows := get(key)) is not None}

    def _keys_index(self) -> dict[Key, list[int]]:
        if self._index is None:
            with collector_paused():  # a list per key: many objects, no cycle
                self._build_index()
        assert self._index is not None
        return self._index

    def _build_index(self) -> None:
        sources = self._sources
        if self._parts:
            index, short = self._index_with_parts()
            self._parts = []  # their indexes are in the memory's now: not kept twice
        else:
            index, short = build_postings(enumerate(sources))
        self._index = index
        self._narrow = Narrow(sources)
        coded = self._narrow.texts
        self._all = ByLength([(len(s), row) for row, s in enumerate(sources)], coded)
        self._short = ByLength([(len(sources[row]), row) for row in short], coded)

    def _index_with_parts(self) -> tuple[dict[Key, list[int]], list[int]]:
        """:func:`build_postings` of the memory's sources, the keys of those a part holds
        taken from the part's index (its rows renumbered into the memory's), the others cut.

        A source has one row in the memory (the first unit with it) and the same keys in
        whichever part also holds it, so each key gets the same rows as from cutting every
        source (sorted at the end: a part's order is not the memory's).
        """
        row_of = {source: row for row, source in enumerate(self._sources)}
        taken = bytearray(len(self._sources))
        index: dict[Key, list[int]] = {}
        short: list[int] = []

        def add(key: Key, rows: list[int]) -> None:
            known = index.get(key)
            if known is None:
                index[key] = rows
            else:
                known.extend(rows)

        for part in self._parts:
            new = []
            for source in part.sources:
                row = row_of.get(source, -1)
                if row >= 0 and not taken[row]:
                    taken[row] = 1
                else:  # not in the memory, or its keys already taken from an earlier part
                    row = -1
                new.append(row)
            every = -1 not in new
            assert part.index is not None  # only indexed parts are kept
            for key, rows in part.index.items():  # renumbered in place: no list made twice
                rows[:] = gather(new, rows) if every else \
                    [row for at in rows if (row := new[at]) >= 0]
                if rows:
                    add(key, rows)
            short.extend(row for at in part.short if (row := new[at]) >= 0)
        rest, rest_short = build_postings(
            (row, source) for row, source in enumerate(self._sources) if not taken[row])
        for key, rows in rest.items():
            add(key, rows)
        short.extend(rest_short)
        for rows in index.values():
            rows.sort()
        return index, short


def _catalog_pairs(project: Project, target: str, *,
                   catalogs: Mapping[Path, POFile | CatalogRecords] | None,
                   ) -> Iterator[tuple[str, str, str]]:
    """(source, translation, where) of the reviewed entries of the project's catalogs for
    ``target``: live ones first, then obsolete.

    A catalog found in ``catalogs`` (by its path, as polib entries or as records) is taken
    from there as the caller already read it, not read again.
    """
    given = catalogs or {}
    folder = project.locales_dir / target / "LC_MESSAGES"
    if not folder.is_dir():
        return
    paths = sorted(folder.rglob("*.po"))
    obsolete: list[tuple[str, str, str]] = []
    for path in paths:
        catalog = given.get(path)
        if catalog is None:
            catalog = read_catalog(path)
        where = path.as_posix()
        if isinstance(catalog, CatalogRecords):
            for record in catalog.records(obsolete=True):
                if record.msgid_plural or not _reviewed(record):
                    continue
                if record.obsolete:
                    obsolete.append((record.msgid, record.msgstr, where))
                else:
                    yield record.msgid, record.msgstr, where
            continue
        for entry in catalog:
            # a translation without flags is reviewed: its marks and state not asked
            if entry.msgid_plural or not ((entry.msgstr and not entry.flags) or _reviewed(entry)):
                continue
            if entry.obsolete:
                obsolete.append((entry.msgid, entry.msgstr, where))
            else:
                yield entry.msgid, entry.msgstr, where
    yield from obsolete


def _reviewed(entry: POEntry | Entry) -> bool:
    """Whether an entry (as polib reads it, or a record) holds a reviewed translation: what
    :func:`~diglot.pofile.entry_state` calls ``TRANSLATED``, or would if the entry were not
    obsolete (a deleted sentence's reviewed translation is memory too); asked without
    reading the entry's origin marks (they only tell the kinds of fuzzy entry apart)."""
    translated = (bool(entry.msgstr) or any(entry.msgstr_plural)) if isinstance(entry, Entry) \
        else has_translation(entry)
    return state_from(obsolete=False, translated=translated, flags=entry.flags,
                      origin=None) is EntryState.TRANSLATED


def tmx_pairs(data: bytes, *, path: Path, source: str, target: str,
              ) -> Iterator[tuple[str, str]]:
    """``(source, translation)`` of the translation units of a TMX file for the pair (inline
    codes kept as their text); ``data``: the bytes of the file ``path``."""
    try:
        tree = ET.parse(io.BytesIO(data))
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ConfigError(f"not a valid TMX file: {exc}", path=path, line=line,
                          hint="fix the XML, or remove the file from memory_files") from exc
    header = tree.getroot().find("header")
    default_src = header.get("srclang", "") if header is not None else ""
    for tu in tree.getroot().iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is None:
                continue
            text = "".join(seg.itertext())
            if same_language(lang, source):
                texts.setdefault("source", text)
            elif same_language(lang, target):
                texts.setdefault("target", text)
        if "source" not in texts and default_src and not same_language(default_src, source):
            continue
        if "source" in texts and "target" in texts:
            yield texts["source"], texts["target"]


def compendium_pairs(data: bytes, *, path: Path, source: str, target: str,
                     ) -> Iterator[tuple[str, str]]:
    """``(source, translation)`` of the reviewed entries of a PO compendium whose
    ``Language`` is ``target``; ``data``: the bytes of the file ``path``.

    Read with :func:`~diglot.pofile.readonly.translations_of`: only the text of the
    reviewed entries is kept, no record made of any entry.
    """
    metadata, pairs = translations_of(data, path=path)
    lang = metadata.get("Language", "")
    if not lang:
        raise ConfigError("PO compendium has no Language header", path=path,
                          hint="add a header line such as \"Language: de\\n\" so diglot "
                          "knows which language it translates into")
    if not same_language(lang, target):
        return
    src = metadata.get("X-Source-Language", "")
    if src and not same_language(src, source):
        return
    yield from pairs


def load_memory(project: Project, target: str, *,
                catalogs: Mapping[Path, POFile | CatalogRecords] | None = None,
                cache: CacheStore | None = None) -> TranslationMemory:
    """The translation memory for ``source_language → target`` (see the module docstring).

    ``catalogs``: the project's catalogs for ``target`` the caller has already
    read, by path; the others are read.  ``cache``: where the memory files are kept read
    and indexed between runs (:func:`~diglot.engines.memory_cache.memory_cache`); None reads
    and indexes them each time.
    """
    source = project.config.source_language
    with collector_paused():  # every reviewed entry of the project is read and kept
        files = [(path, _memory_file(project, name, path, source=source, target=target,
                                     cache=cache))
                 for name in project.config.translate.memory_files
                 for path in [project.root / name]]

        def pairs() -> Iterator[tuple[str, str, str]]:
            yield from _catalog_pairs(project, target, catalogs=catalogs)
            for path, part in files:
                where = path.as_posix()
                yield from ((s, t, where) for s, t in zip(part.sources, part.targets,
                                                          strict=True))

        return TranslationMemory.of_pairs(pairs(), parts=[part for _, part in files])


def _memory_file(project: Project, name: str, path: Path, *, source: str, target: str,
                 cache: CacheStore | None) -> FilePart:
    """The memory file ``name`` (at ``path``) read and indexed, from ``cache`` if it is
    there."""
    if not path.is_file():
        raise ConfigError(f"memory file '{name}' not found", path=project.root / CONFIG_NAME,
                          hint="fix [translate] memory_files (paths are relative to "
                          "the project folder)")
    kind = path.suffix.lower()
    read: Callable[..., Iterator[tuple[str, str]]]
    if kind == ".tmx":
        read = tmx_pairs
    elif kind in (".po", ".pot"):
        read = compendium_pairs
    else:
        raise ConfigError(f"memory file '{name}' is neither .tmx nor .po",
                          path=project.root / CONFIG_NAME,
                          hint="name TMX files or PO compendia in memory_files")
    data = read_bytes(path)
    return file_part(path, data, settings=(kind, source, target), cache=cache,
                     parse=lambda: read(data, path=path, source=source, target=target))


class MemoryEngine:
    """The translation-memory engine: exact matches, then close ones above the similarity.

    It satisfies :class:`~diglot.engines.base.Engine`: free, offline, one
    "request" per batch, nothing to cache.
    """

    kind = EngineKind.MEMORY
    cost_unit = CostUnit.NONE
    paid = False

    def __init__(self, memory: TranslationMemory, *, similarity: int, date: str) -> None:
        if not 0 <= similarity <= 100:
            raise ValueError("similarity must be between 0 and 100")
        self.memory = memory
        self.similarity = similarity
        self.date = date
        self.stats = EngineStats()

    @property
    def name(self) -> str:
        return self.kind.value

    def plan(self, batch: Batch) -> list[Batch]:
        return [batch]

    def estimate(self, batch: Batch) -> int:
        return 0

    def cache_options(self, source: str, target: str) -> str:
        return ""

    def check_target(self, lang: str) -> str:
        return lang

    def quota(self) -> Quota:
        return Quota(note="the memory costs nothing")

    def close(self) -> None:
        """Nothing to release."""

    def translate(self, batch: Batch) -> list[Result]:
        results: list[Result] = []
        for text in batch.texts:
            found = self.memory.closest(text, similarity=self.similarity)
            if found is None:
                results.append(None)
                continue
            unit, score = found
            results.append(Draft(
                text=unit.target,
                origin=Origin(engine=self.name, date=self.date, score=score),
                match="" if score == 100 else unit.source,
            ))
        return results
