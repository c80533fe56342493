"""Importing published translations: align a source with its published translation, fill catalogs.

``diglot align`` reads a published translation (``.txt`` or ``.md``, the same
readers as sources), segments it with diglot's own segmenter, aligns it with
the source document (:mod:`diglot.align`, with the project's glossary and
translation memory as a bilingual word list), then:

- writes the document's template if it is missing or stale, creates or
  updates its catalog, and puts each source sentence's published text in
  its ``msgstr`` (:mod:`diglot.importing.placement` decides the n:m cases,
  :mod:`diglot.importing.catalog` writes them);
- writes a review page, ``reports/align/<lang>/<doc>.html``
  (:mod:`diglot.importing.review`).

Batch mode: ``published/<lang>/<doc>.txt|.md`` beside ``source/``; every
published file whose document exists is imported in one alignment run.

A file that cannot be used is refused with an error and nothing written for
it: not UTF-8, empty, in another language's script, or (unless ``force``) a
translation of another document — most of its pairs below the threshold.
The other files of a batch are still imported.  Writing is another matter:
every template, catalog and review page of a run goes through one batch, so
a write that fails (a full disk, a folder that is not one) leaves every file
of the run as it was, and the run can simply be repeated.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diglot.align import Lexicon, align_many
from diglot.catalogs import (
    language_name,
    new_catalog,
    now,
    read_catalog,
    render_catalog,
    same_template,
    update_catalog,
)
from diglot.checks import load_glossary
from diglot.checks.base import char_script, language_script
from diglot.collector import collector_paused
from diglot.engines.memory import load_memory
from diglot.errors import ConfigError, DiglotError, PublicationError, SourceError
from diglot.fileio import WriteBatch, batched_writes
from diglot.importing.catalog import Filled, fill_catalog, msgid_lines
from diglot.importing.placement import AlignmentLike, Placed, place
from diglot.importing.review import write_review
from diglot.model import Document, Progress, SourceFormat
from diglot.project import Project, did_you_mean, select_names
from diglot.sources import make_splitter, read_document
from diglot.workflow import load_documents, templates

if TYPE_CHECKING:
    from diglot.pofile import POFile

__all__ = ["DocumentImport", "ImportResult", "Job", "find_jobs", "import_published",
           "job_for_file", "read_published"]

PUBLISHED = "published"


@dataclass(frozen=True)
class Job:
    """One published file to import: the document it translates and its language."""

    doc: str
    lang: str
    path: Path


@dataclass(frozen=True)
class DocumentImport:
    """What importing one published file did."""

    doc: str
    lang: str
    published: Path
    catalog: Path
    changed: bool
    """Whether the catalog file changed on disk."""
    blocks: int
    """Block groups paired (a source and a published side both present)."""
    sentences: int
    """Source sentences that received published text."""
    source_sentences: int
    shapes: dict[str, int]
    """Source sentences per link shape (``1:1``, ``2:1`` …)."""
    written: int
    fuzzy: tuple[int, ...]
    """Catalog lines of entries written fuzzy (confidence below the threshold)."""
    untranslated: tuple[int, ...]
    """Catalog lines of entries the published text has nothing for (1:0)."""
    reviewed_kept: int
    reviewed_differ: tuple[int, ...]
    """Catalog lines of reviewed entries kept whose text differs from the published one."""
    review_page: Path | None = None
    template_written: bool = False


@dataclass(frozen=True)
class ImportResult:
    """Every file imported, and every file refused."""

    threshold: float
    documents: tuple[DocumentImport, ...] = ()
    refused: tuple[DiglotError, ...] = ()

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.refused), default=0)


@dataclass(frozen=True)
class Plan:
    """A published file read and ready to align with its source document (then aligned)."""

    job: Job
    document: Document
    target: Document
    placed: tuple[Placed, ...] = ()
    alignment: AlignmentLike | None = None


def _splitter_for(project: Project, lang: str) -> Callable[[str], list[tuple[int, int]]]:
    config = project.config
    return make_splitter(lang, unit=config.unit,
                         abbreviations=config.abbreviations.get(lang, ()))


def find_jobs(project: Project, *, languages: Sequence[str] | None = None,
              documents: Sequence[str] | None = None,
              known: Sequence[str] = ()) -> tuple[list[Job], list[Path]]:
    """Every ``published/<lang>/<doc>.txt|.md`` whose document ``<doc>`` is in ``known``.

    Also returns the published files of no known document (to report, not import).
    """
    langs = select_names(languages, project.config.target_languages, "language")
    wanted = set(select_names(documents, list(known), "document")) if documents else set(known)
    suffixes = {f".{f.value}" for f in SourceFormat}
    jobs = []
    orphans = []
    for lang in langs:
        folder = project.root / PUBLISHED / lang
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.suffix in suffixes and p.is_file()):
            doc = path.relative_to(folder).with_suffix("").as_posix()
            if doc in wanted:
                jobs.append(Job(doc=doc, lang=lang, path=path))
            elif doc not in known:
                orphans.append(path)
    return jobs, orphans


def job_for_file(project: Project, path: Path, *, lang: str | None, doc: str | None,
                 known: Sequence[str]) -> Job:
    """The job for one published file.

    Without ``doc`` the document is the file's name (``published/en/kpk-2015.txt``),
    else its folder's when the file is named after a language (``kpk-2015/en.txt``),
    else the project's only document.
    """
    targets = project.config.target_languages
    if lang is None:
        if len(targets) > 1:
            raise ConfigError("which language is this translation in?",
                              hint="pass --lang, one of: " + ", ".join(targets))
        lang = targets[0]
    lang = select_names([lang], targets, "target language")[0]
    name = doc or path.stem
    if doc is None and name not in known:
        if path.resolve().parent.name in known:
            name = path.resolve().parent.name
        elif len(known) == 1:
            name = known[0]
    if name not in known:
        raise ConfigError(f"no source document '{name}'", path=path,
                          hint=(did_you_mean(name, list(known)) + " (or pass --doc)")
                          if known else "put the source in source/ first")
    return Job(doc=name, lang=lang, path=path)


def _share_in_script(document: Document, script: str,
                     sample: int = 4000) -> tuple[float, Counter[str]]:
    """The share of ``document``'s letters in ``script``: those of its first segments, up to
    the one where ``sample`` letters (characters with a script) have been seen."""
    counts: Counter[str] = Counter()
    scripts: dict[str, str | None] = {}  # each distinct character looked up once
    texts = [segment.msgid for segment in document.segments]
    seen = start = 0
    while seen < sample and start < len(texts):
        # a segment has at most as many letters as characters: the segments up to where
        # the characters reach what is missing are all read, so count them in one go
        end, length = start, 0
        while end < len(texts) and length < sample - seen:
            length += len(texts[end])
            end += 1
        for ch, n in Counter("".join(texts[start:end])).items():
            found = scripts[ch] if ch in scripts else scripts.setdefault(ch, char_script(ch))
            if found:
                counts[found] += n
                seen += n
        start = end
    total = sum(counts.values())
    return (counts[script] / total if total else 1.0), counts


def read_published(project: Project, job: Job) -> Document:
    """Read and segment a published file; refuse an empty one or one in another script."""
    target = read_document(job.path, name=job.doc, lang=job.lang,
                           splitter=_splitter_for(project, job.lang))
    if not target.segments:
        raise SourceError("the published file holds no text", path=job.path,
                          hint="is this the right file?")
    script = language_script(job.lang)
    if script:
        share, counts = _share_in_script(target, script)
        if share < 0.5:
            found = counts.most_common(1)[0][0].lower()
            raise SourceError(
                f"this is not {language_name(job.lang)} text: {100 * share:.0f} % of its "
                f"letters are {script.lower()}, most are {found}",
                path=job.path, line=target.segments[0].line,
                hint="check --lang and that the file is the translation")
    return target


def _lexicon_pairs(project: Project, lang: str) -> Iterator[tuple[str, str]]:
    """The glossary's terms (every alternative) and the translation memory's pairs."""
    terms, problems = load_glossary(project, lang)
    if problems:
        first = problems[0]
        raise ConfigError(first.message, path=first.path, line=first.line,
                          hint=first.hint or None)
    for term in terms:
        for target in term.targets:
            yield term.source, target
    yield from load_memory(project, lang).pairs()


def align_plans(project: Project, plans: Sequence[Plan], lang: str) -> list[Plan]:
    """The plans aligned in one run (a batch), each with its placed text."""
    lexicon = Lexicon.from_pairs(_lexicon_pairs(project, lang),
                                 source_lang=project.config.source_language, target_lang=lang)
    alignments = align_many([(p.document, p.target) for p in plans], lexicon=lexicon)
    return [dataclasses.replace(plan, alignment=alignment,
                                placed=tuple(place(plan.document, plan.target, alignment)))
            for plan, alignment in zip(plans, alignments, strict=True)]


def _doubtful(project: Project, plan: Plan, threshold: float) -> PublicationError | None:
    """A refusal when most paired sentences are below the threshold (another document?)."""
    assert plan.alignment is not None
    paired = [link for link in plan.alignment.links if link.source and link.target]
    low = sum(1 for link in paired if link.score < threshold)
    if paired and 2 * low <= len(paired):
        return None
    return PublicationError(
        f"{low} of {len(paired)} sentence pairs are below the threshold {threshold:.2f}: "
        f"this does not look like a translation of {project.relative(plan.document.path)}; "
        "nothing written",
        path=plan.job.path,
        hint="check the file and --doc, or pass --force to import it anyway")


def import_published(project: Project, jobs: Sequence[Job], *, force: bool = False,
                     review: bool = True, sources: Sequence[Document] | None = None,
                     progress: Progress | None = None) -> ImportResult:
    """Import every job's published file into its catalog (see the module notes).

    ``sources`` are the project's documents if the caller has read them already.
    """
    with collector_paused():  # a batch of small acyclic objects
        return _import(project, jobs, force=force, review=review, sources=sources,
                       progress=progress)


def _import(project: Project, jobs: Sequence[Job], *, force: bool, review: bool,
            sources: Sequence[Document] | None, progress: Progress | None) -> ImportResult:
    threshold = project.config.align.threshold
    documents = {d.name: d for d in (load_documents(project) if sources is None else sources)}
    refused: list[DiglotError] = []
    plans: dict[str, list[Plan]] = {}
    for job in jobs:
        if progress:
            progress(f"reading {project.relative(job.path)}")
        try:
            target = read_published(project, job)
        except DiglotError as exc:
            refused.append(exc)
            continue
        plans.setdefault(job.lang, []).append(
            Plan(job=job, document=documents[job.doc], target=target))
    done: list[DocumentImport] = []
    pots = templates(project, [documents[p.job.doc] for ps in plans.values() for p in ps])
    # every template, catalog and review page of the run through one batch: one sync for all
    # of them (each file still replaced whole), and nothing written if one of them fails
    with batched_writes() as batch:
        seen_templates: set[str] = set()  # compared (and staged if stale) once per document
        for lang, group in plans.items():
            if progress:
                progress(f"aligning {len(group)} {language_name(lang)} files")
            for plan in align_plans(project, group, lang):
                refusal = None if force else _doubtful(project, plan, threshold)
                if refusal is not None:
                    refused.append(refusal)
                    continue
                if progress:
                    progress(f"writing {plan.job.doc} ({lang})")
                done.append(_write(project, plan, pots, batch, threshold=threshold,
                                   review=review, seen_templates=seen_templates))
    return ImportResult(threshold=threshold, documents=tuple(done), refused=tuple(refused))


def _write(project: Project, plan: Plan, pots: dict[str, POFile], batch: WriteBatch, *,
           threshold: float, review: bool, seen_templates: set[str]) -> DocumentImport:
    doc, lang = plan.job.doc, plan.job.lang
    template = pots[doc]
    pot_path = project.template_path(doc)
    template_written = False
    if doc not in seen_templates:  # a document imported in two languages: its template once
        seen_templates.add(doc)
        if not (pot_path.is_file() and same_template(pot_path.read_text(encoding="utf-8"),
                                                     template)):
            template_written = batch.write_text(pot_path, render_catalog(template))
    path = project.catalog_path(lang, doc)
    catalog = (read_catalog(path) if path.is_file()
               else new_catalog(template, lang, created=now()))
    update_catalog(catalog, template, lang)
    filled = fill_catalog(catalog, plan.document, plan.placed, threshold=threshold)
    text = render_catalog(catalog)
    changed = batch.write_text(path, text)
    lines = msgid_lines(catalog, text)
    page = None
    if review:
        page = write_review(project, plan.document, lang, filled, lines=lines, catalog=path,
                            batch=batch)
    return _summary(plan, filled, lines, catalog=path, changed=changed, page=page,
                    template_written=template_written)


def _summary(plan: Plan, filled: Iterable[Filled], lines: dict[str, int], *, catalog: Path,
             changed: bool, page: Path | None, template_written: bool) -> DocumentImport:
    assert plan.alignment is not None
    filled = list(filled)

    def where(items: Iterable[Filled]) -> tuple[int, ...]:
        return tuple(lines.get(f.msgid, 0) for f in items)

    blocks = sum(1 for s, t in getattr(plan.alignment, "blocks", ()) if s and t)
    return DocumentImport(
        doc=plan.job.doc, lang=plan.job.lang, published=plan.job.path, catalog=catalog,
        changed=changed, blocks=blocks,
        sentences=sum(1 for p in plan.placed if p.text),
        source_sentences=len(plan.placed),
        shapes=dict(sorted(Counter(p.shape for p in plan.placed).items())),
        written=sum(f.written for f in filled),
        fuzzy=where(f for f in filled if f.written and f.fuzzy),
        untranslated=where(f for f in filled if not f.placed.text),
        reviewed_kept=sum(1 for f in filled if not f.written and f.placed.text
                          and not f.fuzzy),
        reviewed_differ=where(f for f in filled if f.reviewed_differs),
        review_page=page, template_written=template_written)
