"""QA checks over translated catalogs: numbers, markup, punctuation, terms, negation…

Every check is a function ``(source, translation, context) -> list[Problem]``
(see :mod:`diglot.checks.base`); :data:`ENTRY_CHECKS` lists them with their
names.  :func:`check_project` runs them over every catalog of a project and
returns all the problems found, each at ``path:line`` of the entry's ``msgid``.

By default only reviewed entries are checked (what would be printed);
``include_drafts`` adds fuzzy entries, whose problems are always warnings.

A translator silences checks on one entry with a translator comment::

    # diglot: ignore numbers punctuation
    msgid "…"

(``ignore all`` silences every check on that entry).  An unknown check name in
such a comment is itself reported, with a "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diglot.checks.base import CheckSpec, EntryContext, GlossaryTerm, Problem, Severity
from diglot.checks.bidi import check_bidi
from diglot.checks.gettext import check_format, check_header, check_newlines
from diglot.checks.glossary import check_glossary, read_glossary_file
from diglot.checks.markup import check_markup
from diglot.checks.negation import check_negation
from diglot.checks.numbers import check_numbers
from diglot.checks.punctuation import check_final, check_pairs
from diglot.checks.text import check_identical, check_untranslated, check_whitespace
from diglot.collector import collector_paused
from diglot.errors import CatalogError
from diglot.model import EntryState, SourceFormat
from diglot.pofile import CatalogRecords, Coverage, Entry, coverage, read_records
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project, did_you_mean, select_names

if TYPE_CHECKING:  # a polib catalog is checked as given; 'check' itself reads records only
    from diglot.pofile import Catalog

__all__ = [
    "ENTRY_CHECKS", "CheckRun", "CheckSpec", "EntryContext", "GlossaryTerm", "Problem",
    "Severity", "blocking_problems", "check_catalog", "check_names", "check_project",
    "load_glossary",
]


def _punctuation(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    return check_final(source, translation, ctx) + check_pairs(source, translation, ctx)


def _msgfmt(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    return check_newlines(source, translation, ctx) + check_format(source, translation, ctx)


ENTRY_CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("numbers", check_numbers,
              "numbers and dates missing or changed (9,5 = 9.5; 03.08.2015 = 3 August 2015)"),
    CheckSpec("markup", check_markup, "links, URLs, inline code and emphasis not as in the source"),
    CheckSpec("punctuation", _punctuation,
              "sentence-final . ! ? … ?! differs; quotes or brackets left open"),
    CheckSpec("glossary", check_glossary, "agreed term (glossary/<src>-<tgt>.tsv) not used"),
    CheckSpec("negation", check_negation, "a negation on one side only"),
    CheckSpec("identical", check_identical, "translation is a copy of a source in another script"),
    CheckSpec("untranslated", check_untranslated, "words left in the source's script"),
    CheckSpec("whitespace", check_whitespace,
              "doubled spaces; leading or trailing whitespace unlike the source"),
    CheckSpec("msgfmt", _msgfmt, "what msgfmt --check rejects (newlines, format directives)"),
    CheckSpec("bidi", check_bidi, "directional controls (U+202E…) unbalanced or not in the source"),
)
HEADER_CHECK = "header"


def check_names(checks: Sequence[CheckSpec] = ENTRY_CHECKS) -> list[str]:
    """The names a translator can write in an ignore comment."""
    return [c.name for c in checks] + [HEADER_CHECK]


_IGNORE = re.compile(r"^\s*diglot:\s*ignore\b(.*)$", re.IGNORECASE)


def ignored(tcomment: str) -> list[str]:
    """The check names an entry's ``# diglot: ignore …`` comments (``tcomment``) silence."""
    names: list[str] = []
    for line in tcomment.split("\n"):
        match = _IGNORE.match(line)
        if match:
            names.extend(n for n in re.split(r"[\s,]+", match.group(1)) if n)
    return names


def count_severity(problems: Iterable[Problem], severity: Severity) -> int:
    """How many of ``problems`` have ``severity``."""
    return sum(p.severity is severity for p in problems)


