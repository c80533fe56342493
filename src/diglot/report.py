"""The status report: one self-contained HTML page a coordinator can open or publish.

Per document and language: a progress bar of reviewed / memory match /
machine draft / aligned / other fuzzy / untranslated entries, the source
words left to review, the QA problems with their ``path:line``, and links to
the editions that exist.
The counts come from :func:`diglot.status.project_status` and the problems
from :func:`diglot.checks.check_project` (drafts included, as warnings).

:func:`render_report` builds the page from data; :func:`write_report` gathers
the data and writes ``reports/status.html`` (or another path) atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from diglot import __version__
from diglot.fileio import write_text
from diglot.pofile import Coverage
from diglot.project import Project, language_name
from diglot.status import BAR_STATES, CatalogStatus, bar_parts, project_status

if TYPE_CHECKING:  # Jinja and the checks (markdown-it) load only when a report is made:

    # the page only: 'diglot status' without --html does not import this module at all
    from diglot.checks import CheckRun, Problem
    from diglot.effort import EngineEffort  # rapidfuzz, as the catalogs' babel.messages
    from diglot.status import BarPart

DEFAULT_PATH = Path("reports") / "status.html"


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class ReportRow:
    """One document in one language, as the report shows it."""

    status: CatalogStatus
    language: str
    bar: tuple[BarPart, ...]
    words_left: int
    problems: tuple[Problem, ...]
    editions: tuple[Link, ...]

    @property
    def errors(self) -> int:
        from diglot.checks import Severity, count_severity  # lazy: see the imports above

        return count_severity(self.problems, Severity.ERROR)

    @property
    def warnings(self) -> int:
        from diglot.checks import Severity, count_severity  # lazy: see the imports above

        return count_severity(self.problems, Severity.WARNING)


def edition_links(project: Project, doc: str, lang: str, *, report_dir: Path) -> tuple[Link, ...]:
    """Links (relative to ``report_dir``) to the editions of ``doc`` in ``lang`` that exist."""
    source = project.config.source_language
    candidates = [
        (project.editions_dir / lang / f"{doc}.html", f"{lang} edition"),
        (project.editions_dir / f"{source}-{lang}" / f"{doc}.html", f"{source}–{lang} bilingual"),
        (project.editions_dir / lang / f"{doc}.md", f"{lang} Markdown"),
        (project.editions_dir / lang / f"{doc}.txt", f"{lang} text"),
        (project.editions_dir / f"{source}-{lang}" / f"{doc}.tmx", "TMX"),
    ]
    return tuple(Link(label=label,
                      href=quote(Path(os.path.relpath(path, report_dir)).as_posix(), safe="/"))
                 for path, label in candidates if path.is_file())


def report_rows(project: Project, statuses: Sequence[CatalogStatus], run: CheckRun, *,
                report_dir: Path) -> list[ReportRow]:
    """The report's rows: one per status, with its problems and editions."""
    by_path: dict[Path, list[Problem]] = {}
    for problem in run.problems:
        by_path.setdefault(problem.path, []).append(problem)
    return [
        ReportRow(status=s, language=language_name(s.lang), bar=bar_parts(s),
                  words_left=s.words_left,
                  problems=tuple(sorted(by_path.get(s.path, []))),
                  editions=edition_links(project, s.doc, s.lang, report_dir=report_dir))
        for s in statuses
    ]


def render_report(rows: Sequence[ReportRow], *, title: str, generated: datetime,
                  other_problems: Sequence[Problem] = (), checked_entries: int = 0,
                  effort: Sequence[EngineEffort] = (),
                  name: Callable[[Path], str] = Path.as_posix) -> str:
    """The report page's HTML (self-contained: inline styles, no scripts, no external files).

    ``name`` writes a catalog's path (:meth:`Project.relative`: relative to the project).
    """
    from diglot.checks import Severity  # lazy: see the imports above

    documents: dict[str, list[ReportRow]] = {}
    for row in rows:
        documents.setdefault(row.status.doc, []).append(row)
    totals = {
        "segments": sum(r.status.total for r in rows),
        "reviewed": sum((r.status.coverage for r in rows), Coverage()).reviewed,
        "words_left": sum(r.words_left for r in rows),
        "errors": sum(r.errors for r in rows) + sum(
            p.severity is Severity.ERROR for p in other_problems),
        "warnings": sum(r.warnings for r in rows) + sum(
            p.severity is Severity.WARNING for p in other_problems),
    }
    from diglot.templating import render_template  # lazy: 'status' imports this module, not jinja2

    return render_template("status.html.j2", {
        "title": title, "generated": generated.strftime("%Y-%m-%d %H:%M UTC"),
        "documents": documents, "states": BAR_STATES, "totals": totals,
        "other_problems": list(other_problems), "checked": checked_entries,
        "version": __version__, "effort": list(effort), "name": name})


def build_report(project: Project, *, report_path: Path,
                 languages: Sequence[str] | None = None) -> str:
    """The report page of ``project``, for a file at ``report_path``."""
    from diglot.catalogs import now  # lazy, as the checks and the memory: see the imports above
    from diglot.checks import check_project
    from diglot.effort import engine_effort

    statuses = project_status(project, languages=list(languages) if languages else None)
    run = check_project(project, languages=languages, include_drafts=True)
    rows = report_rows(project, statuses, run, report_dir=report_path.parent)
    catalogs = {s.path for s in statuses}
    other = [p for p in run.problems if p.path not in catalogs]
    title = f"Translation status — {project.root.resolve().name}"
    return render_report(rows, title=title, generated=now(), other_problems=other,
                         checked_entries=run.entries,
                         effort=engine_effort(project, languages=languages),
                         name=project.relative)


def write_report(project: Project, *, path: Path | None = None,
                 languages: Sequence[str] | None = None) -> Path:
    """Write the report (default ``reports/status.html`` in the project); return its path."""
    target = path if path is not None else project.root / DEFAULT_PATH
    if not target.is_absolute():
        target = Path.cwd() / target
    write_text(target, build_report(project, report_path=target.resolve(), languages=languages))
    return target
