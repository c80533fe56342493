"""The ``diglot`` command: parse arguments, call the library, print, map errors to exit codes.

Nothing below this module prints or exits.  It is longer than the project's 500-line
guide because it holds every subcommand's parser and its few lines of wording; the work
is in the library, and each ``cmd_*`` function is independent of the others.

Exit codes (a Makefile can gate on them):

====  =====================================================================
0     done
1     an unexpected failure (a bug: please report it with the traceback)
2     bad usage or configuration (diglot.toml, arguments)
3     a file cannot be read or written: source, catalog, report (the message names it)
4     a translation engine failed (network, key, quota)
5     not publishable: unreviewed entries remain, or QA errors were found
6     another diglot run holds the project's lock (waited ``--lock-timeout`` seconds)
130   interrupted (Ctrl-C); everything finished so far is saved
143   terminated (SIGTERM); everything finished so far is saved
====  =====================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from diglot import __version__

# Everything else loads in the command that uses it: 'diglot --help' builds the parser only, and
# 'status' loads no engine, checks, report or catalog writer (tests/test_cold_start.py).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from diglot.project import Project
    from diglot.status import CatalogStatus
    from diglot.workflow import FileResult

    Command = Callable[[argparse.Namespace, Console], int]


def _project(args: argparse.Namespace) -> Project:
    """The project the command works on; from now on :func:`_name` names files relative to it."""
    from diglot.project import Project

    project = Project.find(_start(args))
    args.root = project.root
    return project


def _start(args: argparse.Namespace) -> Path:
    """The folder a command starts from: ``--project``'s if given, else the current one."""
    return (Path(args.project) if args.project else Path.cwd()).resolve()


def _name(args: argparse.Namespace, path: Path) -> str:
    """A file as every message, problem, row and summary names it: relative to the project's
    root (from wherever diglot runs) once the command has loaded its project, else as given.

    The library passes real paths; this is the one place they are made relative for the user.
    A line break in a name is written ``\\n``: one message, one line.
    """
    from diglot.project import relative

    root: Path | None = getattr(args, "root", None)
    text = relative(path, root) if root is not None else str(path)
    return text.replace("\n", "\\n")


def _namer(args: argparse.Namespace) -> Callable[[Path], str]:
    """:func:`_name` as the library's ``describe`` and ``as_dict`` methods take it."""
    return lambda path: _name(args, path)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: what is finished is saved, then exit 143."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _locked(args: argparse.Namespace, project: Project) -> Iterator[None]:
    """The project lock, saying so on stderr while another run holds it."""
    from rich.console import Console

    from diglot.fileio import project_lock

    err = Console(stderr=True, highlight=False)
    with project_lock(project.root, timeout=args.lock_timeout,
                      on_wait=lambda note: err.print(note, soft_wrap=True, markup=False)):
        yield


def _line(out: Console, text: str) -> None:
    """Print one message on one line: never hard-wrapped (piped into a log or grep), no markup."""
    out.print(text, soft_wrap=True, markup=False)


def cmd_init(args: argparse.Namespace, out: Console) -> int:
    """Write diglot.toml and the project's folders."""
    from diglot.errors import ConfigError
    from diglot.fileio import confined, write_text
    from diglot.project import CONFIG_NAME, Unit, check_init_languages, render_config

    root = _start(args)
    source, targets = check_init_languages(args.source, args.target)
    config_path = root / CONFIG_NAME
    if config_path.exists() and not args.force:
        raise ConfigError("diglot.toml exists already", path=config_path,
                          hint="edit it, or pass --force to write a new one")
    with confined(root):
        write_text(config_path, render_config(source, targets, Unit(args.unit)))
    (root / "source" / source).mkdir(parents=True, exist_ok=True)
    for target in targets:
        (root / "locales" / target / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    from diglot.workflow import new_project_files

    extra = new_project_files(root, source, targets)
    names = "".join(f", {p.name}" for p in extra)
    out.print(f"wrote {config_path}{names}; put statements in source/{source}/ and run "
              "'diglot extract'", markup=False, soft_wrap=True)
    return 0


def _source_language(args: argparse.Namespace) -> str:
    """The source language of the project around the current folder, for ``segment``."""
    from diglot.errors import ConfigError
    from diglot.project import Project, project_folder

    folder = project_folder(_start(args))
    if folder is None:
        raise ConfigError("which language? not inside a diglot project",
                          hint="pass --lang, e.g. --lang ru")
    # not _project: segment names its FILE as given, not relative to the project around it
    return Project.load(folder).config.source_language


def cmd_segment(args: argparse.Namespace, out: Console) -> int:
    """Print a text's segments one per line, blocks separated by a blank line."""
    from diglot.errors import SourceError
    from diglot.model import SourceFormat, Unit
    from diglot.project import check_language
    from diglot.sources import decode_source, make_splitter, parse_source, source_format

    lang = check_language(args.lang) if args.lang else _source_language(args)
    if args.file and args.file != "-":
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror}", path=path) from exc
    else:
        path = Path("<stdin>")
        data = sys.stdin.buffer.read()
    text = decode_source(data, path)
    splitter = make_splitter(lang, unit=Unit(args.unit))
    fmt = source_format(path) or SourceFormat.TXT
    parts, _ = parse_source(text, fmt, splitter=splitter, path=path)
    blocks = [p for p in parts if not isinstance(p, str)]
    chunks = ["\n".join(s.msgid for s in b.segments) for b in blocks]
    sys.stdout.write("\n\n".join(chunks) + ("\n" if chunks else ""))
    return 0


