"""The closed sets of names a user types: on the command line and in ``diglot.toml``.

Plain str enums in a module that imports nothing of diglot's, so that building
the command line's parser (``diglot --help``) loads no dataclasses, engine or
catalog code.  :mod:`diglot.model` and :mod:`diglot.engines.base` re-export
them, where the rest of the code imports them from.
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
