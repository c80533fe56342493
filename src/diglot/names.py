"""The closed sets of names a user types or reads: on the command line, in ``diglot.toml``
and in ``diglot status``.

Plain str enums in a module that imports nothing of diglot's, so that building
the command line's parser (``diglot --help``) loads no dataclasses, engine or
catalog code, and ``diglot status`` (which reads records and counts their
states) does not load the document model.  :mod:`diglot.model` and
:mod:`diglot.engines.base` re-export them.
"""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    """What one catalog entry holds (``unit`` in diglot.toml)."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


class EngineKind(StrEnum):
    """The engines diglot has: the names ``--engine`` and ``[translate] engine`` take."""

    MEMORY = "memory"
    DEEPL = "deepl"
    LLM = "llm"


class EntryState(StrEnum):
    """Where a catalog entry stands in review."""

    TRANSLATED = "translated"
    """Reviewed: has a translation and no fuzzy flag."""
    MEMORY = "memory match"
    """Fuzzy, marked ``# diglot-draft: memory …``: a translation-memory match awaiting review."""
    MACHINE = "machine draft"
    """Fuzzy, marked ``# diglot-draft: deepl|llm …``: a machine translation awaiting review."""
    ALIGNED = "aligned"
    """Fuzzy, marked ``# diglot-aligned: 0.83``: an imported published translation below the
    confidence threshold, awaiting review."""
    FUZZY = "fuzzy"
    """Fuzzy for another reason (usually: its source sentence changed)."""
    UNTRANSLATED = "untranslated"
    OBSOLETE = "obsolete"
    """Kept with ``#~`` for a sentence no longer in the source."""
