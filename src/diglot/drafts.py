"""Machine drafts: choose what to translate, ask the engines, cache, and mark the drafts.

:func:`translate` fills the untranslated entries of the catalogs, language by
language:

1. **What**: live entries with no translation.  Reviewed translations, fuzzy
   entries (a merge's guess, a translator's work) and earlier drafts are never
   touched.  A sentence that occurs in several documents is translated once.
2. **Memory first**: exact and close matches from the translation memory
   (:mod:`diglot.engines.memory`), free and offline.
3. **Cache**: with DeepL, every answer ever received is in
   ``.diglot/cache.sqlite3`` (git-ignored), keyed by engine, languages, text,
   context, glossary digest and options, so no sentence is paid for twice.
   When only a sentence's context changed (its paragraph was edited), the
   answer for the same sentence in its old context is reused rather than
   bought again.
4. **DeepL** for the rest, one request per paragraph (one ``context`` per
   request), split only where DeepL's limits demand.  ``max_chars`` stops
   before spending more.

Every answer is stored in the cache the moment it arrives, and the catalogs
are written atomically every ``save_every`` seconds and whenever the run ends
(normally, on an engine error, on Ctrl-C).  A run that is killed loses nothing
it paid for: the rerun takes the answers from the cache.

Each draft is written ``fuzzy`` with a translator comment
``# diglot-draft: <engine> [model] <date> [score%]`` (see
:data:`diglot.catalogs.DRAFT_MARK`), which survives GNU msgmerge and PO editors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from diglot.catalogs import (
    DRAFT_MARK,
    entry_state,
    new_catalog,
    now,
    read_catalog,
    render_catalog,
    update_catalog,
)
from diglot.engines.base import Batch, Draft, Engine, Origin, Rejected, Result
from diglot.engines.cache import DraftCache
from diglot.engines.deepl import (
    DeepLEngine,
    DeepLOptions,
    Usage,
    auth_key_from_env,
    server_url_from,
)
from diglot.engines.glossary import Glossary, read_glossary
from diglot.engines.memory import MemoryEngine, load_memory
from diglot.errors import CatalogError, ConfigError, EngineError
from diglot.fileio import write_text
from diglot.model import Document, EntryState, SourceFormat
from diglot.pofile import POEntry, POFile
from diglot.project import CONFIG_NAME, Project, did_you_mean
from diglot.workflow import load_documents, read_template, template_names

ENGINES = ("memory", "deepl")
CONTEXT_NEIGHBOUR_CHARS = 1000


@dataclass(frozen=True)
class TranslateOptions:
    """What a ``diglot translate`` run should do."""

    engine: str = "memory"
    languages: tuple[str, ...] = ()
    """Target languages (default: every target language of the project)."""
    documents: tuple[str, ...] = ()
    """Document names (default: every document with a template)."""
    max_chars: int | None = None
    """Stop before DeepL bills more than this many characters in this run."""
    save_every: float = 2.0
    """Seconds between catalog writes while DeepL answers arrive (the cache has every answer)."""


@dataclass(frozen=True)
class Progress:
    """Where a run stands, for a progress bar."""

    done: int
    """Segments sent to the engine so far (all languages)."""
    total: int
    lang: str
    billed: int


@dataclass(frozen=True)
class RejectedDraft:
    """An answer that was not written, and where its sentence is."""

    where: str
    """``source/ru/doc.md:12`` (the entry's first reference) or the catalog path."""
    lang: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.lang} draft rejected — {self.reason}"


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
    """Characters the engine would bill for them."""
    requests: int


@dataclass(frozen=True)
class Estimate:
    """The dry run's answer: per-language plans and the account's quota."""

    engine: str
    plans: tuple[LanguagePlan, ...]
    usage: Usage | None = None
    usage_note: str = ""
    """Why the quota is unknown, if it is."""

    @property
    def characters(self) -> int:
        return sum(p.characters for p in self.plans)


