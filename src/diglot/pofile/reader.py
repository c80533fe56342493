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

from diglot.errors import CatalogError
from diglot.fileio import check_inside
from diglot.pofile.record import KNOWN_FLAGS, Entry, is_fuzzy_flag, record
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
        return self.msgid_lines.get(0) or 1 if self.metadata else 1

    def records(self, *, obsolete: bool = False) -> tuple[Entry, ...]:
        """Every entry as a frozen record, in file order (obsolete ones only if asked)."""
        return tuple(record(e, self.line_of(e)) for e in self if obsolete or not e.obsolete)

    def by_msgid(self) -> dict[str, Entry]:
        """The live entries without a context, by msgid (what an edition looks up)."""
        return {e.msgid: e for e in self.records() if e.msgctxt is None}


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_POLIB_ESCAPE = re.compile(r'\\[ntr"\\]')
"""The escapes polib's ``unescape`` decodes; at any other (``\\a``, octal…) the fast path stops."""
_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')
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


def _string(text: str) -> str | None:
    """The value of a quoted PO string (``"..."``), or ``None`` if it is not strictly one."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    inner = text[1:-1]
    if "\\" not in inner:
        return None if '"' in inner else inner
    if "\\" in _POLIB_ESCAPE.sub("", inner):
        return None
    return polib.unescape(inner) if _STRING.fullmatch(text) else None


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
    metadata) as polib's reader, or ``None`` at the first line outside the
    strict subset it knows (odd spacing, ``#~|`` lines, line breaks other
    than ``\\n``, lines out of the usual order...): the caller then falls back
    to :func:`~diglot.pofile.tolerant.parse_tolerant` and its error reporting.
    Tested entry for entry against polib.
    """
    if _ODD_BREAKS.search(text):
        return None
    catalog = Catalog(encoding=_encoding(text), check_for_duplicates=False)
    lines = catalog.msgid_lines
    new_entry = polib.POEntry
    entries: list[polib.POEntry] = []
    entry = new_entry(linenum=0)
    state = "st"
    plural_index = 0
    more: list[str] = []  # continuation strings of the field being read, joined once (linear)

    def add_more() -> None:
        if state == "mx":
            entry.msgstr_plural[plural_index] += "".join(more)
        else:
            name = _FIELDS[state]
            setattr(entry, name, getattr(entry, name) + "".join(more))
        more.clear()

    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line[0].isspace() or line[-1].isspace():
            line = line.strip()
            if not line:
                continue
        if more and line[0] != '"' and not line.startswith(('#| "', '#~ "', '#~| "')):
            add_more()
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
                    entry = new_entry(linenum=number)
                elif state in ("ct", "mi", "mp"):
                    return None
                if kind == "#. ":
                    entry.comment = f"{entry.comment}\n{line[3:]}" if entry.comment else line[3:]
                    state = "gc"
                elif kind == "#: ":
                    for occurrence in line[3:].split():
                        where, colon, at = occurrence.rpartition(":")
                        if colon and at.isdigit():
                            entry.occurrences.append((where, at))
                        else:
                            entry.occurrences.append((occurrence, ""))
                    state = "oc"
                elif kind == "#, ":
                    entry.flags += [flag.strip() for flag in line[3:].split(",")]
                    state = "fl"
                elif kind[:2] == "# " or line == "#":
                    if state in ("st", "he"):
                        catalog.header = f"{catalog.header}\n{line[2:]}" if catalog.header \
                            else line[2:]
                        state = "he"
                    else:
                        entry.tcomment = (f"{entry.tcomment}\n{line[2:]}" if entry.tcomment
                                          else line[2:])
                        state = "tc"
                elif kind == "#| ":
                    keyword, _, rest = line[3:].partition(" ")
                    code = _PREVIOUS.get(keyword)
                    value = _string(rest)
                    if code is None or value is None:
                        return None
                    setattr(entry, _FIELDS[code], value)
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
                entry = new_entry(linenum=number)
            if code == "mx":
                plural_index = int(keyword[7])
                if plural_index != len(entry.msgstr_plural):
                    return None
                entry.msgstr_plural[plural_index] = value
            elif code == "mi":
                lines[entry.linenum] = number
                entry.msgid = value
                entry.obsolete = obsolete
            else:
                setattr(entry, _FIELDS[code], value)
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
        add_more()
    if state not in ("ms", "mx"):
        return None
    entries.append(entry)
    if any(e.msgid == "" and not e.obsolete for e in entries[1:]):
        return None
    _take_header(catalog, entries)
    catalog.extend(entries)
    catalog.wrapwidth = wrapwidth
    return catalog


def _take_header(catalog: Catalog, entries: list[polib.POEntry]) -> None:
    """Move a leading header entry into ``catalog``'s metadata, exactly as polib's parser does."""
    if not entries or entries[0].msgid != "" or entries[0].obsolete or entries[0].msgctxt:
        return
    metadata = entries.pop(0)
    catalog.has_header = True
    catalog.header = metadata.tcomment or catalog.header
    catalog.metadata_is_fuzzy = metadata.flags
    key = None
    for message in metadata.msgstr.split("\n"):
        if not message:
            continue
        try:
            key, val = message.split(":", 1)
            catalog.metadata[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                catalog.metadata[key] += "\n" + message.strip()


def read_catalog(path: Path) -> Catalog:
    """Read a PO/POT file; a broken one raises :class:`CatalogError` naming file and line."""
    check_inside(path)  # the paths policy: never read a catalog linked from outside the project
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from exc
    charset = _declared_charset(data)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"not valid {charset}", path=path, line=line,
                           hint="diglot catalogs are UTF-8; re-save the file as UTF-8 and say "
                                "'charset=UTF-8' in its header") from exc
    return parse_catalog(text, path=path)


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
    if not catalog.has_header and len(catalog):
        raise CatalogError("the catalog has no header entry (msgid \"\")", path=where, line=1,
                           hint="msgfmt needs one: copy the header of the template "
                                "(locales/<doc>.pot), or delete the file and run 'diglot update'")
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog:
        key = (entry.msgctxt, entry.msgid)
        line = catalog.line_of(entry) or entry.linenum or 1
        if key in seen or (entry.msgid == "" and entry.msgctxt is None):
            first = seen.get(key, catalog.header_line)
            what = "obsolete " if entry.obsolete else ""
            raise CatalogError(f"duplicate {what}entry for msgid {entry.msgid[:40]!r}",
                               path=where, line=line,
                               hint=f"merge it with the entry at line {first} (msgfmt "
                                    "rejects two entries with the same msgctxt and msgid)")
        seen[key] = line
        for flag in entry.flags:
            if flag not in KNOWN_FLAGS and not flag.endswith("-format") and \
                    not flag.startswith("range:"):
                guess = " (read as 'fuzzy')" if is_fuzzy_flag(flag) else ""
                catalog.warnings.append((line, f"unknown flag '{flag}'{guess} — write "
                                               "'#, fuzzy' for a translation to review"))
        for comment in (entry.tcomment or "").split("\n"):
            if re.match(r"\|\s*msg(?:id|ctxt|id_plural)\b", comment):
                catalog.warnings.append((line, "a '# |' comment (Babel's spelling of a "
                                               "previous msgid '#|') — delete it, or write "
                                               "'#| msgid' if the entry is fuzzy"))
