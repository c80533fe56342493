"""Templates and catalogs: the gettext side of diglot.  polib is used here (and in merge).

- :func:`build_template` turns a document into a POT catalog, one entry per
  distinct segment in document order, with references and block comments.
- :func:`render_catalog` gives the exact text of a PO/POT file (polib's
  writer); files are written by :mod:`diglot.fileio` only.
- :func:`new_catalog` starts a language's catalog empty (never pre-filled
  with the source, the trap ``msginit`` sets for English).
- :func:`update_catalog` merges a new template into a catalog with
  ``msgmerge``'s semantics (see :mod:`diglot.merge`).
- :func:`read_catalog` reads a PO file a translator may have broken, and
  reports ``path:line: what — how to fix`` instead of a traceback.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from diglot import __version__
from diglot.errors import CatalogError
from diglot.model import Block, Document, EntryState

WRAP_WIDTH = 79
DRAFT_MARK = "diglot-draft:"
"""Translator-comment prefix of a machine or memory draft's origin line.

It must be a translator comment (``# ...``): GNU msgmerge drops custom flags and
extracted comments, while Poedit, Lokalize, Weblate and msgmerge keep these.
"""
_HEADER_DATE = "%Y-%m-%d %H:%M%z"


def now() -> datetime:
    """The time written into headers; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def block_comment(block: Block, position: int) -> str:
    """The extracted comment of a segment: its block's kind and its place in the document."""
    where = f"block {block.index + 1}"
    if block.kind == "heading" and block.level:
        kind = f"heading (level {block.level})"
    else:
        kind = str(block.kind)
    if len(block.segments) > 1:
        return f"{kind}, {where}, sentence {position + 1} of {len(block.segments)}"
    return f"{kind}, {where}"


def build_template(document: Document, *, reference_path: str, created: datetime) -> polib.POFile:
    """The POT catalog of ``document``: one entry per distinct segment, in document order."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    pot.header = (
        f"Translation template for '{document.name}'.\n"
        f"Extracted by diglot from {reference_path}; do not edit: run 'diglot extract'."
    )
    pot.metadata = {
        "Project-Id-Version": document.name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created.strftime(_HEADER_DATE),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"diglot {__version__}",
        "X-Source-Language": document.lang,
    }
    by_msgid: dict[str, polib.POEntry] = {}
    for block in document.blocks:
        for position, segment in enumerate(block.segments):
            comment = block_comment(block, position)
            occurrence = (reference_path, str(segment.line))
            entry = by_msgid.get(segment.msgid)
            if entry is None:
                entry = polib.POEntry(msgid=segment.msgid, msgstr="", occurrences=[occurrence],
                                      comment=comment)
                by_msgid[segment.msgid] = entry
                pot.append(entry)
            else:
                entry.occurrences.append(occurrence)
                entry.comment += "\n" + comment
            if "\n" in segment.msgid or segment.msgid.startswith(("#", "%")):
                entry.flags = sorted({*entry.flags, "no-wrap"})
    return pot


def render_catalog(catalog: polib.POFile) -> str:
    """The text of a PO/POT file, ending with one newline (polib's format, rendered faster)."""
    from diglot.merge import render_po

    return render_po(catalog).rstrip("\n") + "\n"


def same_template(old_text: str, new: polib.POFile) -> bool:
    """Whether a POT file on disk already says what ``new`` says, creation date aside."""
    date = re.compile(r'^"POT-Creation-Date: [^"]*\\n"$', re.MULTILINE)
    return date.sub("", old_text) == date.sub("", render_catalog(new))


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header for ``lang``, from babel's CLDR data."""
    return get_plural(lang.replace("-", "_")).plural_forms


def language_name(lang: str) -> str:
    return str(Locale.parse(lang.replace("-", "_")).english_name)


def new_catalog(template: polib.POFile, lang: str, *, created: datetime) -> polib.POFile:
    """An empty catalog for ``lang`` from ``template`` (no entry pre-filled with its source)."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    name = language_name(lang)
    doc = template.metadata.get("Project-Id-Version", "")
    po.header = (
        f"{name} translation of '{doc}'.\n"
        "Edit with Poedit, Lokalize, Weblate or a text editor; see the project's README."
    )
    po.metadata = {
        "Project-Id-Version": doc,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": created.strftime(_HEADER_DATE),
        "Last-Translator": "",
        "Language-Team": name,
        "Language": lang.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Generator": f"diglot {__version__}",
        "X-Source-Language": template.metadata.get("X-Source-Language", ""),
    }
    return po


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did to one catalog."""

    kept: int
    fuzzy: int
    new: int
    obsoleted: int
    revived: int


def update_catalog(catalog: polib.POFile, template: polib.POFile, lang: str) -> UpdateSummary:
    """Merge ``template`` into ``catalog`` in place, keeping every translation (see merge)."""
    from diglot.merge import merge_entries

    # As msgmerge: an old entry used for a fuzzy guess lives on in the guess
    # (its translation as msgstr, its text as ``#| msgid``), not as an obsolete entry too.
    result = merge_entries(list(template), list(catalog), keep_fuzzy_sources=False)
    guessed = {(g.msgctxt, g.msgid) for g in result.fuzzy}
    for entry in result.entries:
        if (entry.msgctxt, entry.msgid) in guessed and not entry.obsolete:
            # A guess for an edited sentence is no machine draft of it, whatever the old one was.
            entry.tcomment = strip_draft_mark(entry.tcomment)
    del catalog[:]
    catalog.extend(result.entries)
    catalog.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    catalog.metadata["Language"] = lang.replace("-", "_")
    catalog.metadata["Plural-Forms"] = plural_forms(lang)
    catalog.metadata.setdefault("Content-Type", "text/plain; charset=UTF-8")
    catalog.metadata.setdefault("Content-Transfer-Encoding", "8bit")
    return UpdateSummary(kept=len(result.kept), fuzzy=len(result.fuzzy), new=len(result.new),
                         obsoleted=len(result.obsoleted), revived=len(result.revived))


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


def _fast_pofile(text: str, wrapwidth: int) -> polib.POFile | None:
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
    catalog = polib.POFile(encoding=_encoding(text), check_for_duplicates=False)
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


def read_catalog(path: Path, *, shown: Path | None = None) -> polib.POFile:
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
    fast = _fast_pofile(text, WRAP_WIDTH)
    if fast is None:
        _check_syntax(text, where)
    try:
        catalog = fast if fast is not None else polib.pofile(
            text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
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
        line = entry.linenum
        if key in seen:
            raise CatalogError(f"duplicate entry for msgid {entry.msgid[:40]!r}", path=where,
                               line=line, hint=f"merge it with the entry at line {seen[key]}")
        seen[key] = line or 0
    return catalog


def strip_draft_mark(tcomment: str | None) -> str:
    """A translator comment without its ``diglot-draft:`` origin line."""
    lines = (tcomment or "").split("\n")
    return "\n".join(line for line in lines if not line.startswith(DRAFT_MARK))


def draft_origin(entry: polib.POEntry) -> str | None:
    """The origin line of a machine or memory draft (``deepl 2026-11-27``), if the entry has one."""
    for line in (entry.tcomment or "").split("\n"):
        if line.startswith(DRAFT_MARK):
            return line[len(DRAFT_MARK):].strip()
    return None


def entry_state(entry: polib.POEntry) -> EntryState:
    """Where an entry stands: reviewed, machine draft, other fuzzy, or untranslated."""
    has_text = bool(entry.msgstr) or any(entry.msgstr_plural.values())
    if not has_text:
        return EntryState.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return EntryState.MACHINE if draft_origin(entry) is not None else EntryState.FUZZY
    return EntryState.TRANSLATED


def live_entries(catalog: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    """The entries that are not obsolete."""
    return [e for e in catalog if not e.obsolete]


def reviewed_translations(catalog: Iterable[polib.POEntry]) -> dict[str, str]:
    """msgid → msgstr for every reviewed (translated, not fuzzy) entry."""
    return {e.msgid: e.msgstr for e in live_entries(catalog)
            if entry_state(e) is EntryState.TRANSLATED}
