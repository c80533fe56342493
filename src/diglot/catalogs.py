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
    r'^(?:#~\s*)?(?:#\|\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?'
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
    _check_syntax(text, where)
    try:
        catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
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
