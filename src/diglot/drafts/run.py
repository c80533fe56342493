"""The drafting run: open the catalogs, plan, ask the engine, cache, save.

:func:`translate` fills the untranslated entries of the catalogs, language by
language:

1. **What**: live entries with no translation (:mod:`diglot.drafts.plan`).
   Reviewed translations, fuzzy entries and earlier drafts are never touched.
   A sentence that occurs in several documents is translated once.
2. **Memory first**: exact and close matches from the translation memory,
   free and offline.
3. **Cache**: with a paid engine, every answer ever received is in
   ``.diglot/cache.sqlite3`` (git-ignored), keyed by engine, languages, text,
   context and the engine's options, so no sentence is paid for twice.  When
   only a sentence's context changed, the answer for the same sentence in its
   old context is reused.
4. **The engine** for the rest, in the requests its
   :meth:`~diglot.engines.base.Engine.plan` makes; ``max_cost`` stops before
   spending more.

Every answer is stored in the cache the moment it arrives, and the catalogs
(and the draft log of :mod:`diglot.effort`) are written atomically every
``save_every`` seconds and whenever the run ends (normally, on an engine error,
on Ctrl-C or SIGTERM).  A run that is killed loses nothing it paid for: the
rerun takes the answers from the cache.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diglot.catalogs import now
from diglot.collector import collector_paused
from diglot.effort import DraftRecord, append_records
from diglot.engines.base import Batch, CostUnit, Draft, Engine, EngineKind, Rejected, Result
from diglot.engines.cache import DraftCache
from diglot.engines.factory import build_engine, memory_engine
from diglot.engines.memory import TranslationMemory, load_memory
from diglot.engines.memory_cache import memory_cache
from diglot.errors import CatalogError, ConfigError, EngineError
from diglot.fileio import batched_writes
from diglot.model import SourceFormat
from diglot.pofile import POFile, entry_state
from diglot.project import CONFIG_NAME, Project, did_you_mean
from diglot.status import CatalogStatus, catalog_status, counted_status
from diglot.workflow import load_documents, template_names

from .plan import LanguageWork, collect, document_contexts, requests, take, within_budget
from .slots import Complete, Slot, apply_draft, mark_saved, needs_draft, open_catalog, stage_slots

if TYPE_CHECKING:  # the engines' clients are imported only when their engine is built
    from diglot.engines.deepl import DeepLOptions
    from diglot.engines.llm import LLMOptions


@dataclass(frozen=True)
class TranslateOptions:
    """What a ``diglot translate`` run should do."""

    engine: str = EngineKind.MEMORY
    """An :class:`~diglot.engines.base.EngineKind` value."""
    languages: tuple[str, ...] = ()
    """Target languages (default: every target language of the project)."""
    documents: tuple[str, ...] = ()
    """Document names (default: every document with a template)."""
    max_chars: int | None = None
    """Stop before DeepL bills more than this many characters in this run."""
    max_tokens: int | None = None
    """Stop before the model server counts more than this many tokens in this run."""
    save_every: float = 2.0
    """Seconds between catalog writes while answers arrive (the cache has every answer)."""


@dataclass(frozen=True)
class Progress:
    """Where a run stands, for a progress bar."""

    done: int
    """Segments sent to the engine so far (all languages)."""
    total: int
    lang: str
    billed: int
    unit: CostUnit = CostUnit.CHARACTERS


@dataclass(frozen=True)
class RejectedDraft:
    """An answer that was not written, and where its sentence is."""

    catalog: Path
    reference: str | None
    """``source/ru/doc.md:12``, the entry's first ``#:`` reference as the catalog has it."""
    lang: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        return self.describe(Path.as_posix)

    def describe(self, name: Callable[[Path], str]) -> str:
        """Where (the reference, else the catalog as ``name`` writes it), then why."""
        where = self.reference or name(self.catalog)
        return f"{where}: {self.lang} draft rejected — {self.reason}"


