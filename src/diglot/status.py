"""How far each document is translated into each language.

A fuzzy entry is never counted as reviewed: memory matches, machine drafts,
aligned imports awaiting review and other fuzzy entries (edited source
sentences) are counted apart.  Counts are entries (distinct sentences), from
:func:`diglot.pofile.coverage`, the figure build's threshold uses too.

The progress bar's parts (:func:`bar_parts`) are here too, for the report's
page and the terminal's table (:func:`terminal_bar`): ``diglot status`` then
loads neither the report's Jinja nor its checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from diglot.names import EntryState
from diglot.patterns import count_words
from diglot.pofile import COVERAGE_STATES, CatalogRecords, Coverage, coverage, read_records
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project, select_names

if TYPE_CHECKING:
    from rich.text import Text

LIVE_STATES = COVERAGE_STATES


@dataclass(frozen=True)
class CatalogStatus:
    """Counts of one catalog, by entry state, in segments and in source words.

    The words are counted from :attr:`msgids` the first time :attr:`words` is
    read (a drafting run's status is mostly read for its untranslated segments,
    never for words), and kept: a cached property over a field, nothing mutable.
    """

    doc: str
    lang: str
    path: Path
    segments: dict[EntryState, int] = field(default_factory=dict)
    msgids: Mapping[EntryState, Sequence[str]] = field(default_factory=dict, repr=False)
    """The live entries' msgids by state, in the order the states first occur."""
    obsolete: int = 0
    exists: bool = True

    @cached_property
    def words(self) -> dict[EntryState, int]:
        """Source words by state, in the order of :attr:`msgids`."""
        # one count per state: a word never spans the line break joining two msgids
        return {state: count_words("\n".join(msgids)) for state, msgids in self.msgids.items()}

    @property
    def total(self) -> int:
        return sum(self.segments.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def coverage(self) -> Coverage:
        """The catalog's coverage (entries by state): the one figure every command shows."""
        return Coverage(self.segments)

    @property
    def words_left(self) -> int:
        """Source words in entries not yet reviewed."""
        return self.total_words - self.words.get(EntryState.TRANSLATED, 0)

    @property
    def percent(self) -> float:
        """Share of reviewed entries, 0–100 (100 for an empty document)."""
        return self.coverage.percent

    def as_dict(self, name: Callable[[Path], str] = Path.as_posix) -> dict[str, object]:
        """For JSON; the path as ``name`` writes it (``diglot status``: relative to the project)."""
        return {
            "document": self.doc,
            "language": self.lang,
            "path": name(self.path),
            "exists": self.exists,
            "segments": {s.value: self.segments.get(s, 0) for s in LIVE_STATES},
            "words": {s.value: self.words.get(s, 0) for s in LIVE_STATES},
            "total_segments": self.total,
            "total_words": self.total_words,
            "obsolete": self.obsolete,
            "percent_translated": round(self.percent, 1),
        }


def catalog_status(catalog: CatalogRecords, *, doc: str, lang: str,
                   path: Path) -> CatalogStatus:
    """Count one catalog's entries and source words by state."""
    entries = catalog.records(obsolete=True)
    live = [e for e in entries if not e.obsolete]
    return counted_status(((e.state, e.msgid) for e in live), obsolete=len(entries) - len(live),
                          doc=doc, lang=lang, path=path)


def counted_status(live: Iterable[tuple[EntryState, str]], *, obsolete: int, doc: str,
                   lang: str, path: Path) -> CatalogStatus:
    """The status of a catalog whose live entries have these ``(state, msgid)``: the one count
    behind :func:`catalog_status` and a drafting run's status of the catalogs it holds."""
    by_state: dict[EntryState, list[str]] = {}  # the states in the order they first occur
    for state, msgid in live:
        found = by_state.get(state)
        if found is None:
            by_state[state] = [msgid]
        else:
            found.append(msgid)
    segments = coverage(chain.from_iterable(repeat(state, len(msgids))
                                            for state, msgids in by_state.items())).counts
    return CatalogStatus(doc=doc, lang=lang, path=path, segments=dict(segments),
                         msgids=by_state, obsolete=obsolete)


def project_status(project: Project, *, languages: list[str] | None = None,
                   documents: list[str] | None = None) -> list[CatalogStatus]:
    """The status of every document (or of ``documents``) in every target language, by name."""
    langs = select_names(languages, project.config.target_languages, "target language")
    out = []
    cache = project.root / CATALOG_CACHE  # parsed catalogs: each read once per content
    # project.template_names, not diglot.workflow's: that module loads babel.messages
    for doc in select_names(documents, project.template_names(), "document"):
        for lang in langs:
            path = project.catalog_path(lang, doc)
            if not path.is_file():
                template = read_records(project.template_path(doc), cache=cache)
                live = [e.msgid for e in template.records()]
                out.append(CatalogStatus(doc=doc, lang=lang, path=path,
                                         segments={EntryState.UNTRANSLATED: len(live)},
                                         msgids={EntryState.UNTRANSLATED: live}, exists=False))
                continue
            records = read_records(path, cache=cache)
            out.append(catalog_status(records, doc=doc, lang=lang, path=path))
    return out


BAR_STATES: tuple[tuple[EntryState, str, str], ...] = (
    (EntryState.TRANSLATED, "reviewed", "reviewed"),
    (EntryState.MEMORY, "memory match", "memory"),
    (EntryState.MACHINE, "machine draft", "machine"),
    (EntryState.ALIGNED, "aligned, to review", "aligned"),
    (EntryState.FUZZY, "other fuzzy", "fuzzy"),
    (EntryState.UNTRANSLATED, "untranslated", "untranslated"),
)
"""Entry state, its label, and its CSS class, in the order the bar shows them."""


@dataclass(frozen=True)
class BarPart:
    """One coloured part of a progress bar."""

    label: str
    css: str
    count: int
    percent: float


def bar_parts(status: CatalogStatus) -> tuple[BarPart, ...]:
    """The parts of a status's progress bar, by segments (empty parts included)."""
    total = status.total
    return tuple(
        BarPart(label=label, css=css, count=status.segments.get(state, 0),
                percent=round(100.0 * status.segments.get(state, 0) / total, 2) if total else 0.0)
        for state, label, css in BAR_STATES)


_TERMINAL_STYLES = {"reviewed": "green", "memory": "cyan", "machine": "blue",
                    "aligned": "magenta", "fuzzy": "yellow", "untranslated": "bright_black"}
_TERMINAL_CHARS = {"reviewed": "█", "memory": "▓", "machine": "▓", "aligned": "▒",
                   "fuzzy": "▒", "untranslated": "░"}


def terminal_bar(status: CatalogStatus, *, width: int = 20) -> Text:
    """The progress bar for a terminal: one character kind and colour per state.

    Widths are rounded so that they add up to ``width`` and a state with any
    segment gets at least one character.
    """
    from rich.text import Text  # the table's library: loaded by the terminal that shows it

    parts = [p for p in bar_parts(status) if p.count]
    if not parts:
        return Text("░" * width, style="bright_black")
    exact = [p.percent / 100 * width for p in parts]
    cells = [max(1, int(x)) for x in exact]
    order = sorted(range(len(parts)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(cells) < width:
        cells[order[i % len(order)]] += 1
        i += 1
    while sum(cells) > width:
        biggest = max(range(len(cells)), key=lambda k: cells[k])
        cells[biggest] -= 1
    text = Text()
    for part, n in zip(parts, cells, strict=True):
        text.append(_TERMINAL_CHARS[part.css] * n, style=_TERMINAL_STYLES[part.css])
    return text
