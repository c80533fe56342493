"""The memory files of a project (``[translate] memory_files``), read and indexed once.

A TMX file or PO compendium is a static archive: unlike the project's own
catalogs it does not change between two ``translate`` runs.  What the memory
takes from it, its pairs (the first of each source, none with an empty text)
and their index (:func:`~diglot.engines.memory_search.build_postings`, over
the rows of the file's own list), is a :class:`FilePart`, kept in
``.diglot/cache/memory/`` (:data:`MEMORY_CACHE`) in the format of
:mod:`diglot.cachestore`: one cache file per memory file (named by its
absolute path), under the key of its bytes, the language pair and the code
that reads and indexes it (:func:`fingerprint`).  A run that finds it there
neither parses the file nor cuts a word of it: it loads the marshal data, and
:class:`~diglot.engines.memory.TranslationMemory` renumbers the part's rows
into its own.  A file that does not parse is never stored (its error is
raised each time); a cache file that cannot be read is a miss, one that cannot
be written is passed over.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from diglot.cachestore import CACHE_ROOT, CacheStore, code_fingerprint, make_key
from diglot.engines.memory_search import Key, build_postings, first_of_each

__all__ = ["FORMAT", "MAGIC", "MEMORY_CACHE", "FilePart", "file_part", "fingerprint",
           "memory_cache"]

FORMAT = 1
"""Raise when the layout of the stored data changes."""
MEMORY_CACHE = CACHE_ROOT / "memory"
"""Where a project's memory files are kept read and indexed (relative to its root)."""
MAGIC = b"diglot memory file\n"
_VERSION = 2
"""marshal's format 2 (see :mod:`diglot.pofile.recordcache`)."""


@dataclass(frozen=True)
class FilePart:
    """What the memory takes from one memory file: its pairs and their index."""

    sources: list[str]
    """The sources, first of each, in file order (none empty, none whose translation is)."""
    targets: list[str]
    """The translation of each source."""
    index: dict[Key, list[int]] | None
    """Each key's rows (positions in :attr:`sources`), ascending; None: not indexed (the
    memory cuts its sources as it cuts the catalogs')."""
    short: list[int]
    """The rows of the sources of too few words to be found by key."""

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[str, str]], *, indexed: bool = True) -> FilePart:
        """The part of ``(source, translation)`` pairs, indexed unless ``indexed`` is false."""
        first = first_of_each((source, target, "") for source, target in pairs)
        index, short = build_postings(enumerate(first)) if indexed else (None, [])
        return cls(list(first), [target for target, _ in first.values()], index, short)


@cache
def fingerprint() -> bytes:
    """A hash of the code that reads memory files and indexes them (the memory engine, its
    search and the PO readers), with diglot's, Python's and marshal's versions."""
    here = Path(__file__).resolve().parent
    files = [here / "memory.py", here / "memory_search.py", here / "memory_cache.py",
             *(here.parent / "pofile").glob("*.py")]
    return code_fingerprint(FORMAT, sorted(files))


def memory_cache(root: Path, *, store: bool = True) -> CacheStore:
    """The cache of the memory files of the project at ``root`` (``store`` false: read
    only)."""
    return CacheStore(root / MEMORY_CACHE, MAGIC, store)


def file_part(path: Path, data: bytes, *, settings: Sequence[str],
              parse: Callable[[], Iterable[tuple[str, str]]],
              cache: CacheStore | None) -> FilePart:
    """The part of the memory file ``path`` whose bytes are ``data``: from ``cache`` when it
    holds these bytes read with ``settings`` (the language pair, the kind of file), else the
    pairs ``parse`` gives, indexed (and stored); without a cache, not indexed (an index is
    worth making only to keep: a lookup may never come, as for ``import``)."""
    if cache is None:
        return FilePart.of_pairs(parse(), indexed=False)
    name = os.path.abspath(path)  # noqa: PTH100 - a name, not a file looked at
    key = make_key(fingerprint(), settings, data)
    found = _unpack(cache.load(name, key))
    if found is not None:
        return found
    part = FilePart.of_pairs(parse())
    cache.save(name, key, marshal.dumps((part.sources, part.targets, part.index, part.short),
                                        _VERSION))
    return part


def _unpack(payload: bytes | None) -> FilePart | None:
    """The part stored as ``payload``; None for none, or for data that is not one."""
    if payload is None:
        return None
    try:
        sources, targets, index, short = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(sources, list) and isinstance(targets, list) and
            isinstance(index, dict) and isinstance(short, list) and
            len(sources) == len(targets)):
        return None
    return FilePart(sources, targets, index, short)
