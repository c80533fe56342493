"""Reading PO/POT files: a fast path for strict PO, gettext's tolerance for the rest.

:func:`read_catalog` gives a :class:`Catalog` (a :class:`polib.POFile` that
also knows the line of every entry's ``msgid``), or raises
:class:`~diglot.errors.CatalogError` naming the file and line.  The strict
PO that diglot, msgmerge and editors write is read by :func:`_fast_pofile`
(several times faster than polib's parser, the same entries); anything else
goes to :mod:`diglot.pofile.tolerant`, which reads what GNU ``msgfmt --check``
reads and names the cause of what it rejects.  Entries are polib's objects.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

import polib

from diglot.pofile.readonly import decode_catalog, header_line_of, validate
from diglot.pofile.record import Entry, record
from diglot.pofile.scan import parse_metadata, scan, split_header
from diglot.pofile.tolerant import parse_tolerant

WRAP_WIDTH = 79


class Catalog(polib.POFile):  # type: ignore[misc]
    """A polib catalog that remembers, for the entries read from a file, their msgid lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.msgid_lines: dict[int, int] = {}
        """``entry.linenum`` (where an entry starts) → line of its ``msgid`` keyword."""
        self.has_header = False
        """Whether the file had a header entry (``msgid ""``), even an empty one."""
        self.warnings: list[tuple[int, str]] = []
        """(line, message) of what msgfmt accepts but a translator should fix."""

    def line_of(self, entry: polib.POEntry) -> int | None:
        """The line of ``entry``'s msgid, if it was read from this catalog's file."""
        if entry.linenum is None:
            return None
        return self.msgid_lines.get(entry.linenum)

    @property
    def header_line(self) -> int:
        """The line of the header's ``msgid ""`` (1 when there is no header)."""
        return header_line_of(self.msgid_lines.get(0), self.metadata)

    def records(self, *, obsolete: bool = False) -> tuple[Entry, ...]:
        """Every entry as a frozen record, in file order (obsolete ones only if asked)."""
        return tuple(record(e, self.line_of(e)) for e in self if obsolete or not e.obsolete)

    def by_msgid(self) -> dict[str, Entry]:
        """The live entries without a context, by msgid (what an edition looks up)."""
        return {e.msgid: e for e in self.records() if e.msgctxt is None}


_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')


def _encoding(text: str) -> str:
    """The encoding polib reads ``text`` with: its header's charset if Python knows it."""
    match = _CHARSET.search(text)
    if match:
        name = match.group(1).strip()
        try:
            codecs.lookup(name)
        except LookupError:
            return str(polib.default_encoding)
        return name
    return str(polib.default_encoding)


def _fast_pofile(text: str, wrapwidth: int) -> Catalog | None:
    """``polib.pofile(text)`` for the strict PO that diglot, msgmerge and editors write, faster.

    The same :class:`polib.POFile` (entries and their line numbers, header,
    metadata) as polib's reader, or ``None`` where :func:`~diglot.pofile.scan.scan`
    leaves the text (a line outside the strict subset it knows): the caller then
    falls back to :func:`~diglot.pofile.tolerant.parse_tolerant` and its error
    reporting.  Tested entry for entry against polib.
    """
    scanned = scan(text)
    if scanned is None:
        return None
    header, fields = scanned
    catalog = Catalog(encoding=_encoding(text), check_for_duplicates=False)
    catalog.header = header
    lines = catalog.msgid_lines
    cls = polib.POEntry
    new = cls.__new__
    encoding = polib.default_encoding
    entries = []
    for found in fields:
        lines[found["linenum"]] = found.pop("line")
        # What POEntry(**found) makes (the same attributes, in its order), without its
        # constructor's keyword look-ups: polib's defaults, then what the file says.
        attributes = {
            "msgid": "", "msgstr": "", "msgid_plural": "", "msgstr_plural": {},
            "msgctxt": None, "obsolete": False, "encoding": encoding, "comment": "",
            "tcomment": "", "occurrences": [], "flags": [], "previous_msgctxt": None,
            "previous_msgid": None, "previous_msgid_plural": None, "linenum": None}
        attributes.update(found)
        entry = new(cls)
        entry.__dict__ = attributes
        entries.append(entry)
    _take_header(catalog, entries)
    catalog.extend(entries)
    catalog.wrapwidth = wrapwidth
    return catalog


def _take_header(catalog: Catalog, entries: list[polib.POEntry]) -> None:
    """Move a leading header entry into ``catalog``'s metadata, exactly as polib's parser does."""
    metadata = split_header(entries)
    if metadata is None:
        return
    catalog.has_header = True
    catalog.header = metadata.tcomment or catalog.header
    catalog.metadata_is_fuzzy = metadata.flags
    catalog.metadata.update(parse_metadata(metadata.msgstr))


def read_catalog(path: Path) -> Catalog:
    """Read a PO/POT file; a broken one raises :class:`CatalogError` naming file and line."""
    return parse_catalog(decode_catalog(path), path=path)


def parse_catalog(text: str, *, path: Path) -> Catalog:
    """The catalog in ``text`` (the content of the PO/POT file at ``path``, which errors name).

    What GNU ``msgfmt --check`` reads is read (see :mod:`diglot.pofile.tolerant`); what it
    rejects raises :class:`CatalogError` at the line of the cause.  Warnings (an unknown
    flag, a Babel ``# |`` comment) are left in :attr:`Catalog.warnings`.
    """
    catalog = _fast_pofile(text, WRAP_WIDTH) or tolerant_catalog(text, path)
    _validate(catalog, path)
    return catalog


def tolerant_catalog(text: str, where: Path) -> Catalog:
    """The catalog in ``text`` read by the tolerant reader (what the fast path leaves)."""
    entries, lines = parse_tolerant(text, where)
    catalog = Catalog(encoding=_encoding(text), check_for_duplicates=False)
    catalog.wrapwidth = WRAP_WIDTH
    catalog.msgid_lines.update(lines)
    header_start = entries[0].linenum if entries and entries[0].msgid == "" else None
    _take_header(catalog, entries)
    if header_start is not None and catalog.metadata:
        catalog.msgid_lines[0] = lines[header_start]
    elif entries and entries[0].tcomment:
        # As polib (and the fast path): comments opening a file without header are its header's.
        catalog.header, entries[0].tcomment = entries[0].tcomment, ""
    catalog.extend(entries)
    return catalog


def _validate(catalog: Catalog, where: Path) -> None:
    """What msgfmt rejects in a catalog that parsed: no header, duplicates; and the warnings."""
    catalog.warnings.extend(validate(
        ((e.msgctxt, e.msgid, e.obsolete, catalog.line_of(e) or e.linenum or 1, e.flags,
          e.tcomment or "") for e in catalog),
        has_header=catalog.has_header, count=len(catalog), header_line=catalog.header_line,
        where=where))
