"""Post-edit effort: how much reviewers changed each engine's drafts.

Every draft ``diglot translate`` writes into a catalog is also kept, as written,
in ``drafts/<lang>/<doc>.jsonl`` (one JSON object a line: ``msgid``, ``draft``,
``engine``, ``model``, ``date``).  That folder is committed with the project:
the PO files are where translators overwrite the draft, and PO editors and
``msgmerge`` keep no copy of it, so the log is the only record of what the
engine proposed, and it has to travel with the project to work on a fresh
clone (the cache in ``.diglot/`` is local and git-ignored).

A run adds its records at the end of each log (:meth:`~diglot.fileio.WriteBatch.append_lines`,
made durable by the run's one sync), so its cost does not grow with the history of the
project.  A run killed while appending can leave a last line cut short: :func:`read_log`
passes over it, and the next run's append cuts it off before adding its own lines (a last
line that is a whole record, only missing its newline, is kept).  No earlier record is
ever rewritten.

:func:`engine_effort` compares, per engine and language, the latest draft of
each sentence with the entry in its catalog now: drafts written, drafts
reviewed (the entry is translated and no longer fuzzy), the share accepted
unchanged, and the mean normalised character edit distance between draft and
reviewed text: the Levenshtein distance divided by the length of the longer of
the two (``rapidfuzz.distance.Levenshtein.normalized_distance``; 0 = unchanged,
1 = nothing in common).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from diglot.errors import CatalogError
from diglot.fileio import WriteBatch, batched_writes
from diglot.model import EntryState
from diglot.pofile import read_records
from diglot.pofile.recordcache import CATALOG_CACHE
from diglot.project import Project

FOLDER = "drafts"


@dataclass(frozen=True)
class DraftRecord:
    """One draft as it was written into a catalog."""

    msgid: str
    draft: str
    engine: str
    model: str
    date: str

    def line(self) -> str:
        return json.dumps({"msgid": self.msgid, "draft": self.draft, "engine": self.engine,
                           "model": self.model, "date": self.date}, ensure_ascii=False,
                          sort_keys=True)


def log_path(project: Project, lang: str, doc: str) -> Path:
    return project.root / FOLDER / lang / f"{doc}.jsonl"


def read_log(path: Path) -> list[DraftRecord]:
    """The records of one log, in the order written (a last line cut short by a killed run
    passed over)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    out: list[DraftRecord] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(_record(line))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            if number == len(lines) and not text.endswith("\n"):
                break  # torn: the next append cuts it off
            raise CatalogError(f"not a draft record: {exc}", path=path, line=number,
                               hint="restore the line from git; the log is written by "
                               "'diglot translate' only") from exc
    return out


def _record(line: str) -> DraftRecord:
    """The record of one line of a log; a JSON, key or type error if it is not one."""
    data = json.loads(line)
    return DraftRecord(str(data["msgid"]), str(data["draft"]), str(data["engine"]),
                       str(data.get("model", "")), str(data.get("date", "")))


def _whole(line: bytes) -> bool:
    """Whether a log's last line, found without its newline, is a whole record."""
    try:
        _record(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return False
    return True


def append_records(project: Project, lang: str, doc: str,
                   records: Sequence[DraftRecord], *, batch: WriteBatch | None = None) -> bool:
    """Add ``records`` at the end of the log of ``doc`` in ``lang`` (when ``batch`` is
    committed, if given); whether there were any."""
    if not records:
        return False
    data = "".join(r.line() + "\n" for r in records).encode("utf-8")
    path = log_path(project, lang, doc)
    if batch is not None:
        batch.append_lines(path, data, keep=_whole)
        return True
    with batched_writes() as own:
        own.append_lines(path, data, keep=_whole)
    return True


@dataclass(frozen=True)
class EngineEffort:
    """Post-edit figures of one engine in one language."""

    engine: str
    lang: str
    written: int
    """Sentences drafted (the latest draft of each counts)."""
    reviewed: int
    """Of those, translated and no longer fuzzy in the catalog now."""
    unchanged: int
    """Reviewed with the draft's text kept exactly."""
    distance: float | None
    """Mean normalised Levenshtein distance over the reviewed drafts (None: none reviewed)."""

    @property
    def share_unchanged(self) -> float | None:
        return self.unchanged / self.reviewed if self.reviewed else None

    def as_dict(self) -> dict[str, object]:
        return {"engine": self.engine, "lang": self.lang, "written": self.written,
                "reviewed": self.reviewed, "unchanged": self.unchanged,
                "share_unchanged": self.share_unchanged, "mean_distance": self.distance}


def _logs(project: Project, languages: Iterable[str]) -> Iterable[tuple[str, str, Path]]:
    for lang in languages:
        folder = project.root / FOLDER / lang
        if folder.is_dir():
            for path in sorted(folder.rglob("*.jsonl")):
                yield lang, path.relative_to(folder).with_suffix("").as_posix(), path


def engine_effort(project: Project, *,
                  languages: Sequence[str] | None = None) -> list[EngineEffort]:
    """Per engine and language: drafts written, reviewed, unchanged, mean edit distance."""
    langs = list(languages or project.config.target_languages)
    written: dict[tuple[str, str], int] = {}
    distances: dict[tuple[str, str], list[float]] = {}
    for lang, doc, path in _logs(project, langs):
        latest = {r.msgid: r for r in read_log(path)}
        catalog_path = project.catalog_path(lang, doc)
        reviewed: dict[str, str] = {}
        if catalog_path.is_file():  # as records (from the cache of parsed catalogs if there)
            records = read_records(catalog_path, cache=project.root / CATALOG_CACHE).records()
            reviewed = {r.msgid: r.msgstr for r in records
                        if r.state is EntryState.TRANSLATED and not r.msgctxt}
        for record in latest.values():
            key = (record.engine, lang)
            written[key] = written.get(key, 0) + 1
            final = reviewed.get(record.msgid)
            if final is not None:
                distances.setdefault(key, []).append(
                    float(Levenshtein.normalized_distance(record.draft, final)))
    out = []
    for key in sorted(written, key=lambda k: (langs.index(k[1]), k[0])):
        found = distances.get(key, [])
        out.append(EngineEffort(engine=key[0], lang=key[1], written=written[key],
                                reviewed=len(found), unchanged=sum(1 for d in found if d == 0),
                                distance=sum(found) / len(found) if found else None))
    return out
