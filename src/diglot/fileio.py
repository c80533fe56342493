"""The only place diglot writes files: atomically, and only when content changed.

A file is written to a temporary file in the same folder, flushed to disk and
moved over the target with :func:`os.replace`, so a reader (or a crash) sees the
old file or the new one, never half of one.  A project-wide lock keeps two runs
from interleaving their read-modify-write cycles on the same catalogs.

The paths policy lives here too.  While a project is *confined* (inside
:func:`project_lock` or :func:`confined`), nothing that resolves outside the
project root is read or written: a symlinked ``editions/`` or catalog pointing
elsewhere is refused with a message.  Everywhere, a write never replaces what
is not a regular file (a symlink, a device node, a folder), keeps the mode of
the file it replaces, and refuses a read-only file (make it writable to let
diglot update it).  Temporary files are named ``.NAME.XXXXXXXX.diglot.tmp``
(:data:`TEMP_GLOB`); one left behind by a killed run is removed by the next
run that takes the lock.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import fcntl
import functools
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from diglot.errors import FileAccessError, LockError

TEMP_SUFFIX = ".diglot.tmp"
TEMP_GLOB = f".*{TEMP_SUFFIX}"
"""The temporary files diglot writes (for ``.gitignore``): ``.NAME.XXXXXXXX.diglot.tmp``."""

SWEPT_FOLDERS = ("locales", "editions", "editions-draft", "reports", ".diglot", "glossary")
"""Folders of a project in which a stale temporary file is looked for (and the root itself)."""

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("diglot_root", default=None)
_FOLDERS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "diglot_folders", default=None)
"""While confined: each folder's resolved path, found once per run (see :func:`_realpath`)."""

_HINTS = {
    errno.ENOSPC: "free some disk space and run again (nothing was half-written)",
    errno.EDQUOT: "free some disk space and run again (nothing was half-written)",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EROFS: "the file system is read-only",
}


def os_error(exc: OSError, path: Path, doing: str) -> FileAccessError:
    """A :class:`FileAccessError` for ``exc`` raised while ``doing`` (``read``, ``write``)."""
    reason = exc.strerror or str(exc)
    return FileAccessError(f"cannot {doing}: {reason}", path=path,
                           hint=_HINTS.get(exc.errno or 0))


@contextlib.contextmanager
def confined(root: Path) -> Iterator[None]:
    """Refuse, for the ``with`` body, to read or write anything resolving outside ``root``."""
    token = _ROOT.set(root.resolve())
    folders = _FOLDERS.set({})
    try:
        yield
    finally:
        _FOLDERS.reset(folders)
        _ROOT.reset(token)


def _realpath(path: Path) -> str:
    """``os.path.realpath(path)``; while confined, each folder is resolved once per run.

    A path that is not itself a symbolic link resolves to its folder's
    resolution joined with its name, so a run over a thousand catalogs in one
    folder walks that folder's components once, not once per catalog.  The
    path itself is still looked at (``lstat``) every time.
    """
    text = os.fspath(path)
    folders = _FOLDERS.get()
    folder, name = os.path.split(text)
    if folders is None or not folder or name in ("", ".", ".."):
        return os.path.realpath(text)
    try:
        if stat.S_ISLNK(os.lstat(text).st_mode):
            return os.path.realpath(text)
    except OSError:
        return os.path.realpath(text)
    resolved = folders.get(folder)
    if resolved is None:
        resolved = folders[folder] = os.path.realpath(folder)
    return os.path.join(resolved, name)  # noqa: PTH118 - strings, as realpath gives them


def check_inside(path: Path) -> None:
    """Raise :class:`FileAccessError` if ``path`` resolves outside the confined project root."""
    root = _ROOT.get()
    if root is None:
        return
    resolved = _realpath(path)
    top = os.fspath(root)
    if resolved != top and not resolved.startswith(top.rstrip(os.sep) + os.sep):
        raise FileAccessError(
            f"resolves outside the project (to {resolved})", path=path,
            hint="diglot reads and writes only inside the project: replace the symbolic link "
            "with a real file or folder")


