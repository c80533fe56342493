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
"""

from __future__ import annotations

import bisect
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from diglot.catalogs import entry_state, read_catalog
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
from diglot.errors import ConfigError
from diglot.model import EntryState
from diglot.pofile import POFile, read_records
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
    :func:`_candidates`).  This is a heuristic: a source that shares none of
    those runs (every third word changed) is not found, where a scan of every
    source (:meth:`closest_exhaustive`) would find it, and a match sharing
    more runs is offered even if one sharing fewer would score higher (a
    sentence gets a draft whenever one of the runs' sources is close enough;
    only which source it comes from can differ).  Candidates are scored in
    memory order, so a tie goes to the earlier unit, as in a scan of every
    source.  Sources and sentences of fewer than six words (one edited word
    could take all their runs) are compared with every source of a length
    that can reach the similarity.
    """

    def __init__(self, units: Iterable[MemoryUnit]) -> None:
        self._exact: dict[str, MemoryUnit] = {}
        for unit in units:
            if unit.source and unit.target:
                self._exact.setdefault(unit.source, unit)
        self._sources = list(self._exact)
        self._index: dict[str, list[int]] | None = None
        self._all = _ByLength([])  # every source, by length
        self._short = _ByLength([])  # the sources of few words, by length

    def __len__(self) -> int:
        return len(self._exact)

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every (source, translation) pair held, in order of preference."""
        return ((u.source, u.target) for u in self._exact.values())

    def exact(self, text: str) -> MemoryUnit | None:
        return self._exact.get(text)

    def closest(self, text: str, *, similarity: int) -> tuple[MemoryUnit, int] | None:
        """The most similar source at or above ``similarity`` (0–100), with its score."""
        unit = self._exact.get(text)
        if unit is not None:
            return unit, 100
        if not self._sources:
            return None
        index = self._keys_index()
        lo, hi = _length_bounds(len(text), similarity)
        if len(_WORD.findall(text)) < _FEW:  # too few runs to rely on: every source that
            return self._found(self._all.best(text, lo, hi, similarity))  # fits its length
        keys = sorted((k for k in set(index_keys(text)) if k in index),
                      key=lambda k: (len(index[k]), k))
        short = self._short.best(text, lo, hi, similarity)  # sources of too few runs
        for rows in _candidates(keys, index):
            found = self._best(text, rows, similarity) if rows else None
            if short is not None:  # the first candidates are compared with the short ones too
                found = short if found is None else min(found, short, key=_best_first)
                short = None
            if found is not None:
                return self._found(found)
        return None

    def closest_exhaustive(self, text: str, *, similarity: int) -> tuple[MemoryUnit, int] | None:
        """:meth:`closest` by scoring every source (the reference the index is tested against)."""
        unit = self._exact.get(text)
        if unit is not None:
            return unit, 100
        return self._found(self._best(text, range(len(self._sources)), similarity))

    def _found(self, found: tuple[float, int] | None) -> tuple[MemoryUnit, int] | None:
        if found is None:
            return None
        score, row = found
        return self._exact[self._sources[row]], min(99, math.floor(score))

    def _best(self, text: str, rows: Sequence[int], similarity: int) -> tuple[float, int] | None:
        """The best ``(score, row)`` of ``rows`` (ascending): a tie goes to the first row."""
        return _best_of(text, [*map(self._sources.__getitem__, rows)], rows, similarity)

    def _keys_index(self) -> dict[str, list[int]]:
        if self._index is None:
            with collector_paused():  # a list per key: many objects, no cycle
                self._build_index()
        assert self._index is not None
        return self._index

    def _build_index(self) -> None:
        index: dict[str, list[int]] = defaultdict(list)
        short: list[tuple[int, int]] = []
        for row, source in enumerate(self._sources):
            words = _WORD.findall(source.lower())
            if len(words) < _FEW:
                short.append((len(source), row))
            for key in set(_runs(words)):
                index[key].append(row)
        self._index = dict(index)
        self._all = _ByLength([(len(s), row) for row, s in enumerate(self._sources)],
                              self._sources)
        self._short = _ByLength(short, self._sources)


def _candidates(keys: list[str], index: dict[str, list[int]]) -> Iterator[list[int]]:
    """The rows to compare a sentence with, in tiers, each in memory order, none twice.

    First the sources that share the most of the sentence's six rarest keys,
    then those sharing one fewer, down to one; then (if the sentence has
    more keys) those sharing one of the next six.  A tier is compared only
    if the ones before it held no match: in a large memory of similar
    sentences, a key of three common words is shared by hundreds of
    sources, almost none of them close, while the old version of a sentence
    edited in a word or two keeps most of its keys.
    """
    first = keys[:_KEYS_PER_ROUND]
    shared: Counter[int] = Counter()
    for key in first:
        shared.update(index[key])
    by_count: dict[int, list[int]] = defaultdict(list)
    for row, count in shared.items():
        by_count[count].append(row)
    for count in sorted(by_count, reverse=True):  # most keys shared first: usually few
        yield sorted(by_count[count])
    for start in range(_KEYS_PER_ROUND, min(len(keys), _KEYS_PER_ROUND * _MAX_ROUNDS),
                       _KEYS_PER_ROUND):
        fresh: set[int] = set()
        for key in keys[start:start + _KEYS_PER_ROUND]:
            fresh.update(index[key])
        yield sorted(fresh.difference(shared))
        shared.update(fresh)


def _best_first(found: tuple[float, int]) -> tuple[float, int]:
    """Sort key of ``(score, row)``: the higher score first, then the earlier row."""
    return -found[0], found[1]


class _ByLength:
    """Sources sorted by length, so the ones a similarity allows are one slice of a list."""

    def __init__(self, pairs: list[tuple[int, int]], sources: Sequence[str] = ()) -> None:
        pairs.sort()
        self.lengths = [length for length, _ in pairs]
        self.rows = [row for _, row in pairs]
        self.texts = [sources[row] for row in self.rows]

    def best(self, text: str, low: int, high: int, similarity: int) -> tuple[float, int] | None:
        """The best ``(score, row)`` among the sources ``low``–``high`` characters long; a tie
        goes to the earliest row (the order of memory, not of length)."""
        start = bisect.bisect_left(self.lengths, low)
        stop = bisect.bisect_right(self.lengths, high)
        if start >= stop:
            return None
        texts = self.texts[start:stop]
        found = process.extractOne(text, texts, scorer=fuzz.ratio,
                                   score_cutoff=float(similarity))
        if found is None:
            return None
        # The best and whatever comes within a hair of it (rapidfuzz's cutoff is not exact at
        # the boundary), scored again in the order of memory: the first best wins.
        near = process.extract(text, texts, scorer=fuzz.ratio, limit=None,
                               score_cutoff=max(float(similarity), found[1] - _NEAR))
        ties = sorted({(self.rows[start + at], start + at) for _, _, at in near}
                      | {(self.rows[start + found[2]], start + found[2])})
        return _best_of(text, [self.texts[at] for _, at in ties], [row for row, _ in ties],
                        similarity)


def _best_of(text: str, choices: list[str], rows: Sequence[int],
             similarity: int) -> tuple[float, int] | None:
    """The best ``(score, row)`` of ``choices`` (the sources of ``rows``): the first on a tie."""
    found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=float(similarity))
    if found is None:
        return None
    _, score, at = found
    return score, rows[at]


_NEAR = 0.001
"""Scores this close to the best are scored again in memory order (see :meth:`_ByLength.best`):
enough for rapidfuzz's rounding at a cutoff; one let in needlessly is only scored once more."""