def cmd_extract(args: argparse.Namespace, out: Console) -> int:
    """Write locales/<doc>.pot for every source document."""
    from diglot.workflow import extract

    project = _project(args)
    with _locked(args, project), out.status("extracting…") as spinner:
        results = extract(project, progress=lambda name: spinner.update(f"extracting {name}"),
                          check=args.check)
    src = project.config.source_language
    for r in results:
        state = "stale" if r.stale else _changed_word(r.changed, args.check)
        detail = (f"no source/{src}/{r.path.stem}.* any more; kept with its catalogs — delete "
                  "them by hand if the statement is withdrawn") if r.stale else \
            f"{r.segments} segments"
        out.print(f"{state:{_width(args.check)}} {_name(args, r.path)} ({detail})",
                  markup=False, soft_wrap=True)
    if not results:
        out.print(f"no source documents in {_name(args, project.source_dir)}/", markup=False,
                  soft_wrap=True)
    return _check_exit(results, args.check, "extract")


def _width(check: bool) -> int:
    """The width of the state column: ``out of date`` with ``--check``, else ``unchanged``."""
    return 11 if check else 9


def _changed_word(changed: bool, check: bool) -> str:
    if check:
        return "out of date" if changed else "up to date"
    return "wrote" if changed else "unchanged"


def _check_exit(results: list[FileResult], check: bool, step: str) -> int:
    """5 when ``--check`` found files out of date (named on standard error), else 0."""
    stale = [r for r in results if r.changed]
    if not check or not stale:
        return 0
    sys.stderr.write(f"error: {len(stale)} file(s) out of date: run 'diglot {step}'\n")
    return 5


def cmd_update(args: argparse.Namespace, out: Console) -> int:
    """Create or merge every target language's catalogs from the templates."""
    from diglot.workflow import update

    project = _project(args)
    with _locked(args, project), out.status("updating…") as spinner:
        results = update(project, languages=args.lang or None, documents=args.doc or None,
                         progress=lambda name: spinner.update(f"updating {name}"),
                         check=args.check)
    for r in results:
        s = r.summary
        if s is None:
            detail = ""
        elif r.created:
            detail = f"created, {s.new} untranslated"
        else:
            detail = f"{s.kept} kept, {s.fuzzy} fuzzy, {s.new} new, {s.obsoleted} obsolete"
        out.print(f"{_changed_word(r.changed, args.check):{_width(args.check)}} "
                  f"{_name(args, r.path)} ({detail})", markup=False, soft_wrap=True)
    return _check_exit(results, args.check, "update")


def _nothing_yet(args: argparse.Namespace, project: Project) -> str:
    """What to do next in a project without templates."""
    source = _name(args, project.source_dir)
    return (f"no documents yet: put statements (.txt or .md) in {source}/, then run "
            "'diglot extract' and 'diglot update'")


