"""Reading PO/POT files: a fast path for strict PO, polib for the rest, line numbers kept.

:func:`read_catalog` gives a :class:`Catalog` (a :class:`polib.POFile` that
also knows the line of every entry's ``msgid``), or raises
:class:`~diglot.errors.CatalogError` naming the file and line.  The strict
PO that diglot, msgmerge and editors write is read by :func:`_fast_pofile`
(several times faster than polib's parser, the same entries); anything else
falls back to polib.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from pathlib import Path
from typing import Any

import polib

from diglot.errors import CatalogError
from diglot.pofile.record import Entry, record

WRAP_WIDTH = 79
_MSGID_LINE = re.compile(r"[ \t]*(?:#~[ \t]*)?msgid[ \t]")


class Catalog(polib.POFile):  # type: ignore[misc]
    """A polib catalog that remembers, for the entries read from a file, their msgid lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.msgid_lines: dict[int, int] = {}
        """``entry.linenum`` (where an entry starts) → line of its ``msgid`` keyword."""

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


def _record_lines(catalog: Catalog, text: str) -> None:
    """Fill ``catalog.msgid_lines`` for a catalog polib read from ``text``."""
    starts = [n for n, line in enumerate(text.split("\n"), 1) if _MSGID_LINE.match(line)]
    first = [0, *(e.linenum or 0 for e in catalog)]
    for start in first:
        index = bisect_left(starts, max(start, 1))
        if index < len(starts):
            catalog.msgid_lines[start] = starts[index]


_PO_LINE = re.compile(
    r'^(?:#~\|?\s*)?(?:#\|\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?'
    r'"(?:[^"\\]|\\.)*"\s*$'
)


def _check_syntax(text: str, path: Path) -> None:
    """Find the first line polib would misread silently (an unterminated string)."""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#~", "#|"))):
            continue
        if stripped.startswith(("#~", "#|")) and '"' not in stripped:
            continue
        if not _PO_LINE.match(stripped):
            raise CatalogError(
                f"cannot read this line: {stripped[:60]!r}",
                path=path,
                line=number,
                hint="a string must be one line in double quotes with \\\" and \\n escapes; "
                "compare with the entry above it, or run 'msgfmt --check' on the file",
            )


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff]")
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgid_plural": "mp", "msgstr": "ms",
             **{f"msgstr[{n}]": "mx" for n in range(10)}}
_PREVIOUS = {"msgctxt": "pc", "msgid": "pm", "msgid_plural": "pp"}
_FIELDS = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
           "pc": "previous_msgctxt", "pm": "previous_msgid", "pp": "previous_msgid_plural"}
_AFTER = {"ct": ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"),
          "mi": ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx", "ct"),
          "mp": ("mi",), "ms": ("mi",), "mx": ("mi", "mp", "mx")}
"""Keyword lines the fast reader accepts after each state (a subset of polib's transitions)."""


def _string(text: str) -> str | None:
    """The value of a quoted PO string (``"..."``), or ``None`` if it is not strictly one."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    inner = text[1:-1]
    if "\\" not in inner:
        return None if '"' in inner else inner
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
    to polib and its error reporting.  Every line it accepts passes
    :func:`_check_syntax`.  Tested entry for entry against polib.
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
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line[0].isspace() or line[-1].isspace():
            line = line.strip()
            if not line:
                continue
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
            if state == "mx":
                entry.msgstr_plural[plural_index] += value
            elif state in _FIELDS:
                name = _FIELDS[state]
                setattr(entry, name, getattr(entry, name) + value)
            else:
                return None
    if state not in ("ms", "mx"):
        return None
    entries.append(entry)
    if any(e.msgid == "" and not e.obsolete for e in entries[1:]):
        return None
    if entries[0].msgid == "" and not entries[0].obsolete:
        # The header entry becomes metadata, exactly as polib's parser does it.
        metadata = entries.pop(0)
        catalog.metadata_is_fuzzy = metadata.flags
        key = None
        for message in metadata.msgstr.splitlines():
            try:
                key, val = message.split(":", 1)
                catalog.metadata[key] = val.strip()
            except (ValueError, KeyError):
                if key is not None:
                    catalog.metadata[key] += "\n" + message.strip()
    catalog.extend(entries)
    catalog.wrapwidth = wrapwidth
    return catalog


def read_catalog(path: Path, *, shown: Path | None = None) -> Catalog:
    """Read a PO/POT file; a broken one raises :class:`CatalogError` naming file and line."""
    where = shown or path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=where) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8", path=where, line=line,
                           hint="diglot catalogs are UTF-8; re-save the file as UTF-8") from exc
    return parse_catalog(text, shown=where)


def parse_catalog(text: str, *, shown: Path) -> Catalog:
    """The catalog in ``text`` (a PO/POT file's content, shown to the user as ``shown``)."""
    where = shown
    fast = _fast_pofile(text, WRAP_WIDTH)
    if fast is None:
        _check_syntax(text, where)
    try:
        if fast is not None:
            catalog = fast
        else:
            catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False,
                                   klass=Catalog)
            _record_lines(catalog, text)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(str(exc).split(" in po file")[0], path=where,
                           line=int(match.group(1)) if match else None,
                           hint="fix the entry, or run 'msgfmt --check' on the file") from exc
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        line = catalog.line_of(entry) or entry.linenum
        if key in seen:
            raise CatalogError(f"duplicate entry for msgid {entry.msgid[:40]!r}", path=where,
                               line=line, hint=f"merge it with the entry at line {seen[key]}")
        seen[key] = line or 0
    return catalog