def _length_bounds(length: int, similarity: int) -> tuple[int, int]:
    """The lengths a string can have to be ``similarity`` similar to one of ``length``.

    The normalised Indel similarity is at most 2·min / (sum of the lengths).
    """
    if similarity <= 0:
        return 0, sys.maxsize
    low = math.floor(length * similarity / (200 - similarity))
    high = math.ceil(length * (200 - similarity) / similarity)
    return low, high


_KEYS_PER_ROUND = 6
_MAX_ROUNDS = 2
_RUN = 3
_FEW = 6
"""Sentences of fewer words (headings, short items) are compared by length, not by runs:
one edited word can take every run of a short sentence away."""
_WORD = re.compile(r"\w+")


def index_keys(text: str) -> list[str]:
    """The index keys of a sentence: runs of three neighbouring words, each cut to five letters.

    A sentence of fewer than three words has none (one of fewer than six is found by its length).
    """
    return _runs(_WORD.findall(text.lower()))


def _runs(words: Sequence[str]) -> list[str]:
    """The keys of a sentence's lower-cased words (see :func:`index_keys`)."""
    cut = [w[:5] for w in words]
    return [" ".join(cut[i:i + _RUN]) for i in range(len(cut) - _RUN + 1)]


def catalog_units(project: Project, target: str, *,
                  catalogs: Mapping[Path, POFile] | None = None) -> Iterator[MemoryUnit]:
    """Reviewed entries of the project's catalogs for ``target``: live ones first, then obsolete.

    A catalog found in ``catalogs`` (by its path) is taken from there as the
    caller already parsed it, not read again.
    """
    given = catalogs or {}
    folder = project.locales_dir / target / "LC_MESSAGES"
    if not folder.is_dir():
        return
    paths = sorted(folder.rglob("*.po"))
    obsolete: list[MemoryUnit] = []
    for path in paths:
        catalog = given.get(path)
        if catalog is None:
            catalog = read_catalog(path)
        for entry in catalog:
            if entry.msgid_plural or entry_state(entry) is not EntryState.TRANSLATED:
                continue
            unit = MemoryUnit(entry.msgid, entry.msgstr, path.as_posix())
            if entry.obsolete:
                obsolete.append(unit)
            else:
                yield unit
    yield from obsolete


