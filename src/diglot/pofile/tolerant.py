"""Reading any PO file GNU ``msgfmt --check`` reads, and naming the real cause when it would not.

The fast reader (:mod:`diglot.pofile.reader`) takes the strict PO that
diglot, msgmerge and editors write; everything else comes here.  As GNU's
lexer does, this reader accepts a flag, extracted or reference comment with
no space after its marker (``#,fuzzy``, ``#.note``, ``#:a.md:1``), a keyword
glued to its string (``msgid"a"``), any spacing or indentation, CRLF line
ends, raw U+2028, NEL, VT, FF, tabs and control characters inside strings,
and the C escapes (``\\a \\b \\f \\v``, octal, ``\\x``).  What msgfmt rejects
raises :class:`~diglot.errors.CatalogError` at the line of the cause: a
byte-order mark, a merge-conflict marker, an empty file, an unterminated
string, an invalid escape, an entry cut off before its ``msgstr``, a
comment between ``msgid`` and ``msgstr``, a plural index out of order, text
that is not PO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from diglot.errors import CatalogError

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?![\w\[])")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"'}
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_SPACE = " \t\r\f\v"


def _fail(what: str, line: int, hint: str, where: Path) -> CatalogError:
    return CatalogError(what, path=where, line=line, hint=hint)


def unescape(body: str, line: int, where: Path) -> str:
    """The value of a PO string's content (between its quotes), GNU's escapes decoded."""
    if "\\" not in body:
        return body
    out: list[str] = []
    at, size = 0, len(body)
    while at < size:
        char = body[at]
        if char != "\\":
            out.append(char)
            at += 1
            continue
        code = body[at + 1] if at + 1 < size else ""
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            at += 2
        elif code in "01234567" and code:
            digits = re.match(r"[0-7]{1,3}", body[at + 1:])
            assert digits is not None
            out.append(chr(int(digits.group(), 8)))
            at += 1 + len(digits.group())
        elif code == "x" and re.match(r"[0-9a-fA-F]", body[at + 2:at + 3]):
            digits = re.match(r"[0-9a-fA-F]+", body[at + 2:])
            assert digits is not None
            out.append(chr(int(digits.group(), 16) & 0xFF))
            at += 2 + len(digits.group())
        else:
            raise _fail(f"invalid escape '\\{code}' in a string", line,
                        "write '\\\\' for a backslash; the escapes are \\n \\t \\\" \\\\", where)
    return "".join(out)


def _strings(text: str, line: int, where: Path) -> str:
    """The value of one line's quoted string(s) (``"a" "b"`` concatenates, as GNU does)."""
    rest = text.strip(_SPACE)
    value = []
    while rest:
        if rest[0] != '"':
            raise _fail(f"unexpected text {rest[:30]!r} where a quoted string should be", line,
                        "a PO line is a keyword and a string in double quotes; put any text "
                        "inside the quotes", where)
        end = 1
        while end < len(rest) and rest[end] != '"':
            end += 2 if rest[end] == "\\" else 1
        if end >= len(rest):
            raise _fail("the string has no closing quote on this line", line,
                        "end the line with \"; a line break inside a string is written \\n",
                        where)
        value.append(unescape(rest[1:end], line, where))
        rest = rest[end + 1:].lstrip(_SPACE)
    return "".join(value)


@dataclass
class _Entry:
    start: int
    comments: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    """Each field's strings as read, joined at the end (adding to a growing string is quadratic)."""
    plural: dict[int, list[str]] = field(default_factory=dict)
    msgid_line: int = 0
    obsolete: bool = False
    last: str = ""
    """The field that continuation lines add to (``msgstr[1]``, ``previous_msgid``…)."""

    @property
    def started(self) -> bool:
        return "msgid" in self.fields or "msgctxt" in self.fields

    @property
    def complete(self) -> bool:
        return "msgstr" in self.fields or bool(self.plural)


