"""Project-level steps over every document: read sources, extract templates, update catalogs.

Each step is a function of a :class:`~diglot.project.Project` that returns
what it did as data; the CLI prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from diglot.catalogs import (
    build_template,
    new_catalog,
    now,
    read_catalog,
    render_catalog,
    same_template,
    update_catalog,
)
from diglot.errors import CatalogError
from diglot.fileio import write_text
from diglot.model import Document
from diglot.pofile import Catalog, POFile
from diglot.project import Project
from diglot.sources import make_splitter, read_document

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FileResult:
    """One file a step looked at, and whether it changed on disk."""

    path: Path
    changed: bool
    detail: str = ""
    stale: bool = False
    """A template whose source document is gone (kept: its catalogs hold translations)."""


def load_documents(project: Project) -> list[Document]:
    """Every source document of the project, read and segmented."""
    config = project.config
    lang = config.source_language
    splitter = make_splitter(lang, unit=config.unit.value,
                             abbreviations=config.abbreviations.get(lang, ()))
    return [
        read_document(path, name=project.doc_name(path), lang=lang, splitter=splitter,
                      display_path=Path(project.relative(path)))
        for path in project.source_paths()
    ]


def templates(documents: list[Document]) -> dict[str, Catalog]:
    """The template of every document (in memory), keyed by document name."""
    created = now()
    return {
        doc.name: build_template(doc, reference_path=doc.path.as_posix(), created=created)
        for doc in documents
    }


def extract(project: Project, *, progress: Progress | None = None) -> list[FileResult]:
    """Write ``locales/<doc>.pot`` for every source document (only where its content changed)."""
    documents = load_documents(project)
    results = []
    for name, pot in templates(documents).items():
        path = project.template_path(name)
        if progress:
            progress(name)
        if path.is_file() and same_template(path.read_text(encoding="utf-8"), pot):
            results.append(FileResult(path, changed=False, detail=f"{len(pot)} segments"))
            continue
        changed = write_text(path, render_catalog(pot))
        results.append(FileResult(path, changed=changed, detail=f"{len(pot)} segments"))
    names = {doc.name for doc in documents}
    for name in template_names(project):
        if name not in names:
            results.append(FileResult(
                project.template_path(name), changed=False, stale=True,
                detail=f"no source/{project.config.source_language}/{name}.* any more; "
                "kept with its catalogs — delete them by hand if the statement is withdrawn"))
    return results


def read_template(project: Project, doc: str) -> Catalog:
    path = project.template_path(doc)
    if not path.is_file():
        raise CatalogError("template missing", path=Path(project.relative(path)),
                           hint="run 'diglot extract' first")
    return read_catalog(path, shown=Path(project.relative(path)))


def template_names(project: Project) -> list[str]:
    """Documents that have a template, sorted."""
    root = project.locales_dir
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.pot"))


def update(project: Project, *, languages: list[str] | None = None,
           progress: Progress | None = None) -> list[FileResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<doc>.po`` from every template.

    Every catalog is read (and checked) before any is written, so a catalog a
    translator broke stops the run with nothing touched.
    """
    langs = languages or list(project.config.target_languages)
    plans: list[tuple[Path, POFile, Catalog | None, str]] = []
    for doc in template_names(project):
        template = read_template(project, doc)
        for lang in langs:
            path = project.catalog_path(lang, doc)
            old = read_catalog(path, shown=Path(project.relative(path))) if path.is_file() else None
            plans.append((path, template, old, lang))
    results = []
    created = now()
    for path, template, old, lang in plans:
        if progress:
            progress(project.relative(path))
        if old is None:
            catalog = new_catalog(template, lang, created=created)
            summary = update_catalog(catalog, template, lang)
            detail = f"created, {summary.new} untranslated"
        else:
            catalog = old
            summary = update_catalog(catalog, template, lang)
            detail = (f"{summary.kept} kept, {summary.fuzzy} fuzzy, {summary.new} new, "
                      f"{summary.obsoleted} obsolete")
        changed = write_text(path, render_catalog(catalog))
        results.append(FileResult(path, changed=changed, detail=detail))
    return results
