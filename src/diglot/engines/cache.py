"""The draft cache: every answer a paid engine gave, so no sentence is paid for twice.

``.diglot/cache.sqlite3`` (the folder is git-ignored: it may hold paid drafts of
unpublished statements).  An answer is keyed by engine, languages, options
(formality, tag handling, glossary digest), text and context, and committed
the moment it arrives, so a run killed at any point loses nothing it paid for.

The database also remembers the DeepL glossaries diglot made (one per server
and language pair, with the digest of the terms they were made from).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from diglot.engines.base import Batch, Draft, Origin, Rejected, Result
from diglot.errors import DiglotError
from diglot.fileio import write_text

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    options TEXT NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL,
    kind TEXT NOT NULL,          -- 'draft', 'flagged' or 'rejected'
    result TEXT NOT NULL,        -- the draft, JSON [draft, problem] if flagged, or why rejected
    model TEXT NOT NULL,
    billed INTEGER NOT NULL,
    date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_text ON answers (engine, source, target, options, text);
CREATE TABLE IF NOT EXISTS glossaries (
    server TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    digest TEXT NOT NULL,
    glossary_id TEXT NOT NULL,
    PRIMARY KEY (server, source, target)
);
"""


def cache_key(engine: str, source: str, target: str, options: str, text: str,
              context: str) -> str:
    """The key of one answer: a digest of everything that shapes it."""
    blob = json.dumps([engine, source, target, options, text, context], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class DraftCache:
    """The SQLite cache of engine answers (and of DeepL glossary ids).  ``close()`` it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            write_text(ignore, "# diglot's lock and machine-translation cache: never commit\n*\n")
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise DiglotError(f"cannot open the draft cache: {exc}", path=path,
                              hint="delete the file to start a new cache (drafts already "
                              "written to catalogs are kept)") from exc
        self.path = path

    def close(self) -> None:
        self._db.close()

    def get(self, engine: str, source: str, target: str, options: str, text: str,
            context: str) -> Result:
        """The answer for exactly this question; else for the same text in another context."""
        row = self._db.execute(
            "SELECT kind, result, model, date FROM answers WHERE key = ?",
            (cache_key(engine, source, target, options, text, context),)).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT kind, result, model, date FROM answers WHERE engine = ? AND source = ? "
                "AND target = ? AND options = ? AND text = ? AND kind IN ('draft', 'flagged') "
                "ORDER BY rowid DESC LIMIT 1",
                (engine, source, target, options, text)).fetchone()
        if row is None:
            return None
        kind, result, model, date = row
        if kind == "rejected":
            return Rejected(result)
        problem = ""
        if kind == "flagged":
            result, problem = json.loads(result)
        return Draft(text=result, origin=Origin(engine=engine, date=date, model=model),
                     problem=problem)

    def put_many(self, engine: str, batch: Batch, options: str,
                 results: Sequence[Result]) -> None:
        """Store the answers to ``batch`` (one per text) in one transaction."""
        rows = []
        for text, result in zip(batch.texts, results, strict=True):
            if result is None:
                continue
            key = cache_key(engine, batch.source, batch.target, options, text, batch.context)
            if isinstance(result, Rejected):
                rows.append((key, engine, batch.source, batch.target, options, text,
                             batch.context, "rejected", result.reason, "", result.billed, ""))
            else:
                kind, stored = "draft", result.text
                if result.problem:
                    kind = "flagged"
                    stored = json.dumps([result.text, result.problem], ensure_ascii=False)
                rows.append((key, engine, batch.source, batch.target, options, text,
                             batch.context, kind, stored, result.origin.model,
                             result.billed, result.origin.date))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    # -- glossaries (diglot.engines.deepl.GlossaryRecords)

    def glossary_id(self, server: str, source: str, target: str) -> tuple[str, str] | None:
        row = self._db.execute(
            "SELECT digest, glossary_id FROM glossaries WHERE server = ? AND source = ? "
            "AND target = ?", (server, source, target)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def record_glossary(self, server: str, source: str, target: str, digest: str,
                        glossary_id: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO glossaries VALUES (?, ?, ?, ?, ?)",
                         (server, source, target, digest, glossary_id))