@dataclass(frozen=True)
class LanguagePlan:
    """What a run would do for one language (``--dry-run``)."""

    lang: str
    untranslated: int
    """Distinct untranslated sentences."""
    memory: int
    """Of those, drafted from the translation memory."""
    cached: int
    """Of those, drafted from the cache at no cost."""
    to_send: int
    """Sentences that would be sent to the engine."""
    characters: int
    """What the engine would bill for them, in the estimate's :attr:`Estimate.unit`."""
    requests: int


@dataclass(frozen=True)
class Estimate:
    """The dry run's answer: per-language plans and the account's quota."""

    engine: str
    plans: tuple[LanguagePlan, ...]
    unit: CostUnit = CostUnit.NONE
    remaining: int | None = None
    """What the account has left, in :attr:`unit`, if the engine says."""
    usage_note: str = ""
    """Why the quota is unknown, if it is."""

    @property
    def characters(self) -> int:
        """The total cost, in :attr:`unit` (characters for DeepL, tokens for the LLM)."""
        return sum(p.characters for p in self.plans)


@dataclass(frozen=True)
class Summary:
    """What a run did."""

    drafts: Mapping[str, int]
    """Drafts written per source: ``memory``, ``cache``, ``deepl``, ``llm``."""
    billed: int
    requests: int
    seconds: float
    left: Mapping[str, int]
    """Per language: untranslated entries still without a draft."""
    files: tuple[Path, ...] = ()
    """Catalogs written."""
    rejected: tuple[RejectedDraft, ...] = ()
    stopped: str = ""
    """Why the run stopped early (``--max-chars``, ``--max-tokens``), if it did."""
    error: EngineError | None = None
    """The engine failure that ended the run; everything received before it is saved."""
    retries: int = 0
    glossaries_created: int = 0
    engine: str = EngineKind.MEMORY
    unit: CostUnit = CostUnit.NONE
    repairs: int = 0
    """Answers asked again with their problem named (LLM)."""
    flagged: int = 0
    """Drafts written with a problem in their origin comment."""
    status: tuple[CatalogStatus, ...] = ()
    """Every catalog of the run as it stands at the end, document by document, each in the
    run's languages (in the order ``--doc`` and ``--lang`` gave them, else the project's),
    counted from the catalogs the run holds rather than read again."""


def _kind(name: str) -> EngineKind:
    try:
        return EngineKind(name)
    except ValueError:
        raise ConfigError(f"unknown engine '{name}'",
                          hint=did_you_mean(name, [k.value for k in EngineKind])) from None


