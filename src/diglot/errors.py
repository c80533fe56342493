"""diglot's exception family.  Library code raises these; only ``cli`` prints them.

Every error renders as ``path:line: what is wrong — how to fix it`` where a
path and a line are known, so editors and CI logs can jump to the place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e"
                        "\u2066-\u2069\u2028\u2029]")


def visible(text: str) -> str:
    """``text`` with control characters (escape sequences, bidi controls) shown as ``<U+XXXX>``.

    What diglot prints to a terminal passes through this: a translation or a
    file name cannot move the cursor, recolour the screen or reverse a line.
    """
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


class DiglotError(Exception):
    """Base of every error diglot reports to its user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        return self.describe(str)

    def describe(self, name: Callable[[Path], str]) -> str:
        """The message, its path written as ``name`` writes it (the CLI: relative to the project).

        Library code keeps the real path in :attr:`path`; only the one showing the error
        decides how to name the file.
        """
        where = ""
        if self.path is not None:
            where = f"{name(self.path)}:{self.line}: " if self.line else f"{name(self.path)}: "
        tail = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{tail}"


class ConfigError(DiglotError):
    """diglot.toml is missing, malformed or names something unknown."""

    exit_code = 2


class SourceError(DiglotError):
    """A source document cannot be read (encoding, syntax)."""

    exit_code = 3


class CatalogError(DiglotError):
    """A PO/POT file cannot be read or would be written invalid."""

    exit_code = 3


class FileAccessError(DiglotError):
    """A file cannot be read or written: permissions, a full disk, a path the policy refuses."""

    exit_code = 3


class EngineError(DiglotError):
    """A translation engine failed (network, key, quota)."""

    exit_code = 4


class PublicationError(DiglotError):
    """An edition cannot be published: unreviewed entries remain."""

    exit_code = 5


class LockError(DiglotError):
    """Another diglot run holds the project's lock."""

    exit_code = 6
