"""Writing PO/POT text exactly as GNU ``msgcat`` (gettext 0.21) writes it.

The bytes matter: translators' tools (``msgcat``, ``msgmerge``, Poedit) re-wrap
a catalog GNU-style on every save, so a catalog written any other way flips
back and forth between two wrappings.  What GNU's ``write-po.c`` does, and
this module does too:

- comments in the order translator (``#``), extracted (``#.``), references
  (``#:``, wrapped at 79 columns), flags (``#,``), previous (``#|``);
  an obsolete entry keeps only its translator comments and ``#, fuzzy``, its
  strings prefixed ``#~`` (previous ones ``#~|``), and is written only if
  it has a translation;
- a string is split after every ``\\n``; if it has more than one such
  portion, or does not fit on the keyword's line, the keyword gets ``""``
  and the portions follow, each wrapped at 79 columns (closing quote
  included) at the Unicode line-break opportunities (UAX #14, as
  libunistring computes them: :mod:`diglot.pofile.linebreak`);
- the escapes ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"``, every other character as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import polib

from diglot.pofile.linebreak import fits, has_break, is_plain, not_plain_class, wrap_portion

PAGE_WIDTH = 79

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v", "\\": "\\\\", '"': '\\"'}
_TO_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')
_GNU_FLAGS_FIRST = ("fuzzy",)


def escape(text: str) -> str:
    """A string's PO escaping, as GNU writes it."""
    if _TO_ESCAPE.search(text) is None:
        return text
    return _TO_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)


def string_lines(prefix: str, name: str, value: str, *, wrap: bool = True) -> list[str]:
    """The lines of one keyword and its string (``msgid "…"``), with ``prefix`` (``#~ ``)."""
    if "\n" not in value[:-1]:
        portion = escape(value)
        return _portion_lines(prefix, name, portion, is_plain(portion), wrap).split("\n")
    avail = PAGE_WIDTH - 2 - len(prefix)
    out = [f'{prefix}{name} ""']
    for portion in _split_newlines(value):
        pieces = wrap_portion(portion, avail) if wrap else [portion]
        out.extend(f'{prefix}"{piece}"' for piece in pieces)
    return out


def _portion_lines(prefix: str, name: str, portion: str, plain: bool, wrap: bool) -> str:
    """The lines (joined by line breaks) of a keyword whose string is one escaped portion
    (no line break but maybe a final one): on the keyword's line if it fits there or has
    no break opportunity, else ``""`` there and the portion wrapped on the lines below."""
    avail = PAGE_WIDTH - 2 - len(prefix)
    first = avail - len(name) - 1  # the keyword's line: name, space and quotes
    # (what fits says of a plain portion, without the call: measured 8 % of a render)
    if not wrap or (len(portion) <= first if plain else fits(portion, first, plain=False)):
        return f'{prefix}{name} "{portion}"'
    pieces = wrap_portion(portion, avail, plain=plain)
    if len(pieces) == 1 and not has_break(portion, plain=plain):
        # GNU starts with "" only when the string would be cut somewhere (a string cut in
        # two has a break, so only an uncut one needs the test).
        return f'{prefix}{name} "{portion}"'
    return f'{prefix}{name} ""\n{prefix}"' + f'"\n{prefix}"'.join(pieces) + '"'


