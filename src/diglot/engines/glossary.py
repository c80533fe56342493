"""Glossaries for DeepL: the project's ``glossary/<src>-<tgt>.tsv|csv`` as DeepL entries.

The file is read by the same loader as ``diglot check``
(:func:`diglot.checks.glossary.read_glossary_file`; its policy is stated there).
A DeepL glossary is made per content digest; :class:`GlossaryRecords` (the
draft cache) remembers which one diglot made, so it is reused while the file is
unchanged and replaced when it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from diglot.checks.glossary import read_glossary_file
from diglot.errors import ConfigError


@dataclass(frozen=True)
class Glossary:
    """The agreed terms of one language pair, read from ``glossary/<src>-<tgt>.tsv|csv``."""

    path: Path
    entries: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        """A digest of the terms: a new DeepL glossary is made when (and only when) it changes."""
        text = "\n".join(f"{s}\t{t}" for s, t in self.entries)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_glossary(path: Path, *, source_lang: str, target_lang: str) -> Glossary:
    """The project's glossary file, read by the loader ``diglot check`` uses.

    DeepL takes one translation per term: the first of a line's ``|`` alternatives;
    the note column is not sent.  Policy: a file with any problem (unreadable, a line
    without a translation) is a :class:`ConfigError` naming the first, rather than a
    DeepL glossary that silently lacks some agreed terms; ``diglot check`` lists them all.
    """
    terms, problems = read_glossary_file(path, source_lang=source_lang,
                                         target_lang=target_lang)
    if problems:
        first = problems[0]
        raise ConfigError(first.message, path=path, line=first.line, hint=first.hint or None)
    entries: dict[str, str] = {}
    for term in terms:
        entries.setdefault(term.source, term.targets[0])
    return Glossary(path=path, entries=tuple(entries.items()))


class GlossaryRecords(Protocol):
    """Where the ids of the DeepL glossaries diglot made are remembered (the cache database)."""

    def glossary_id(self, server: str, source: str, target: str) -> tuple[str, str] | None:
        """(digest, glossary id) recorded for the pair, if any."""
        ...

    def record_glossary(self, server: str, source: str, target: str, digest: str,
                        glossary_id: str) -> None: ...
