"""Project-level steps over every document: read sources, extract templates, update catalogs.

Each step is a function of a :class:`~diglot.project.Project` that returns
what it did as data; the CLI prints it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from diglot.catalogs import (
    Template,
    UpdateSummary,
    build_template,
    new_catalog,
    now,
    render_catalog,
    same_template_text,
    update_catalog,
)
from diglot.collector import collector_paused
from diglot.errors import CatalogError
from diglot.fileio import batched_writes, write_text
from diglot.model import Document, Progress
from diglot.pofile import (
    CATALOG_CACHE,
    Catalog,
    POFile,
    catalog_bytes,
    decode_bytes,
    join_parts,
    parse_catalog,
    read_merge_template,
    recordcache,
    render_catalog_parts,
    store_kept_template,
    store_template,
)
from diglot.project import Project, select_names
from diglot.sources.cache import CACHE_FOLDER, DocumentReader
from diglot.uptodate import UpToDate, digest_of


@dataclass(frozen=True)
class FileResult:
    """One file a step looked at, and whether it changed on disk (or would, with ``check``)."""

    path: Path
    changed: bool
    stale: bool = False
    """A template whose source document is gone (kept: its catalogs hold translations)."""
    segments: int = 0
    """For a template: its entries."""
    summary: UpdateSummary | None = None
    """For a catalog: what the merge did."""
    created: bool = False
    """For a catalog: it did not exist before."""


def document_reader(project: Project, *, store: bool = True) -> DocumentReader:
    """The project's reader of sources: its segmentation settings, its cache of parsed
    documents (``.diglot/cache/documents/``; ``store`` false only reads that cache)."""
    config = project.config
    lang = config.source_language
    return DocumentReader(lang, config.unit, tuple(config.abbreviations.get(lang, ())),
                          folder=project.root / CACHE_FOLDER, store=store)


def load_documents(project: Project, *, reader: DocumentReader | None = None) -> list[Document]:
    """Every source document of the project, read and segmented (through its cache)."""
    reader = reader or document_reader(project)
    return [reader.read(path, name=project.doc_name(path)) for path in project.source_paths()]


def templates(project: Project, documents: list[Document]) -> dict[str, Catalog]:
    """The template of every document (in memory), keyed by document name."""
    created = now()
    return {doc.name: template_of(project, doc, created=created) for doc in documents}


def template_of(project: Project, document: Document, *, created: datetime) -> Catalog:
    """The template of ``document``, its references relative to the project."""
    return build_template(document, reference_path=reference(project.relative(document.path)),
                          created=created)


def reference(path: str) -> str:
    """A project-relative ``path`` as a ``#:`` reference: wrapped in U+2068…U+2069 when it
    holds a space, as GNU gettext (0.22 and later) writes such names, so it stays one."""
    return f"\u2068{path}\u2069" if any(c.isspace() for c in path) else path


def extract(project: Project, *, progress: Progress | None = None,
            check: bool = False) -> list[FileResult]:
    """Write ``locales/<doc>.pot`` for every source document (only where its content changed).

    The templates are written together (one sync; an error or an interrupt before the end
    writes none), and each one's entries are kept in the cache of parsed catalogs, where
    :func:`update` reads them.  With ``check``, nothing is written: ``changed`` says which
    templates are out of date.
    """
    with collector_paused():  # a sentence's objects live until the end and form no cycle
        return _extract(project, progress=progress, check=check)


def _extract(project: Project, *, progress: Progress | None, check: bool) -> list[FileResult]:
    reader = document_reader(project, store=not check)
    results = []
    names: set[str] = set()
    cache = project.root / CATALOG_CACHE
    created = now()
    with batched_writes() as batch:  # one sync for all templates, each still replaced whole
        for source in project.source_paths():  # one document in memory at a time
            name = project.doc_name(source)
            if progress:
                progress(name)
            pot = template_of(project, reader.read(source, name=name), created=created)
            names.add(name)
            path = project.template_path(name)
            parts = render_catalog_parts(pot)
            text = join_parts(parts)
            data = text.encode("utf-8")
            on_disk = path.read_bytes() if path.is_file() else None
            if on_disk is not None and same_template_text(
                    on_disk.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"),
                    text):  # (its text as read_text reads it: any line break is one)
                changed = False
                if not check and on_disk != data:  # its date aside: its records are kept too
                    store_kept_template(path, on_disk, pot, parts, cache=cache, batch=batch)
            else:
                changed = True if check else batch.write_bytes(path, data)
            if not check and (changed or on_disk == data):
                # its records in the cache of parsed catalogs: update reads it without a parse
                store_template(path, data, pot, parts, cache=cache, batch=batch)
            results.append(FileResult(path, changed=changed, segments=len(pot)))
    if not check:  # documents whose source is gone keep no parsed copy
        reader.prune(names)
    kept = template_names(project)
    for name in kept:
        if name not in names:
            results.append(FileResult(project.template_path(name), changed=False, stale=True))
    if not check:  # parsed copies of templates and catalogs the project no longer has go too
        recordcache.prune(cache, [
            *(project.template_path(name) for name in kept),
            *(project.catalog_path(lang, name) for lang in project.config.target_languages
              for name in kept)])
    return results


def template_records(project: Project, doc: str, *, data: bytes | None = None) -> Template:
    """The template of ``doc`` for a merge or a new catalog, through the project's cache of
    parsed catalogs (which ``extract`` fills as it writes the templates); ``data``: its
    bytes, if the caller has read them."""
    return read_merge_template(_template_path(project, doc), cache=project.root / CATALOG_CACHE,
                               data=data)


def _template_path(project: Project, doc: str) -> Path:
    """Where the template of ``doc`` is; a CatalogError if it is not there."""
    path = project.template_path(doc)
    if not path.is_file():
        raise CatalogError("template missing", path=path, hint="run 'diglot extract' first")
    return path


def start_catalog(template: POFile | Template, lang: str, *,
                  created: datetime) -> tuple[Catalog, UpdateSummary]:
    """A new catalog of ``lang`` from ``template``: empty, merged once, never pre-filled."""
    catalog = new_catalog(template, lang, created=created)
    return catalog, update_catalog(catalog, template, lang)


def template_names(project: Project) -> list[str]:
    """Documents that have a template, sorted."""
    return project.template_names()


def update(project: Project, *, languages: list[str] | None = None,
           documents: list[str] | None = None,
           progress: Progress | None = None, check: bool = False) -> list[FileResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<doc>.po`` from every template (or those
    of ``documents``; an unknown name is a ConfigError with a "did you mean").

    Catalogs are merged one at a time (the memory of one at a time) and staged in one batch
    of writes: a catalog a translator broke stops the run before any catalog is replaced,
    with nothing touched (the catalogs staged before it are dropped).  With ``check``,
    nothing is written: ``changed`` says which catalogs are out of date.
    """
    with collector_paused():
        return _update(project, languages=languages, documents=documents, progress=progress,
                       check=check)