@dataclass(frozen=True)
class Summary:
    """What a run did."""

    drafts: Mapping[str, int]
    """Drafts written per source: ``memory``, ``cache``, ``deepl``."""
    billed: int
    requests: int
    seconds: float
    left: Mapping[str, int]
    """Per language: untranslated entries still without a draft."""
    files: tuple[Path, ...] = ()
    """Catalogs written (relative to the project)."""
    rejected: tuple[RejectedDraft, ...] = ()
    stopped: str = ""
    """Why the run stopped early (``--max-chars``), if it did."""
    error: EngineError | None = None
    """The engine failure that ended the run; everything received before it is saved."""
    retries: int = 0
    glossaries_created: int = 0

    @property
    def total_drafts(self) -> int:
        return sum(self.drafts.values())


# --- what to translate ----------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One distinct untranslated sentence of one language, with its paragraph."""

    msgid: str
    context: str
    fmt: SourceFormat
    group: tuple[str, int]
    """(document, block index): sentences of one group share a context and a request."""


@dataclass
class _Slot:
    """One catalog being filled: what was read from disk and the drafts applied since."""

    path: Path
    shown: str
    catalog: POFile
    text_on_disk: str | None
    index: dict[str, POEntry]
    applied: dict[str, Draft] = field(default_factory=dict)
    dirty: bool = False


def _index(catalog: POFile) -> dict[str, POEntry]:
    return {e.msgid: e for e in catalog if not e.obsolete and not e.msgctxt}


def _needs_draft(entry: POEntry) -> bool:
    return (not entry.obsolete and not entry.msgid_plural and bool(entry.msgid.strip())
            and entry_state(entry) is EntryState.UNTRANSLATED)


def document_contexts(document: Document) -> dict[str, tuple[str, int]]:
    """msgid → (context, block index): the paragraph, or a lone sentence's neighbours too.

    A sentence of a paragraph is translated with the whole paragraph as
    context.  A block of one sentence (a heading, a short list item) gets the
    blocks before and after it as well, cut to a thousand characters each.
    """
    blocks = document.blocks
    out: dict[str, tuple[str, int]] = {}
    for i, block in enumerate(blocks):
        text = block.text()
        if len(block.segments) == 1:
            before = blocks[i - 1].text()[-CONTEXT_NEIGHBOUR_CHARS:] if i > 0 else ""
            after = blocks[i + 1].text()[:CONTEXT_NEIGHBOUR_CHARS] if i + 1 < len(blocks) else ""
            text = "\n\n".join(t for t in (before, text, after) if t)
        for segment in block.segments:
            out.setdefault(segment.msgid, (text, block.index))
    return out


def _open_catalog(project: Project, lang: str, doc: str) -> _Slot:
    """The catalog of ``doc`` in ``lang``; a missing one starts empty from the template."""
    path = project.catalog_path(lang, doc)
    shown = project.relative(path)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        catalog = read_catalog(path, shown=Path(shown))
        return _Slot(path, shown, catalog, text, _index(catalog))
    template = read_template(project, doc)
    created = now()
    catalog = new_catalog(template, lang, created=created)
    update_catalog(catalog, template, lang)
    return _Slot(path, shown, catalog, None, _index(catalog), dirty=True)


def _apply(entry: POEntry, draft: Draft) -> None:
    """Write ``draft`` into an untranslated entry: msgstr, ``fuzzy``, origin comment."""
    entry.msgstr = draft.text
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    lines = [ln for ln in (entry.tcomment or "").split("\n")
             if ln and not ln.startswith(DRAFT_MARK)]
    lines.append(f"{DRAFT_MARK} {draft.origin.mark()}")
    entry.tcomment = "\n".join(lines)
    if draft.match and not entry.previous_msgid:
        entry.previous_msgid = draft.match