@dataclass(frozen=True)
class CheckRun:
    """What a run of the checks found, and over how much."""

    problems: tuple[Problem, ...]
    catalogs: int
    entries: int
    coverage: Coverage = field(default_factory=Coverage)
    """Entries of the catalogs checked by state (the figure status and build show)."""

    @property
    def errors(self) -> int:
        return count_severity(self.problems, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count_severity(self.problems, Severity.WARNING)

    def exit_code(self, *, strict: bool = False) -> int:
        """5 when errors were found (or warnings, with ``strict``), else 0."""
        return 5 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        figure = self.coverage
        return (f"{n(self.errors, 'error')}, {n(self.warnings, 'warning')} in "
                f"{n(self.catalogs, 'catalog')} ({n(self.entries, 'entry')} checked); "
                f"{figure.reviewed} of {n(figure.total, 'entry')} reviewed "
                f"({figure.percent:.0f} %)").replace("entrys", "entries")

    def as_dict(self, name: Callable[[Path], str] = Path.as_posix) -> dict[str, object]:
        """For JSON; paths as ``name`` writes them (``diglot check``: relative to the project)."""
        return {
            "problems": [p.as_dict(name) for p in self.problems],
            "summary": {"errors": self.errors, "warnings": self.warnings,
                        "catalogs": self.catalogs, "entries": self.entries,
                        "reviewed": self.coverage.reviewed, "total": self.coverage.total},
        }


def document_format(entries: Iterable[Entry]) -> SourceFormat:
    """The source format of a catalog's document, from its entries' references."""
    for entry in entries:
        for path, _ in entry.occurrences:
            suffix = Path(path).suffix.lstrip(".")
            if suffix in {f.value for f in SourceFormat}:
                return SourceFormat(suffix)
    return SourceFormat.TXT


def check_catalog(catalog: Catalog | CatalogRecords, *, path: Path, source_lang: str,
                  target_lang: str, fmt: SourceFormat | None = None,
                  glossary: tuple[GlossaryTerm, ...] = (), include_drafts: bool = False,
                  checks: Sequence[CheckSpec] = ENTRY_CHECKS,
                  entries: Sequence[Entry] | None = None) -> tuple[list[Problem], int]:
    """The problems of the catalog read from ``path``, and the number of entries checked.

    ``entries`` are ``catalog.records()`` when the caller has them already.
    """
    if entries is None:
        entries = catalog.records()
    fmt = fmt or document_format(entries)
    known = check_names(checks)
    named = [(spec.name, spec.func) for spec in checks]
    problems = check_header(catalog.metadata, entries, path=path, line=catalog.header_line,
                            lang=target_lang)
    problems += [Problem(path, line, "msgfmt", Severity.WARNING, message)
                 for line, message in catalog.warnings]
    funcs = [func for _, func in named]
    checked = 0
    translated = EntryState.TRANSLATED
    for entry in entries:
        state = entry.state
        if state is not translated and (not include_drafts
                                        or state is EntryState.UNTRANSLATED):
            continue
        checked += 1
        line = entry.line or entry.first_line or 1
        skip = set(ignored(entry.tcomment)) if entry.tcomment else None
        if skip:
            for name in sorted(skip - {*known, "all"}):
                problems.append(Problem(path, line, "ignore", Severity.WARNING,
                                        f"unknown check '{name}' in '# diglot: ignore'",
                                        hint=did_you_mean(name, known)))
            if "all" in skip:
                continue
        ctx = EntryContext(path=path, line=line, source_lang=source_lang,
                           target_lang=target_lang, format=fmt, flags=entry.flags,
                           glossary=glossary, draft=state is not translated)
        if not skip and not entry.msgid_plural:  # the common case: every check, one pair
            msgid, msgstr = entry.msgid, entry.msgstr
            for func in funcs:
                found = func(msgid, msgstr, ctx)
                if found:
                    problems.extend(found)
            continue
        pairs = [(entry.msgid if index == 0 or not entry.msgid_plural else entry.msgid_plural,
                  translation) for index, translation in enumerate(entry.translations)]
        for name, func in named:
            if skip and name in skip:
                continue
            for source, translation in pairs:
                found = func(source, translation, ctx)
                if found:
                    problems.extend(found)
    if HEADER_CHECK in ignored(catalog.header or ""):
        problems = [p for p in problems if p.check != HEADER_CHECK]
    return sorted(set(problems)), checked


BLOCKING_CHECKS = ("msgfmt", "markup", "punctuation")
"""Checks whose errors corrupt an edition (a stray line break, broken markup, an unbalanced
quote or bracket): ``diglot build`` does not publish an entry with one."""


_BLOCKING_SPECS = tuple(
    # the punctuation check's errors are check_pairs' (check_final only ever warns)
    CheckSpec(spec.name, check_pairs, spec.summary) if spec.name == "punctuation" else spec
    for spec in ENTRY_CHECKS if spec.name in BLOCKING_CHECKS)


def blocking_problems(catalog: Catalog | CatalogRecords, *, path: Path, source_lang: str,
                      target_lang: str,
                      entries: Sequence[Entry] | None = None) -> dict[str, Problem]:
    """msgid → the first error of a :data:`BLOCKING_CHECKS` check on that reviewed entry.

    ``entries`` are ``catalog.records()`` when the caller has them already.
    """
    if entries is None:
        entries = catalog.records()
    problems, _ = check_catalog(catalog, path=path, source_lang=source_lang,
                                target_lang=target_lang, checks=_BLOCKING_SPECS, entries=entries)
    by_line = {e.line: e.msgid for e in entries if e.line and e.msgctxt is None}
    out: dict[str, Problem] = {}
    for problem in problems:
        msgid = by_line.get(problem.line)
        if problem.severity is Severity.ERROR and problem.check in BLOCKING_CHECKS and \
                msgid is not None:
            out.setdefault(msgid, problem)
    return out


def load_glossary(project: Project, target: str) -> tuple[tuple[GlossaryTerm, ...],
                                                          list[Problem]]:
    """The project's glossary for ``target`` (none if there is no file) and its read problems."""
    path = project.glossary_path(target)
    if path is None:
        return (), []
    return read_glossary_file(path, source_lang=project.config.source_language,
                              target_lang=target)


def check_project(project: Project, *, languages: Sequence[str] | None = None,
                  documents: Sequence[str] | None = None, include_drafts: bool = False,
                  checks: Sequence[CheckSpec] = ENTRY_CHECKS,
                  progress: Callable[[str], None] | None = None) -> CheckRun:
    """Run the checks over every existing catalog of ``project`` (or the ones selected)."""
    # The cycle collector paused: the catalogs' records, the findings and the checks' caches
    # of parsed numbers are many objects in no cycle; its passes over them found nothing to
    # free and cost about a sixth of a large check.
    with collector_paused():
        return _check_project(project, languages=languages, documents=documents,
                              include_drafts=include_drafts, checks=checks, progress=progress)


def _check_project(project: Project, *, languages: Sequence[str] | None,
                   documents: Sequence[str] | None, include_drafts: bool,
                   checks: Sequence[CheckSpec],
                   progress: Callable[[str], None] | None) -> CheckRun:
    langs = select_names(languages, project.config.target_languages, "language")
    # project.template_names, not diglot.workflow's: that module loads babel.messages
    docs = select_names(documents, project.template_names(), "document")
    problems: list[Problem] = []
    catalogs = entries = 0
    figure = Coverage()
    for lang in langs:
        glossary, glossary_problems = load_glossary(project, lang)
        problems.extend(glossary_problems)
        for doc in docs:
            path = project.catalog_path(lang, doc)
            if not path.is_file():
                continue
            if progress:
                progress(project.relative(path))
            try:
                catalog = read_records(path, cache=project.root / CATALOG_CACHE)
            except CatalogError as exc:
                problems.append(Problem(path, exc.line or 1, "msgfmt", Severity.ERROR,
                                        exc.message, hint=exc.hint or ""))
                catalogs += 1
                continue
            records = catalog.records()
            found, checked = check_catalog(
                catalog, path=path,
                source_lang=project.config.source_language, target_lang=lang,
                glossary=glossary, include_drafts=include_drafts, checks=checks,
                entries=records)
            problems.extend(found)
            catalogs += 1
            entries += checked
            figure += coverage(e.state for e in records)
    return CheckRun(problems=tuple(problems), catalogs=catalogs, entries=entries,
                    coverage=figure)
