"""PO/POT catalogs: the one module that reads and writes them (polib stays in here).

- :func:`read_catalog` reads a file a translator may have broken (a fast path
  for strict PO, polib for the rest) into a :class:`Catalog` that knows the
  line of every entry's ``msgid``; :meth:`Catalog.records` and
  :func:`records` hand out frozen :class:`Entry` records (msgid, msgstr,
  state, origin, line, flags, comments) for everything that only reads.
- :func:`read_records` reads the same files straight into those records
  (a :class:`CatalogRecords`), without polib objects: for the commands that
  only read (``status``, ``check``).  polib and the writer are imported on
  first use of what needs them, so such a command never loads them.  With
  ``cache=root / CATALOG_CACHE`` a catalog whose bytes were read before comes
  back from the project's cache of parsed catalogs without a parse.
- :func:`render_catalog` gives the exact text GNU ``msgcat`` writes for a
  catalog (see :mod:`diglot.pofile.writer`); files are written by
  :mod:`diglot.fileio` only.
- Merging and drafting still edit entries in place: :class:`POEntry` and
  :class:`Catalog` are polib's classes for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from diglot.pofile.readonly import (
    CatalogRecords,
    catalog_bytes,
    decode_bytes,
    decode_catalog,
    read_records,
)
from diglot.pofile.record import (
    ALIGNED_MARK,
    COVERAGE_STATES,
    DRAFT_MARK,
    Coverage,
    Entry,
    Origin,
    coverage,
    draft_origin,
    entry_state,
    has_translation,
    live_entries,
    new_entry,
    origin_of,
    record,
    strip_draft_mark,
)
from diglot.pofile.recordcache import CATALOG_CACHE

if TYPE_CHECKING:
    from pathlib import Path

    import polib

    from diglot.fileio import WriteBatch
    from diglot.pofile.reader import WRAP_WIDTH, Catalog, parse_catalog, read_catalog
    from diglot.pofile.writer import escape, join_parts
    from diglot.pofile.written import TemplateRecords

    POEntry = polib.POEntry
    """An entry being built or edited (polib's)."""
    POFile = polib.POFile

_LAZY = {"WRAP_WIDTH": "reader", "Catalog": "reader", "parse_catalog": "reader",
         "read_catalog": "reader", "escape": "writer", "join_parts": "writer"}
"""Names whose module (and with it polib) is imported on first use."""


def __getattr__(name: str) -> Any:
    """The polib side of the package, imported on first use (a command that only reads
    catalogs, such as ``status``, never loads polib nor the writer)."""
    if name in ("POEntry", "POFile"):
        import polib

        return getattr(polib, name)
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"diglot.pofile.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ALIGNED_MARK",
    "CATALOG_CACHE",
    "COVERAGE_STATES",
    "DRAFT_MARK",
    "WRAP_WIDTH",
    "Catalog",
    "CatalogRecords",
    "Coverage",
    "Entry",
    "Origin",
    "POEntry",
    "POFile",
    "catalog_bytes",
    "coverage",
    "decode_bytes",
    "decode_catalog",
    "draft_origin",
    "entry_state",
    "escape",
    "has_translation",
    "join_parts",
    "live_entries",
    "new_catalog_file",
    "new_entry",
    "origin_of",
    "parse_catalog",
    "read_catalog",
    "read_merge_template",
    "read_records",
    "record",
    "records",
    "render_catalog",
    "render_catalog_parts",
    "store_kept_template",
    "store_template",
    "strip_draft_mark",
    "unescape",
]


def new_catalog_file() -> Catalog:
    """An empty catalog to fill (header, metadata and entries are set by the caller)."""
    from diglot.pofile.reader import WRAP_WIDTH, Catalog

    return Catalog(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)


def render_catalog(catalog: polib.POFile) -> str:
    """The text of a PO/POT file exactly as GNU ``msgcat`` would write it."""
    from diglot.pofile.writer import render_po

    return render_po(catalog)


def render_catalog_parts(catalog: polib.POFile) -> list[str]:
    """:func:`render_catalog`'s text entry by entry: that text is :func:`join_parts` of them."""
    from diglot.pofile.writer import render_parts

    return render_parts(catalog)


def read_merge_template(path: Path, *, cache: Path,
                        data: bytes | None = None) -> TemplateRecords | CatalogRecords:
    """The template file ``path`` for a merge, without a parse when ``cache`` holds its
    bytes (``data``, if the caller has read them; see
    :func:`diglot.pofile.written.read_template`)."""
    from diglot.pofile.written import read_template

    return read_template(path, cache=cache, data=data)


def store_template(path: Path, data: bytes, catalog: polib.POFile, parts: list[str], *,
                   cache: Path, batch: WriteBatch | None = None) -> bool:
    """Keep the records of the template file ``path`` just written (its bytes ``data``,
    rendered from ``catalog`` as ``parts``) in ``cache`` (with ``batch``'s files), so that
    reading it with :func:`read_records` needs no parse (see :mod:`diglot.pofile.written`)."""
    from diglot.pofile.written import store_written

    return store_written(path, data, catalog, parts, cache=cache, batch=batch)


def store_kept_template(path: Path, data: bytes, catalog: polib.POFile, parts: list[str], *,
                        cache: Path, batch: WriteBatch | None = None) -> bool:
    """:func:`store_template` for the template file ``path`` left as it is (its bytes
    ``data``) because it says what ``catalog`` says but for its creation date (see
    :func:`diglot.pofile.written.store_kept`)."""
    from diglot.pofile.written import store_kept

    return store_kept(path, data, catalog, parts, cache=cache, batch=batch)


def records(catalog: Iterable[polib.POEntry] | CatalogRecords, *,
            obsolete: bool = False) -> tuple[Entry, ...]:
    """Every entry of ``catalog`` as a frozen record (lines known if it was read from a file)."""
    if isinstance(catalog, CatalogRecords):
        return catalog.records(obsolete=obsolete)
    from diglot.pofile.reader import Catalog

    if isinstance(catalog, Catalog):
        return catalog.records(obsolete=obsolete)
    return tuple(record(e, None) for e in catalog if obsolete or not e.obsolete)


def unescape(text: str) -> str:
    """The value of an escaped PO string's content."""
    import polib

    return str(polib.unescape(text))
