"""The frozen entry record every reader of a catalog gets, and the review states.

An entry's state is derived once, here, from its flags and diglot's marks
(translator comments, which msgmerge and PO editors keep):

- ``# diglot-draft: memory 2026-11-27 92%`` on a fuzzy entry: a translation
  memory match (:attr:`EntryState.MEMORY`), not a machine translation;
- ``# diglot-draft: deepl 2026-11-27`` (or ``llm …``, any other engine) on a
  fuzzy entry: a machine draft (:attr:`EntryState.MACHINE`);
- ``# diglot-aligned: 0.83`` on a fuzzy entry: a published translation
  imported below the confidence threshold (:attr:`EntryState.ALIGNED`); on
  an entry that is not fuzzy the mark is only its :attr:`Entry.origin`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from diglot.names import EntryState

if TYPE_CHECKING:
    import polib

DRAFT_MARK = "diglot-draft:"
"""Translator-comment prefix of a machine or memory draft's origin line.

It must be a translator comment (``# ...``): GNU msgmerge drops custom flags and
extracted comments, while Poedit, Lokalize, Weblate and msgmerge keep these.
"""
ALIGNED_MARK = "diglot-aligned:"
"""Translator-comment prefix of an imported published translation's confidence."""
MEMORY_ENGINE = "memory"
KNOWN_FLAGS = frozenset({"fuzzy", "wrap", "no-wrap"})
"""Flags GNU gettext knows besides the ``*-format`` ones and ``range:``."""


def is_fuzzy_flag(flag: str) -> bool:
    """``fuzzy``, or a misspelling of it (``fuzy``, ``fuzz``, ``fuzzzy``): a draft stays a draft."""
    if flag == "fuzzy":
        return True
    if flag in KNOWN_FLAGS or flag.endswith("-format") or flag.startswith("range:"):
        return False
    return SequenceMatcher(None, flag.lower(), "fuzzy").ratio() >= 0.6


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry's translation came from, as its mark says."""

    kind: str
    """``memory``, ``aligned`` or a machine engine's name (``deepl``, ``llm``)."""
    detail: str
    """The whole mark after its prefix (``deepl 2026-11-27``, ``0.83``)."""

    @property
    def machine(self) -> bool:
        return self.kind not in (MEMORY_ENGINE, "aligned")

    def __str__(self) -> str:
        return self.detail if self.kind != "aligned" else f"aligned {self.detail}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalog entry as everything but the writer sees it."""

    msgid: str
    msgstr: str
    state: EntryState
    line: int | None
    """1-based line of the entry's ``msgid`` keyword in its file (``None``: not read from one)."""
    msgctxt: str | None = None
    msgid_plural: str = ""
    msgstr_plural: tuple[str, ...] = ()
    """Plural translations by index (empty for a singular entry)."""
    origin: Origin | None = None
    flags: tuple[str, ...] = ()
    comment: str = ""
    """Extracted comments (``#.``)."""
    tcomment: str = ""
    """Translator comments (``#``), marks included."""
    occurrences: tuple[tuple[str, str], ...] = ()
    previous_msgid: str | None = None
    first_line: int | None = None
    """Line where the entry's text starts (its first comment)."""

    @property
    def obsolete(self) -> bool:
        return self.state is EntryState.OBSOLETE

    @property
    def reviewed(self) -> bool:
        return self.state is EntryState.TRANSLATED

    @property
    def translations(self) -> tuple[str, ...]:
        """The translated strings (one, or one per plural form)."""
        return self.msgstr_plural if self.msgid_plural else (self.msgstr,)


def mark_line(tcomment: str | None, prefix: str) -> str | None:
    """The text after ``prefix`` on the first translator-comment line starting with it."""
    for line in (tcomment or "").split("\n"):
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None


def strip_draft_mark(tcomment: str | None) -> str:
    """A translator comment without its ``diglot-draft:`` origin line."""
    lines = (tcomment or "").split("\n")
    return "\n".join(line for line in lines if not line.startswith(DRAFT_MARK))


def draft_origin(entry: polib.POEntry) -> str | None:
    """The origin line of a machine or memory draft (``deepl 2026-11-27``), if the entry has one."""
    return mark_line(entry.tcomment, DRAFT_MARK)


def origin_of(tcomment: str | None) -> Origin | None:
    """What an entry's marks say about where its translation came from."""
    draft = mark_line(tcomment, DRAFT_MARK)
    if draft:
        return Origin(kind=draft.split()[0], detail=draft)
    aligned = mark_line(tcomment, ALIGNED_MARK)
    if aligned is not None:
        return Origin(kind="aligned", detail=aligned)
    return None


def has_translation(entry: polib.POEntry) -> bool:
    """Whether an entry carries any translated text."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def state_of(entry: polib.POEntry, origin: Origin | None) -> EntryState:
    return state_from(obsolete=entry.obsolete, translated=has_translation(entry),
                      flags=entry.flags, origin=origin)


def state_from(*, obsolete: bool, translated: bool, flags: Iterable[str],
               origin: Origin | None) -> EntryState:
    """The state of an entry that is ``obsolete`` or not, has a translation or not, …"""
    if obsolete:
        return EntryState.OBSOLETE
    if not translated:
        return EntryState.UNTRANSLATED
    if not any(is_fuzzy_flag(f) for f in flags):
        return EntryState.TRANSLATED
    if origin is None:
        return EntryState.FUZZY
    if origin.kind == MEMORY_ENGINE:
        return EntryState.MEMORY
    if origin.kind == "aligned":
        return EntryState.ALIGNED
    return EntryState.MACHINE


def entry_state(entry: polib.POEntry) -> EntryState:
    """Where an entry stands: reviewed, memory match, machine draft, aligned, fuzzy, …"""
    state = state_of(entry, None)
    if state is EntryState.FUZZY:  # a flagged translation: only here do its marks count
        return state_of(entry, origin_of(entry.tcomment))
    return state


def record(entry: polib.POEntry, line: int | None) -> Entry:
    """The frozen record of a polib entry whose ``msgid`` is at ``line``."""
    origin = origin_of(entry.tcomment)
    plural = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return Entry(msgid=entry.msgid, msgstr=entry.msgstr or "", state=state_of(entry, origin),
                 line=line, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural or "",
                 msgstr_plural=plural, origin=origin, flags=tuple(entry.flags),
                 comment=entry.comment or "", tcomment=entry.tcomment or "",
                 occurrences=tuple((p, n) for p, n in entry.occurrences),
                 previous_msgid=entry.previous_msgid, first_line=entry.linenum or None)


def new_entry(msgid: str, msgctxt: str | None = None, msgid_plural: str = "",
              msgstr: str = "", msgstr_plural: dict[int, str] | None = None, *,
              occurrences: list[tuple[str, str]] | None = None, comment: str = "",
              tcomment: str = "", flags: list[str] | None = None,
              previous_msgctxt: str | None = None, previous_msgid: str | None = None,
              previous_msgid_plural: str | None = None,
              obsolete: bool = False) -> polib.POEntry:
    """A :class:`polib.POEntry` with exactly these fields, as ``POEntry(**fields)`` makes it.

    polib's constructor looks every field up in its keyword arguments; a template or a
    merge makes one entry per sentence, so this sets the same attributes directly (in
    the same order: the entries compare and print the same).
    """
    import polib  # loaded by whoever edits entries; the read-only commands never come here

    entry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__ = {
        "msgid": msgid, "msgstr": msgstr, "msgid_plural": msgid_plural,
        "msgstr_plural": {} if msgstr_plural is None else msgstr_plural, "msgctxt": msgctxt,
        "obsolete": obsolete, "encoding": polib.default_encoding, "comment": comment,
        "tcomment": tcomment, "occurrences": [] if occurrences is None else occurrences,
        "flags": [] if flags is None else flags, "previous_msgctxt": previous_msgctxt,
        "previous_msgid": previous_msgid, "previous_msgid_plural": previous_msgid_plural,
        "linenum": None}
    return entry


def live_entries(catalog: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    """The entries that are not obsolete."""
    return [e for e in catalog if not e.obsolete]


COVERAGE_STATES: tuple[EntryState, ...] = (
    EntryState.TRANSLATED, EntryState.MEMORY, EntryState.MACHINE, EntryState.ALIGNED,
    EntryState.FUZZY, EntryState.UNTRANSLATED)
"""The states of a live entry, in the order every figure shows them."""


@dataclass(frozen=True)
class Coverage:
    """How far a catalog (or a document's share of one) is reviewed, counted in entries.

    One entry is one distinct source sentence (msgid), however often the
    document repeats it: the figure a translator can act on.  ``status``,
    the report, ``build``'s threshold and ``check``'s summary all use it.
    """

    counts: Mapping[EntryState, int] = field(default_factory=dict)
    blocked: int = 0
    """Reviewed entries that may not be published (a check error that corrupts an edition)."""

    def count(self, state: EntryState) -> int:
        return self.counts.get(state, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def reviewed(self) -> int:
        """Reviewed entries that can be published."""
        return self.count(EntryState.TRANSLATED) - self.blocked

    @property
    def percent(self) -> float:
        """Share of reviewed entries, 0–100 (100 when there is nothing to translate)."""
        return 100.0 if not self.total else 100.0 * self.reviewed / self.total

    def __add__(self, other: Coverage) -> Coverage:
        counts = Counter(self.counts)
        counts.update(other.counts)
        return Coverage(dict(counts), self.blocked + other.blocked)


def coverage(states: Iterable[EntryState], *, blocked: int = 0) -> Coverage:
    """The coverage of entries in ``states`` (obsolete ones are left out)."""
    counts: Counter[EntryState] = Counter(s for s in states if s is not EntryState.OBSOLETE)
    return Coverage({s: counts[s] for s in COVERAGE_STATES if counts[s]}, blocked)