def read_bytes(path: Path, *, confine: bool = True) -> bytes:
    """The bytes of the regular file ``path``, inside the project.

    ``confine`` false reads a file the user named on the command line (``diglot
    align FILE``) wherever it is; files diglot finds in the project are confined.
    """
    if confine:
        check_inside(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise FileAccessError("not a regular file", path=path,
                                  hint="diglot reads only plain files")
        return path.read_bytes()
    except OSError as exc:
        raise os_error(exc, path, "read") from exc


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8, LF) to ``path`` atomically; return whether the file changed."""
    data = text.encode("utf-8")
    return write_bytes(path, data)


def _existing(path: Path) -> os.stat_result | None:
    """The ``lstat`` of ``path`` if it is a regular file diglot may replace, else an error."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise FileAccessError("is a symbolic link; diglot does not replace links",
                              path=path,
                              hint="replace the link with a copy of the file, or remove it")
    if not stat.S_ISREG(st.st_mode):
        raise FileAccessError("is not a regular file; diglot will not replace it",
                              path=path, hint="write somewhere else")
    if not st.st_mode & stat.S_IWUSR:
        raise FileAccessError("is read-only; diglot leaves it alone", path=path,
                              hint="make it writable (chmod u+w) to let diglot update it")
    return st


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _nearest_existing(folder: Path) -> Path:
    missing = _missing_folders(folder)
    return missing[-1].parent if missing else folder


def write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless it already holds exactly that."""
    check_inside(_nearest_existing(path.parent))  # the folder itself when it exists
    existing = _existing(path)
    try:
        if existing is not None and existing.st_size == len(data) and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # here, not at start: a command that writes nothing does not load it

        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise os_error(exc, path, "write") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.chmod(stat.S_IMODE(existing.st_mode) if existing is not None else 0o644)
        os.replace(tmp, path)  # noqa: PTH105 - the atomic rename, spelt as what it is
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, path, "write") from exc
        raise
    return True


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Remove the temporary files a killed run left in the project; return them.

    Only call this holding the project lock: a running diglot's own temporary
    files would otherwise go too.
    """
    removed: list[Path] = []
    folders = [root / name for name in SWEPT_FOLDERS]
    candidates = list(root.glob(TEMP_GLOB))
    for folder in folders:
        if folder.is_dir() and not folder.is_symlink():
            candidates += folder.rglob(TEMP_GLOB)
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
    return removed


LOCK_TIMEOUT = 300.0
"""Seconds a run waits for another to release the project lock before giving up (exit 6)."""


