"""Catalogs read only to be read: every entry as a frozen record, without polib objects.

:func:`read_records` reads what :func:`diglot.pofile.reader.read_catalog`
reads (the strict subset through :func:`diglot.pofile.scan.scan`, the rest
through the tolerant reader) and gives a :class:`CatalogRecords`: the
header, the metadata, the warnings and every entry as an
:class:`~diglot.pofile.record.Entry`, for ``status`` and ``check``.  A broken
file raises the same :class:`~diglot.errors.CatalogError` at the same line.

With ``cache`` (a project's ``.diglot/cache/catalogs/``, see
:mod:`diglot.pofile.recordcache`), a catalog whose exact bytes were read
before by this code is not parsed again: its records come back from the
cache, equal to a fresh parse.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from diglot.collector import collector_paused
from diglot.errors import CatalogError
from diglot.fileio import check_inside
from diglot.names import EntryState
from diglot.pofile import recordcache
from diglot.pofile.record import KNOWN_FLAGS, Entry, is_fuzzy_flag, origin_of, state_from
from diglot.pofile.recordcache import pack, unpack

if TYPE_CHECKING:
    from diglot.pofile.reader import Catalog
    from diglot.pofile.scan import Fields


_MSGID = attrgetter("msgid")
_MSGCTXT = attrgetter("msgctxt")


@dataclass(frozen=True, slots=True)
class CatalogRecords:
    """A catalog read only to be read: its header and every entry as a frozen record.

    What ``status`` and ``check`` need of a :class:`~diglot.pofile.reader.Catalog`
    (:meth:`records`, :attr:`metadata`, :attr:`header_line`, :attr:`warnings`…)
    without its polib objects.
    """

    entries: tuple[Entry, ...]
    """Every entry in file order, obsolete ones included (the header entry left out)."""
    metadata: Mapping[str, str]
    header: str
    """The header's comment."""
    header_line: int
    """The line of the header's ``msgid ""`` (1 when there is no header)."""
    has_header: bool
    warnings: tuple[tuple[int, str], ...] = ()
    """(line, message) of what msgfmt accepts but a translator should fix."""

    def records(self, *, obsolete: bool = False) -> tuple[Entry, ...]:
        """Every entry as a frozen record, in file order (obsolete ones only if asked)."""
        if obsolete:
            return self.entries
        return tuple(e for e in self.entries if not e.obsolete)

    def by_msgid(self) -> dict[str, Entry]:
        """The live entries without a context, by msgid (what an edition looks up)."""
        live = self.records()
        if list(map(_MSGCTXT, live)).count(None) == len(live):  # no context: C loops
            return dict(zip(map(_MSGID, live), live, strict=True))
        return {e.msgid: e for e in live if e.msgctxt is None}

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogRecords:
        """The records of a catalog read by polib's side (the tolerant reader's)."""
        return cls(entries=catalog.records(obsolete=True), metadata=dict(catalog.metadata),
                   header=catalog.header or "", header_line=catalog.header_line,
                   has_header=catalog.has_header, warnings=tuple(catalog.warnings))


def header_line_of(msgid_line: int | None, metadata: Mapping[str, str]) -> int:
    """The line a catalog's header is at (:attr:`CatalogRecords.header_line`): that of its
    ``msgid ""`` when it has metadata, else 1 (a header without metadata counts as none)."""
    return (msgid_line or 1) if metadata else 1


def _record(fields: Fields) -> Entry:
    """The frozen record of one scanned entry (what :func:`~diglot.pofile.record.record`
    makes of the polib entry built from the same fields)."""
    tcomment = fields.get("tcomment", "")
    origin = origin_of(tcomment) if tcomment else None
    msgstr = fields.get("msgstr", "")
    plurals = fields.get("msgstr_plural")
    plural = tuple(plurals[k] for k in sorted(plurals)) if plurals else ()
    flags = fields.get("flags")
    flags = tuple(flags) if flags else ()
    obsolete = fields["obsolete"]
    if msgstr and not flags and not obsolete:
        state = EntryState.TRANSLATED  # what state_from says, without its questions
    else:
        state = state_from(obsolete=bool(obsolete), translated=bool(msgstr) or any(plural),
                           flags=flags, origin=origin)
    occurrences = fields.get("occurrences")
    return Entry(msgid=fields["msgid"], msgstr=msgstr, state=state, line=fields["line"],
                 msgctxt=fields.get("msgctxt"), msgid_plural=fields.get("msgid_plural", ""),
                 msgstr_plural=plural, origin=origin, flags=flags,
                 comment=fields.get("comment", ""), tcomment=tcomment,
                 occurrences=tuple(occurrences) if occurrences else (),
                 previous_msgid=fields.get("previous_msgid"),
                 first_line=fields["linenum"] or None)


