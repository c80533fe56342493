"""An archive into a translation memory: ``diglot align --tmx OUT.tmx SRC_DIR TGT_DIR``.

Files are paired by name (their path under each folder without the
extension, ``.txt`` or ``.md`` on either side), aligned in one run, and every
sentence pair at or above the threshold goes into one TMX 1.4b file (the
editions' writer, :mod:`diglot.editions.tmx`); no catalog is touched.  Pairs
below the threshold are left out and counted: a memory offers its units as
drafts, a wrong one costs a translator more than none.  ``[translate]
memory_files`` can name the file, and ``diglot translate`` then reuses it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from diglot.editions.content import Edition, SentenceText, source_edition
from diglot.editions.tmx import render_tmx_many
from diglot.errors import ConfigError, DiglotError, SourceError
from diglot.fileio import write_text
from diglot.importing import Job, Plan, align_plans, read_published
from diglot.model import Document, EntryState, Progress, SourceFormat
from diglot.project import Project
from diglot.sources import make_splitter, read_document


@dataclass(frozen=True)
class ArchiveResult:
    """What ``diglot align --tmx`` wrote."""

    path: Path
    changed: bool
    documents: int
    pairs: int
    """Sentence pairs written."""
    below: int
    """Sentence pairs left out because their confidence is below the threshold."""
    unpaired: tuple[str, ...] = ()
    """Files found on one side only."""
    refused: tuple[DiglotError, ...] = ()

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.refused), default=0)


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise ConfigError("not a folder", path=folder, hint="name two folders: SRC_DIR TGT_DIR")
    suffixes = {f".{f.value}" for f in SourceFormat}
    return {p.relative_to(folder).with_suffix("").as_posix(): p
            for p in sorted(folder.rglob("*")) if p.suffix in suffixes and p.is_file()}


def _memory_edition(document: Document, lang: str, texts: dict[int, tuple[str, float]],
                    threshold: float) -> tuple[Edition, int, int]:
    blocks = []
    index = 0
    written = below = 0
    for block in document.blocks:
        items = []
        for msgid in block.msgids:
            text, score = texts.get(index, ("", 0.0))
            index += 1
            keep = bool(text) and score >= threshold
            written += keep
            below += bool(text) and not keep
            items.append(SentenceText(source=msgid, text=text if keep else msgid,
                                      lang=lang if keep else document.lang,
                                      state=EntryState.TRANSLATED if keep
                                      else EntryState.UNTRANSLATED))
        blocks.append(tuple(items))
    return Edition(document=document, lang=lang, blocks=tuple(blocks)), written, below


def archive_to_tmx(project: Project, out: Path, source_dir: Path, target_dir: Path, *,
                   lang: str, progress: Progress | None = None) -> ArchiveResult:
    """Align every pair of files of two folders and write the pairs to ``out`` (TMX 1.4b)."""
    config = project.config
    # The memory being written is no word list for its own alignment (and may not exist yet).
    memory_files = tuple(f for f in config.translate.memory_files
                         if (project.root / f).resolve() != out.resolve())
    config = dataclasses.replace(config, translate=dataclasses.replace(
        config.translate, memory_files=memory_files))
    project = dataclasses.replace(project, config=config)
    src = config.source_language
    sources, targets = _files(source_dir), _files(target_dir)
    names = sorted(set(sources) & set(targets))
    unpaired = tuple(sorted(p.as_posix() for name, p in
                            [*sources.items(), *targets.items()] if name not in names))
    splitter = make_splitter(src, unit=config.unit,
                             abbreviations=config.abbreviations.get(src, ()))
    plans: list[Plan] = []
    refused: list[DiglotError] = []
    for name in names:
        if progress:
            progress(f"reading {name}")
        try:
            document = read_document(sources[name], name=name, lang=src, splitter=splitter)
            if not document.segments:
                raise SourceError("the source file holds no text", path=sources[name])
            job = Job(doc=name, lang=lang, path=targets[name])
            target = read_published(project, job)
        except DiglotError as exc:
            refused.append(exc)
            continue
        plans.append(Plan(job=job, document=document, target=target))
    if progress:
        progress(f"aligning {len(plans)} documents")
    if plans:
        plans = align_plans(project, plans, lang)
    threshold = config.align.threshold
    editions = []
    written = below = 0
    for plan in plans:
        texts = {p.index: (p.text, p.score) for p in plan.placed}
        edition, n, b = _memory_edition(plan.document, lang, texts, threshold)
        written += n
        below += b
        editions.append((source_edition(plan.document), edition))
    segtype = "paragraph" if config.unit.value == "paragraph" else "sentence"
    changed = write_text(out, render_tmx_many(editions, segtype=segtype,
                                                    langs=(src, lang)))
    return ArchiveResult(path=out, changed=changed, documents=len(plans), pairs=written,
                         below=below, unpaired=unpaired, refused=tuple(refused))