class _Run:
    """The state of one run: catalogs, cache, engines, counters."""

    def __init__(self, project: Project, options: TranslateOptions, *,
                 deepl_options: DeepLOptions | None, llm_options: LLMOptions | None,
                 environ: Mapping[str, str] | None, dry_run: bool) -> None:
        self.project = project
        self.options = options
        self.dry_run = dry_run
        self.date = now().date().isoformat()
        self.kind = _kind(str(options.engine))
        for name, value in (("--max-chars", options.max_chars),
                            ("--max-tokens", options.max_tokens)):
            if value is not None and value < 0:
                raise ConfigError(f"{name} must be 0 or more, not {value}")
        config = project.config
        self.langs = list(options.languages or config.target_languages)
        for lang in self.langs:
            if lang not in config.target_languages:
                raise ConfigError(f"'{lang}' is not a target language of this project",
                                  path=project.root / CONFIG_NAME,
                                  hint=did_you_mean(lang, config.target_languages))
        known = template_names(project)
        if not known:
            raise CatalogError("no templates", path=project.locales_dir,
                               hint="run 'diglot extract' first")
        for doc in options.documents:
            if doc not in known:
                raise ConfigError(f"no document '{doc}'", hint=did_you_mean(doc, known))
        self.docs = list(options.documents or known)
        # the memory engine never reads a sentence's paragraph: parse sources only for the others
        documents = ([d for d in load_documents(project) if d.name in self.docs]
                     if self.kind is not EngineKind.MEMORY else [])
        self.contexts = {d.name: document_contexts(d) for d in documents}
        self.formats: dict[str, SourceFormat] = {d.name: d.format for d in documents}
        # each catalog is read once: its slot's parsed catalog (or, with nothing to draft, its
        # records) also feeds the memory
        self.opened: dict[str, list[Slot]] = {}
        self.complete: dict[str, list[Complete]] = {}
        for lang in self.langs:
            found = [open_catalog(project, lang, doc) for doc in self.docs]
            self.opened[lang] = [f for f in found if isinstance(f, Slot)]
            self.complete[lang] = [f for f in found if isinstance(f, Complete)]
        self.memories: dict[str, TranslationMemory] = {
            lang: load_memory(project, lang, catalogs={
                **{s.path: s.catalog for s in self.opened[lang] if s.text_on_disk is not None},
                **{c.path: c.records for c in self.complete[lang]}},
                cache=memory_cache(project.root, store=not dry_run))
            for lang in self.langs}
        self.cache: DraftCache | None = None
        cache_path = project.state_dir / "cache.sqlite3"
        if self.kind is not EngineKind.MEMORY and (not dry_run or cache_path.is_file()):
            self.cache = DraftCache(cache_path)
        self.engine: Engine | None = build_engine(
            self.kind, project, langs=self.langs, date=self.date, environ=environ,
            dry_run=dry_run, records=self.cache, memories=self.memories,
            deepl_options=deepl_options, llm_options=llm_options)
        self.drafts: dict[str, int] = {}
        self.flagged = 0
        self.rejected: list[RejectedDraft] = []
        self.slots: list[Slot] = []
        self.held: list[Complete] = []
        """The catalogs with nothing to draft of the languages planned."""
        self.records: dict[tuple[str, str], list[DraftRecord]] = {}

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        if self.cache is not None:
            self.cache.close()

    @property
    def budget(self) -> int | None:
        """What the engine may still spend in this run (None: no limit)."""
        if self.engine is None:
            return None
        limit = (self.options.max_tokens if self.engine.cost_unit is CostUnit.TOKENS
                 else self.options.max_chars)
        return None if limit is None else limit - self.engine.stats.billed

    # -- planning

    def check_targets(self) -> None:
        """Every target language checked with the engine before anything is billed."""
        if self.engine is not None:
            for lang in self.langs:
                self.engine.check_target(lang)

    def collect(self, lang: str) -> LanguageWork:
        slots = self.opened.pop(lang)
        self.slots.extend(slots)
        self.held.extend(self.complete.pop(lang))
        return collect(lang, slots, self.contexts, self.formats)

    def fill(self, work: LanguageWork, msgid: str, result: Result, source: str) -> None:
        """Put one result into every entry that waits for it."""
        if result is None:
            return
        if isinstance(result, Rejected):
            for slot in work.targets.get(msgid, []):
                entry = slot.index[msgid]
                where = (f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}"
                         if entry.occurrences else None)
                self.rejected.append(RejectedDraft(slot.path, where, work.lang, msgid,
                                                   result.reason))
            return
        if not self.dry_run:
            for slot in work.targets.get(msgid, []):
                entry = slot.index.get(msgid)
                if entry is not None and needs_draft(entry):
                    apply_draft(entry, result)
                    slot.applied[msgid] = result
                    slot.dirty = True
                    self.records.setdefault((slot.lang, slot.doc), []).append(DraftRecord(
                        msgid, result.text, result.origin.engine, result.origin.model,
                        result.origin.date))
        if result.problem:
            self.flagged += 1
        self.drafts[source] = self.drafts.get(source, 0) + 1

    def from_memory(self, work: LanguageWork) -> None:
        engine = memory_engine(self.project, work.lang, date=self.date,
                               memory=self.memories[work.lang])
        texts = tuple(work.pending)
        batch = Batch(self.project.config.source_language, work.lang, texts)
        for msgid, result in take(work, zip(texts, engine.translate(batch), strict=True)):
            work.memory += 1
            self.fill(work, msgid, result, engine.name)

    def from_cache(self, work: LanguageWork) -> None:
        if self.cache is None or self.engine is None:  # no cache yet in a dry run
            return
        source = self.project.config.source_language
        options = self.engine.cache_options(source, work.lang)
        hits = [(msgid, self.cache.get(self.engine.kind, source, work.lang, options, msgid,
                                       pending.where.context))
                for msgid, pending in list(work.pending.items())]
        for msgid, hit in take(work, hits):
            work.cached += 1
            self.fill(work, msgid, hit, "cache")

    def plan(self) -> tuple[list[LanguageWork], dict[str, list[Batch]]]:
        works: list[LanguageWork] = []
        batches: dict[str, list[Batch]] = {}
        self.check_targets()
        source = self.project.config.source_language
        for lang in self.langs:
            work = self.collect(lang)
            self.from_memory(work)
            self.from_cache(work)
            works.append(work)
            batches[lang] = requests(work, self.engine, source) if self.engine else []
        return works, batches

    def save(self) -> list[Path]:
        """Write the changed catalogs and the draft log: one batch, one sync, per save."""
        with batched_writes() as batch:
            staged = stage_slots(self.slots, batch)
            for (lang, doc), records in self.records.items():
                append_records(self.project, lang, doc, records, batch=batch)
        self.records = {}
        return mark_saved(staged)

    def status(self) -> tuple[CatalogStatus, ...]:
        """The counts of every catalog held, by document then language."""
        langs = {lang: i for i, lang in enumerate(self.langs)}
        docs = {doc: i for i, doc in enumerate(self.docs)}
        held: list[Slot | Complete] = [*self.slots, *self.held]
        held.sort(key=lambda s: (docs[s.doc], langs[s.lang]))
        return tuple(held_status(s.catalog, doc=s.doc, lang=s.lang, path=s.path)
                     if isinstance(s, Slot) else
                     catalog_status(s.records, doc=s.doc, lang=s.lang, path=s.path)
                     for s in held)