def scan_records(text: str, *, path: Path) -> CatalogRecords | None:
    """The records of a strict PO text (validated as :func:`read_catalog` validates), or
    ``None`` where :func:`scan` leaves the text to the tolerant reader."""
    # the scanner on first parse only: a status whose catalogs are all cached never loads it
    from diglot.pofile.scan import parse_metadata, scan, split_header

    scanned = scan(text)
    if scanned is None:
        return None
    header, entries = scanned
    first = split_header(entries)
    if not entries:
        return None  # read_catalog reads a catalog of no entries (a falsy polib file) tolerantly
    metadata: dict[str, str] = {}
    header_line = 1
    if first is not None:
        header = first.get("tcomment") or header
        metadata = parse_metadata(first.get("msgstr", ""))
        header_line = header_line_of(first["line"], metadata)
    records = tuple(map(_record, entries))
    warnings = validate(((e.msgctxt, e.msgid, e.obsolete, e.line or e.first_line or 1,
                          e.flags, e.tcomment) for e in records),
                        has_header=first is not None, count=len(records),
                        header_line=header_line, where=path)
    return CatalogRecords(entries=records, metadata=metadata, header=header,
                          header_line=header_line, has_header=first is not None,
                          warnings=tuple(warnings))


_BABEL_PREVIOUS = re.compile(r"\|\s*msg(?:id|ctxt|id_plural)\b")


def validate(entries: Iterable[tuple[str | None, str, bool, int, Iterable[str], str]], *,
             has_header: bool, count: int, header_line: int,
             where: Path) -> list[tuple[int, str]]:
    """What msgfmt rejects in a catalog that parsed (no header, duplicates) and the warnings.

    ``entries`` give (msgctxt, msgid, obsolete, line, flags, translator comment) of every
    entry but the header, in file order.  Raises :class:`CatalogError`; returns the
    (line, message) warnings (an unknown flag, a Babel ``# |`` comment).
    """
    if not has_header and count:
        raise CatalogError("the catalog has no header entry (msgid \"\")", path=where, line=1,
                           hint="msgfmt needs one: copy the header of the template "
                                "(locales/<doc>.pot), or delete the file and run 'diglot update'")
    warnings: list[tuple[int, str]] = []
    seen: dict[tuple[str | None, str], int] = {}
    for msgctxt, msgid, obsolete, line, flags, tcomment in entries:
        key = (msgctxt, msgid)
        if key in seen or (msgid == "" and msgctxt is None):
            first = seen.get(key, header_line)
            what = "obsolete " if obsolete else ""
            raise CatalogError(f"duplicate {what}entry for msgid {msgid[:40]!r}",
                               path=where, line=line,
                               hint=f"merge it with the entry at line {first} (msgfmt "
                                    "rejects two entries with the same msgctxt and msgid)")
        seen[key] = line
        for flag in flags:
            if flag not in KNOWN_FLAGS and not flag.endswith("-format") and \
                    not flag.startswith("range:"):
                guess = " (read as 'fuzzy')" if is_fuzzy_flag(flag) else ""
                warnings.append((line, f"unknown flag '{flag}'{guess} — write "
                                       "'#, fuzzy' for a translation to review"))
        if tcomment and "|" in tcomment:
            for comment in tcomment.split("\n"):
                if _BABEL_PREVIOUS.match(comment):
                    warnings.append((line, "a '# |' comment (Babel's spelling of a "
                                           "previous msgid '#|') — delete it, or write "
                                           "'#| msgid' if the entry is fuzzy"))
    return warnings


def decode_catalog(path: Path) -> str:
    """The text of the PO/POT file at ``path`` in its declared charset."""
    return decode_bytes(catalog_bytes(path), path=path)


def catalog_bytes(path: Path) -> bytes:
    """The bytes of the PO/POT file at ``path`` (inside the project while confined)."""
    check_inside(path)  # the paths policy: never read a catalog linked from outside the project
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from exc


def decode_bytes(data: bytes, *, path: Path) -> str:
    """The text of the PO/POT file ``path`` whose bytes are ``data``, in its declared charset."""
    charset = _declared_charset(data)
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"not valid {charset}", path=path, line=line,
                           hint="diglot catalogs are UTF-8; re-save the file as UTF-8 and say "
                                "'charset=UTF-8' in its header") from exc


def _declared_charset(data: bytes) -> str:
    """The codec a file is read with: its header's charset if Python knows it, else UTF-8."""
    match = re.search(rb"charset=([\w.:-]+)", data[:4096])
    if match:
        name = match.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "utf-8"
    return "utf-8"


