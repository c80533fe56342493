"""What goes into an edition: each segment's text in one language, and how far it is reviewed.

An :class:`Edition` pairs a source :class:`~diglot.model.Document` with the
text of every segment in one language.  For the source language the text is
the segment itself; for a target language it comes from the catalog:

- a **published** edition takes reviewed translations only; a segment
  without one keeps its source text (what gettext does with a missing
  translation) and is listed in :attr:`Edition.missing`, so the publication
  rule can refuse the language or, below the threshold, let it through;
- a **draft** edition also takes machine drafts and other fuzzy
  translations, each marked by its state, so a renderer can show it.

A target edition reads the catalog's frozen :class:`~diglot.pofile.Entry`
records keyed by msgid (:meth:`diglot.pofile.Catalog.by_msgid`), which carry
each entry's state, origin and ``msgid`` line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from diglot.bidi import balance_bidi
from diglot.model import Block, Document, EntryState
from diglot.pofile import Coverage, Entry, coverage


@dataclass(frozen=True, slots=True)
class SentenceText:
    """One segment of an edition: its source, the text shown, and its review state."""

    source: str
    """The msgid (source sentence as the translator sees it)."""
    text: str
    """What the edition shows: the translation, or the source when there is none."""
    lang: str
    """The language ``text`` is written in (the source language when it falls back)."""
    state: EntryState
    """``TRANSLATED`` for a reviewed translation or the source edition's own text."""
    line: int | None = None
    """Line of the catalog entry (``None`` for the source edition or a missing entry)."""
    origin: str | None = None
    """For a draft or an aligned import: where it came from (``deepl 2026-11-27``)."""
    problem: str = ""
    """A check error that keeps a reviewed translation out of a published edition."""

    @property
    def reviewed(self) -> bool:
        return self.state is EntryState.TRANSLATED and not self.problem


_STATE = attrgetter("state")
_REVIEWED = attrgetter("reviewed")


@dataclass(frozen=True, slots=True)
class Missing:
    """A segment with no reviewed translation, and the catalog entry to fix."""

    catalog: Path
    line: int | None
    state: EntryState
    msgid: str
    absent: bool = False
    """The catalog has no entry for this segment at all (it is older than the source)."""
    problem: str = ""
    """For a reviewed entry: the check error that keeps it out (``[markup] …``)."""

    def __str__(self) -> str:
        return self.describe(Path.as_posix)

    def describe(self, name: Callable[[Path], str]) -> str:
        """``catalog:line: state: 'msgid…'``, the catalog's path as ``name`` writes it."""
        where = f"{name(self.catalog)}:{self.line}" if self.line else name(self.catalog)
        what = "no entry (run 'diglot update')" if self.absent else str(self.state)
        if self.problem:
            what = f"check error {self.problem}"
        excerpt = self.msgid if len(self.msgid) <= 60 else self.msgid[:59] + "…"
        return f"{where}: {what}: {excerpt!r}"


@dataclass(frozen=True)
class Edition:
    """A document's text in one language, block by block and segment by segment."""

    document: Document
    lang: str
    blocks: tuple[tuple[SentenceText, ...], ...]
    """One tuple per block of ``document.blocks``, one item per segment."""
    draft: bool = False
    missing: tuple[Missing, ...] = ()
    """Segments without a reviewed translation, in document order (one per occurrence); in a
    published edition only (a draft withholds nothing and lists none)."""

    @cached_property
    def sentences(self) -> tuple[SentenceText, ...]:
        return tuple(s for block in self.blocks for s in block)

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def unreviewed(self) -> int:
        return self._tally[1]

    @cached_property
    def coverage(self) -> Coverage:
        """Entries (distinct sentences) by state; reviewed ones with a check error blocked."""
        unique = {s.source: s for s in self.sentences}.values()
        return coverage((s.state for s in unique),
                        blocked=sum(1 for s in unique if s.problem and not self.draft))

    @property
    def percent(self) -> float:
        """Share of publishable reviewed entries, 0–100 (what ``build``'s threshold reads)."""
        return self.coverage.percent

    def counts(self) -> dict[EntryState, int]:
        """Segments per review state."""
        return dict(self._tally[0])

    @cached_property
    def _tally(self) -> tuple[dict[EntryState, int], int]:
        """Segments per state and unreviewed segments, counted once (a build's banners and
        pages each ask; the edition is frozen)."""
        sentences = self.sentences
        counts = dict(Counter(map(_STATE, sentences)))
        return counts, len(sentences) - sum(map(_REVIEWED, sentences))

    def texts(self, block: Block) -> tuple[str, ...]:
        """The texts of ``block``'s segments in this edition."""
        return tuple(s.text for s in self.blocks[block.index])


def source_edition(document: Document) -> Edition:
    """The document in its own language: every segment's text is its msgid."""
    lang, reviewed = document.lang, EntryState.TRANSLATED
    blocks = tuple(
        tuple([SentenceText(m, m, lang, reviewed) for m in block.msgids])
        for block in document.blocks
    )
    return Edition(document=document, lang=lang, blocks=blocks)


