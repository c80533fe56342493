"""The only place diglot writes files: atomically, and only when content changed.

A file is written to a temporary file in the same folder, flushed to disk and
moved over the target with :func:`os.replace`, so a reader (or a crash) sees the
old file or the new one, never half of one.  A project-wide lock keeps two runs
from interleaving their read-modify-write cycles on the same catalogs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from diglot.errors import LockError


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8, LF) to ``path`` atomically; return whether the file changed."""
    data = text.encode("utf-8")
    return write_bytes(path, data)


def write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless it already holds exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.chmod(0o644)
        os.replace(tmp, path)  # noqa: PTH105 - the atomic rename, spelt as what it is
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


@contextlib.contextmanager
def project_lock(root: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on the project (``.diglot/lock``) for the ``with`` body.

    With ``wait`` false, a second run fails at once with :class:`LockError`
    instead of queueing behind the first.
    """
    lock_dir = root / ".diglot"
    lock_dir.mkdir(exist_ok=True)
    with open(lock_dir / "lock", "a+b") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError as exc:
            raise LockError(
                "another diglot run is working on this project",
                path=lock_dir / "lock",
                hint="wait for it to finish",
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