def _save(slot: _Slot) -> bool:
    """Write the catalog atomically, first taking in any edit made on disk meanwhile.

    If a translator saved the file during the run, it is read again and the
    drafts go only into entries that are still untranslated there.
    """
    if not slot.dirty:
        return False
    on_disk: str | None
    try:
        on_disk = slot.path.read_text(encoding="utf-8")
    except FileNotFoundError:
        on_disk = None
    if on_disk is not None and on_disk != slot.text_on_disk:
        slot.catalog = read_catalog(slot.path, shown=Path(slot.shown))
        slot.index = _index(slot.catalog)
        for msgid, draft in slot.applied.items():
            entry = slot.index.get(msgid)
            if entry is not None and _needs_draft(entry):
                _apply(entry, draft)
    text = render_catalog(slot.catalog)
    changed = write_text(slot.path, text)
    slot.text_on_disk = text
    slot.dirty = False
    return changed


# --- the run -----------------------------------------------------------------------------


@dataclass
class _Language:
    lang: str
    units: dict[str, Unit]
    targets: dict[str, list[_Slot]]
    untranslated: int = 0
    memory: int = 0
    cached: int = 0


class _Run:
    """The state of one run: catalogs, cache, engines, counters."""

    def __init__(self, project: Project, options: TranslateOptions, *,
                 deepl_options: DeepLOptions | None, environ: Mapping[str, str] | None,
                 dry_run: bool) -> None:
        self.project = project
        self.options = options
        self.dry_run = dry_run
        self.date = now().date().isoformat()
        config = project.config
        if options.engine not in ENGINES:
            raise ConfigError(f"unknown engine '{options.engine}'",
                              hint=did_you_mean(options.engine, ENGINES))
        self.langs = list(options.languages or config.target_languages)
        for lang in self.langs:
            if lang not in config.target_languages:
                raise ConfigError(f"'{lang}' is not a target language of this project",
                                  path=project.root / CONFIG_NAME,
                                  hint=did_you_mean(lang, config.target_languages))
        known = template_names(project)
        if not known:
            raise CatalogError("no templates", path=project.relative(project.locales_dir),
                               hint="run 'diglot extract' first")
        for doc in options.documents:
            if doc not in known:
                raise ConfigError(f"no document '{doc}'", hint=did_you_mean(doc, known))
        self.docs = list(options.documents or known)
        documents = [d for d in load_documents(project) if d.name in self.docs]
        self.contexts = {d.name: document_contexts(d) for d in documents}
        self.formats = {d.name: d.format for d in documents}
        self.cache: DraftCache | None = None
        self.deepl: DeepLEngine | None = None
        cache_path = project.state_dir / "cache.sqlite3"
        if options.engine == "deepl":
            if not dry_run or cache_path.is_file():
                self.cache = DraftCache(cache_path)
            self.deepl = self._make_deepl(deepl_options, environ)
        self.drafts: dict[str, int] = {}
        self.rejected: list[RejectedDraft] = []
        self.slots: list[_Slot] = []

    def _make_deepl(self, options: DeepLOptions | None,
                    environ: Mapping[str, str] | None) -> DeepLEngine:
        config = self.project.config.translate
        config_path = self.project.root / CONFIG_NAME
        if options is None:
            options = DeepLOptions(english_variant=config.english_variant,
                                   portuguese_variant=config.portuguese_variant,
                                   formality=config.formality)
        if options.server_url is None:
            options = DeepLOptions(**{**options.__dict__,
                                      "server_url": server_url_from(environ,
                                                                    config.deepl_server_url)})
        key = ""
        try:
            key = auth_key_from_env(environ)
        except EngineError:
            if not self.dry_run:
                raise
        glossaries: dict[str, Glossary] = {}
        for lang in self.langs:
            path = self.project.glossary_path(lang)
            if path is not None:
                glossaries[lang] = read_glossary(
                    path, shown=self.project.relative(path),
                    source_lang=self.project.config.source_language, target_lang=lang)
        return DeepLEngine(auth_key=key, options=options, glossaries=glossaries,
                           records=self.cache, date=self.date, config_path=config_path)

    def close(self) -> None:
        if self.deepl is not None:
            self.deepl.close()
        if self.cache is not None:
            self.cache.close()

    # -- planning

    def collect(self, lang: str) -> _Language:
        """The distinct untranslated sentences of ``lang`` and the entries each one fills."""
        state = _Language(lang, {}, {})
        for doc in self.docs:
            slot = _open_catalog(self.project, lang, doc)
            self.slots.append(slot)
            contexts = self.contexts.get(doc, {})
            fmt = self.formats.get(doc, SourceFormat.TXT)
            for entry in slot.index.values():
                if not _needs_draft(entry):
                    continue
                state.untranslated += 1
                state.targets.setdefault(entry.msgid, []).append(slot)
                if entry.msgid not in state.units:
                    context, block = contexts.get(entry.msgid, ("", -1))
                    state.units[entry.msgid] = Unit(entry.msgid, context, fmt, (doc, block))
        return state

    def fill(self, state: _Language, msgid: str, result: Result, source: str) -> None:
        """Put one result into every entry that waits for it."""
        if result is None:
            return
        if isinstance(result, Rejected):
            for slot in state.targets.get(msgid, []):
                entry = slot.index[msgid]
                where = (f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}"
                         if entry.occurrences else slot.shown)
                self.rejected.append(RejectedDraft(where, state.lang, msgid, result.reason))
            state.units.pop(msgid, None)
            return
        if not self.dry_run:
            for slot in state.targets.get(msgid, []):
                entry = slot.index.get(msgid)
                if entry is not None and _needs_draft(entry):
                    _apply(entry, result)
                    slot.applied[msgid] = result
                    slot.dirty = True
        self.drafts[source] = self.drafts.get(source, 0) + 1
        state.units.pop(msgid, None)

    def from_memory(self, state: _Language) -> None:
        engine = MemoryEngine(load_memory(self.project, state.lang),
                              similarity=self.project.config.translate.memory_similarity,
                              date=self.date)
        texts = tuple(state.units)
        batch = Batch(self.project.config.source_language, state.lang, texts)
        for msgid, result in zip(texts, engine.translate(batch), strict=True):
            if result is not None:
                state.memory += 1
                self.fill(state, msgid, result, "memory")

    def from_cache(self, state: _Language) -> None:
        if self.cache is None or self.deepl is None:  # no cache yet in a dry run
            return
        source = self.project.config.source_language
        options = self.deepl.cache_options(source, state.lang)
        for msgid, unit in list(state.units.items()):
            hit = self.cache.get(self.deepl.name, source, state.lang, options, msgid,
                                 unit.context)
            if hit is not None:
                state.cached += 1
                self.fill(state, msgid, hit, "cache")

    def batches(self, state: _Language) -> list[Batch]:
        """The remaining sentences grouped by paragraph, each group split to DeepL's limits."""
        assert self.deepl is not None
        groups: dict[tuple[str, int], list[Unit]] = {}
        for unit in state.units.values():
            groups.setdefault(unit.group, []).append(unit)
        source = self.project.config.source_language
        out: list[Batch] = []
        for units in groups.values():
            batch = Batch(source, state.lang, tuple(u.msgid for u in units),
                          units[0].context, units[0].fmt)
            out.extend(self.deepl.split(batch))
        return out

    def save(self) -> list[Path]:
        written = []
        for slot in self.slots:
            if _save(slot):
                written.append(Path(slot.shown))
        return written


