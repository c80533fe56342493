"""The strict PO subset read fast: one scan shared by the polib reader and the record reader.

:func:`scan` reads the strict PO that diglot, msgmerge and editors write
into plain field dictionaries (polib's attribute names), or gives ``None``
at the first line outside that subset (odd spacing, ``#~|`` lines, line
breaks other than ``\\n``, lines out of the usual order...): the callers
then fall back to :mod:`diglot.pofile.tolerant` and its error reporting.

Two readers build on it:

- :func:`diglot.pofile.reader.read_catalog` makes polib objects of the
  fields, for the commands that edit and write catalogs;
- :func:`read_records` makes the frozen :class:`~diglot.pofile.record.Entry`
  records straight from them, for the commands that only read (``status``,
  ``check``): no polib object is made, and polib is not even imported unless
  a file needs the tolerant reader (or a string has an escape).

This module imports neither polib nor the writer, so a command that only
reads starts faster.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diglot.errors import CatalogError
from diglot.fileio import check_inside
from diglot.model import EntryState
from diglot.pofile.record import KNOWN_FLAGS, Entry, is_fuzzy_flag, origin_of, state_from

if TYPE_CHECKING:
    from diglot.pofile.reader import Catalog

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_POLIB_ESCAPE = re.compile(r'\\[ntr"\\]')
"""The escapes polib's ``unescape`` decodes; at any other (``\\a``, octal…) the fast path stops."""
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff]")
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgid_plural": "mp", "msgstr": "ms",
             **{f"msgstr[{n}]": "mx" for n in range(10)}}
_PREVIOUS = {"msgctxt": "pc", "msgid": "pm", "msgid_plural": "pp"}
_FIELDS = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
           "pc": "previous_msgctxt", "pm": "previous_msgid", "pp": "previous_msgid_plural"}
_AFTER = {"ct": ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"),
          "mi": ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx", "ct"),
          "mp": ("mi",), "ms": ("mi",), "mx": ("mp", "mx")}
"""Keyword lines the fast reader accepts after each state (a subset of polib's transitions)."""

Fields = dict[str, Any]
"""One entry as scanned: polib's attribute names (``msgid``, ``tcomment``, ``occurrences``…)
for what the file says, ``linenum`` (the entry's first line, 0 for the first entry) and
``line`` (its ``msgid`` keyword's line)."""


def _string(text: str) -> str | None:
    """The value of a quoted PO string (``"..."``), or ``None`` if it is not strictly one."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    inner = text[1:-1]
    if "\\" not in inner:
        return None if '"' in inner else inner
    if "\\" in _POLIB_ESCAPE.sub("", inner):
        return None
    if not _STRING.fullmatch(text):
        return None
    return _UNESCAPE.sub(_unescaped, inner)


_UNESCAPE = re.compile(r'\\([ntr"\\])')
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescaped(match: re.Match[str]) -> str:
    """What ``polib.unescape`` makes of the escapes :func:`_string` lets through (tested
    against it); polib itself stays unimported on the read-only path."""
    return _ESCAPED[match.group(1)]


_LINES = r'"[^\n]*"\n(?:"[^\n]*"\n)*'
_ENTRY = re.compile(
    r"(?P<tc>(?:# [^\n]*\S\n)*)(?P<gc>(?:#\. [^\n]*\S\n)*)(?P<oc>(?:#: [^\n]*\S\n)*)"
    r'(?P<fl>(?:#, [^\n]*\S\n)*)(?P<pv>(?:#\| [^\n]*"\n)*)'
    rf"(?:msgctxt (?P<ct>{_LINES}))?(?P<mi>msgid )(?P<id>{_LINES})msgstr (?P<ms>{_LINES})"
    r"(?:\n|\Z)")
"""A live singular entry as msgcat writes it: comments in msgcat's order, every line without
spaces around it, a blank line after it.  Each line means to :func:`_scan_lines` exactly what
:func:`_matched` takes it to mean; :func:`scan` leaves the rest of a file to the line machine
at the first entry of another shape."""


def _value(lines: str) -> str | None:
    """The value of a field's string lines (``"a"\\n"b"\\n``), ``None`` if one is not strict."""
    if "\\" not in lines and lines.count('"') == 2 * lines.count("\n"):
        return lines[1:-2].replace('"\n"', "")  # no escape, no quote inside: the lines joined
    parts = [_string(line) for line in lines[:-1].split("\n")]
    return None if None in parts else "".join(parts)  # type: ignore[arg-type]


def _joined(lines: str, start: int) -> str:
    """Comment lines (each ending in ``\\n``) without their ``start``-character marker."""
    return "\n".join(line[start:] for line in lines[:-1].split("\n"))