def _status_table(rows: Sequence[CatalogStatus], *, narrow: bool,
                  bar: Callable[..., Text]) -> Table:
    """The status table; ``narrow`` (a terminal too small for the full one, such as 80 columns):
    no vertical rules and no bar, headers wrapped at their spaces, never cut to "revie…"."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from diglot.pofile import COVERAGE_STATES  # here, not at start: '--help' reads no catalog

    table = Table(title=Text("Translation status", style="table.title"), title_justify="left",
                  box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD, show_edge=not narrow,
                  padding=(0, 0 if narrow else 1))
    headers = ("document", "lang", "reviewed", "memory", "MT drafts", "aligned", "fuzzy",
               "untransl.", "words left", "done")
    bar_width = 0 if narrow else 10
    for column in headers:
        if column == "done":
            table.add_column(Text(column), justify="right", no_wrap=True)
            continue
        # narrow: each column as wide as its longest header word (or document name)
        width = (max([8, *(len(r.doc) for r in rows)]) if column == "document"
                 else max(len(word) for word in column.split()))
        table.add_column(Text(column),
                         justify="left" if column in ("document", "lang") else "right",
                         width=width if narrow else None, overflow="fold")
    # every cell and the title as Text: rich parses a str for markup and emoji codes at every
    # measure and render (a fifth of the table's time, and the emoji table's import), and a
    # document's name must be shown as named ('a[bold]b :smile:.txt')
    for r in rows:
        counts = [Text(str(r.coverage.count(state))) for state in COVERAGE_STATES]
        drawn = Text.assemble(bar(r, width=bar_width), " ") if bar_width else Text()
        done = Text.assemble(drawn, f"{r.percent:5.1f}%" + ("" if r.exists else " (no catalog)"))
        table.add_row(Text(r.doc), Text(r.lang), *counts, Text(str(r.words_left)), done)
    return table


def cmd_status(args: argparse.Namespace, out: Console) -> int:
    """Print translated, fuzzy and untranslated segments and words per document and language."""
    from rich.console import Console

    from diglot.fileio import confined
    from diglot.status import project_status, terminal_bar

    project = _project(args)
    if args.engines:
        return _print_effort(project, args, out)
    if args.html is not None:
        from diglot.report import write_report

        with _locked(args, project):
            written = write_report(project, path=Path(args.html) if args.html else None,
                                   languages=args.lang or None)
        note = Console(stderr=True, highlight=False) if args.json else out  # keep stdout JSON
        note.print(f"wrote {_name(args, written)}", soft_wrap=True, markup=False)
    with confined(project.root):
        rows = project_status(project, languages=args.lang or None,
                              documents=args.doc or None)
    if not rows and not args.json:
        _line(out, _nothing_yet(args, project))
        return 0
    if args.json:
        import json

        sys.stdout.write(json.dumps([r.as_dict(_namer(args)) for r in rows], ensure_ascii=False,
                                    indent=1) + "\n")
        return 0
    table = _status_table(rows, narrow=False, bar=terminal_bar)
    from rich.measure import Measurement

    if Measurement.get(out, out.options.update(max_width=10_000), table).maximum > out.width:
        table = _status_table(rows, narrow=True, bar=terminal_bar)
    out.print(table)
    return 0


def _print_effort(project: Project, args: argparse.Namespace, out: Console) -> int:
    """``status --engines``: post-edit effort per engine and language."""
    from rich.table import Table

    from diglot.effort import engine_effort

    rows = engine_effort(project, languages=args.lang or None)
    if args.json:
        import json

        sys.stdout.write(json.dumps([r.as_dict() for r in rows], indent=1) + "\n")
        return 0
    table = Table(title="Drafts and post-editing per engine (edit distance: Levenshtein, "
                  "normalised by the longer text)", title_justify="left")
    for column in ("engine", "lang", "drafts", "reviewed", "unchanged", "mean distance"):
        table.add_column(column, justify="left" if column in ("engine", "lang") else "right")
    for r in rows:
        share = f" ({100 * r.share_unchanged:.0f} %)" if r.share_unchanged is not None else ""
        distance = f"{r.distance:.3f}" if r.distance is not None else "–"
        table.add_row(r.engine, r.lang, str(r.written), str(r.reviewed),
                      f"{r.unchanged}{share}", distance)
    out.print(table)
    if not rows:
        out.print("no drafts recorded yet (drafts/<lang>/<doc>.jsonl is written by "
                  "'diglot translate')")
    return 0


def cmd_check(args: argparse.Namespace, out: Console) -> int:
    """Run the QA checks, print ``path:line: [check] message``; exit 5 on errors."""
    from diglot.checks import ENTRY_CHECKS, check_project
    from diglot.errors import visible
    from diglot.fileio import confined

    if args.list:
        for spec in ENTRY_CHECKS:
            out.print(f"{spec.name:13} {spec.summary}")
        out.print(f"{'header':13} Language, Plural-Forms and charset of each catalog's header")
        return 0
    project = _project(args)
    with confined(project.root):
        run = check_project(project, languages=args.lang or None, documents=args.doc or None,
                            include_drafts=args.drafts)
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(run.as_dict(_namer(args)), ensure_ascii=False, indent=1)
                         + "\n")
    else:
        # one write for every finding (plain lines; rich would lay out each one apart)
        name = _namer(args)
        out.file.write("".join(f"{visible(problem.describe(name))}\n"
                               for problem in run.problems))
        out.print(run.summary())
    return run.exit_code(strict=args.strict)


def _translate_hints(engine: str) -> list[str]:
    """What could fill the entries a run left untranslated."""
    hints = ["the memory reuses reviewed entries of this project's catalogs and the TMX files or "
             "PO compendia named in [translate] memory_files (diglot.toml)",
             "a translation published elsewhere can be imported with 'diglot align'"]
    if engine != "deepl":
        hints.insert(0, "'diglot translate --engine deepl' drafts the rest with DeepL "
                     "(needs DEEPL_AUTH_KEY)")
    if engine != "llm":
        hints.insert(0, "'diglot translate --engine llm' drafts the rest with a model server "
                     "([translate] llm_base_url and llm_model)")
    return hints


def cmd_translate(args: argparse.Namespace, out: Console) -> int:
    """Fill untranslated entries with fuzzy, origin-marked drafts: memory first, then DeepL."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar
    from rich.table import Table

    from diglot import drafts
    from diglot.engines.base import CostUnit, EngineKind
    from diglot.model import EntryState

    project = _project(args)
    options = drafts.TranslateOptions(
        engine=args.engine or project.config.translate.engine,
        languages=tuple(args.lang or ()), documents=tuple(args.doc or ()),
        max_chars=args.max_chars, max_tokens=args.max_tokens)
    if args.dry_run:
        estimate = drafts.estimate(project, options)
        unit = estimate.unit if estimate.unit is not CostUnit.NONE else CostUnit.CHARACTERS
        table = Table(title=f"Dry run ({estimate.engine}): nothing is sent or written",
                      title_justify="left")
        for column in ("lang", "untranslated", "from memory", "from cache", "to send",
                       unit.value, "requests"):
            table.add_column(column, justify="left" if column == "lang" else "right")
        for p in estimate.plans:
            table.add_row(p.lang, str(p.untranslated), str(p.memory), str(p.cached),
                          str(p.to_send), f"{p.characters:,}", str(p.requests))
        out.print(table)
        if estimate.unit is not CostUnit.NONE:
            quota = (f"{estimate.remaining:,} {unit} left this period"
                     if estimate.remaining is not None
                     else f"quota unknown ({estimate.usage_note or 'the engine did not say'})")
            about = "about " if estimate.unit is CostUnit.TOKENS else ""
            _line(out, f"would bill {about}{estimate.characters:,} {unit}; {quota}")
        return 0
    with _locked(args, project), Bar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("translating", total=None)

        def progress(p: drafts.Progress) -> None:
            bar.update(task, total=p.total, completed=p.done,
                       description=f"{p.lang}: {p.billed:,} {p.unit} billed")

        summary = drafts.translate(project, options, progress=progress)
    if summary.files:  # one print for them all: rich's per-call cost adds up over thousands
        _line(out, "\n".join(f"wrote     {_name(args, path)}" for path in summary.files))
    made = ", ".join(f"{n} {source}" for source, n in sorted(summary.drafts.items())) or "none"
    _line(out, f"drafts: {made}")
    if summary.unit is not CostUnit.NONE:
        label = {EngineKind.DEEPL: "DeepL", EngineKind.LLM: "model server"}.get(
            EngineKind(summary.engine), summary.engine)
        _line(out, f"{label}: {summary.billed:,} {summary.unit} billed in {summary.requests} "
              "requests"
              + (f" ({summary.retries} retries)" if summary.retries else "")
              + (f", {summary.repairs} answers asked again" if summary.repairs else "")
              + (f", {summary.glossaries_created} glossary created"
                 if summary.glossaries_created else ""))
    if summary.flagged:
        _line(out, f"{summary.flagged} drafts written with a problem in their comment "
              "('diglot-draft: … — check: …'): look at them first")
    if any(summary.left.values()):
        for row in summary.status:  # counted from the catalogs the run holds: none read again
            if row.segments.get(EntryState.UNTRANSLATED, 0):
                _line(out, f"still untranslated: {row.doc} ({row.lang}) "
                      f"{row.segments[EntryState.UNTRANSLATED]}")
        if not any(summary.drafts.values()):
            for hint in _translate_hints(options.engine):
                _line(out, f"hint: {hint}")
    for rejected in summary.rejected:
        _line(out, f"warning: {rejected.describe(_namer(args))}")
    if summary.stopped:
        _line(out, f"stopped: {summary.stopped}")
    out.print(f"time: {summary.seconds:.1f} s")
    if summary.error is not None:
        raise summary.error
    return 0