def _update(project: Project, *, languages: list[str] | None, documents: list[str] | None,
            progress: Progress | None, check: bool) -> list[FileResult]:
    langs = select_names(languages, project.config.target_languages, "target language")
    docs = select_names(documents, template_names(project), "document")
    results = []
    created = now()
    known = UpToDate(project.root, store=not check)
    with batched_writes() as batch:  # one sync for all catalogs, each still replaced whole
        for doc in docs:
            template_data = catalog_bytes(_template_path(project, doc))
            template_digest = hashlib.sha256(template_data).digest()
            template: Template | None = None  # (read only for a catalog to merge)
            for lang in langs:
                path = project.catalog_path(lang, doc)
                if progress:
                    progress(project.relative(path))
                inputs = digest_of(template_digest, lang)
                data = catalog_bytes(path) if path.is_file() else None
                summary = known.summary(path, inputs, data) if data is not None else None
                if summary is not None:  # as it was when an update last left it unchanged
                    results.append(FileResult(path, changed=False, summary=summary))
                    continue
                if template is None:
                    template = template_records(project, doc, data=template_data)
                if data is not None:
                    catalog = parse_catalog(decode_bytes(data, path=path), path=path)
                    summary = update_catalog(catalog, template, lang)
                else:
                    catalog, summary = start_catalog(template, lang, created=created)
                encoded = render_catalog(catalog).encode("utf-8")
                if encoded == data:  # (compared here: the catalog's bytes are in hand)
                    changed = False
                else:
                    changed = True if check else batch.write_bytes(path, encoded)
                if data is not None and not changed:
                    known.note(path, inputs, data, summary)
                results.append(FileResult(path, changed=changed, summary=summary,
                                          created=data is None))
        if not check:
            known.save((r.path for r in results), batch=batch,
                       every=documents is None and languages is None)
    return results


GITIGNORE = """\
# What diglot generates: the sources, templates (.pot) and catalogs (.po) are the project.
editions/
editions-draft/
.diglot/
reports/
*.mo
# diglot's temporary files while it writes one atomically
.*.tmp
"""


def readme_text(source: str, targets: list[str]) -> str:
    """The short README of a new project."""
    langs = ", ".join(targets)
    return f"""\
# Translations

Statements in `{source}` (under `source/{source}/`), translated into {langs} with
diglot (`diglot --help` lists its commands).

- `locales/<doc>.pot`: the sentences of each statement (`diglot extract`; do not edit).
- `locales/<lang>/LC_MESSAGES/<doc>.po`: the translations; edit them with Poedit,
  Lokalize, Weblate or a text editor, then remove the `fuzzy` flag of what you reviewed.
- `diglot update` after a statement changed; `diglot status` for progress;
  `diglot check` before publishing; `diglot build` writes `editions/` (reviewed
  translations only), `diglot build --draft` writes `editions-draft/`.
- CI: `diglot extract --check && diglot update --check` fail when a template or
  catalog is out of date.
"""


def new_project_files(root: Path, source: str, targets: list[str]) -> list[Path]:
    """Write a new project's ``.gitignore`` and ``README.md`` where there is none yet."""
    written = []
    for name, text in ((".gitignore", GITIGNORE), ("README.md", readme_text(source, targets))):
        path = root / name
        if not path.exists():
            write_text(path, text)
            written.append(path)
    return written
