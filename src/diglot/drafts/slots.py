"""The catalogs a drafting run fills: read once, drafts applied, saved atomically.

A :class:`Slot` is one catalog (one document in one language) as read from
disk, an index by msgid, and the drafts applied since.  :func:`stage_slots`
puts the changed ones in a :class:`~diglot.fileio.WriteBatch` (taking in any
edit a translator saved during the run); :func:`mark_saved` records them once
the batch is committed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from diglot.catalogs import now
from diglot.engines.base import Draft
from diglot.fileio import WriteBatch
from diglot.model import EntryState
from diglot.pofile import (
    DRAFT_MARK,
    CatalogRecords,
    Entry,
    POEntry,
    POFile,
    decode_catalog,
    has_translation,
    parse_catalog,
    read_records,
    render_catalog,
)
from diglot.pofile.readonly import catalog_bytes, decode_bytes
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project
from diglot.workflow import start_catalog, template_records


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


def needs_draft(entry: POEntry | Entry) -> bool:
    """A live, untranslated singular entry with a msgid: what drafts are for (``entry`` as
    polib reads it, or as a record)."""
    if isinstance(entry, Entry):
        untranslated = entry.state is EntryState.UNTRANSLATED
    else:  # a live entry is untranslated exactly when it has no translation (its flags and
        # marks only tell the translated ones apart)
        untranslated = not entry.obsolete and not has_translation(entry)
    return untranslated and not entry.msgid_plural and bool(entry.msgid.strip())


@dataclass(frozen=True)
class Complete:
    """A catalog with no entry to draft, read as records only: it feeds the memory and the
    status, and the run never writes it."""

    doc: str
    lang: str
    path: Path
    records: CatalogRecords


_EMPTY_MSGSTR = re.compile(rb'^msgstr ""(?:\n(?!")|\Z)', re.MULTILINE)
"""An empty ``msgstr`` line with no string after it: where an entry to draft can be."""


def open_catalog(project: Project, lang: str, doc: str) -> Slot | Complete:
    """The catalog of ``doc`` in ``lang``: as a :class:`Slot` (polib entries) when it may have
    an entry to draft, else as :class:`Complete` records (from the cache of parsed catalogs).

    A file with no empty ``msgstr`` line is read as records, and taken as a slot after all
    if one of them needs a draft (a string written another way); the records decide.
    """
    path = project.catalog_path(lang, doc)
    if not path.is_file():
        return open_slot(project, lang, doc)
    data = catalog_bytes(path)
    if _EMPTY_MSGSTR.search(data) is None:
        records = read_records(path, cache=project.root / CATALOG_CACHE)
        if not any(map(needs_draft, records.records())):
            return Complete(doc, lang, path, records)
    return _slot(doc, lang, path, decode_bytes(data, path=path))


def open_slot(project: Project, lang: str, doc: str) -> Slot:
    """The catalog of ``doc`` in ``lang``; a missing one starts empty from the template."""
    path = project.catalog_path(lang, doc)
    if path.is_file():
        return _slot(doc, lang, path, decode_catalog(path))
    catalog, _ = start_catalog(template_records(project, doc), lang, created=now())
    return Slot(doc, lang, path, catalog, None, index_entries(catalog), dirty=True)


def _slot(doc: str, lang: str, path: Path, text: str) -> Slot:
    """The slot of a catalog file whose text is ``text`` (kept: it is compared before each
    save)."""
    catalog = parse_catalog(text, path=path)
    return Slot(doc, lang, path, catalog, text, index_entries(catalog))


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


Staged = list[tuple[Slot, str, bool]]
"""What :func:`stage_slots` put in a batch: each slot, its text, whether its file changes."""


def stage_slots(slots: Iterable[Slot], batch: WriteBatch) -> Staged:
    """Put every changed catalog of ``slots`` in ``batch`` (see :func:`stage_slot`).

    Call :func:`mark_saved` once the batch is committed.
    """
    return [(slot, *stage_slot(slot, batch)) for slot in slots if slot.dirty]


def mark_saved(staged: Staged) -> list[Path]:
    """Record the staged texts as on disk (the batch is committed); the files that changed."""
    for slot, text, _ in staged:
        slot.text_on_disk = text
        slot.dirty = False
    return [slot.path for slot, _, changed in staged if changed]


def stage_slot(slot: Slot, batch: WriteBatch) -> tuple[str, bool]:
    """Put the catalog in ``batch``, first taking in any edit made on disk meanwhile.

    If a translator saved the file during the run, it is read again and the
    drafts go only into entries that are still untranslated there.  Returns
    the text staged and whether it differs from the file's.
    """
    on_disk = decode_catalog(slot.path) if slot.path.is_file() else None
    if on_disk is not None and on_disk != slot.text_on_disk:
        slot.catalog = parse_catalog(on_disk, path=slot.path)
        slot.index = index_entries(slot.catalog)
        for msgid, draft in slot.applied.items():
            entry = slot.index.get(msgid)
            if entry is not None and needs_draft(entry):
                apply_draft(entry, draft)
    text = render_catalog(slot.catalog)
    return text, batch.write_text(slot.path, text)
