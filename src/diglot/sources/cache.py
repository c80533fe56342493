"""Parsed documents kept between runs, so ``build`` does not parse what ``extract`` parsed.

Parsing a source (markdown-it's block and inline passes, then sentence
segmentation) is the largest part of ``diglot build`` on a large project,
and ``extract`` has done exactly that work already.  A :class:`DocumentReader`
reads a source and, when the project's cache holds the skeleton of exactly
those bytes parsed by exactly this code with exactly these segmentation
settings, returns it without parsing; otherwise it parses and stores the
result for the next run.

The cache lives in ``.diglot/cache/documents/`` (git-ignored with the rest
of ``.diglot/`` by ``init``'s ``.gitignore``, and by its own in
``.diglot/cache/`` for a project without one), one file per document (named
by a hash of the document's name, so a document has at most one).  A file
starts with a magic line and the SHA-256 *key* of: this module's
:data:`FORMAT`, diglot's version, a hash of the code that parses
(``diglot.sources``, ``diglot.segment``, ``diglot.model``, ``diglot.names``, markdown-it-py's
``__init__`` which names its version), the Python version (marshal's
format), the source language, unit and extra abbreviations, the source
format and the source file's bytes.  Any difference is a miss, so an entry
is never trusted across versions or settings.  The skeleton itself is
:mod:`marshal` data of plain tuples, numbers and strings (no classes,
nothing executed on load): the offsets of blocks and segments in the source
text, which is read and decoded as always, and the msgids that differ from
their source text.  Files are written atomically through
:mod:`diglot.fileio`; a temporary file left by a killed run is swept as any
other.  Deleting the folder is always safe: the next run parses again.  The
storage (key, file per document, magic line, atomic writes, misses) is
:mod:`diglot.cachestore`'s, shared with the cache of parsed catalogs.
"""

from __future__ import annotations

import importlib.util
import marshal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from diglot import cachestore
from diglot.cachestore import CACHE_ROOT, CacheStore, make_key
from diglot.model import Block, BlockKind, Container, Document, Segment, SourceFormat, Unit
from diglot.sources import parse_source, read_source
from diglot.sources.blocks import Splitter, make_splitter

__all__ = ["CACHE_FOLDER", "FORMAT", "DocumentReader", "decode", "encode"]

FORMAT = 1
"""Raise when the layout of a cache file changes."""
CACHE_FOLDER = CACHE_ROOT / "documents"
"""Where a project's parsed documents are kept (relative to its root)."""
_MAGIC = b"diglot parsed document\n"
_KINDS = {kind.value: kind for kind in BlockKind}
_CONTAINERS = {container.value: container for container in Container}


@cache
def code_fingerprint() -> bytes:
    """A hash of everything that decides what a parse gives: the code and its versions."""
    here = Path(__file__).resolve().parent
    package = here.parent
    files = sorted([*here.glob("*.py"), *(package / "segment").glob("*.py"),
                    package / "model.py", package / "names.py"])
    spec = importlib.util.find_spec("markdown_it")
    if spec is not None and spec.origin:
        files.append(Path(spec.origin))
    return cachestore.code_fingerprint(FORMAT, files)


def _encode_block(block: Block) -> tuple[object, ...] | None:
    segments = []
    pos = 0
    for s in block.segments:
        at = block.raw.find(s.raw, pos)
        if at < 0:
            return None
        segments.append((at, len(s.raw), s.line, None if s.msgid == s.raw else s.msgid))
        pos = at + len(s.raw)
    return (len(block.raw), block.kind.value, block.index, block.line, tuple(segments),
            block.joiners, block.line_prefix, block.hard_break, block.level, block.ordered,
            block.marker, tuple(c.value for c in block.containers))