@contextlib.contextmanager
def project_lock(root: Path, *, wait: bool = True, timeout: float | None = None,
                 on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the project (``.diglot/lock``) for the ``with`` body.

    While another run holds it, ``on_wait`` is told so once and the lock is
    retried until ``timeout`` seconds (default :data:`LOCK_TIMEOUT`) have
    passed; then :class:`LockError`.  With ``wait`` false, a second run fails
    at once.  Holding the lock, the run is :func:`confined` to ``root`` and
    stale temporary files of killed runs are removed first.
    """
    lock_path = root / ".diglot" / "lock"
    limit = LOCK_TIMEOUT if timeout is None else timeout
    with confined(root):
        check_inside(_nearest_existing(lock_path.parent))
        try:
            lock_path.parent.mkdir(exist_ok=True)
            handle = open(lock_path, "a+b")  # noqa: SIM115 - closed below
        except OSError as exc:
            error = os_error(exc, lock_path, "open the project lock")
            raise error from exc
        with handle:
            if not _acquire(handle.fileno(), wait=wait, limit=limit, on_wait=on_wait):
                raise LockError(
                    "another diglot run is working on this project"
                    + (f" (waited {limit:g} s)" if wait else ""),
                    path=lock_path,
                    hint="wait for it to finish, or pass --lock-timeout SECONDS to wait longer")
            try:
                remove_stale_temporaries(root)
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(fd: int, *, wait: bool, limit: float,
             on_wait: Callable[[str], None] | None) -> bool:
    deadline = time.monotonic() + limit
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if not wait or time.monotonic() >= deadline:
                return False
        if not told and on_wait is not None:
            on_wait(f"another diglot run is working on this project; waiting up to {limit:g} s "
                    "for it to finish")
            told = True
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


class WriteBatch:
    """Atomic writes of many files that pay for durability once, not once per file.

    :meth:`write_text` checks the target as :func:`write_bytes` does (inside
    the project, a regular writable file) and puts the new content in a
    temporary file next to it (``.NAME.XXXXXXXX.diglot.tmp``, swept after a
    killed run like any other); it returns whether the target will change.
    :meth:`commit` makes every temporary file durable with one
    ``syncfs`` per file system (:func:`os.sync` where there is none) and a
    sync of each folder (a failure there, a full disk, changes nothing),
    then moves each over its target with :func:`os.replace`
    and syncs each folder again for the renames.  A crash at any point leaves every target
    whole, its old content or its new one (the new content is on disk before
    any rename).  A batch discarded, or failing before its renames, also removes
    the folders it made for its files if they are still empty.  Use it through
    :func:`batched_writes`.

    :meth:`append_lines` adds lines at the end of a log instead (no temporary
    file: the cost of a log's append does not grow with its history).  The
    appends are made at :meth:`commit`, first, so that the one sync makes them
    durable with the staged files: a crash can leave a log holding lines for
    files never replaced (never the reverse), or a last line cut short, which
    the next append cuts off (see :meth:`append_lines`).
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._appends: list[tuple[Path, bytes, Callable[[bytes], bool]]] = []
        self._made: list[Path] = []
        """Folders this batch created, outermost first."""

    def write_text(self, path: Path, text: str) -> bool:
        """Stage ``text`` (UTF-8, LF) for ``path``; whether the file will change."""
        return self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: Path, data: bytes) -> bool:
        """Stage ``data`` for ``path``; whether the file will change."""
        existing = self._target(path)
        try:
            if existing is not None and existing.st_size == len(data) and \
                    path.read_bytes() == data:
                return False
        except OSError as exc:
            raise os_error(exc, path, "write") from exc
        self._stage(path, existing, lambda f: f.write(data))
        return True

    def write_parts(self, path: Path, parts: Iterable[str]) -> bool:
        """Stage the text made of ``parts`` for ``path`` without joining it in memory.

        The parts are encoded into the temporary file as they come; a target
        that already holds exactly those bytes is left alone (the temporary
        file removed) and ``False`` returned, as :meth:`write_text` does.
        """
        existing = self._target(path)

        def fill(f: BinaryIO) -> None:
            chunk: list[str] = []
            size = 0
            for part in parts:  # encoded a chunk of about 64 K characters at a time
                chunk.append(part)
                size += len(part)
                if size >= 65536:
                    f.write("".join(chunk).encode("utf-8"))
                    chunk, size = [], 0
            f.write("".join(chunk).encode("utf-8"))

        tmp = self._stage(path, existing, fill)
        import filecmp  # here, not at start: see tempfile

        try:
            if existing is not None and existing.st_size == tmp.stat().st_size and \
                    filecmp.cmp(tmp, path, shallow=False):
                self._pending.pop()
                tmp.unlink()
                return False
        except OSError as exc:
            raise os_error(exc, path, "write") from exc
        return True

    def append_lines(self, path: Path, data: bytes, *, keep: Callable[[bytes], bool]) -> None:
        """Add ``data`` (whole lines, each ending in a newline) at the end of ``path`` when the
        batch is committed (the file made if missing), opened to append: never replaced, never
        followed if it is a link, refused as :func:`write_bytes` refuses a target.

        A last line the file has without its newline (a run killed while appending) is kept,
        a newline added after it, if ``keep`` says it is a whole line, else cut off first.
        """
        if not data.endswith(b"\n"):
            raise ValueError("append whole lines")
        self._target(path)
        try:
            missing = _missing_folders(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, path, "write") from exc
        self._made.extend(reversed(missing))
        self._appends.append((path, data, keep))

    def _append_all(self) -> list[tuple[Path, Path]]:
        """Make the appends (see :meth:`append_lines`); each file, twice, as the syncs take
        them."""
        appends, self._appends = self._appends, []
        done = []
        for path, data, keep in appends:
            existed = self._target(path) is not None  # as it is now, not when staged
            try:
                fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
                             | os.O_NONBLOCK, 0o644)
            except OSError as exc:
                raise os_error(exc, path, "write") from exc
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise FileAccessError("is not a regular file; diglot will not replace it",
                                          path=path, hint="write somewhere else")
                if not existed:
                    os.fchmod(fd, 0o644)  # as a new file written whole gets
                tail = _unterminated_tail(fd)
                if tail and keep(tail):
                    data = b"\n" + data
                elif tail:  # cut short by a killed run: cut off
                    os.ftruncate(fd, os.fstat(fd).st_size - len(tail))
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            except OSError as exc:
                raise os_error(exc, path, "write") from exc
            finally:
                os.close(fd)
            done.append((path, path))
        return done

    @staticmethod
    def _target(path: Path) -> os.stat_result | None:
        """Check ``path`` as :func:`write_bytes` does; its current status, if it exists."""
        check_inside(_nearest_existing(path.parent))  # the folder itself when it exists
        return _existing(path)

    def _stage(self, path: Path, existing: os.stat_result | None,
               fill: Callable[[BinaryIO], object]) -> Path:
        """A temporary file beside ``path`` filled by ``fill``, with the target's mode; queued."""
        try:
            missing = _missing_folders(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.extend(reversed(missing))
            import tempfile  # here, not at start: a command that writes nothing does not load it

            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                        dir=path.parent)
        except OSError as exc:
            raise os_error(exc, path, "write") from exc
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                fill(f)
            tmp.chmod(stat.S_IMODE(existing.st_mode) if existing is not None else 0o644)
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise os_error(exc, path, "write") from exc
            raise
        self._pending.append((tmp, path))
        return tmp

    def commit(self) -> None:
        """Make the appends, make them and the staged files durable, then move each staged
        file over its target."""
        pending, self._pending = self._pending, []
        if not pending and not self._appends:
            return
        try:  # a sync that fails here (a full disk) leaves every replaced target as it was
            appended = self._append_all()
            _sync_data(pending + appended)
            _sync_folders(pending + appended)
        except BaseException:
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)
            self._remove_made()
            raise
        done = 0
        try:
            for tmp, path in pending:
                os.replace(tmp, path)  # noqa: PTH105 - the atomic rename, spelt as what it is
                done += 1
        except BaseException as exc:
            for tmp, _ in pending[done:]:
                tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise os_error(exc, pending[done][1], "write") from exc
            raise
        self._made = []  # the folders hold their files now: no longer the batch's to remove
        _sync_folders(pending)  # the renames themselves

    def discard(self) -> None:
        """Remove the staged files and forget the appends; no target is touched."""
        self._appends = []
        pending, self._pending = self._pending, []
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        self._remove_made()

    def _remove_made(self) -> None:
        """Remove the folders this batch created that are still empty, innermost first."""
        made, self._made = self._made, []
        for folder in reversed(made):
            with contextlib.suppress(OSError):  # not empty (another file went in): kept
                folder.rmdir()