def _plans(run: _Run) -> tuple[list[_Language], dict[str, list[Batch]]]:
    states: list[_Language] = []
    batches: dict[str, list[Batch]] = {}
    for lang in run.langs:
        state = run.collect(lang)
        run.from_memory(state)
        run.from_cache(state)
        states.append(state)
        batches[lang] = run.batches(state) if run.deepl is not None else []
    return states, batches


def estimate(project: Project, options: TranslateOptions, *,
             deepl_options: DeepLOptions | None = None,
             environ: Mapping[str, str] | None = None) -> Estimate:
    """What :func:`translate` would do, sending nothing to translate and writing nothing.

    With DeepL and a key, the account's quota is asked (``/v2/usage``).
    """
    run = _Run(project, options, deepl_options=deepl_options, environ=environ, dry_run=True)
    try:
        states, batches = _plans(run)
        plans = []
        for state in states:
            chars = sum(run.deepl.estimate(b.texts, b.fmt) for b in batches[state.lang]) \
                if run.deepl is not None else 0
            plans.append(LanguagePlan(lang=state.lang, untranslated=len(state.targets),
                                      memory=state.memory, cached=state.cached,
                                      to_send=len(state.units) if run.deepl else 0,
                                      characters=chars, requests=len(batches[state.lang])))
        usage, note = None, ""
        if run.deepl is not None:
            if not run.deepl.auth_key:
                note = "DEEPL_AUTH_KEY is not set"
            else:
                try:
                    usage = run.deepl.usage()
                except EngineError as exc:
                    note = str(exc)
        return Estimate(engine=options.engine, plans=tuple(plans), usage=usage, usage_note=note)
    finally:
        run.close()


