"""PO/POT catalogs: the one module that reads and writes them (polib stays in here).

- :func:`read_catalog` reads a file a translator may have broken (a fast path
  for strict PO, polib for the rest) into a :class:`Catalog` that knows the
  line of every entry's ``msgid``; :meth:`Catalog.records` and
  :func:`records` hand out frozen :class:`Entry` records (msgid, msgstr,
  state, origin, line, flags, comments) for everything that only reads.
- :func:`render_catalog` gives the exact text GNU ``msgcat`` writes for a
  catalog (see :mod:`diglot.pofile.writer`); files are written by
  :mod:`diglot.fileio` only.
- Merging and drafting still edit entries in place: :class:`POEntry` and
  :class:`Catalog` are polib's classes for them.
"""

from __future__ import annotations

from collections.abc import Iterable

import polib

from diglot.pofile.reader import WRAP_WIDTH, Catalog, parse_catalog, read_catalog
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
    origin_of,
    record,
    strip_draft_mark,
)
from diglot.pofile.writer import escape, render_po

POEntry = polib.POEntry
"""An entry being built or edited (polib's)."""
POFile = polib.POFile

__all__ = [
    "ALIGNED_MARK", "COVERAGE_STATES", "DRAFT_MARK", "WRAP_WIDTH", "Catalog", "Coverage",
    "Entry", "Origin", "POEntry", "POFile", "coverage", "draft_origin", "entry_state", "escape",
    "has_translation", "live_entries", "new_catalog_file", "origin_of", "parse_catalog",
    "read_catalog", "record", "records", "render_catalog", "strip_draft_mark", "unescape",
]


def new_catalog_file() -> Catalog:
    """An empty catalog to fill (header, metadata and entries are set by the caller)."""
    return Catalog(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)


def render_catalog(catalog: polib.POFile) -> str:
    """The text of a PO/POT file exactly as GNU ``msgcat`` would write it."""
    return render_po(catalog)


def records(catalog: Iterable[polib.POEntry], *, obsolete: bool = False) -> tuple[Entry, ...]:
    """Every entry of ``catalog`` as a frozen record (lines known if it was read from a file)."""
    if isinstance(catalog, Catalog):
        return catalog.records(obsolete=obsolete)
    return tuple(record(e, None) for e in catalog if obsolete or not e.obsolete)


def unescape(text: str) -> str:
    """The value of an escaped PO string's content."""
    return str(polib.unescape(text))