def _unterminated_tail(fd: int) -> bytes:
    """What follows the last newline of the open file ``fd`` (empty if it ends in one)."""
    end = os.fstat(fd).st_size
    tail = b""
    while end > 0:
        start = max(0, end - 4096)
        tail = os.pread(fd, end - start, start) + tail
        at = tail.rfind(b"\n")
        if at >= 0:
            return tail[at + 1:]
        end = start
    return tail


@functools.cache
def _load_syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs(fd)`` (Linux): flush one file system and report its write errors.

    Looked up at the first flush, not at import: a command that writes nothing loads no ctypes.
    """
    import ctypes

    try:
        found: Callable[[int], int] | None = getattr(ctypes.CDLL(None, use_errno=True),
                                                     "syncfs", None)
        return found
    except OSError:
        return None


def _sync_data(pending: list[tuple[Path, Path]]) -> None:
    """Flush the staged files' data: ``syncfs`` once per file system they are on.

    Unlike :func:`os.sync` it touches only those file systems (not every
    other program's pending writes) and reports a write-back error (a full
    disk) instead of hiding it; :func:`os.sync` is the fallback elsewhere.
    """
    syncfs = _load_syncfs()
    if syncfs is None:
        os.sync()
        return
    seen: set[int] = set()
    for tmp, path in pending:
        folder = tmp.parent
        device = folder.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                import ctypes

                number = ctypes.get_errno()
                raise os_error(OSError(number, os.strerror(number)), path, "write")
        finally:
            os.close(fd)


def _sync_folders(pending: list[tuple[Path, Path]]) -> None:
    """fsync each folder of the targets once; an error names the folder's first target."""
    first_in: dict[Path, Path] = {}
    for _, path in pending:
        first_in.setdefault(path.parent, path)
    for folder, path in first_in.items():
        try:
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise os_error(exc, path, "write") from exc


@contextlib.contextmanager
def batched_writes() -> Iterator[WriteBatch]:
    """A :class:`WriteBatch` committed when the body ends, discarded if it raises."""
    batch = WriteBatch()
    try:
        yield batch
    except BaseException:
        batch.discard()
        raise
    batch.commit()