def translate(project: Project, options: TranslateOptions, *,
              deepl_options: DeepLOptions | None = None,
              environ: Mapping[str, str] | None = None,
              progress: Callable[[Progress], None] | None = None) -> Summary:
    """Fill the untranslated entries with fuzzy, origin-marked drafts (see the module docstring).

    An engine failure ends the run with everything received saved and is
    returned in :attr:`Summary.error`; Ctrl-C saves too and propagates.
    """
    started = time.monotonic()
    run = _Run(project, options, deepl_options=deepl_options, environ=environ, dry_run=False)
    error: EngineError | None = None
    stopped = ""
    written: list[Path] = []
    try:
        states, batches = _plans(run)
        written.extend(run.save())
        total = sum(len(b.texts) for bs in batches.values() for b in bs)
        done = 0
        last_save = time.monotonic()
        try:
            for state in states:
                for batch in batches[state.lang]:
                    assert run.deepl is not None and run.cache is not None
                    allowed = _within_budget(run.deepl, batch, options.max_chars)
                    if allowed is None:
                        remaining = sum(len(b.texts) for bs in batches.values()
                                        for b in bs) - done
                        stopped = (f"--max-chars {options.max_chars} reached: "
                                   f"{remaining} sentences left untranslated")
                        break
                    results = run.deepl.translate(allowed)
                    run.cache.put_many(run.deepl.name, allowed,
                                       run.deepl.cache_options(allowed.source, allowed.target),
                                       results)
                    for msgid, result in zip(allowed.texts, results, strict=True):
                        run.fill(state, msgid, result, run.deepl.name)
                    done += len(allowed.texts)
                    if progress:
                        progress(Progress(done, total, state.lang, run.deepl.stats.billed))
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
    stats = run.deepl.stats if run.deepl is not None else None
    left = {s.lang: sum(len(v) for k, v in s.targets.items() if k in s.units) for s in states}
    return Summary(
        drafts=dict(run.drafts), billed=stats.billed if stats else 0,
        requests=stats.requests if stats else 0, seconds=time.monotonic() - started,
        left=left, files=tuple(dict.fromkeys(written)), rejected=tuple(run.rejected),
        stopped=stopped, error=error, retries=stats.retries if stats else 0,
        glossaries_created=stats.glossaries_created if stats else 0)


def _within_budget(engine: DeepLEngine, batch: Batch, max_chars: int | None) -> Batch | None:
    """``batch``, or its longest prefix that keeps the run within ``max_chars``; None if none."""
    if max_chars is None:
        return batch
    room = max_chars - engine.stats.billed
    texts: list[str] = []
    for text in batch.texts:
        if engine.estimate([*texts, text], batch.fmt) > room:
            break
        texts.append(text)
    if not texts:
        return None
    return Batch(batch.source, batch.target, tuple(texts), batch.context, batch.fmt)


__all__ = ["Engine", "Estimate", "LanguagePlan", "Origin", "Progress", "RejectedDraft",
           "Summary", "TranslateOptions", "estimate", "translate"]