def _matched(groups: tuple[str, ...], entry: Fields) -> bool:
    """Fill ``entry`` with the references, flags, previous strings and context of a match of
    :data:`_ENTRY` (``groups``); ``False`` where the line machine would give up on a string."""
    oc, fl, pv, ct = groups[2:6]
    if oc:
        # one "#: " line: its words after the marker are the line's (whitespace splits both)
        found = oc.split()[1:] if oc.count("\n") == 1 else [
            occurrence for line in oc[:-1].split("\n") for occurrence in line[3:].split()]
        occurrences = entry["occurrences"] = []
        for occurrence in found:
            where, colon, at = occurrence.rpartition(":")
            occurrences.append((where, at) if colon and at.isdigit() else (occurrence, ""))
    if fl:
        entry["flags"] = [flag.strip() for line in fl[:-1].split("\n")
                          for flag in line[3:].split(",")]
    if pv:
        field = None
        for line in pv[:-1].split("\n"):
            if line.startswith('#| "'):
                value = _string(line[3:])
                if value is None or field is None:
                    return False
                entry[field] += value
                continue
            keyword, _, rest = line[3:].partition(" ")
            code = _PREVIOUS.get(keyword)
            value = _string(rest)
            if code is None or value is None:
                return False
            field = _FIELDS[code]
            entry[field] = value
    if ct is not None:
        context = _value(ct)
        if context is None:
            return False
        entry["msgctxt"] = context
    return True


def scan(text: str) -> tuple[str, list[Fields]] | None:
    """The header comment and the entries of a strict PO text, or ``None`` outside the subset.

    Entries (the header entry included, first) come in file order, as polib's parser
    would make them; :func:`split_header` takes the header entry off.  Entries of the
    common shape (:data:`_ENTRY`) are read a whole entry at a time; from the first one of
    another shape on, the text is read line by line (:func:`_scan_lines`), as if all were.
    """
    if _ODD_BREAKS.search(text):
        return None
    header = ""
    entries: list[Fields] = []
    entry: Fields = {}
    pos = 0
    number = 1  # the line at pos
    match = _ENTRY.match
    count = text.count
    append = entries.append
    while pos < len(text):
        m = match(text, pos)
        if m is None:
            break
        groups = m.groups()
        tc, gc, oc, fl, pv, ct, _, msgid, msgstr = groups
        start = number
        if entry:
            append(entry)
            entry = {"linenum": start}
            if tc:
                entry["tcomment"] = _joined(tc, 2)
        else:
            entry = {"linenum": 0}
            if tc:
                header = _joined(tc, 2)
        if gc:
            entry["comment"] = gc[3:-1] if gc.count("\n") == 1 else _joined(gc, 3)
        if (oc or fl or pv or ct is not None) and not _matched(groups, entry):
            return None
        # each field's lines joined (no escape, no quote inside), else string by string
        if "\\" not in msgid and msgid.count('"') == 2 * msgid.count("\n"):
            entry["msgid"] = msgid[1:-2].replace('"\n"', "")
        elif (value := _value(msgid)) is not None:
            entry["msgid"] = value
        else:
            return None
        if "\\" not in msgstr and msgstr.count('"') == 2 * msgstr.count("\n"):
            entry["msgstr"] = msgstr[1:-2].replace('"\n"', "")
        elif (value := _value(msgstr)) is not None:
            entry["msgstr"] = value
        else:
            return None
        if entries and not entry["msgid"]:
            return None  # a second header (the line machine gives up on it at the end)
        entry["obsolete"] = 0
        entry["line"] = line = start + count("\n", pos, m.start(7))
        pos = m.end()
        number = line + count("\n", m.start(7), pos)
    if pos >= len(text) and entry:
        entries.append(entry)
        return header, entries
    return _scan_lines(text[pos:], number - 1, header, entries, entry)


