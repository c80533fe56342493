"""How far each document is translated into each language.

A fuzzy entry is never counted as reviewed: memory matches, machine drafts,
aligned imports awaiting review and other fuzzy entries (edited source
sentences) are counted apart.  Counts are entries (distinct sentences), from
:func:`diglot.pofile.coverage`, the figure build's threshold uses too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diglot.model import EntryState
from diglot.patterns import count_words
from diglot.pofile import COVERAGE_STATES, CatalogRecords, Coverage, coverage, read_records
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project, select_names

LIVE_STATES = COVERAGE_STATES


@dataclass(frozen=True)
class CatalogStatus:
    """Counts of one catalog, by entry state, in segments and in source words."""

    doc: str
    lang: str
    path: Path
    segments: dict[EntryState, int] = field(default_factory=dict)
    words: dict[EntryState, int] = field(default_factory=dict)
    obsolete: int = 0
    exists: bool = True

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
    words: Counter[EntryState] = Counter()
    for entry in live:
        words[entry.state] += count_words(entry.msgid)
    return CatalogStatus(doc=doc, lang=lang, path=path,
                         segments=dict(coverage(e.state for e in live).counts),
                         words=dict(words), obsolete=len(entries) - len(live))


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
                counts = catalog_status(template, doc=doc, lang=lang, path=path)
                out.append(CatalogStatus(doc=doc, lang=lang, path=path,
                                         segments={EntryState.UNTRANSLATED: counts.total},
                                         words={EntryState.UNTRANSLATED: counts.total_words},
                                         exists=False))
                continue
            records = read_records(path, cache=cache)
            out.append(catalog_status(records, doc=doc, lang=lang, path=path))
    return out
