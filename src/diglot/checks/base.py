"""What every QA check shares: the problem it reports and the context of one entry.

A check is a plain function ``(source, translation, context) -> list[Problem]``.
It never raises for what it finds and never reads files: the runner in
:mod:`diglot.checks` reads catalogs and the glossary once and passes them in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from babel.core import Locale, get_global

from diglot.model import SourceFormat
from diglot.patterns import URL


class Severity(StrEnum):
    """Errors fail ``diglot check``; warnings fail it only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing a check found, at the line of the entry's ``msgid`` in the catalog."""

    path: Path
    line: int
    check: str
    severity: Severity
    message: str
    draft: bool = False
    """Found in a fuzzy (unreviewed) entry; such problems are never errors."""
    hint: str = ""
    """How to fix it, when there is one thing to do; printed after the message."""

    def __str__(self) -> str:
        return self.describe(Path.as_posix)

    def describe(self, name: Callable[[Path], str]) -> str:
        """``path:line: [check] severity: message — hint``, the path as ``name`` writes it."""
        fix = f" — {self.hint}" if self.hint else ""
        return (f"{name(self.path)}:{self.line}: [{self.check}] {self.severity}: "
                f"{self.message}{fix}")

    def as_dict(self, name: Callable[[Path], str] = Path.as_posix) -> dict[str, object]:
        """For JSON; the path as ``name`` writes it (``diglot check``: relative to the project)."""
        return {
            "path": name(self.path),
            "line": self.line,
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "draft": self.draft,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class GlossaryTerm:
    """One agreed term: the source term and its accepted translations."""

    source: str
    targets: tuple[str, ...]
    line: int
    note: str = ""


@dataclass(frozen=True)
class EntryContext:
    """What a check may know about the entry besides its two texts."""

    path: Path
    """The catalog."""
    line: int
    source_lang: str
    target_lang: str
    format: SourceFormat = SourceFormat.TXT
    flags: tuple[str, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = field(default=())
    draft: bool = False

    def problem(self, check: str, severity: Severity, message: str, *,
                hint: str = "") -> Problem:
        if self.draft:
            severity = Severity.WARNING
        return Problem(path=self.path, line=self.line, check=check, severity=severity,
                       message=message, draft=self.draft, hint=hint)

    def error(self, check: str, message: str, *, hint: str = "") -> Problem:
        return self.problem(check, Severity.ERROR, message, hint=hint)

    def warning(self, check: str, message: str, *, hint: str = "") -> Problem:
        return self.problem(check, Severity.WARNING, message, hint=hint)


EntryCheck = Callable[[str, str, EntryContext], list[Problem]]


@dataclass(frozen=True)
class CheckSpec:
    """A named check and what it looks for (``diglot check --list`` prints these)."""

    name: str
    func: EntryCheck
    summary: str


# --- helpers shared by several checks -------------------------------------------------------

_MD_LINK_TARGET = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"(`+)(.+?)\1")


@lru_cache(maxsize=4096)
def strip_literals(text: str) -> str:
    """``text`` with inline code, Markdown link targets and bare URLs blanked out.

    Numbers, words and punctuation inside them are the markup check's business,
    not the business of checks that read prose.
    """
    if "`" in text:
        text = _CODE.sub(" ", text)
    if "](" in text:
        text = _MD_LINK_TARGET.sub("] ", text)
    if "@" in text or "://" in text or "www." in text:  # what URL needs to match
        text = URL.sub(" ", text)
    return text


_SCRIPT_NAMES = {
    "Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC",
    "Hebr": "HEBREW", "Armn": "ARMENIAN", "Geor": "GEORGIAN", "Deva": "DEVANAGARI",
    "Thai": "THAI", "Hang": "HANGUL", "Hani": "CJK", "Jpan": "CJK",
}


@lru_cache(maxsize=64)
def language_script(lang: str) -> str | None:
    """The Unicode script name a language is usually written in (``CYRILLIC`` for ``ru``)."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, TypeError):
        return None
    code = locale.script
    if not code:
        likely = get_global("likely_subtags").get(locale.language, "")
        parts = likely.split("_")
        code = parts[1] if len(parts) > 2 else None
    return _SCRIPT_NAMES.get(code or "")


@lru_cache(maxsize=8192)
def char_script(ch: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``…), ``None`` for anything else."""
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    first = name.split(" ", 1)[0]
    return "CJK" if first in {"CJK", "HIRAGANA", "KATAKANA"} else first