def _to_polib(entry: _Entry) -> polib.POEntry:
    fields = {name: "".join(parts) for name, parts in entry.fields.items()}
    out = polib.POEntry(linenum=entry.start, obsolete=entry.obsolete,
                        msgid=fields.get("msgid", ""),
                        msgstr=fields.get("msgstr", ""),
                        msgid_plural=fields.get("msgid_plural", ""),
                        msgstr_plural={i: "".join(parts) for i, parts in entry.plural.items()})
    for name in ("msgctxt", "previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        if name in fields:
            setattr(out, name, fields[name])
    for kind, text in entry.comments:
        if kind == ",":
            out.flags += [f.strip() for f in text.split(",") if f.strip()]
        elif kind == ".":
            out.comment = f"{out.comment}\n{text}" if out.comment else text
        elif kind == ":":
            for ref in text.split():
                path, colon, number = ref.rpartition(":")
                out.occurrences.append((path, number) if colon and number.isdigit()
                                       else (ref, ""))
        else:
            out.tcomment = f"{out.tcomment}\n{text}" if out.tcomment else text
    return out


def _comment(body: str) -> tuple[str, str]:
    """A comment line (without its ``#``) as (kind, text): kind ``,``, ``.``, ``:`` or ``#``."""
    kind = body[:1] if body[:1] in (",", ".", ":") else "#"
    text = body[1:] if kind != "#" else body
    return kind, text[1:] if text.startswith(" ") else text


def parse_tolerant(text: str, where: Path) -> tuple[list[polib.POEntry], dict[int, int]]:
    """Every entry of ``text`` (header included) and, by entry start line, its msgid line."""
    if text.startswith("\ufeff"):
        raise _fail("the file starts with a byte-order mark (BOM)", 1,
                    "msgfmt rejects it: save the file as UTF-8 without BOM", where)
    if not text.strip():
        raise _fail("the file is empty", 1,
                    "restore it from version control, or delete it and run 'diglot update'",
                    where)
    entries: list[_Entry] = []
    entry = _Entry(start=1)

    def finish(number: int) -> _Entry:
        if entry.started and not entry.complete:
            raise _fail("this entry has no msgstr", entry.msgid_line or entry.start,
                        "add 'msgstr \"\"' after its msgid (the file may have been cut off)",
                        where)
        if entry.started:
            entries.append(entry)
        return _Entry(start=number)

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip(_SPACE)
        if not line:
            continue
        if line.startswith(_CONFLICT):
            raise _fail("a merge-conflict marker", number,
                        "resolve the conflict: keep one version of the entries between the "
                        "<<<<<<< and >>>>>>> lines and delete the marker lines", where)
        previous = obsolete = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:].lstrip(_SPACE)
            if line.startswith("|"):
                previous, line = True, line[1:].lstrip(_SPACE)
            if not line:
                continue
        elif line.startswith("#|"):
            previous, line = True, line[2:].lstrip(_SPACE)
        elif line.startswith("#"):
            if entry.started and not entry.complete:
                raise _fail("a comment between msgid and msgstr", number,
                            "move the comment above the entry's msgid", where)
            if entry.complete:
                entry = finish(number)
            if not entry.comments and not entry.started:
                entry.start = number
            entry.comments.append(_comment(line[1:]))
            continue
        keyword = _KEYWORD.match(line)
        if keyword is None:
            if not line.startswith('"'):
                word = re.match(r"\S+", line)
                raise _fail(f"'{word.group() if word else line}' is not a PO keyword", number,
                            "a PO line starts with msgid, msgstr, msgctxt, msgid_plural, a "
                            "quoted string or #", where)
            if not entry.last:
                raise _fail("a string with no keyword before it", number,
                            "put it after the msgid or msgstr it continues", where)
            value = _strings(line, number, where)
            if entry.last.startswith("msgstr["):
                entry.plural[int(entry.last[7:-1])].append(value)
            else:
                entry.fields[entry.last].append(value)
            continue
        name, index = keyword.group(1), keyword.group(2)
        value = _strings(line[keyword.end():], number, where)
        if previous:
            if name == "msgstr":
                raise _fail("a previous msgstr ('#| msgstr')", number,
                            "only msgctxt, msgid and msgid_plural have previous versions", where)
            if entry.complete:
                entry = finish(number)
            entry.fields[f"previous_{name}"] = [value]
            entry.last = f"previous_{name}"
            continue
        if name in ("msgctxt", "msgid"):
            if entry.complete or (name == "msgctxt" and entry.started) or (
                    name == "msgid" and "msgid" in entry.fields):
                if entry.started and not entry.complete:
                    raise _fail("this entry has no msgstr", entry.msgid_line or entry.start,
                                "add 'msgstr \"\"' after its msgid", where)
                entry = finish(number)
            entry.fields[name] = [value]
            entry.obsolete = obsolete
            if name == "msgid":
                entry.msgid_line = number
            entry.last = name
        elif name == "msgid_plural":
            if "msgid" not in entry.fields or entry.complete:
                raise _fail("msgid_plural without a msgid before it", number,
                            "write the singular msgid first", where)
            entry.fields[name] = [value]
            entry.last = name
        elif index is None:
            if "msgid" not in entry.fields or entry.complete:
                raise _fail("msgstr without a msgid before it", number,
                            "every entry is msgid then msgstr", where)
            if "msgid_plural" in entry.fields:
                raise _fail("a plural entry with a plain msgstr", number,
                            "write msgstr[0], msgstr[1]… for an entry with msgid_plural",
                            where)
            entry.fields["msgstr"] = [value]
            entry.last = "msgstr"
        else:
            if "msgid_plural" not in entry.fields or "msgstr" in entry.fields:
                raise _fail(f"msgstr[{index}] in an entry without msgid_plural", number,
                            "write msgstr for a singular entry", where)
            if int(index) != len(entry.plural):
                raise _fail(f"plural form msgstr[{index}] where msgstr[{len(entry.plural)}] "
                            "should come", number,
                            "number the plural forms 0, 1, 2… in order, as many as the "
                            "header's nplurals", where)
            entry.plural[int(index)] = [value]
            entry.last = f"msgstr[{index}]"
    finish(len(text.split("\n")))
    return [_to_polib(e) for e in entries], {e.start: e.msgid_line for e in entries}
