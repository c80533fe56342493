"""Catalogs that ``diglot update`` found up to date, remembered so the next update skips them.

Merging a template into a catalog depends on nothing but the two files'
bytes, the language (its plural forms, from babel's CLDR data) and diglot's
code.  So when an update leaves a catalog exactly as it was, this module
keeps a digest of those inputs with what the merge found (the counts of its
:class:`~diglot.catalogs.UpdateSummary`), and the next update that meets the
same template and catalog bytes reports that summary without reading either
file's entries, merging or rendering: on an archive where few statements
changed, an update costs what changed, not what the project holds.

Nothing is assumed about a catalog an update *wrote*: it is merged again at
the next run, and remembered only once that merge changes nothing.  A
digest is kept per catalog in one file, ``.diglot/cache/uptodate/`` (the
format of :mod:`diglot.cachestore`, its key the code's fingerprint: other
code, or another version of babel, finds nothing).  Deleting it is always
safe: the next update merges every catalog again.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import babel

from diglot import cachestore
from diglot.cachestore import CACHE_ROOT, CacheStore
from diglot.catalogs import UpdateSummary, plural_forms
from diglot.fileio import WriteBatch

__all__ = ["FOLDER", "UpToDate", "digest_of"]

FORMAT = 1
"""Raise when the layout of the stored digests changes."""
FOLDER = CACHE_ROOT / "uptodate"
"""Where a project keeps them (relative to its root)."""
_MAGIC = b"diglot catalogs up to date\n"
_NAME = "catalogs"


@cache
def _key() -> bytes:
    """The stored digests' key: a hash of the code a merge runs (the merge, the catalogs,
    the PO reader and writer), with diglot's, Python's, marshal's and babel's versions."""
    package = Path(__file__).resolve().parent
    files = sorted([package / "merge.py", package / "catalogs.py", package / "names.py",
                    package / "model.py", *(package / "pofile").glob("*.py")])
    code = cachestore.code_fingerprint(FORMAT, files)
    return hashlib.sha256(code + babel.__version__.encode()).digest()


def digest_of(template: bytes, lang: str) -> bytes:
    """The digest of a template merged for ``lang`` (the part of a catalog's inputs that
    the document's catalog in that language has besides its own bytes); ``template``: the
    SHA-256 digest of the template's bytes (made once for all its languages)."""
    return hashlib.sha256(template + f"\0{lang}\0{plural_forms(lang)}\0".encode()).digest()


class UpToDate:
    """The catalogs an earlier update left unchanged: per catalog (its path relative to the
    project), the digest of its inputs then and the summary of that merge."""

    def __init__(self, root: Path, *, store: bool = True) -> None:
        self._root = root
        self._store = CacheStore(root / FOLDER, _MAGIC, store=store)
        payload = self._store.load(_NAME, _key())
        self._old: dict[str, tuple[bytes, tuple[int, ...]]] = {}
        if payload is not None:
            try:
                loaded = marshal.loads(payload)
                if isinstance(loaded, dict):
                    self._old = loaded
            except (ValueError, EOFError, TypeError):  # damaged: every catalog merged again
                pass
        self._new: dict[str, tuple[bytes, tuple[int, ...]]] = {}

    def _name(self, path: Path) -> str:
        return path.relative_to(self._root).as_posix()

    def summary(self, path: Path, inputs: bytes, data: bytes) -> UpdateSummary | None:
        """What the merge of the catalog ``path`` found last time, if its bytes were ``data``
        and its template's digest (:func:`digest_of`) ``inputs`` then and it changed nothing;
        None otherwise (merge it)."""
        name = self._name(path)
        held = self._old.get(name)
        if held is None or held[0] != _catalog_digest(inputs, data):
            return None
        self._new[name] = held
        kept, fuzzy, new, obsoleted, revived = held[1]
        return UpdateSummary(kept=kept, fuzzy=fuzzy, new=new, obsoleted=obsoleted,
                             revived=revived)

    def note(self, path: Path, inputs: bytes, data: bytes, summary: UpdateSummary) -> None:
        """Remember that merging the catalog ``path`` (bytes ``data``) with the template of
        digest ``inputs`` left it as it was, finding ``summary``."""
        self._new[self._name(path)] = (_catalog_digest(inputs, data), (
            summary.kept, summary.fuzzy, summary.new, summary.obsoleted, summary.revived))

    def save(self, seen: Iterable[Path], *, batch: WriteBatch, every: bool) -> None:
        """Store what this run found, with ``batch``'s files: every catalog it skipped or
        noted.  With ``every`` (the run looked at every catalog of the project) nothing
        else; without, the catalogs it did not look at (``seen``: those it did) keep what
        was stored for them."""
        looked = {self._name(path) for path in seen}
        kept = {} if every else {name: held for name, held in self._old.items()
                                 if name not in looked}
        kept.update(self._new)
        if kept == self._old:
            return
        self._store.save(_NAME, _key(), marshal.dumps(kept, 2), batch=batch)


def _catalog_digest(inputs: bytes, data: bytes) -> bytes:
    digest = hashlib.sha256(inputs)
    digest.update(data)
    return digest.digest()