def cmd_build(args: argparse.Namespace, out: Console) -> int:
    """Write the editions; a language with unreviewed entries is refused (exit 5) unless --draft."""
    from diglot.publish import build

    project = _project(args)
    with _locked(args, project), out.status("building…") as spinner:
        result = build(project, draft=args.draft, languages=args.lang or None,
                       documents=args.doc or None,
                       progress=lambda name: spinner.update(f"building {name}"))
    for w in result.written:
        out.print(f"{'wrote' if w.changed else 'unchanged':9} {_name(args, w.path)}",
                  markup=False, soft_wrap=True)
    for path in result.removed:
        out.print(f"removed   {_name(args, path)} (not publishable any more)",
                  markup=False, soft_wrap=True)
    for f in result.fallbacks:
        out.print(f"warning: {f.lang} of {f.doc} published with {f.missing} sentences left in "
                  f"the source language (threshold {result.threshold} %)",
                  markup=False, soft_wrap=True)
    if result.draft:
        out.print(f"DRAFT in {_name(args, result.folder)}/: {result.unreviewed} unreviewed "
                  "sentences shown marked; not for publication", markup=False, soft_wrap=True)
    if not result.written and not result.refused:
        _line(out, _nothing_yet(args, project))
    error = result.error()
    if error is not None:
        raise error
    return 0


