"""Parsed files kept between runs, each under the key of the bytes (and code) it came from.

The storage shared by diglot's caches of parsed inputs: the parsed documents
(:mod:`diglot.sources.cache`) and the parsed catalogs
(:mod:`diglot.pofile.readonly`).  A cache is a folder under
``.diglot/cache/`` holding one file per input, named by a hash of the
input's name (so an input has at most one).  A file is a magic line naming
what it holds, the 32-byte SHA-256 *key* of everything that decides the
parse (a format number, diglot's version, a hash of the code that parses,
the Python and marshal versions, the settings and the input's bytes: see
:func:`code_fingerprint` and :func:`make_key`), then the caller's payload
(:mod:`marshal` data of plain tuples: nothing is executed on load).

Any difference (another key, a file cut short, damaged, a symbolic link or
not a regular file) is a miss, never an error: the caller parses and
stores again.  Files are written atomically through :mod:`diglot.fileio`
(which never replaces a link or anything but a regular file), and a
temporary file left by a killed run is swept as any other.  A
``.gitignore`` in ``.diglot/cache/`` keeps the caches out of a project
without ``init``'s.  Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import diglot
from diglot.errors import DiglotError
from diglot.fileio import WriteBatch, check_inside, write_bytes

__all__ = ["CACHE_ROOT", "KEY_SIZE", "CacheStore", "code_fingerprint", "make_key"]

CACHE_ROOT = Path(".diglot") / "cache"
"""Where a project's caches of parsed files live (relative to its root), one folder each."""
KEY_SIZE = 32
"""Bytes of a key (SHA-256)."""
SUFFIX = ".marshal"
_IGNORE = b"# diglot's parsed documents and catalogs: never commit; safe to delete\n*\n"


def code_fingerprint(fmt: int, files: Iterable[Path]) -> bytes:
    """A hash of what decides a parse besides its input: the cache's layout ``fmt``,
    diglot's version, the Python and marshal versions and the code in ``files``."""
    digest = hashlib.sha256(f"{fmt}\0{diglot.__version__}\0{sys.version}\0"
                            f"{marshal.version}\0".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def make_key(fingerprint: bytes, settings: Iterable[str], data: bytes) -> bytes:
    """The key of the input ``data`` parsed by the code of ``fingerprint`` with ``settings``."""
    digest = hashlib.sha256(fingerprint)
    digest.update("\0".join(settings).encode() + b"\0\0")
    digest.update(data)
    return digest.digest()


@dataclass(frozen=True)
class CacheStore:
    """One cache folder: :meth:`load` and :meth:`save` payloads under their input's key.

    ``folder`` None is no cache (every load misses, nothing is saved);
    ``store`` false reads the cache but never writes it.
    """

    folder: Path | None
    magic: bytes
    """The first line of every file (``b"diglot parsed document\\n"``)."""
    store: bool = True

    def path(self, name: str) -> Path | None:
        """The cache file of the input ``name`` (None without a cache)."""
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(name.encode()).hexdigest()[:32] + SUFFIX)

    def load(self, name: str, key: bytes) -> bytes | None:
        """The payload stored for ``name`` under ``key``; None if there is none (or not that
        key, or a file that is not a regular one)."""
        where = self.path(name)
        if where is None:
            return None
        return _read_regular(where, self.magic + key)

    def holds(self, name: str, key: bytes) -> bool:
        """Whether a payload is stored for ``name`` under ``key`` (only its head is read)."""
        where = self.path(name)
        if where is None:
            return False
        head = self.magic + key
        return _read_regular(where, head, size=0) == b""

    def save(self, name: str, key: bytes, payload: bytes, *,
             batch: WriteBatch | None = None) -> None:
        """Store ``payload`` for ``name`` under ``key`` (with ``batch``'s files, if given);
        a cache that cannot be written is passed over (the next run parses again)."""
        where = self.path(name)
        if where is None or not self.store:
            return
        with contextlib.suppress(DiglotError, OSError):  # without a cache, only slower
            if batch is None:
                write_bytes(where, self.magic + key + payload)
            else:
                batch.write_bytes(where, self.magic + key + payload)
            ignore = where.parent.parent / ".gitignore"  # for a project without init's
            if not ignore.exists():
                write_bytes(ignore, _IGNORE)

    def prune(self, names: Iterable[str]) -> list[Path]:
        """Remove the cache files of inputs other than ``names``; return them."""
        if self.folder is None or not self.folder.is_dir():
            return []
        keep = {self.path(n) for n in names}
        removed = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            if path not in keep and path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                except OSError:
                    continue
                removed.append(path)
        return removed


def _read_regular(path: Path, head: bytes, *, size: int = -1) -> bytes | None:
    """What follows ``head`` in ``path`` (at most ``size`` bytes of it) if it is a regular
    file inside the project that starts with ``head`` (a symbolic link is not followed;
    another head is not read on)."""
    try:
        check_inside(path)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (DiglotError, OSError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            if f.read(len(head)) != head:
                return None
            return f.read(size)
    except OSError:
        return None
    finally:
        os.close(fd)
