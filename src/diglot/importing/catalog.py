"""Writing placed published text into a catalog: the only part of the import that knows PO.

Each imported entry gets its published text as ``msgstr`` and a translator
comment with its origin and confidence (translator comments survive
``msgmerge``, Poedit, Lokalize and Weblate)::

    # diglot-aligned: 0.91 2:1 (shares one English sentence with the next entry)
    #, fuzzy
    msgid "…"
    msgstr "…"

Below the threshold an entry is written *fuzzy*, so review and publication
rules apply to it.  A reviewed entry (translated, not fuzzy) is never
overwritten; one whose text differs from the published one is counted.
Machine drafts, other fuzzy entries and untranslated ones take the published
text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from diglot.importing.placement import Placed
from diglot.model import Document, EntryState
from diglot.pofile import ALIGNED_MARK, DRAFT_MARK, POFile, entry_state


@dataclass(frozen=True, slots=True)
class Filled:
    """One catalog entry the import looked at."""

    msgid: str
    placed: Placed
    written: bool
    """Whether the published text went into the entry (else: kept as it was)."""
    fuzzy: bool
    msgstr: str
    """The entry's translation after the import."""
    reviewed_differs: bool = False
    """A reviewed entry kept whose translation is not the published text."""


def _comment(old: str | None, origin: str) -> str:
    lines = [line for line in (old or "").split("\n")
             if line and not line.startswith((ALIGNED_MARK, DRAFT_MARK))]
    return "\n".join([f"{ALIGNED_MARK} {origin}", *lines])


def fill_catalog(catalog: POFile, document: Document, placed: Sequence[Placed], *,
                 threshold: float) -> list[Filled]:
    """Put the published text of every source sentence into ``catalog`` (in place).

    ``catalog`` must already hold an entry for every segment of ``document``
    (it has been updated from the document's template).  A msgid that occurs
    twice takes the text of its first occurrence.
    """
    entries = {e.msgid: e for e in catalog if not e.obsolete and e.msgctxt is None}
    segments = document.segments
    done: set[str] = set()
    out: list[Filled] = []
    for item in placed:
        msgid = segments[item.index].msgid
        if msgid in done:
            continue
        done.add(msgid)
        entry = entries[msgid]
        state = entry_state(entry)
        if state is EntryState.TRANSLATED:
            differs = bool(item.text) and entry.msgstr != item.text
            out.append(Filled(msgid, item, written=False, fuzzy=False, msgstr=entry.msgstr,
                              reviewed_differs=differs))
            continue
        if not item.text:
            out.append(Filled(msgid, item, written=False, fuzzy="fuzzy" in entry.flags,
                              msgstr=entry.msgstr))
            continue
        fuzzy = item.score < threshold
        entry.msgstr = item.text
        entry.tcomment = _comment(entry.tcomment, item.comment)
        entry.flags = (["fuzzy"] if fuzzy else []) + [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
        out.append(Filled(msgid, item, written=True, fuzzy=fuzzy, msgstr=entry.msgstr))
    return out


def msgid_lines(catalog: POFile, text: str) -> dict[str, int]:
    """msgid → line of its ``msgid`` keyword in ``text``, the rendering of ``catalog``.

    Live entries are rendered in catalog order after the header, each with one
    line starting ``msgid `` (obsolete ones start ``#~``), so the n-th such line
    after the header's is the n-th live entry's.
    """
    starts = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("msgid ")]
    live = [e.msgid for e in catalog if not e.obsolete]
    if len(starts) == len(live):  # a catalog without a header
        return dict(zip(live, starts, strict=True))
    return dict(zip(live, starts[1:], strict=True))