def cmd_align(args: argparse.Namespace, out: Console) -> int:
    """Import published translations into the catalogs, or an archive into a TMX memory."""
    from diglot import importing
    from diglot.errors import DiglotError

    project = _project(args)
    if args.tmx:
        from diglot.importing.archive import archive_to_tmx

        if len(args.files) != 2:
            raise DiglotError("--tmx needs two folders: SRC_DIR TGT_DIR", hint="for example: "
                              "diglot align --lang en --tmx memory.tmx archive/ru archive/en")
        lang = args.lang or project.config.target_languages[0]
        with _locked(args, project), out.status("aligning…") as spinner:
            archive = archive_to_tmx(project, Path(args.tmx), Path(args.files[0]),
                                     Path(args.files[1]), lang=lang, progress=spinner.update)
        for error in archive.refused:
            out.print(f"refused: {error.describe(_namer(args))}", markup=False, soft_wrap=True)
        for name in archive.unpaired:
            out.print(f"unpaired: {name} (no file of the same name in the other folder)",
                      markup=False, soft_wrap=True)
        out.print(f"{'wrote' if archive.changed else 'unchanged':9} {args.tmx}: "
                  f"{archive.pairs} sentence pairs from {archive.documents} documents"
                  + (f"; {archive.below} pairs below the threshold "
                     f"{project.config.align.threshold:.2f} left out" if archive.below else ""),
                  markup=False, soft_wrap=True)
        return archive.exit_code
    if len(args.files) > 1:
        raise DiglotError("give one published file, or none to import every file under "
                          "published/<lang>/", hint="--tmx OUT SRC_DIR TGT_DIR for an archive")
    from diglot.workflow import load_documents

    documents = load_documents(project)
    known = [d.name for d in documents]
    if args.files:
        jobs = [importing.job_for_file(project, Path(args.files[0]), lang=args.lang,
                                       doc=args.doc, known=known)]
    else:
        jobs, orphans = importing.find_jobs(
            project, languages=[args.lang] if args.lang else None,
            documents=[args.doc] if args.doc else None, known=known)
        for path in orphans:
            out.print(f"skipped   {_name(args, path)}: no source document "
                      f"'{path.stem}' in {_name(args, project.source_dir)}/",
                      markup=False, soft_wrap=True)
        if not jobs:
            out.print("nothing to import: put published translations in "
                      "published/<lang>/<doc>.txt|.md (or name a file)")
            return 0
    with _locked(args, project), out.status("aligning…") as spinner:
        result = importing.import_published(project, jobs, force=args.force,
                                            review=not args.no_review, sources=documents,
                                            progress=spinner.update)
    for d in result.documents:
        shapes = ", ".join(f"{n} {shape}" for shape, n in d.shapes.items())
        catalog = _name(args, d.catalog)
        out.print(f"{'wrote' if d.changed else 'unchanged':9} {catalog} from "
                  f"{_name(args, d.published)}: "
                  f"{d.blocks} blocks and {d.sentences} of {d.source_sentences} sentences "
                  f"paired ({shapes}); {d.written} entries written, {len(d.fuzzy)} fuzzy "
                  f"(below {result.threshold:.2f})", markup=False, soft_wrap=True)
        for line in d.fuzzy:
            out.print(f"  low confidence: {catalog}:{line}", markup=False, soft_wrap=True)
        for line in d.untranslated:
            out.print(f"  nothing published for: {catalog}:{line}", markup=False,
                      soft_wrap=True)
        if d.reviewed_kept:
            out.print(f"  {d.reviewed_kept} reviewed entries kept, {len(d.reviewed_differ)} "
                      "of them differ from the published text", markup=False, soft_wrap=True)
        for line in d.reviewed_differ:
            out.print(f"  reviewed, differs: {catalog}:{line}", markup=False, soft_wrap=True)
        if d.review_page is not None:
            out.print(f"  review page: {_name(args, d.review_page)}", markup=False,
                      soft_wrap=True)
    for error in result.refused:
        out.print(f"refused: {error.describe(_namer(args))}", markup=False, soft_wrap=True)
    return result.exit_code


