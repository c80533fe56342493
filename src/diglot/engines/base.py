"""What every translation engine is: a batch of segments with their context in, drafts out.

An engine is any object with a ``name`` and a :meth:`Engine.translate` method
(a :class:`typing.Protocol`, so the memory and DeepL engines and a test's fake
need no common base class).  :mod:`diglot.drafts` chooses what to translate,
asks the engines in turn, caches, and writes the catalogs; an engine never
touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from diglot.model import SourceFormat


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


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a draft comes from, written into the catalog as ``# diglot-draft: ...``."""

    engine: str
    date: str
    """ISO date (``2026-11-27``) the draft was made."""
    model: str = ""
    """The engine's model, when it says (DeepL's ``model_type_used``)."""
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
    """Characters the engine billed for it (0 for memory and cache)."""
    match: str = ""
    """For a close memory match: the source sentence the memory translation was made for."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An engine's answer that is not written: its markup does not match the source, say."""

    reason: str
    billed: int = 0


Result = Draft | Rejected | None
"""One segment's outcome: a draft, a rejected answer, or nothing (no memory match)."""


class Engine(Protocol):
    """A translation engine: one batch of segments in, one result per segment out."""

    @property
    def name(self) -> str:
        """Short name used in origin marks, the cache and the summary (``memory``, ``deepl``)."""
        ...

    def translate(self, batch: Batch) -> list[Result]:
        """Translate ``batch.texts``; the list has one result per text, in order.

        Raises :class:`diglot.errors.EngineError` when the engine cannot go
        on (no network, bad key, quota); results already returned for earlier
        batches stay valid.
        """
        ...