def identity_index(msgids: Iterable[str]) -> dict[str, Entry]:
    """A catalog in which every msgid is its own reviewed translation (from a template alone)."""
    return {m: Entry(msgid=m, msgstr=m, state=EntryState.TRANSLATED, line=None) for m in msgids}


def translated_edition(document: Document, lang: str, index: Mapping[str, Entry], *,
                       catalog: Path, draft: bool = False,
                       blocked: Mapping[str, str] | None = None) -> Edition:
    """The document in ``lang`` from a catalog's entries by msgid (``Catalog.by_msgid()``).

    ``catalog`` is the catalog's path, for :class:`Missing` records.
    Published (``draft`` false): reviewed translations only, the source text
    elsewhere.  Draft: fuzzy and machine translations shown too, marked by state.
    ``blocked`` (msgid → check error) keeps those reviewed translations out of a
    published edition, listed in :attr:`Edition.missing` with their error (a draft lists
    nothing there).
    """
    blocked = {} if draft or blocked is None else blocked
    blocks: list[tuple[SentenceText, ...]] = []
    missing: list[Missing] = []
    get, source_lang = index.get, document.lang
    reviewed, untranslated = EntryState.TRANSLATED, EntryState.UNTRANSLATED
    # one pass per sentence, the common cases first (a build makes one per sentence)
    for block in document.blocks:
        items = []
        msgids = block.msgids
        for msgid, found in zip(msgids, map(get, msgids), strict=True):
            if found is None:
                if not draft:
                    missing.append(Missing(catalog, None, untranslated, msgid, True))
                items.append(SentenceText(msgid, msgid, source_lang, untranslated))
                continue
            state, line = found.state, found.line
            origin = None if found.origin is None else str(found.origin)
            if state is reviewed:
                problem = blocked.get(msgid, "") if blocked else ""
                if not problem:
                    items.append(SentenceText(msgid, balance_bidi(found.msgstr), lang, state,
                                              line, origin))
                    continue
                missing.append(Missing(catalog, line, state, msgid, False, problem))
                items.append(SentenceText(msgid, msgid, source_lang, state, line, origin,
                                          problem))
                continue
            if not draft:
                missing.append(Missing(catalog, line, state, msgid))
            if draft and state is not untranslated:
                items.append(SentenceText(msgid, balance_bidi(found.msgstr), lang, state, line,
                                          origin))
            else:
                items.append(SentenceText(msgid, msgid, source_lang, state, line, origin))
        blocks.append(tuple(items))
    return Edition(document=document, lang=lang, blocks=tuple(blocks), draft=draft,
                   missing=tuple(missing))


DRAFT_LABELS: dict[EntryState, str] = {
    EntryState.MEMORY: "memory match",
    EntryState.MACHINE: "machine draft",
    EntryState.ALIGNED: "aligned, needs review",
    EntryState.FUZZY: "fuzzy, needs review",
    EntryState.UNTRANSLATED: "untranslated",
}
"""How a draft edition names each unreviewed state (in banners, tooltips and text marks)."""


def draft_summary(edition: Edition, *, source_name: str) -> str:
    """The banner line of a draft: how many segments are unreviewed, and of which kind.

    ``source_name`` is the source language's name (untranslated segments are shown in it).
    """
    counts = edition.counts()
    parts = []
    for state, singular, plural in (
        (EntryState.MEMORY, "memory match", "memory matches"),
        (EntryState.MACHINE, "machine draft", "machine drafts"),
        (EntryState.ALIGNED, "aligned translation", "aligned translations"),
        (EntryState.FUZZY, "fuzzy translation", "fuzzy translations"),
        (EntryState.UNTRANSLATED, f"untranslated (shown in {source_name})",
         f"untranslated (shown in {source_name})"),
    ):
        n = counts.get(state, 0)
        if n:
            parts.append(f"{n} {singular if n == 1 else plural}")
    noun = "sentence" if edition.total == 1 else "sentences"
    if not edition.unreviewed:
        return f"DRAFT — not for publication. All {edition.total} {noun} are reviewed."
    return (f"DRAFT — not for publication. {edition.unreviewed} of {edition.total} {noun} "
            f"unreviewed: {', '.join(parts)}.")


def escape_each(escape_one: Callable[[str], str], texts: Sequence[str], *, sep: str,
                special: str | None = None) -> list[str]:
    """``[escape_one(t) for t in texts]`` in one pass over them all, joined by ``sep`` and
    split again (the editions' escapes act per character, so they commute with joining);
    one at a time if a text holds ``sep`` itself.  With ``special``: the texts themselves
    (shared, not copied) when none holds any of its characters."""
    joined = sep.join(texts)
    if special is not None and not any(c in joined for c in special):
        return list(texts)
    if joined.count(sep) != len(texts) - 1:
        return [escape_one(t) for t in texts]
    return escape_one(joined).split(sep)