def _count(text: str) -> int:
    """A whole number of 0 or more (argparse reports anything else as a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from diglot.fileio import LOCK_TIMEOUT
    from diglot.names import EngineKind, Unit

    parser = argparse.ArgumentParser(
        prog="diglot",
        description="Translation workflow for statements: segment, catalogs, drafts, editions.",
    )
    parser.add_argument("--version", action="version", version=f"diglot {__version__}")
    parser.add_argument("--project", "-C", metavar="DIR",
                        help="project folder (default: the nearest with diglot.toml)")
    parser.add_argument("--lock-timeout", type=float, default=LOCK_TIMEOUT, metavar="SECONDS",
                        help="how long to wait while another run holds the project's lock "
                        f"before giving up with exit 6 (default {LOCK_TIMEOUT:g})")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="write diglot.toml and the folders")
    p.add_argument("--source", required=True, help="language the statements are written in")
    p.add_argument("--target", action="append", required=True, help="target language (repeat)")
    p.add_argument("--unit", choices=[u.value for u in Unit], default="sentence",
                   help="one catalog entry per sentence (default) or per paragraph")
    p.add_argument("--force", action="store_true", help="overwrite an existing diglot.toml")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("segment", help="print a text's sentences, one per line")
    p.add_argument("--lang", help="language of the text (default: the project's source "
                   "language, inside a project)")
    p.add_argument("--unit", choices=[u.value for u in Unit], default="sentence",
                   help="print sentences (default) or whole paragraphs, one per line")
    p.add_argument("file", nargs="?", help="a .txt or .md file (default: standard input)")
    p.set_defaults(func=cmd_segment)

    p = sub.add_parser("extract", help="write a template (POT) per source document")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 5 naming the templates that are out of date")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("update", help="create or merge the catalogs (PO) of every language")
    p.add_argument("--lang", action="append", help="only this target language (repeat)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 5 naming the catalogs that are out of date")
    p.add_argument("--doc", action="append", help="only this document (repeat)")
    p.set_defaults(func=cmd_update)

    p = sub.add_parser("status", help="translation progress per document and language")
    p.add_argument("--lang", action="append", help="only this target language (repeat)")
    p.add_argument("--doc", action="append", help="only this document (repeat; not --html)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--html", nargs="?", const="", metavar="PATH",
                   help="also write a self-contained HTML report (default reports/status.html)")
    p.add_argument("--engines", action="store_true",
                   help="drafts per engine and how much reviewers changed them")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("check", help="QA checks over the catalogs (exit 5 on errors)")
    p.add_argument("--lang", action="append", help="only this target language (repeat)")
    p.add_argument("--doc", action="append", help="only this document (repeat)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--drafts", action="store_true",
                   help="also check fuzzy entries (machine drafts); their problems are warnings")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text: one 'path:line: [check] message' per problem (default); "
                   "json: problems and counts for scripts")
    p.add_argument("--list", action="store_true", help="list the checks and exit")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("translate", help="fill untranslated entries with fuzzy machine drafts")
    p.add_argument("--engine", choices=[k.value for k in EngineKind],
                   help="memory (no key, no network), deepl (memory first; needs "
                   "DEEPL_AUTH_KEY) or llm (memory first; an OpenAI-compatible server, "
                   "[translate] llm_base_url and llm_model); default: [translate] engine")
    p.add_argument("--lang", action="append", help="only this target language (repeat)")
    p.add_argument("--doc", action="append", help="only this document (repeat)")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would be sent and billed, and the quota left; send nothing")
    p.add_argument("--max-chars", type=_count, metavar="N",
                   help="stop before DeepL bills more than N characters in this run")
    p.add_argument("--max-tokens", type=_count, metavar="N",
                   help="stop before the model server counts more than N tokens in this run")
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser("build", help="write the editions (only reviewed translations)")
    p.add_argument("--draft", action="store_true",
                   help="build anyway into editions-draft/, unreviewed sentences marked")
    p.add_argument("--lang", action="append", help="only this language (repeat)")
    p.add_argument("--doc", action="append", help="only this document (repeat)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("align", help="import published translations into the catalogs")
    p.add_argument("--lang", help="the translation's language (default: every target language)")
    p.add_argument("--doc", help="the document it translates (default: the file's name)")
    p.add_argument("--force", action="store_true",
                   help="import even when most pairs are below the threshold")
    p.add_argument("--no-review", action="store_true",
                   help="do not write the review pages (reports/align/<lang>/<doc>.html)")
    p.add_argument("--tmx", metavar="OUT",
                   help="align the files of SRC_DIR and TGT_DIR by name into a TMX memory; "
                   "no catalog is touched")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="a published .txt or .md file (default: every file under "
                   "published/<lang>/); with --tmx: SRC_DIR TGT_DIR")
    p.set_defaults(func=cmd_align)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run diglot with ``argv``; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from rich.console import Console
    from rich.text import Text

    from diglot.errors import DiglotError, visible
    from diglot.fileio import os_error

    # A terminal's width, or COLUMNS when set; piped or captured output (make, CI logs) without
    # COLUMNS gets 120 instead of rich's 80.  Messages are printed with soft_wrap (_line), so a
    # problem is one line whatever the width; only tables use it.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 120
    out = Console(highlight=False, width=width)
    err = Console(stderr=True, highlight=False)
    func: Command = args.func
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave its handler alone
        previous = None
    try:
        return func(args, out)
    except DiglotError as exc:
        err.print(Text.assemble(("error: ", "bold red"), visible(exc.describe(_namer(args)))),
                  soft_wrap=True)
        return exc.exit_code
    except OSError as exc:  # a file below the library's own checks: permissions, full disk
        failure = os_error(exc, Path(exc.filename or "."), "read or write")
        err.print(Text.assemble(("error: ", "bold red"), failure.describe(_namer(args))),
                  soft_wrap=True)
        return failure.exit_code
    except MemoryError:
        err.print(Text.assemble(("error: ", "bold red"), "out of memory"), soft_wrap=True)
        return 1
    except Exception as exc:
        sqlite3 = sys.modules.get("sqlite3")  # not imported at start: only the cache uses it
        if sqlite3 is None or not isinstance(exc, sqlite3.Error):
            raise
        # the draft cache: a full disk, a locked or broken file
        err.print(Text.assemble(("error: ", "bold red"),
                                f".diglot/cache.sqlite3: {exc} — free disk space, or delete the "
                                "cache file to start a new one"), soft_wrap=True)
        return 3
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        err.print(f"{what}: everything finished so far is saved; run again to resume")
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
