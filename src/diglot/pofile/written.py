"""A template's records kept in the cache of parsed catalogs as it is written, without a parse.

``diglot extract`` renders each template (:func:`~diglot.pofile.writer.render_parts`)
and writes it; :func:`store_written` puts the records that
:func:`~diglot.pofile.readonly.read_records` would read from those bytes into
the project's cache (:mod:`diglot.pofile.recordcache`), so that ``diglot
update`` reads every template from the cache instead of parsing it.

The records are made from the catalog in memory and the rendered text (each
entry's lines counted in its part), and only where they are certainly what
the reader gives: a template (a header, live untranslated singular entries)
whose strings, comments, references and flags read back as they are (no
control character but the line break and tab, comment lines without
surrounding spaces, references of a path without spaces and a line number,
each once, flags in GNU's order).  Anything else is not stored: the reader
parses it, as without a cache.  A test reads every stored template back and
compares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from diglot.collector import collector_paused
from diglot.names import EntryState
from diglot.pofile import recordcache
from diglot.pofile.readonly import CatalogRecords, cached_records, catalog_bytes, validate
from diglot.pofile.recordcache import pack_rows, unpack_rows
from diglot.pofile.scan import parse_metadata

if TYPE_CHECKING:
    import polib

    from diglot.fileio import WriteBatch

__all__ = ["CREATION_DATE", "TemplateRecords", "TemplateRow", "read_template", "store_kept",
           "store_written", "written_records"]

_ODD = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
"""Characters the reader may not give back as they are (escapes polib does not know, line
breaks other than ``\\n``): a text holding one is left to the parse."""
_KEY = attrgetter("msgctxt", "msgid")
_UNTRANSLATED = EntryState.UNTRANSLATED.value


def _plain_comment(text: str) -> bool:
    """Whether comment ``text`` reads back as it is: no line empty or ending in a space (the
    reader strips such a line, or reads it apart)."""
    if "\n" not in text:
        return bool(text) and not text[-1].isspace()
    return all(line and not line[-1].isspace() for line in text.split("\n"))


def _plain_references(occurrences: list[tuple[str, str]]) -> bool:
    """Whether references read back as they are: each once, a path without spaces and a
    line number."""
    if len(occurrences) > 1 and len(set(occurrences)) != len(occurrences):
        return False
    for path, line in occurrences:
        if not (line.isdigit() and line.isascii()) or path.split() != [path]:
            return False
    return True


def written_records(catalog: polib.POFile, parts: list[str], text: str, *,
                    where: Path) -> bytes | None:
    """The cache data (:func:`~diglot.pofile.recordcache.pack_rows`) of the records that
    :func:`~diglot.pofile.readonly.read_records` reads from ``text``, the file that
    :func:`~diglot.pofile.writer.render_parts` made of ``catalog`` (``parts``, joined by blank
    lines); ``None`` where they are not certain (see the module doc)."""
    from diglot.pofile.writer import header_msgstr, ordered_flags

    entries = list(catalog)
    if not entries or not catalog.metadata or catalog.metadata_is_fuzzy or \
            len(parts) != len(entries) + 1 or _ODD.search(text) or \
            (catalog.header and not _plain_comment(catalog.header)):
        return None
    keys = set(map(_KEY, entries))
    if len(keys) != len(entries):  # (a duplicate: the reader says so, each time)
        return None
    head = parts[0]
    header_line = 1 if head.startswith("msgid ") else \
        head.count("\n", 0, head.index("\nmsgid ") + 1) + 1
    rows: list[tuple[object, ...]] = []
    append = rows.append
    flagged: list[tuple[str | None, str, bool, int, tuple[str, ...], str]] = []
    first = head.count("\n") + 3  # the first entry's first line (after a blank line)
    for entry, part in zip(entries, parts[1:], strict=True):
        if entry.obsolete or entry.msgstr or entry.msgid_plural or entry.msgstr_plural or \
                not entry.msgid or entry.tcomment or entry.previous_msgid is not None or \
                entry.previous_msgctxt is not None or entry.previous_msgid_plural is not None:
            return None
        occurrences = entry.occurrences
        if occurrences and not _plain_references(occurrences):
            return None
        comment = entry.comment
        if comment and not _plain_comment(comment):
            return None
        flags = tuple(entry.flags)
        if flags and (list(flags) != ordered_flags(flags) or "fuzzy" in flags or
                      any("," in f or f != f.strip() or not f for f in flags)):
            return None
        line = first if part.startswith("msgid ") else \
            first + part.count("\n", 0, part.index("\nmsgid ") + 1)
        if flags:
            flagged.append((entry.msgctxt, entry.msgid, False, line, flags, ""))
        # an Entry's fields in order (recordcache's rows): an untranslated entry, no origin
        append((entry.msgid, "", _UNTRANSLATED, line, entry.msgctxt, "", (), -1, flags,
                comment or "", "", tuple(occurrences), None, first))
        first += part.count("\n") + 2
    warnings = validate(iter(flagged), has_header=True, count=len(rows),
                        header_line=header_line, where=where)
    return pack_rows(rows, (), parse_metadata(header_msgstr(catalog.metadata)),
                     catalog.header or "", header_line, True, tuple(warnings))


def store_written(path: Path, data: bytes, catalog: polib.POFile, parts: list[str], *,
                  cache: Path, batch: WriteBatch | None = None) -> bool:
    """Keep in ``cache`` (a project's ``root / CATALOG_CACHE``) the records of the catalog
    file ``path`` whose bytes are ``data``, rendered from ``catalog`` as ``parts``, unless the
    cache holds them already; whether they are there now.  A catalog whose records are not
    certain (see :func:`written_records`) or a cache that cannot be written is passed over.
    With ``batch``, the cache file is written with the batch's files."""
    where = recordcache.slot(cache, path, data)
    if where.holds():
        return True
    return _save(where, written_records(catalog, parts, data.decode("utf-8"), where=path),
                 batch)


CREATION_DATE = re.compile(r'^"POT-Creation-Date: ([^"]*)\\n"$', re.MULTILINE)
"""A template's creation date as its header line is written (the date, group 1)."""


def store_kept(path: Path, data: bytes, catalog: polib.POFile, parts: list[str], *,
               cache: Path, batch: WriteBatch | None = None) -> bool:
    """:func:`store_written` for a template file kept as it is because it says what
    ``catalog`` (rendered as ``parts``) says but for its ``POT-Creation-Date`` (as after a
    clone, where the cache is empty and every template was written on another day): its
    records are ``catalog``'s with the file's date, kept only if ``catalog`` with that date
    renders to exactly ``data``."""
    where = recordcache.slot(cache, path, data)
    if where.holds():
        return True
    text = data.decode("utf-8")
    found = CREATION_DATE.search(text)
    if found is None or not parts:
        return False
    from diglot.pofile.writer import join_parts, render_header

    metadata = catalog.metadata
    catalog.metadata = {**metadata, "POT-Creation-Date": found.group(1)}
    try:
        kept = [render_header(catalog), *parts[1:]]
        if join_parts(kept) != text:
            return False
        return _save(where, written_records(catalog, kept, text, where=path), batch)
    finally:
        catalog.metadata = metadata


def _save(where: recordcache.Slot, packed: bytes | None, batch: WriteBatch | None) -> bool:
    if packed is None:
        return False
    where.save(packed, batch=batch)
    return True


class TemplateRow(NamedTuple):
    """A template's entry as the cache keeps it: an :class:`~diglot.pofile.record.Entry`'s
    fields in order, its state and origin as stored (their value, an index).  What the
    merge reads of a template entry, without making an ``Entry`` of each."""

    msgid: str
    msgstr: str
    state: str
    line: int | None
    msgctxt: str | None
    msgid_plural: str
    msgstr_plural: tuple[str, ...]
    origin: int
    flags: tuple[str, ...]
    comment: str
    tcomment: str
    occurrences: tuple[tuple[str, str], ...]
    previous_msgid: str | None
    first_line: int | None


@dataclass(frozen=True, slots=True)
class TemplateRecords:
    """A template read for a merge: its metadata and its entries (obsolete ones included)."""

    metadata: Mapping[str, str]
    entries: tuple[TemplateRow, ...]


def read_template(path: Path, *, cache: Path,
                  data: bytes | None = None) -> TemplateRecords | CatalogRecords:
    """The template file at ``path`` for a merge: its entries as the cache ``cache`` (a
    project's ``root / CATALOG_CACHE``) keeps them when it holds these bytes as diglot's own
    reader reads them, else :func:`~diglot.pofile.readonly.read_records` (which parses and
    stores them, or raises the file's :class:`~diglot.errors.CatalogError`).  ``data``: the
    file's bytes, if the caller has read them already."""
    if data is None:
        data = catalog_bytes(path)
    where = recordcache.slot(cache, path, data)
    payload = where.load()
    if payload is not None:
        with collector_paused():
            try:
                reader, metadata, rows = unpack_rows(payload)
                if reader == "":  # (the tolerant reader's records: read_records checks them)
                    return TemplateRecords(metadata=metadata,
                                           entries=tuple(map(TemplateRow._make, rows)))
            except (ValueError, TypeError):  # damaged: parsed again below
                pass
    return cached_records(data, path, where, payload)  # (the bytes read and the key made once)