def read_records(path: Path, *, cache: Path | None = None) -> CatalogRecords:
    """Read a PO/POT file for reading only: what :func:`~diglot.pofile.reader.read_catalog`
    reads, as records; a broken file raises the same :class:`CatalogError`.

    ``cache``: a folder of parsed catalogs (a project's ``root / CATALOG_CACHE``): when it
    holds these bytes read by this code, the records come from it without parsing;
    otherwise the file is parsed and, if it is not broken, stored there.  A cache that
    cannot be read or written is passed over.
    """
    data = catalog_bytes(path)
    if cache is None:
        with collector_paused():  # tens of thousands of records, in no reference cycle
            return _parse_records(data, path)[0]
    where = recordcache.slot(cache, path, data)
    return cached_records(data, path, where, where.load())


def cached_records(data: bytes, path: Path, where: recordcache.Slot,
                   payload: bytes | None) -> CatalogRecords:
    """:func:`read_records` of the catalog file ``path`` whose bytes ``data`` were read
    already, for which the cache slot ``where`` gave ``payload`` (None: nothing): the
    records kept there if they are good, else parsed (and kept there unless broken)."""
    with collector_paused():  # tens of thousands of records, in no reference cycle
        found = _cached(payload)
        if found is not None:
            return found
        records, reader = _parse_records(data, path)
        packed = pack(_fields(records), reader=reader)
    if packed is not None:
        where.save(packed)
    return records


def _parse_records(data: bytes, path: Path) -> tuple[CatalogRecords, str]:
    """The records of a catalog's bytes, and the third-party reader that made them
    (``""``: diglot's own scan; ``"polib X.Y"``: the tolerant reader, on polib)."""
    text = decode_bytes(data, path=path)
    fast = scan_records(text, path=path)
    if fast is not None:
        return fast, ""
    import polib

    from diglot.pofile.reader import parse_catalog  # polib: only for what the scan leaves

    return CatalogRecords.of(parse_catalog(text, path=path)), _polib_tag(polib.__version__)


def _polib_tag(version: str) -> str:
    return f"polib {version}"


def _fields(records: CatalogRecords) -> tuple[tuple[Entry, ...], dict[str, str], str, int, bool,
                                              tuple[tuple[int, str], ...]]:
    return (records.entries, dict(records.metadata), records.header, records.header_line,
            records.has_header, records.warnings)


def _cached(payload: bytes | None) -> CatalogRecords | None:
    """The records in a cache file's payload; None if there is none or it is not good."""
    if payload is None:
        return None
    try:
        reader, fields = unpack(payload)
    except ValueError:
        return None
    if reader:
        import polib  # records the tolerant reader made: only with the same polib

        if reader != _polib_tag(polib.__version__):
            return None
    entries, metadata, header, header_line, has_header, warnings = fields
    return CatalogRecords(entries=entries, metadata=metadata, header=header,
                          header_line=header_line, has_header=has_header, warnings=warnings)


def read_translations(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The metadata of a PO file and the ``(msgid, msgstr)`` of its reviewed entries.

    Reviewed: live, singular, translated and not fuzzy (state ``TRANSLATED``),
    in file order: what :func:`read_records` says of the same file, for a
    translation memory's compendium, which needs nothing else.  A file in the
    shape msgcat writes is read one entry a match without a record per entry;
    any other (and a broken one, which raises as :func:`read_records` does) is
    read by :func:`read_records`.
    """
    return translations_of(catalog_bytes(path), path=path)


def translations_of(data: bytes, *, path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """:func:`read_translations` of the bytes ``data`` of the PO file ``path`` (named in
    errors, not read)."""
    found = _scan_translations(decode_bytes(data, path=path))
    if found is not None:
        return found
    records = _parse_records(data, path)[0]
    translated = EntryState.TRANSLATED
    return dict(records.metadata), [(e.msgid, e.msgstr) for e in records.records()
                                    if not e.msgid_plural and e.state is translated]


def _scan_translations(text: str) -> tuple[dict[str, str], list[tuple[str, str]]] | None:
    """:func:`read_translations` of a text :func:`~diglot.pofile.scan.scan_singulars` reads
    and :func:`validate` accepts; ``None`` for any other text (the full reader then reads it
    and says what is wrong)."""
    from diglot.pofile.scan import parse_metadata, scan_singulars

    found = scan_singulars(text)
    if found is None:
        return None
    header, entries = found
    seen: set[tuple[str | None, str]] = set()
    out: list[tuple[str, str]] = []
    append = out.append
    for flags, msgctxt, msgid, msgstr in entries:
        key = (msgctxt, msgid)
        if key in seen:
            return None  # a duplicate: the full reader's error
        seen.add(key)
        if msgstr and (not flags or not any(
                is_fuzzy_flag(flag.strip()) for line in flags[:-1].split("\n")
                for flag in line[3:].split(","))):
            append((msgid, msgstr))
    return parse_metadata(header), out
