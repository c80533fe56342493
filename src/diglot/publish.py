"""Building the editions of a project, and the rule that decides what may be published.

Only reviewed translations are published, and only those ``diglot check``
finds no edition-corrupting error in (:data:`diglot.checks.BLOCKING_CHECKS`:
msgfmt-level, markup, unbalanced quotes or brackets).  For every document and
target language the catalog is read and the edition assembled from reviewed
entries; if any segment lacks one (untranslated, memory match, machine draft,
aligned import, fuzzy, a check error, or no entry because the catalog is
older than the source) and the share of reviewed entries (distinct sentences,
:func:`diglot.pofile.coverage`) is below ``[build] threshold`` (100 by default), that
language is *refused* for that document: nothing of it is written, editions
of it left by an earlier build are removed (they no longer match the source),
and :meth:`BuildResult.error` lists the entries to fix as ``path:line``.
Everything publishable is still built.  At a lower threshold a language is
published with the source text standing in for the missing sentences (as
gettext and po4a do).

A draft build (``draft=True``) writes into ``editions-draft/`` instead and
refuses nothing: machine drafts, fuzzy and untranslated sentences are shown
marked, under a banner counting them.

Layout (``<out>`` is ``editions`` or ``editions-draft``)::

    <out>/<lang>/<doc>.txt|.md     every language, the source's own format
    <out>/<lang>/<doc>.html
    <out>/<src>-<tgt>/<doc>.html   the bilingual edition
    <out>/<src>-<tgt>/<doc>.tmx    reviewed sentence pairs, TMX 1.4b
    <out>/<src>-<tgt>/<doc>.tsv    the same pairs as TSV
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from diglot.collector import collector_paused
from diglot.editions.bilingual import bilingual_parts
from diglot.editions.content import (
    Edition,
    Missing,
    source_edition,
    translated_edition,
)
from diglot.editions.html import edition_spans
from diglot.editions.monolingual import html_parts, text_parts
from diglot.editions.tmx import has_pairs, tmx_parts, tsv_parts
from diglot.errors import PublicationError
from diglot.fileio import batched_writes
from diglot.model import Document, EntryState, Progress, SourceFormat
from diglot.pofile import Entry, read_records
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project, Unit, language_name, select_names
from diglot.workflow import document_reader

DRAFT_FOLDER = "editions-draft"


@dataclass(frozen=True)
class Written:
    """One file the build wrote (or found already up to date)."""

    path: Path
    changed: bool
    what: str
    """``en txt``, ``ru-en html``, ``ru-en tmx`` …"""


@dataclass(frozen=True)
class Refusal:
    """A language not published for a document, and the entries that keep it back."""

    doc: str
    lang: str
    reviewed: int
    total: int
    missing: tuple[Missing, ...]

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.reviewed / self.total


@dataclass(frozen=True)
class Fallback:
    """A language published below 100 % (the threshold allows it): source text stands in."""

    doc: str
    lang: str
    missing: int


@dataclass(frozen=True)
class BuildResult:
    """What a build did."""

    folder: Path
    draft: bool
    threshold: int
    written: tuple[Written, ...] = ()
    refused: tuple[Refusal, ...] = ()
    removed: tuple[Path, ...] = ()
    """Editions of refused languages left by an earlier build, now deleted."""
    fallbacks: tuple[Fallback, ...] = ()
    unreviewed: int = 0
    """In a draft: sentences shown unreviewed, over every document and language."""

    def error(self) -> UnpublishedError | None:
        """The error to report when some language was refused, else ``None``."""
        return UnpublishedError(self) if self.refused else None


class UnpublishedError(PublicationError):
    """Some language of some document has unreviewed entries: it was not published."""

    def __init__(self, result: BuildResult) -> None:
        self.result = result
        super().__init__(
            self._text(str),
            hint="review them in the catalog (translate, or check and remove the fuzzy "
            "flag) and build again; 'diglot build --draft' shows them marked in "
            f"{DRAFT_FOLDER}/",
        )

    def _text(self, name: Callable[[Path], str]) -> str:
        refused = self.result.refused
        entries = {(m.catalog, m.line, m.msgid): m for r in refused for m in r.missing}
        what = ", ".join(f"{r.lang} of {r.doc} ({r.percent:.0f} % reviewed)" for r in refused)
        return (f"not published: {what}; the threshold is {self.result.threshold} %.\n"
                f"{len(entries)} {'entry is' if len(entries) == 1 else 'entries are'} "
                "not reviewed:\n" + "\n".join(m.describe(name) for m in entries.values()))

    def describe(self, name: Callable[[Path], str]) -> str:
        """The refused languages and every entry to review, catalogs named by ``name``."""
        return f"{self._text(name)}\n{self.hint}"


def _relative(target: Path, page: Path) -> str:
    """A link from ``page`` to ``target``, percent-encoded (a ``#`` or space in a name)."""
    return quote(Path(os.path.relpath(target, page.parent)).as_posix(), safe="/")


@dataclass
class _Plan:
    """Editions of one document ready to render (mutable while the build assembles them)."""

    document: Document
    source: Edition
    targets: dict[str, Edition]


def build(project: Project, *, draft: bool = False, languages: Sequence[str] | None = None,
          documents: Sequence[str] | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the editions of ``project`` (optionally only some languages and documents).

    Returns what was written and what was refused; never raises for a
    refusal (see :meth:`BuildResult.error`).  Raises :class:`ConfigError` for
    an unknown language or document name, and :class:`CatalogError` for a
    catalog that cannot be read (before anything is written).
    """
    config = project.config
    src = config.source_language
    langs = select_names(languages, config.languages, "language")
    paths = {project.doc_name(path): path for path in project.source_paths()}
    chosen = set(select_names(documents, list(paths), "document"))
    folder = project.root / DRAFT_FOLDER if draft else project.editions_dir
    threshold = config.build.threshold

    refused: list[Refusal] = []
    fallbacks: list[Fallback] = []
    written: list[Written] = []
    refused_formats: dict[str, SourceFormat] = {}
    stale: list[Path] = []
    unreviewed = 0
    # One document at a time (its catalogs read and reduced to what an edition needs, then
    # its source read, its pages rendered and staged, then all dropped), so a build holds
    # one document's editions, not the whole project's, and never a catalog's parse beside
    # the parsed source; the staged files are made durable with one sync and renamed only
    # when every document is done (a catalog that cannot be read, or a kill, leaves every
    # edition as it was).  The cycle collector is paused: a build makes a few hundred
    # thousand objects and no cycles, and its full passes over them were a third of
    # rendering's time at 30,000 sentences.
    with collector_paused(), batched_writes() as batch:
        reader = document_reader(project)
        targets = [t for t in config.target_languages if t in langs]
        for name, path in paths.items():
            if name not in chosen:
                continue
            found = {lang: _translations(project, name, lang, draft=draft) for lang in targets}
            document = reader.read(path, name=name)
            source = dataclasses.replace(source_edition(document), draft=draft)
            plan = _Plan(document=document, source=source, targets={})
            for lang in targets:
                edition = _target_edition(document, lang, found.pop(lang), draft=draft)
                if not draft and edition.missing:
                    if edition.percent < threshold:
                        figure = edition.coverage
                        refused.append(Refusal(doc=document.name, lang=lang,
                                               reviewed=figure.reviewed, total=figure.total,
                                               missing=edition.missing))
                        refused_formats[document.name] = document.format
                        continue
                    fallbacks.append(Fallback(doc=document.name, lang=lang,
                                              missing=len(edition.missing)))
                plan.targets[lang] = edition
            if draft:
                unreviewed += sum(e.unreviewed for e in plan.targets.values())
            written += _write_document(folder, plan, langs=langs, src=src,
                                       unit=config.unit, write=batch.write_parts,
                                       stale=stale, progress=progress,
                                       reference=project.relative)
    for path in stale:  # after the renames: a killed build leaves every edition whole
        path.unlink(missing_ok=True)
    removed = [] if draft else _remove_stale(folder, src, refused, refused_formats)
    return BuildResult(folder=folder, draft=draft, threshold=threshold, written=tuple(written),
                       refused=tuple(refused), removed=tuple(removed),
                       fallbacks=tuple(fallbacks), unreviewed=unreviewed)


@dataclass(frozen=True)
class _Translations:
    """What a build needs of one catalog: its reviewed-or-not entries by msgid, and the
    blocking check errors (read before the source, so the catalog's own objects are gone
    before the document and its pages are made: a lower peak of memory)."""

    path: Path
    """The catalog's path."""
    index: Mapping[str, Entry] | None
    """None: there is no catalog."""
    blocked: Mapping[str, str]


def _translations(project: Project, name: str, lang: str, *, draft: bool) -> _Translations:
    path = project.catalog_path(lang, name)
    if not path.is_file():
        return _Translations(path, None, {})
    catalog = read_records(path, cache=project.root / CATALOG_CACHE)  # parsed once per bytes
    records = catalog.records()  # once: the check and the edition share them
    blocked: dict[str, str] = {}
    if not draft:
        from diglot.checks import blocking_problems  # the publication rule; not for a draft

        found = blocking_problems(catalog, path=path,
                                  source_lang=project.config.source_language,
                                  target_lang=lang, entries=records)
        blocked = {msgid: f"[{p.check}] {p.message}" for msgid, p in found.items()}
    return _Translations(path, catalog.by_msgid(), blocked)


def _target_edition(document: Document, lang: str, found: _Translations, *,
                    draft: bool) -> Edition:
    path = found.path
    if found.index is None:
        edition = translated_edition(document, lang, {}, catalog=path, draft=draft)
        missing = (Missing(catalog=path, line=None, state=EntryState.UNTRANSLATED,
                           msgid="(the whole catalog is missing: run 'diglot update')",
                           absent=True),)
        return edition if draft else dataclasses.replace(edition, missing=missing)
    return translated_edition(document, lang, found.index, catalog=path, draft=draft,
                              blocked=found.blocked)


def _outputs(folder: Path, src: str, lang: str, name: str, fmt: SourceFormat) -> list[Path]:
    pair = folder / f"{src}-{lang}"
    return [folder / lang / f"{name}.{fmt.value}", folder / lang / f"{name}.html",
            pair / f"{name}.html", pair / f"{name}.tmx", pair / f"{name}.tsv"]


def _remove_stale(folder: Path, src: str, refused: Sequence[Refusal],
                  formats: Mapping[str, SourceFormat]) -> list[Path]:
    removed = []
    for refusal in refused:
        for path in _outputs(folder, src, refusal.lang, refusal.doc,
                             formats[refusal.doc]):
            if path.is_file():
                path.unlink()
                removed.append(path)
    return removed


def _write_document(folder: Path, plan: _Plan, *, langs: Sequence[str], src: str, unit: Unit,
                    write: Callable[[Path, Iterable[str]], bool], stale: list[Path],
                    progress: Progress | None,
                    reference: Callable[[Path], str]) -> list[Written]:
    document = plan.document
    name, ext = document.name, document.format.value
    editions = {src: plan.source, **plan.targets}
    pages = {lang: folder / lang / f"{name}.html" for lang in editions}
    pair_pages = {lang: folder / f"{src}-{lang}" / f"{name}.html" for lang in plan.targets}
    out: list[Written] = []

    def put(path: Path, parts: Iterable[str], what: str) -> None:
        if progress:
            progress(path.as_posix())
        out.append(Written(path=path, changed=write(path, parts), what=what))

    # each edition's sentence spans made once: its page and every bilingual page it is in
    spans = {lang: edition_spans(edition) for lang, edition in editions.items()}
    for lang, edition in editions.items():
        if lang not in langs:
            continue
        page = pages[lang]
        links = [(language_name(other, native=True), _relative(pages[other], page))
                 for other in editions if other != lang]
        links += [(f"{language_name(src, native=True)} | {language_name(t, native=True)}",
                   _relative(pair_pages[t], page))
                  for t in plan.targets if lang in (src, t)]
        put(folder / lang / f"{name}.{ext}", text_parts(edition), f"{lang} {ext}")
        put(page, html_parts(edition, links=links, spans=spans[lang]), f"{lang} html")
    for lang, edition in plan.targets.items():
        page = pair_pages[lang]
        links = [(language_name(lang_, native=True), _relative(pages[lang_], page))
                 for lang_ in (src, lang)]
        # TMX and TSV hold reviewed pairs only: a draft with none gets neither file nor link
        paired = has_pairs(plan.source, edition)
        if paired:
            links += [("TMX", quote(f"{Path(name).name}.tmx")),
                      ("TSV", quote(f"{Path(name).name}.tsv"))]
        put(page, bilingual_parts(plan.source, edition, links=links,
                                  spans=(spans[src], spans[lang])), f"{src}-{lang} html")
        if paired:
            put(page.with_suffix(".tmx"), tmx_parts([(plan.source, edition)], segtype=unit.value,
                                                    reference=reference), f"{src}-{lang} tmx")
            put(page.with_suffix(".tsv"), tsv_parts(plan.source, edition), f"{src}-{lang} tsv")
        else:  # removed once the build's editions are in place
            stale += [page.with_suffix(".tmx"), page.with_suffix(".tsv")]
    return out
