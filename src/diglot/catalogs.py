"""Templates and catalogs: what goes into them (reading and writing is :mod:`diglot.pofile`).

- :func:`build_template` turns a document into a POT catalog, one entry per
  distinct segment in document order, with references and block comments.
- :func:`render_catalog` gives the exact text of a PO/POT file (GNU
  ``msgcat``'s bytes); files are written by :mod:`diglot.fileio` only.
- :func:`new_catalog` starts a language's catalog empty (never pre-filled
  with the source, the trap ``msginit`` sets for English).
- :func:`update_catalog` merges a new template into a catalog with
  ``msgmerge``'s semantics (see :mod:`diglot.merge`).
- :func:`read_catalog` reads a PO file a translator may have broken, and
  reports ``path:line: what — how to fix`` instead of a traceback.

The last two, and the entry states, live in :mod:`diglot.pofile` and are
re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from babel.messages.plurals import get_plural

from diglot import __version__
from diglot.model import Block, BlockKind, Document
from diglot.pofile import (
    ALIGNED_MARK,
    DRAFT_MARK,
    WRAP_WIDTH,
    Catalog,
    POEntry,
    POFile,
    draft_origin,
    entry_state,
    has_translation,
    live_entries,
    new_catalog_file,
    new_entry,
    read_catalog,
    render_catalog,
    strip_draft_mark,
)
from diglot.project import language_name

if TYPE_CHECKING:
    from diglot.merge import TemplateEntry

__all__ = [
    "ALIGNED_MARK", "DRAFT_MARK", "WRAP_WIDTH", "Catalog", "Template", "UpdateSummary",
    "block_comments", "build_template", "draft_origin", "entry_state", "language_name",
    "live_entries", "new_catalog", "now", "plural_forms", "read_catalog", "render_catalog",
    "same_template", "same_template_text", "strip_draft_mark", "template_entries",
    "update_catalog",
]
_HEADER_DATE = "%Y-%m-%d %H:%M%z"


def now() -> datetime:
    """The time written into headers; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def block_comments(block: Block) -> list[str]:
    """The extracted comment of each of ``block``'s segments: the block's kind and place in
    the document, and the segment's place in the block when it has more than one."""
    if block.kind is BlockKind.HEADING and block.level:
        kind = f"heading (level {block.level})"
    else:
        kind = str(block.kind)
    head, count = f"{kind}, block {block.index + 1}", len(block.segments)
    if count == 1:
        return [head]
    return [f"{head}, sentence {n} of {count}" for n in range(1, count + 1)]


def build_template(document: Document, *, reference_path: str, created: datetime) -> Catalog:
    """The POT catalog of ``document``: one entry per distinct segment, in document order."""
    pot = new_catalog_file()
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
    by_msgid: dict[str, POEntry] = {}
    repeated: dict[str, list[str]] = {}
    for block in document.blocks:
        for segment, comment in zip(block.segments, block_comments(block), strict=True):
            msgid = segment.msgid
            occurrence = (reference_path, str(segment.line))
            entry = by_msgid.get(msgid)
            if entry is None:
                entry = by_msgid[msgid] = new_entry(msgid, occurrences=[occurrence],
                                                    comment=comment)
            else:  # a repeated sentence: one entry, every place (comments joined once, below)
                entry.occurrences.append(occurrence)
                repeated.setdefault(msgid, [entry.comment]).append(comment)
            if "\n" in msgid or msgid.startswith(("#", "%")):
                entry.flags = sorted({*entry.flags, "no-wrap"})
    for msgid, comments in repeated.items():
        by_msgid[msgid].comment = "\n".join(comments)
    pot.extend(by_msgid.values())  # (dicts keep the order of first insertion: document order)
    return pot


def same_template(old_text: str, new: POFile) -> bool:
    """Whether a POT file on disk already says what ``new`` says, creation date aside."""
    return same_template_text(old_text, render_catalog(new))


def same_template_text(old_text: str, new_text: str) -> bool:
    """Whether a POT file on disk already says what the rendered ``new_text`` says,
    creation date aside."""
    from diglot.pofile.written import CREATION_DATE

    return CREATION_DATE.sub("", old_text) == CREATION_DATE.sub("", new_text)


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header for ``lang``, from babel's CLDR data."""
    return get_plural(lang.replace("-", "_")).plural_forms


class Template(Protocol):
    """A template read for a merge without polib: its metadata and every entry (obsolete
    ones included), as records or as the cache of parsed catalogs keeps them."""

    @property
    def metadata(self) -> Mapping[str, str]: ...
    @property
    def entries(self) -> Sequence[TemplateEntry]: ...


def template_entries(template: POFile | Template) -> list[TemplateEntry]:
    """Every entry of ``template`` in file order, obsolete ones included (``template``: as
    polib reads it, or as ``update`` reads it from the cache of parsed catalogs that
    ``extract`` fills)."""
    if isinstance(template, POFile):
        return list(template)
    return list(template.entries)


def new_catalog(template: POFile | Template, lang: str, *,
                created: datetime) -> Catalog:
    """An empty catalog for ``lang`` from ``template`` (no entry pre-filled with its source)."""
    po = new_catalog_file()
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


def update_catalog(catalog: POFile, template: POFile | Template,
                   lang: str) -> UpdateSummary:
    """Merge ``template`` into ``catalog`` in place, keeping every translation (see merge)."""
    # Imported here, not at the top: the merge loads rapidfuzz (about 20 ms and 4 MB), which
    # build, check and translate read catalogs through this module without needing.
    from diglot.merge import merge_entries

    result = merge_entries(template_entries(template), list(catalog))
    guessed = {(g.msgctxt, g.msgid) for g in result.fuzzy}
    for entry in result.entries:
        if entry.obsolete or (entry.tcomment is not None and DRAFT_MARK not in entry.tcomment):
            continue  # (nothing to strip)
        if (entry.msgctxt, entry.msgid) in guessed or (
                "fuzzy" not in entry.flags and has_translation(entry)):
            # A guess for an edited sentence is no machine draft of it, whatever the old one
            # was; a reviewed entry is nobody's draft any more.
            entry.tcomment = strip_draft_mark(entry.tcomment)
    del catalog[:]
    catalog.extend(result.entries)
    catalog.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    catalog.metadata["Language"] = lang.replace("-", "_")
    catalog.metadata["Plural-Forms"] = plural_forms(lang)
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"  # what render writes
    catalog.metadata.setdefault("Content-Transfer-Encoding", "8bit")
    return UpdateSummary(kept=len(result.kept), fuzzy=len(result.fuzzy), new=len(result.new),
                         obsoleted=len(result.obsoleted), revived=len(result.revived))
