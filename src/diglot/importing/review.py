"""The review page of an import: source and published text side by side, doubtful pairs marked.

It is the bilingual edition's page (:mod:`diglot.editions.bilingual`, the same
renderer and style sheet, self-contained), built from what the import put in
the catalog: entries written fuzzy (confidence below the threshold) and
sentences the published text has nothing for are marked, with the
alignment's confidence and shape in their tooltip.  Written to
``reports/align/<lang>/<doc>.html``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from diglot.editions.bilingual import bilingual_parts
from diglot.editions.content import Edition, SentenceText, source_edition
from diglot.fileio import WriteBatch
from diglot.importing.catalog import Filled
from diglot.model import Document, EntryState
from diglot.project import Project


def review_edition(document: Document, lang: str, filled: Sequence[Filled],
                   lines: Mapping[str, int]) -> Edition:
    """The published side of the review page: each sentence's catalog text and review state."""
    by_msgid = {f.msgid: f for f in filled}
    blocks = []
    for block in document.blocks:
        items = []
        for msgid in block.msgids:
            f = by_msgid[msgid]
            if not f.msgstr:
                state = EntryState.UNTRANSLATED
            elif f.fuzzy:
                state = EntryState.ALIGNED
            else:
                state = EntryState.TRANSLATED
            items.append(SentenceText(
                source=msgid, text=f.msgstr or msgid, lang=lang if f.msgstr else document.lang,
                state=state, line=lines.get(msgid), origin=f"aligned {f.placed.comment}"))
        blocks.append(tuple(items))
    return Edition(document=document, lang=lang, blocks=tuple(blocks), draft=True)


def review_path(project: Project, lang: str, doc: str) -> Path:
    return project.root / "reports" / "align" / lang / f"{doc}.html"


def write_review(project: Project, document: Document, lang: str, filled: Sequence[Filled], *,
                 lines: Mapping[str, int], catalog: Path, batch: WriteBatch) -> Path:
    """Stage the review page of one imported document (linking ``catalog``) in ``batch``;
    return its path."""
    path = review_path(project, lang, document.name)
    source = dataclasses.replace(source_edition(document), draft=True)
    target = review_edition(document, lang, filled, lines)
    href = Path(os.path.relpath(catalog, path.parent)).as_posix()
    batch.write_parts(path, bilingual_parts(
        source, target, links=[(f"catalog: {project.relative(catalog)}", href)],
        banner=review_banner(target)))
    return path


def review_banner(target: Edition) -> str:
    """The review page's banner: what it is and how many pairs want a look."""
    counts = target.counts()
    doubtful = counts.get(EntryState.ALIGNED, 0)
    unpaired = counts.get(EntryState.UNTRANSLATED, 0)
    total = target.total
    head = f"IMPORT REVIEW — not an edition. {total} {'sentence' if total == 1 else 'sentences'}"
    if not doubtful and not unpaired:
        return f"{head}, all paired above the confidence threshold."
    return (f"{head}: {doubtful} doubtful (written fuzzy), {unpaired} without a published "
            "counterpart (left untranslated); the marked ones need a look in the catalog.")