def tmx_units(path: Path, *, source: str, target: str) -> Iterator[MemoryUnit]:
    """Translation units of a TMX file for the pair (inline codes kept as their text)."""
    try:
        tree = ET.parse(path)
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
            yield MemoryUnit(texts["source"], texts["target"], path.as_posix())


def compendium_units(path: Path, *, source: str, target: str) -> Iterator[MemoryUnit]:
    """Reviewed entries of a PO compendium whose ``Language`` is ``target``.

    Read as records (:func:`~diglot.pofile.read_records`, no polib entries):
    only the text and the state of each entry are kept.
    """
    catalog = read_records(path)
    lang = catalog.metadata.get("Language", "")
    if not lang:
        raise ConfigError("PO compendium has no Language header", path=path,
                          hint="add a header line such as \"Language: de\\n\" so diglot "
                          "knows which language it translates into")
    if not same_language(lang, target):
        return
    src = catalog.metadata.get("X-Source-Language", "")
    if src and not same_language(src, source):
        return
    for entry in catalog.records():
        if not entry.msgid_plural and entry.state is EntryState.TRANSLATED:
            yield MemoryUnit(entry.msgid, entry.msgstr, path.as_posix())


def load_memory(project: Project, target: str, *,
                catalogs: Mapping[Path, POFile] | None = None) -> TranslationMemory:
    """The translation memory for ``source_language → target`` (see the module docstring).

    ``catalogs``: the project's catalogs for ``target`` the caller has already
    read, by path (as :func:`catalog_units` takes them); the others are read.
    """
    source = project.config.source_language

    def units() -> Iterator[MemoryUnit]:
        yield from catalog_units(project, target, catalogs=catalogs)
        for name in project.config.translate.memory_files:
            path = project.root / name
            if not path.is_file():
                raise ConfigError(f"memory file '{name}' not found",
                                  path=project.root / CONFIG_NAME,
                                  hint="fix [translate] memory_files (paths are relative to "
                                  "the project folder)")
            if path.suffix.lower() == ".tmx":
                yield from tmx_units(path, source=source, target=target)
            elif path.suffix.lower() in (".po", ".pot"):
                yield from compendium_units(path, source=source, target=target)
            else:
                raise ConfigError(f"memory file '{name}' is neither .tmx nor .po",
                                  path=project.root / CONFIG_NAME,
                                  hint="name TMX files or PO compendia in memory_files")

    with collector_paused():  # every reviewed entry of the project is read and kept
        return TranslationMemory(units())


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