def encode(parts: Sequence[str | Block], front_matter: str) -> bytes | None:
    """The marshal data of a skeleton, or None if it cannot be encoded.

    Every literal and block ``raw`` is a slice of the source text (they join to give it
    back), and every segment's ``raw`` a slice of its block's: only their lengths and
    offsets are kept, with each msgid that differs from its raw text.
    """
    if front_matter and tuple(parts[:1]) != (front_matter,):
        return None
    encoded: list[object] = []
    for part in parts:
        item = len(part) if isinstance(part, str) else _encode_block(part)
        if item is None:
            return None
        encoded.append(item)
    data: Any = (len(front_matter), tuple(encoded))
    try:
        return marshal.dumps(data, 4)
    except ValueError:  # a field of a type marshal does not know: no cache, never a failure
        return None


def decode(data: bytes, text: str) -> tuple[tuple[str | Block, ...], str]:
    """The skeleton of ``text`` back from :func:`encode`'s data; ``ValueError`` if the data
    is not one, or not one of this text."""
    try:
        front, encoded = marshal.loads(data)
        parts: list[str | Block] = []
        pos = 0
        for item in encoded:
            if item.__class__ is int:
                parts.append(text[pos:pos + item])
                pos += item
                continue
            (size, kind, index, line, segments, joiners, line_prefix, hard_break, level,
             ordered, marker, containers) = item
            raw = text[pos:pos + size]
            pos += size
            made = []
            for a, n, ln, m in segments:
                piece = raw[a:a + n]  # one string when the msgid is the raw text
                made.append(Segment(piece if m is None else m, piece, ln))
            parts.append(Block(_KINDS[kind], index, line, tuple(made), joiners, raw,
                               line_prefix, hard_break, level, ordered, marker,
                               tuple(_CONTAINERS[c] for c in containers)))
    except (EOFError, ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"not a parsed document: {exc}") from exc
    if pos != len(text) or front.__class__ is not int:
        raise ValueError("not a parsed document of this text")
    return tuple(parts), text[:front]


@dataclass(frozen=True)
class DocumentReader:
    """Reads the sources of one project with its segmentation settings, through the cache.

    ``folder`` None reads without a cache; ``store`` false reads the cache but
    never writes it (``extract --check``).
    """

    lang: str
    unit: Unit = Unit.SENTENCE
    abbreviations: tuple[str, ...] = ()
    folder: Path | None = None
    store: bool = True
    splitter: Splitter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "splitter", make_splitter(
            self.lang, unit=self.unit, abbreviations=self.abbreviations))

    def key(self, data: bytes, fmt: SourceFormat) -> bytes:
        """The cache key of a source's bytes read with this reader's settings."""
        return make_key(code_fingerprint(), (self.lang, self.unit.value, fmt.value,
                                             *sorted(set(self.abbreviations))), data)

    @property
    def cache(self) -> CacheStore:
        """The cache folder's store (no folder: no cache)."""
        return CacheStore(self.folder, _MAGIC, self.store)

    def cache_path(self, name: str) -> Path | None:
        """The cache file of document ``name`` (None without a cache)."""
        return self.cache.path(name)

    def read(self, path: Path, *, name: str) -> Document:
        """The document at ``path``: from the cache when it holds these bytes, else parsed.

        Errors are those of :func:`diglot.sources.read_document`; a cache file
        that cannot be read or written is passed over (the document is parsed).
        """
        fmt, data, text = read_source(path)
        store = self.cache
        key = self.key(data, fmt) if self.folder is not None else b""
        found = self._load(store, name, key, text)
        if found is None:
            found = parse_source(text, fmt, splitter=self.splitter, path=path)
            encoded = encode(*found) if self.folder is not None and self.store else None
            if encoded is not None:
                store.save(name, key, encoded)
        parts, front = found
        return Document(name=name, lang=self.lang, path=path, format=fmt, parts=parts,
                        front_matter=front)

    @staticmethod
    def _load(store: CacheStore, name: str, key: bytes,
              text: str) -> tuple[tuple[str | Block, ...], str] | None:
        data = store.load(name, key)
        if data is None:
            return None
        try:
            return decode(data, text)
        except ValueError:
            return None

    def prune(self, names: Iterable[str]) -> list[Path]:
        """Remove the cache files of documents other than ``names``; return them."""
        return self.cache.prune(names)
