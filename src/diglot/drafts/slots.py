"""The catalogs a drafting run fills: read once, drafts applied, saved atomically.

A :class:`Slot` is one catalog (one document in one language) as read from
disk, an index by msgid, and the drafts applied since.  :func:`save_slot`
takes in any edit a translator saved during the run before writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from diglot.catalogs import now
from diglot.engines.base import Draft
from diglot.fileio import write_text
from diglot.model import EntryState
from diglot.pofile import DRAFT_MARK, POEntry, POFile, entry_state, read_catalog, render_catalog
from diglot.project import Project
from diglot.workflow import read_template, start_catalog


@dataclass
class Slot:
    """One catalog being filled: what was read from disk and the drafts applied since."""

    doc: str
    lang: str
    path: Path
    catalog: POFile
    text_on_disk: str | None
    index: dict[str, POEntry]
    applied: dict[str, Draft] = field(default_factory=dict)
    dirty: bool = False


def index_entries(catalog: POFile) -> dict[str, POEntry]:
    return {e.msgid: e for e in catalog if not e.obsolete and not e.msgctxt}


def needs_draft(entry: POEntry) -> bool:
    """A live, untranslated singular entry with a msgid: what drafts are for."""
    return (not entry.obsolete and not entry.msgid_plural and bool(entry.msgid.strip())
            and entry_state(entry) is EntryState.UNTRANSLATED)


def open_slot(project: Project, lang: str, doc: str) -> Slot:
    """The catalog of ``doc`` in ``lang``; a missing one starts empty from the template."""
    path = project.catalog_path(lang, doc)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        catalog = read_catalog(path)
        return Slot(doc, lang, path, catalog, text, index_entries(catalog))
    catalog, _ = start_catalog(read_template(project, doc), lang, created=now())
    return Slot(doc, lang, path, catalog, None, index_entries(catalog), dirty=True)


def apply_draft(entry: POEntry, draft: Draft) -> None:
    """Write ``draft`` into an untranslated entry: msgstr, ``fuzzy``, origin comment."""
    entry.msgstr = draft.text
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    lines = [ln for ln in (entry.tcomment or "").split("\n")
             if ln and not ln.startswith(DRAFT_MARK)]
    mark = f"{DRAFT_MARK} {draft.origin.mark()}"
    if draft.problem:
        mark += f" — check: {' '.join(draft.problem.split())}"
    lines.append(mark)
    entry.tcomment = "\n".join(lines)
    if draft.match and not entry.previous_msgid:
        entry.previous_msgid = draft.match


def save_slot(slot: Slot) -> bool:
    """Write the catalog atomically, first taking in any edit made on disk meanwhile.

    If a translator saved the file during the run, it is read again and the
    drafts go only into entries that are still untranslated there.
    """
    if not slot.dirty:
        return False
    on_disk: str | None
    try:
        on_disk = slot.path.read_text(encoding="utf-8")
    except FileNotFoundError:
        on_disk = None
    if on_disk is not None and on_disk != slot.text_on_disk:
        slot.catalog = read_catalog(slot.path)
        slot.index = index_entries(slot.catalog)
        for msgid, draft in slot.applied.items():
            entry = slot.index.get(msgid)
            if entry is not None and needs_draft(entry):
                apply_draft(entry, draft)
    text = render_catalog(slot.catalog)
    changed = write_text(slot.path, text)
    slot.text_on_disk = text
    slot.dirty = False
    return changed
