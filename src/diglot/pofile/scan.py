"""The strict PO subset read fast: one scan shared by the polib reader and the record reader.

:func:`scan` reads the strict PO that diglot, msgmerge and editors write
into plain field dictionaries (polib's attribute names), or gives ``None``
at the first line outside that subset (odd spacing, ``#~|`` lines, line
breaks other than ``\\n``, lines out of the usual order...): the callers
then fall back to :mod:`diglot.pofile.tolerant` and its error reporting.
:func:`diglot.pofile.reader.read_catalog` makes polib objects of the fields
(for the commands that edit and write catalogs);
:func:`diglot.pofile.readonly.read_records` makes frozen records of them (for
the commands that only read).  Neither polib nor the writer is imported here.
"""

from __future__ import annotations

import re
from typing import Any

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
        if (msgid_value := _value(msgid)) is None or (msgstr_value := _value(msgstr)) is None:
            return None
        entry["msgid"] = msgid_value
        entry["msgstr"] = msgstr_value
        if entries and not msgid_value:
            return None  # a second header (the line machine gives up on it at the end)
        entry["obsolete"] = 0
        entry["line"] = line = start + count("\n", pos, m.start(7))
        pos = m.end()
        number = line + count("\n", m.start(7), pos)
    if pos >= len(text) and entry:
        entries.append(entry)
        return header, entries
    return _scan_lines(text[pos:], number - 1, header, entries, entry)


def scan_singulars(text: str) -> tuple[str, list[tuple[str, str | None, str, str]]] | None:
    """The header entry's msgstr and each entry's ``(flags lines, msgctxt, msgid, msgstr)``
    of a text made only of a header entry and live singular entries of :data:`_ENTRY`'s shape,
    every string read as :func:`scan` reads it; ``None`` for any other text.

    For a reader that needs only the strings (a translation memory's compendium): no field
    dictionary per entry, the flag lines left as written (``#, fuzzy\n``).
    """
    if _ODD_BREAKS.search(text):
        return None
    match = _ENTRY.match
    first = match(text)
    if first is None or first.group("ct") is not None or first.group("id") != '""\n':
        return None  # no header entry first
    header = _value(first.group("ms"))
    if header is None or not _matched(first.groups(), {}):
        return None
    pos = first.end()
    out: list[tuple[str, str | None, str, str]] = []
    append = out.append
    while pos < len(text):
        m = match(text, pos)
        if m is None:
            return None  # another shape from here on (an obsolete or plural entry...)
        _, _, _, flags, previous, context, _, msgid_lines, msgstr_lines = m.groups()
        pos = m.end()
        msgid = _value(msgid_lines)
        msgstr = _value(msgstr_lines)
        if msgid is None or msgstr is None or not msgid:
            return None  # a string outside the strict subset, or a second header
        msgctxt = None
        if previous or context is not None:
            fields: Fields = {}
            if not _matched(("", "", "", "", previous, context), fields):
                return None
            msgctxt = fields.get("msgctxt")
        append((flags, msgctxt, msgid, msgstr))
    return (header, out) if out else None  # a header alone: the full reader reads it


def _add_more(entry: Fields, state: str, plural_index: int, more: list[str]) -> None:
    """Append a field's continuation strings (``more``) to the field being read."""
    if state == "mx":
        entry["msgstr_plural"][plural_index] += "".join(more)
    else:
        entry[_FIELDS[state]] += "".join(more)


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
            _add_more(entry, state, plural_index, more)
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
        _add_more(entry, state, plural_index, more)
    if state not in ("ms", "mx"):
        return None
    entries.append(entry)
    if any(e["msgid"] == "" and not e["obsolete"] for e in entries[1:]):
        return None
    return header, entries


def split_header(entries: list[Any]) -> Any | None:
    """Take a leading header entry (``msgid ""``, live, no context) off ``entries``; return it.

    ``entries`` are polib entries or scanned :data:`Fields`: the one rule for both.
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