def held_status(catalog: POFile, *, doc: str, lang: str, path: Path) -> CatalogStatus:
    """:func:`diglot.status.catalog_status` of a catalog held as polib entries, counted from
    the entries' states without making a record of each."""
    live = [entry for entry in catalog if not entry.obsolete]
    return counted_status(((entry_state(e), e.msgid) for e in live),
                          obsolete=len(catalog) - len(live), doc=doc, lang=lang, path=path)


def estimate(project: Project, options: TranslateOptions, *,
             deepl_options: DeepLOptions | None = None, llm_options: LLMOptions | None = None,
             environ: Mapping[str, str] | None = None) -> Estimate:
    """What :func:`translate` would do, sending nothing to translate and writing nothing.

    Each target is checked with the engine first; with DeepL and a key, the
    account's quota is asked (``/v2/usage``).
    """
    run = _Run(project, options, deepl_options=deepl_options, llm_options=llm_options,
               environ=environ, dry_run=True)
    try:
        works, batches = run.plan()
        engine = run.engine
        plans = []
        for work in works:
            cost = sum(engine.estimate(b) for b in batches[work.lang]) if engine else 0
            plans.append(LanguagePlan(lang=work.lang, untranslated=len(work.targets),
                                      memory=work.memory, cached=work.cached,
                                      to_send=len(work.pending) if engine else 0,
                                      characters=cost, requests=len(batches[work.lang])))
        if engine is None:
            return Estimate(engine=run.kind, plans=tuple(plans))
        quota = engine.quota()
        return Estimate(engine=run.kind, plans=tuple(plans), unit=engine.cost_unit,
                        remaining=quota.remaining, usage_note=quota.note)
    finally:
        run.close()


