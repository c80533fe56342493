"""What every translation engine is, for the drafting step that drives it.

An engine is any object that satisfies the :class:`Engine` protocol (the
memory, DeepL and LLM engines and a test's fake need no common base class).
:mod:`diglot.drafts` plans what to translate, asks the engine, caches, and
writes the catalogs; an engine never touches a file.  What the planner needs
from an engine is exactly the protocol: how a paragraph's sentences become
requests (:meth:`Engine.plan`), what a request costs (:meth:`Engine.estimate`),
a batch translated (:meth:`Engine.translate`), the part of the cache key that
is not the text (:meth:`Engine.cache_options`) and its statistics.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from diglot.model import SourceFormat
from diglot.names import EngineKind as EngineKind  # re-exported: defined apart for the CLI


class CostUnit(StrEnum):
    """What an engine bills: DeepL characters, model tokens, or nothing."""

    NONE = "nothing"
    CHARACTERS = "characters"
    TOKENS = "tokens"


@dataclass(frozen=True, slots=True)
class Batch:
    """Segments that share one context: usually the untranslated sentences of one paragraph.

    DeepL applies one ``context`` to every text of a request, so a batch is
    the unit an engine may send in one request (it may split it further to
    respect request limits, never merge batches).
    """

    source: str
    """Source language, as in the project (``ru``)."""
    target: str
    """Target language, as in the project (``en``, ``pt-BR``)."""
    texts: tuple[str, ...]
    """The segments' msgids, Markdown inline markup as written."""
    context: str = ""
    """The surrounding paragraph (not translated, not billed); empty when unknown."""
    fmt: SourceFormat = SourceFormat.TXT
    """The source format, which says what inline markup the texts carry."""
    paragraph: str = ""
    """The whole paragraph the texts belong to, link targets removed."""
    before: str = ""
    """The paragraph before it (up to a thousand characters), for engines that take more context."""
    after: str = ""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a draft comes from, written into the catalog as ``# diglot-draft: ...``."""

    engine: str
    date: str
    """ISO date (``2026-11-27``) the draft was made."""
    model: str = ""
    """The engine's model, when it says (DeepL's ``model_type_used``, the LLM's model)."""
    score: int | None = None
    """Memory similarity (0–100) for memory drafts."""

    def mark(self) -> str:
        """The text after ``diglot-draft:``: ``deepl 2026-11-27``, ``memory 2026-11-27 92%``."""
        parts = [self.engine]
        if self.model:
            parts.append(self.model)
        parts.append(self.date)
        if self.score is not None:
            parts.append(f"{self.score}%")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Draft:
    """A proposed translation of one segment, to be written fuzzy for review."""

    text: str
    origin: Origin
    billed: int = 0
    """What the engine billed for it, in its :class:`CostUnit` (0 for memory and cache)."""
    match: str = ""
    """For a close memory match: the source sentence the memory translation was made for."""
    problem: str = ""
    """A problem the engine's own checks found and could not get fixed (written in the comment)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An engine's answer that is not written: its markup does not match the source, say."""

    reason: str
    billed: int = 0


Result = Draft | Rejected | None
"""One segment's outcome: a draft, a rejected answer, or nothing (no memory match)."""


@dataclass
class EngineStats:
    """What an engine did in this run (the summary's numbers)."""

    requests: int = 0
    """Translate requests answered."""
    retries: int = 0
    billed: int = 0
    """Cost so far, in the engine's :class:`CostUnit`."""
    glossaries_created: int = 0
    repairs: int = 0
    """Answers sent back once with their problem named (LLM)."""


@dataclass(frozen=True)
class Quota:
    """What the engine's account has left (``None`` when unknown), or why it is unknown."""

    remaining: int | None = None
    note: str = ""


class Engine(Protocol):
    """A translation engine as the drafting step uses it."""

    @property
    def kind(self) -> EngineKind:
        """Which engine this is (origin marks, the cache, the summary)."""
        ...

    @property
    def cost_unit(self) -> CostUnit:
        """What :meth:`estimate` and :attr:`stats` ``.billed`` count."""
        ...

    @property
    def paid(self) -> bool:
        """Whether answers cost something and are kept in the draft cache."""
        ...

    @property
    def stats(self) -> EngineStats: ...

    def plan(self, batch: Batch) -> list[Batch]:
        """``batch`` (one paragraph's sentences) cut into the requests the engine will send."""
        ...

    def estimate(self, batch: Batch) -> int:
        """What translating ``batch`` in one request will cost, in :attr:`cost_unit`."""
        ...

    def cache_options(self, source: str, target: str) -> str:
        """Everything besides the text and context that shapes an answer (cache key part)."""
        ...

    def check_target(self, lang: str) -> str:
        """The engine's code for ``lang``; :class:`diglot.errors.ConfigError` if it has none.

        Called for every language before anything is billed (and in a dry run).
        """
        ...

    def quota(self) -> Quota:
        """What the account has left, for ``--dry-run``."""
        ...

    def translate(self, batch: Batch) -> list[Result]:
        """Translate ``batch.texts``; the list has one result per text, in order.

        Raises :class:`diglot.errors.EngineError` when the engine cannot go
        on (no network, bad key, quota); results already returned for earlier
        batches stay valid.
        """
        ...

    def close(self) -> None: ...


class RetrySettings(Protocol):
    """The retry fields an engine's options carry (``DeepLOptions``, ``LLMOptions``)."""

    @property
    def timeout(self) -> float: ...
    @property
    def deadline(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def backoff_initial(self) -> float: ...
    @property
    def backoff_factor(self) -> float: ...
    @property
    def backoff_max(self) -> float: ...


T = TypeVar("T")


def call_with_retries(func: Callable[[float], T], settings: RetrySettings, *,
                      retryable: Callable[[Exception], bool], stats: EngineStats,
                      sleep: Callable[[float], None]) -> T:
    """``func(timeout)``, called again after an exception ``retryable`` accepts.

    Each call gets the time left before ``settings.deadline`` (capped at
    ``settings.timeout``); waits grow from ``backoff_initial`` by
    ``backoff_factor`` up to ``backoff_max``, and a wait that would pass the
    deadline is not started.  The last exception is raised as it came, for the
    engine to word.
    """
    delay = settings.backoff_initial
    attempt = 0
    started = time.monotonic()
    while True:
        left = settings.deadline - (time.monotonic() - started)
        try:
            return func(max(0.001, min(settings.timeout, left)))
        except Exception as exc:
            left = settings.deadline - (time.monotonic() - started)
            if attempt < settings.max_retries and left > delay and retryable(exc):
                attempt += 1
                stats.retries += 1
                sleep(delay)
                delay = min(delay * settings.backoff_factor, settings.backoff_max)
                continue
            raise
