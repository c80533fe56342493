"""Parsed catalogs kept between runs: a catalog's records as marshal data of plain tuples.

:func:`diglot.pofile.readonly.read_records` with a cache folder reads a
catalog whose bytes it has parsed before without parsing it again.  The
folder is ``.diglot/cache/catalogs/`` (:data:`CATALOG_CACHE`), one file per
catalog (named by a hash of its absolute path) in the format of
:mod:`diglot.cachestore`: a magic line, the key (a hash of the catalog's
bytes, of the code that reads catalogs, of diglot's, Python's and marshal's
versions: :func:`fingerprint`), then :func:`pack`'s data.  A catalog read
by the tolerant reader (what the fast scan leaves) is stored with polib's
version, and taken back only with the same polib.  A broken catalog is
never stored: it raises its error each time it is read.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from diglot import cachestore
from diglot.cachestore import CACHE_ROOT
from diglot.names import EntryState
from diglot.pofile.record import Entry, Origin

if TYPE_CHECKING:
    from diglot.fileio import WriteBatch

__all__ = ["CATALOG_CACHE", "FORMAT", "MAGIC", "Packed", "Slot", "cache_name", "fingerprint",
           "pack", "pack_rows", "prune", "slot", "unpack", "unpack_rows"]

FORMAT = 1
"""Raise when the layout of the packed data changes."""
CATALOG_CACHE = CACHE_ROOT / "catalogs"
"""Where a project's parsed catalogs are kept (relative to its root)."""
MAGIC = b"diglot parsed catalog\n"

_FIELDS = tuple(f.name for f in fields(Entry))
_STATE = _FIELDS.index("state")
_ORIGIN = _FIELDS.index("origin")
_STATES = {state.value: state for state in EntryState}
_GET = attrgetter(*_FIELDS)
_VERSION = 2
"""marshal's format 2: as fast to load as 4, and twice as fast to write (no table of shared
objects, which records hardly have)."""

Packed = tuple[tuple[Entry, ...], dict[str, str], str, int, bool, tuple[tuple[int, str], ...]]
"""What :func:`unpack` gives: the fields of a :class:`~diglot.pofile.readonly.CatalogRecords`
(entries, metadata, header, header_line, has_header, warnings), in that order."""


@cache
def fingerprint() -> bytes:
    """A hash of the code that reads catalogs into records (this package, the model and the
    names of entry states), with diglot's, Python's and marshal's versions."""
    here = Path(__file__).resolve().parent
    package = here.parent
    return cachestore.code_fingerprint(
        FORMAT, sorted([*here.glob("*.py"), package / "model.py", package / "names.py"]))


def cache_name(path: Path) -> str:
    """The name a catalog's cache file is made from: its absolute path (not resolved: a
    name, no file is looked at)."""
    return os.path.abspath(path)  # noqa: PTH100 - a name, not a file looked at


class Slot(NamedTuple):
    """A catalog's place in a cache folder of parsed catalogs: the folder's store, the
    catalog's name there and the key of its bytes (see :func:`slot`)."""

    store: cachestore.CacheStore
    name: str
    key: bytes

    def load(self) -> bytes | None:
        """The payload kept for these bytes; None if there is none."""
        return self.store.load(self.name, self.key)

    def holds(self) -> bool:
        """Whether a payload is kept for these bytes (only the file's head is read)."""
        return self.store.holds(self.name, self.key)

    def save(self, payload: bytes, *, batch: WriteBatch | None = None) -> None:
        """Keep ``payload`` for these bytes (see :meth:`~diglot.cachestore.CacheStore.save`)."""
        self.store.save(self.name, self.key, payload, batch=batch)


def slot(cache: Path, path: Path, data: bytes) -> Slot:
    """Where the cache folder ``cache`` (a project's ``root / CATALOG_CACHE``) keeps the
    records of the catalog file ``path`` whose bytes are ``data``."""
    return Slot(cachestore.CacheStore(cache, MAGIC), cache_name(path),
                cachestore.make_key(fingerprint(), (), data))


def prune(cache: Path, keep: Iterable[Path]) -> list[Path]:
    """Remove from the cache folder ``cache`` the parsed copies of every catalog but those of
    ``keep``; return the files removed (a catalog pruned by mistake is only parsed again)."""
    return cachestore.CacheStore(cache, MAGIC).prune(cache_name(path) for path in keep)


def pack(records: Packed, *, reader: str = "") -> bytes | None:
    """The marshal data of a catalog's records (None if a field cannot be marshalled).

    ``reader`` names the third-party code the records depend on (the tolerant
    reader's ``polib X.Y``), checked by :func:`unpack`'s caller.
    """
    entries, metadata, header, header_line, has_header, warnings = records
    origins: dict[Origin | None, int] = {None: -1}
    rows = []
    get = _GET
    for entry in entries:
        row: list[Any] = list(get(entry))
        row[_STATE] = entry.state.value
        row[_ORIGIN] = origins.setdefault(entry.origin, len(origins) - 1)
        rows.append(tuple(row))
    table = tuple((o.kind, o.detail) for o in origins if o is not None)
    return pack_rows(rows, table, metadata, header, header_line, has_header, warnings,
                     reader=reader)


def pack_rows(rows: list[tuple[Any, ...]], origins: tuple[tuple[str, str], ...],
              metadata: dict[str, str], header: str, header_line: int, has_header: bool,
              warnings: tuple[tuple[int, str], ...], *, reader: str = "") -> bytes | None:
    """:func:`pack`'s data from the entries already as rows: each an
    :class:`~diglot.pofile.record.Entry`'s fields in order, its state as its value and its
    origin as an index into ``origins`` (``(kind, detail)`` pairs; -1 for none)."""
    data: Any = (reader, tuple(metadata.items()), header, header_line, has_header,
                 tuple(warnings), origins, tuple(rows))
    try:
        return marshal.dumps(data, _VERSION)
    except ValueError:  # a type marshal does not know (never made by the readers): no cache
        return None


def unpack_rows(data: bytes) -> tuple[str, dict[str, str], tuple[tuple[Any, ...], ...]]:
    """The reader tag, the metadata and the entries as :func:`pack_rows` stored them (rows,
    no :class:`~diglot.pofile.record.Entry` made) of :func:`pack`'s data; ``ValueError`` if
    the data is not that."""
    try:
        reader, metadata, *_, rows = marshal.loads(data)
        return reader, dict(metadata), rows
    except (EOFError, ValueError, TypeError) as exc:
        raise ValueError(f"not a parsed catalog: {exc}") from exc


def unpack(data: bytes) -> tuple[str, Packed]:
    """The reader tag and records back from :func:`pack`'s data; ``ValueError`` if the data
    is not that."""
    try:
        reader, metadata, header, header_line, has_header, warnings, table, rows = \
            marshal.loads(data)
        origins: dict[int, Origin | None] = {-1: None}
        origins.update((n, Origin(kind, detail)) for n, (kind, detail) in enumerate(table))
        states = _STATES
        new = Entry
        entries = []
        for packed in rows:
            row = list(packed)
            row[_STATE] = states[row[_STATE]]
            row[_ORIGIN] = origins[row[_ORIGIN]]
            entries.append(new(*row))
        unpacked = (tuple(entries), dict(metadata), header, header_line, has_header,
                    tuple((line, what) for line, what in warnings))
    except (EOFError, ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"not a parsed catalog: {exc}") from exc
    if reader.__class__ is not str or header.__class__ is not str or \
            header_line.__class__ is not int or has_header.__class__ is not bool:
        raise ValueError("not a parsed catalog")
    return reader, unpacked