def translate(project: Project, options: TranslateOptions, *,
              deepl_options: DeepLOptions | None = None, llm_options: LLMOptions | None = None,
              environ: Mapping[str, str] | None = None,
              progress: Callable[[Progress], None] | None = None) -> Summary:
    """Fill the untranslated entries with fuzzy, origin-marked drafts (see the module docstring).

    An engine failure ends the run with everything received saved and is
    returned in :attr:`Summary.error`; Ctrl-C (and SIGTERM, which the CLI
    turns into the same interruption) saves too and propagates.
    """
    # The catalogs, the memory and the drafts are hundreds of thousands of small objects in no
    # reference cycle: the cyclic collector, whose passes over them find nothing, is paused
    # while they are made and used; for the memory engine (no requests to wait for) the
    # whole run, for the others up to the first save.
    memory = _kind(str(options.engine)) is EngineKind.MEMORY
    with collector_paused() if memory else contextlib.nullcontext():
        return _translate(project, options, deepl_options=deepl_options,
                          llm_options=llm_options, environ=environ, progress=progress)


def _translate(project: Project, options: TranslateOptions, *,
               deepl_options: DeepLOptions | None, llm_options: LLMOptions | None,
               environ: Mapping[str, str] | None,
               progress: Callable[[Progress], None] | None) -> Summary:
    started = time.monotonic()
    with collector_paused():
        run = _Run(project, options, deepl_options=deepl_options, llm_options=llm_options,
                   environ=environ, dry_run=False)
    error: EngineError | None = None
    stopped = ""
    written: list[Path] = []
    works: list[LanguageWork] = []
    try:
        with collector_paused():
            works, batches = run.plan()
            written.extend(run.save())
        total = sum(len(b.texts) for bs in batches.values() for b in bs)
        done = 0
        last_save = time.monotonic()
        engine = run.engine
        try:
            for work in works:
                for batch in batches[work.lang]:
                    assert engine is not None and run.cache is not None
                    allowed = within_budget(engine, batch, run.budget)
                    if allowed is None:
                        flag = ("--max-tokens" if engine.cost_unit is CostUnit.TOKENS
                                else "--max-chars")
                        limit = (options.max_tokens if engine.cost_unit is CostUnit.TOKENS
                                 else options.max_chars)
                        stopped = (f"{flag} {limit} reached: {total - done} sentences left "
                                   "untranslated")
                        break
                    results = engine.translate(allowed)
                    run.cache.put_many(engine.kind, allowed,
                                       engine.cache_options(allowed.source, allowed.target),
                                       results)
                    for msgid, result in zip(allowed.texts, results, strict=True):
                        work.pending.pop(msgid, None)
                        run.fill(work, msgid, result, engine.kind)
                    done += len(allowed.texts)
                    if progress:
                        progress(Progress(done, total, work.lang, engine.stats.billed,
                                          engine.cost_unit))
                    if time.monotonic() - last_save >= options.save_every:
                        written.extend(run.save())
                        last_save = time.monotonic()
                if stopped:
                    break
        except EngineError as exc:
            error = exc
    finally:
        written.extend(run.save())
        run.close()
    stats = run.engine.stats if run.engine is not None else None
    return Summary(
        drafts=dict(run.drafts), billed=stats.billed if stats else 0,
        requests=stats.requests if stats else 0, seconds=time.monotonic() - started,
        left={w.lang: w.left() for w in works}, files=tuple(dict.fromkeys(written)),
        rejected=tuple(run.rejected), stopped=stopped, error=error,
        retries=stats.retries if stats else 0,
        glossaries_created=stats.glossaries_created if stats else 0,
        engine=run.kind, unit=run.engine.cost_unit if run.engine else CostUnit.NONE,
        repairs=stats.repairs if stats else 0, flagged=run.flagged, status=run.status())


__all__ = ["Draft", "Estimate", "LanguagePlan", "Progress", "RejectedDraft", "Summary",
           "TranslateOptions", "estimate", "translate"]