def _scan_lines(text: str, offset: int, header: str, entries: list[Fields],
                entry: Fields) -> tuple[str, list[Fields]] | None:
    """:func:`scan` of ``text``, line by line, after ``entries`` and the ``entry`` being read
    (lines numbered from ``offset`` + 1; an empty ``entry``: ``text`` is the whole file)."""
    state = "ms" if entry else "st"
    if not entry:
        entry = {"linenum": 0}
    plural_index = 0
    more: list[str] = []  # continuation strings of the field being read, joined once (linear)

    for number, line in enumerate(text.split("\n"), offset + 1):
        if not line:
            continue
        if line[0].isspace() or line[-1].isspace():
            line = line.strip()
            if not line:
                continue
        if more and line[0] != '"' and not line.startswith(('#| "', '#~ "', '#~| "')):
            if state == "mx":
                entry["msgstr_plural"][plural_index] += "".join(more)
            else:
                entry[_FIELDS[state]] += "".join(more)
            more.clear()
        obsolete = 0
        if line[0] == "#":
            if line.startswith("#~| "):
                line = "#|" + line[3:]  # an obsolete entry's previous msgid: as "#| "
            kind = line[:3]
            if kind == "#~ ":
                line = line[3:].lstrip()
                if line[0] not in 'm"':
                    return None
                obsolete = 1
            elif line.startswith('#| "'):
                pass
            else:
                # A comment or previous-msgid line: it may start a new entry.
                if state in ("ms", "mx"):
                    entries.append(entry)
                    entry = {"linenum": number}
                elif state in ("ct", "mi", "mp"):
                    return None
                if kind == "#. ":
                    comment = entry.get("comment")
                    entry["comment"] = f"{comment}\n{line[3:]}" if comment else line[3:]
                    state = "gc"
                elif kind == "#: ":
                    occurrences = entry.setdefault("occurrences", [])
                    for occurrence in line[3:].split():
                        where, colon, at = occurrence.rpartition(":")
                        if colon and at.isdigit():
                            occurrences.append((where, at))
                        else:
                            occurrences.append((occurrence, ""))
                    state = "oc"
                elif kind == "#, ":
                    entry.setdefault("flags", []).extend(
                        flag.strip() for flag in line[3:].split(","))
                    state = "fl"
                elif kind[:2] == "# " or line == "#":
                    if state in ("st", "he"):
                        header = f"{header}\n{line[2:]}" if header else line[2:]
                        state = "he"
                    else:
                        tcomment = entry.get("tcomment")
                        entry["tcomment"] = f"{tcomment}\n{line[2:]}" if tcomment else line[2:]
                        state = "tc"
                elif kind == "#| ":
                    keyword, _, rest = line[3:].partition(" ")
                    code = _PREVIOUS.get(keyword)
                    value = _string(rest)
                    if code is None or value is None:
                        return None
                    entry[_FIELDS[code]] = value
                    state = code
                else:
                    return None
                continue
        if line[0] == "m":
            keyword, _, rest = line.partition(" ")
            code = _KEYWORDS.get(keyword)
            value = _string(rest)
            if code is None or value is None or state not in _AFTER[code]:
                return None
            if state in ("ms", "mx") and code in ("ct", "mi"):
                entries.append(entry)
                entry = {"linenum": number}
            if code == "mx":
                plural_index = int(keyword[7])
                plurals = entry.setdefault("msgstr_plural", {})
                if plural_index != len(plurals):
                    return None
                plurals[plural_index] = value
            elif code == "mi":
                entry["line"] = number
                entry["msgid"] = value
                entry["obsolete"] = obsolete
            else:
                entry[_FIELDS[code]] = value
            state = code
        else:
            # A continuation line ("..." or #| "...") adds to the string above it.
            previous = line[0] == "#"
            value = _string(line[3:] if previous else line)
            if value is None or (state in ("pc", "pm", "pp")) != previous:
                return None
            if state != "mx" and state not in _FIELDS:
                return None
            more.append(value)
    if more:
        if state == "mx":
            entry["msgstr_plural"][plural_index] += "".join(more)
        else:
            entry[_FIELDS[state]] += "".join(more)
    if state not in ("ms", "mx"):
        return None
    entries.append(entry)
    if any(e["msgid"] == "" and not e["obsolete"] for e in entries[1:]):
        return None
    return header, entries


def split_header(entries: list[Any], *, msgid: str = "msgid") -> Any | None:
    """Take a leading header entry (``msgid ""``, live, no context) off ``entries``; return it.

    ``entries`` are polib entries or scanned :data:`Fields` (``msgid`` names how to get one's
    msgid) — the one rule, as polib's parser applies it.
    """
    if not entries:
        return None
    first = entries[0]
    if isinstance(first, dict):
        if first["msgid"] != "" or first["obsolete"] or first.get("msgctxt"):
            return None
    elif first.msgid != "" or first.obsolete or first.msgctxt:
        return None
    return entries.pop(0)


def parse_metadata(msgstr: str) -> dict[str, str]:
    """A header entry's ``msgstr`` as polib reads it into a catalog's metadata."""
    metadata: dict[str, str] = {}
    key = None
    for message in msgstr.split("\n"):
        if not message:
            continue
        try:
            key, val = message.split(":", 1)
            metadata[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                metadata[key] += "\n" + message.strip()
    return metadata


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
        return {e.msgid: e for e in self.entries if e.msgctxt is None and not e.obsolete}

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogRecords:
        """The records of a catalog read by polib's side (the tolerant reader's)."""
        return cls(entries=catalog.records(obsolete=True), metadata=dict(catalog.metadata),
                   header=catalog.header or "", header_line=catalog.header_line,
                   has_header=catalog.has_header, warnings=tuple(catalog.warnings))


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
        header_line = (first["line"] or 1) if metadata else 1
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
    check_inside(path)  # the paths policy: never read a catalog linked from outside the project
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from exc
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


def read_records(path: Path) -> CatalogRecords:
    """Read a PO/POT file for reading only: what :func:`~diglot.pofile.reader.read_catalog`
    reads, as records; a broken file raises the same :class:`CatalogError`."""
    text = decode_catalog(path)
    fast = scan_records(text, path=path)
    if fast is not None:
        return fast
    from diglot.pofile.reader import parse_catalog  # polib: only for what the scan leaves

    return CatalogRecords.of(parse_catalog(text, path=path))