def _split_newlines(value: str) -> list[str]:
    """The escaped portions of ``value``, each ending after a ``\\n`` (the last maybe not)."""
    parts = value.split("\n")
    out = [escape(p) + "\\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(escape(parts[-1]))
    return out


def _comment_lines(marker: str, text: str) -> list[str]:
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def reference_lines(occurrences: Sequence[tuple[str, str]]) -> list[str]:
    """``#:`` lines, wrapped as GNU wraps them (a reference never split, each once)."""
    out: list[str] = []
    line = "#:"
    column = 2
    for path, number in dict.fromkeys(occurrences):
        ref = f"{path}:{number}" if number else path
        if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
            out.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += len(ref) + 1
    out.append(line)
    return out


def ordered_flags(flags: Iterable[str]) -> list[str]:
    """Flags in GNU's order: ``fuzzy`` first, the rest as given, once each."""
    seen = list(dict.fromkeys(f.strip() for f in flags if f.strip()))
    return [f for f in _GNU_FLAGS_FIRST if f in seen] + [f for f in seen
                                                         if f not in _GNU_FLAGS_FIRST]


def render_entry(entry: polib.POEntry) -> str:
    """The text GNU writes for one entry (ending without a newline)."""
    out: list[str] = []
    obsolete = entry.obsolete
    all_flags = entry.flags
    wrap = "no-wrap" not in all_flags
    if all_flags:
        translated = bool(entry.msgstr) or any(entry.msgstr_plural.values())
        flags = [f for f in all_flags if f != "fuzzy" or translated]
    else:
        flags = all_flags
    if entry.tcomment:
        _add_comment(out, "#", entry.tcomment)
    if obsolete:
        if "fuzzy" in flags:
            out.append("#, fuzzy")
    else:
        if entry.comment:
            _add_comment(out, "#.", entry.comment)
        occurrences = entry.occurrences
        if len(occurrences) == 1:  # one reference is never wrapped
            path, number = occurrences[0]
            out.append(f"#: {path}:{number}" if number else f"#: {path}")
        elif occurrences:
            out += reference_lines(occurrences)
        if flags:
            out.append("#, " + ", ".join(ordered_flags(flags)))
    previous = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        _add_string(out, previous, "msgctxt", entry.previous_msgctxt, wrap)
    if entry.previous_msgid is not None:
        _add_string(out, previous, "msgid", entry.previous_msgid, wrap)
    if entry.previous_msgid_plural is not None:
        _add_string(out, previous, "msgid_plural", entry.previous_msgid_plural, wrap)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _add_string(out, prefix, "msgctxt", entry.msgctxt, wrap)
    _add_string(out, prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        _add_string(out, prefix, "msgid_plural", entry.msgid_plural, wrap)
        for index in sorted(entry.msgstr_plural):
            _add_string(out, prefix, f"msgstr[{index}]", entry.msgstr_plural[index], wrap)
    else:
        _add_string(out, prefix, "msgstr", entry.msgstr, wrap)
    return "\n".join(out)


def _add_comment(out: list[str], marker: str, text: str) -> None:
    if "\n" in text:
        out += _comment_lines(marker, text)
    else:
        out.append(f"{marker} {text}")


def _add_string(out: list[str], prefix: str, name: str, value: str, wrap: bool) -> None:
    """Append :func:`string_lines` to ``out``; the usual string (nothing to escape, no line
    break, characters of width 1) as one item of lines joined by line breaks (as the entry's
    lines are joined), without escaping it or asking whether it is plain."""
    if not value:
        out.append(f'{prefix}{name} ""')
    elif _special().search(value) is not None:
        out += string_lines(prefix, name, value, wrap=wrap)
    else:
        out.append(_portion_lines(prefix, name, value, True, wrap))


@lru_cache(maxsize=1)
def _special() -> re.Pattern[str]:
    """A character that :func:`_add_string`'s short way cannot write as is: one to escape, or
    one the line breaker's fast path leaves to the general one (see :func:`is_plain`)."""
    return re.compile(f"[{not_plain_class()}\\\\\"]")


def header_msgstr(metadata: dict[str, str]) -> str:
    """The header entry's msgstr from a catalog's metadata, one ``Key: value\\n`` per item."""
    return "".join(f"{key}: {value}\n" for key, value in metadata.items())


def render_po(catalog: polib.POFile) -> str:
    """The text GNU ``msgcat`` writes for ``catalog`` (header, live entries, then obsolete)."""
    return join_parts(render_parts(catalog))


def join_parts(parts: list[str]) -> str:
    """The text of a PO/POT file whose entries' texts (:func:`render_parts`) are ``parts``."""
    return "\n\n".join(parts) + "\n" if parts else ""


def render_header(catalog: polib.POFile) -> str:
    """The text of ``catalog``'s header entry (its comment and metadata), without its final
    newline: the first of :func:`render_parts` when the catalog has a header."""
    return render_entry(polib.POEntry(msgid="", msgstr=header_msgstr(catalog.metadata),
                                      tcomment=catalog.header or "",
                                      flags=["fuzzy"] if catalog.metadata_is_fuzzy else []))


def render_parts(catalog: polib.POFile) -> list[str]:
    """The text of each entry :func:`render_po` writes, in its order (the header's first, if
    there is one; then every live entry of ``catalog``, then every obsolete one with a
    translation), each without its final newline: the file is these joined by blank lines."""
    parts: list[str] = []
    if catalog.metadata or catalog.header:
        parts.append(render_header(catalog))
    parts.extend(render_entry(e) for e in catalog if not e.obsolete)
    parts.extend(render_entry(e) for e in catalog
                 if e.obsolete and (e.msgstr or any(e.msgstr_plural.values())))
    return parts
