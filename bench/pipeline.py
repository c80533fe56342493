#!/usr/bin/env python3
"""The whole diglot pipeline on the synthetic corpus, against msgmerge, po4a and translate-toolkit.

For each size N (sentences) it takes the corpus of ``gen_corpus.py`` (made
once in ``--out``, never inside the repository) and a scratch diglot project
next to it, in one of two layouts:

- ``one``: ``source/ru/all.md`` is the whole corpus in one document
  (``src_all.md``), so there is one template and one catalog of N sentences,
  the setting of the shared README's msgmerge figure (43.4 s at 30k);
- ``docs``: ``source/ru/`` holds the generated documents (about 75 sentences
  each), one template and one catalog per document, as a real project has.

Then, every diglot step run as the command a user types (``diglot …`` in a
subprocess; per command the CPU of the child, wall time and peak memory,
Python start-up included):

1. ``diglot extract`` on the original sources;
2. ``diglot update`` creates the catalogs, which this script then fills
   deterministically (every msgstr = ``"T:" + msgid``, so the source of any
   fuzzy guess can be read back);
3. ``diglot build`` of the fully translated documents (rebuild: monolingual
   Markdown and HTML, bilingual HTML, TMX and TSV for ru and en);
4. ``diglot check`` and ``diglot status`` on realistic translations
   (:func:`realistic`), beside ``msgfmt -c`` and ``msgfmt --statistics``;
5. the sources are replaced by the revised ones; ``diglot extract`` and
   ``diglot update`` again; ``msgmerge --previous`` (``OMP_NUM_THREADS=1``)
   on the same old catalogs and new templates, one run per catalog;
6. ``diglot translate --engine memory`` for the edited and added sentences
   (see :func:`memory_drafts`), and up to ``--exhaustive-up-to`` the same
   lookups by a scan of every memory source;
7. the guesses are scored with ``truth.jsonl``, mapped onto diglot's own
   segments (see :class:`Truth`); ratios to the peers and growth exponents
   are printed at the end.

Peers on the same corpus file (layout ``one`` only): ``po4a-updatepo``
(extract), ``po4a-translate`` (rebuild), translate-toolkit's ``md2po`` and
``po2md``.  A peer that is not installed is reported as such.

Usage::

    python bench/pipeline.py --sizes 1000,10000,30000
    python bench/pipeline.py --sizes 10000,30000,100000 --layout one,docs --peers-up-to 10000
    python bench/pipeline.py --sizes 100000 --skip-peers
    python bench/pipeline.py --sizes 30000 --layout docs
    python bench/pipeline.py --sizes 30000,100000 --review-only   # check, status, cold start
    python bench/pipeline.py --sizes 30000,100000 --review-only --repeat 3 --baseline /tmp/base/src
    python bench/pipeline.py --sizes '' --cold-start 31            # the cold start alone
    python bench/pipeline.py --sizes '' --cold-start 21 --instructions --baseline /tmp/base/src

Before any size, the cold start: median wall time of ``diglot --help`` and
``diglot status`` on the repository's sample project beside ``python -c pass``,
once as this environment runs Python and once with every module pre-compiled
(see :func:`cold_start`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from diglot.catalogs import WRAP_WIDTH, read_catalog, render_catalog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from update import GEN, PREFIX, Timing, corpus

DIGLOT = [sys.executable, "-m", "diglot.cli"]
"""``diglot`` as installed, without a version manager's shim in front."""
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "SOURCE_DATE_EPOCH": "1700000000"}


TIME = shutil.which("time", path="/usr/bin:/bin")
"""GNU time, for a command's own peak memory: a child forked from this (large) process
would report this process's memory as its own high-water mark."""


def run(args: Sequence[str], *, cwd: Path | None = None,
        pythonpath: str | None = None) -> Timing:
    """Run a command to completion; its CPU (user + system), wall time and peak memory
    (``pythonpath``: another checkout's ``src/`` first on the path, for a baseline)."""
    env = ENV if pythonpath is None else {**ENV, "PYTHONPATH": pythonpath}
    with tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss:
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *args] if TIME else list(args)
        wall = time.perf_counter()
        with subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) as child:
            assert child.stderr is not None
            err = child.stderr.read().decode(errors="replace")
            _, status, usage = os.wait4(child.pid, 0)  # with its reaped children: the command
            child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - wall
        peak = rss.read().strip().splitlines()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:3]))}… exited {child.returncode}: "
                           f"{err[-600:]}")
    rss_mb = int(peak[-1]) / 1024 if peak and peak[-1].isdigit() else 0.0
    return Timing(usage.ru_utime + usage.ru_stime, wall, rss_mb)


def add(timings: Sequence[Timing]) -> Timing:
    return Timing(sum(t.cpu for t in timings), sum(t.wall for t in timings),
                  max((t.rss_mb for t in timings), default=0.0))


# --------------------------------------------------------------------------
# Scoring on diglot's segments
# --------------------------------------------------------------------------

_BOUNDARY = re.compile(r"(?<=[.?!…»\")]) ")


@dataclass
class Truth:
    """``truth.jsonl`` mapped onto whatever segments a tool extracted.

    The generator's truth is per generated sentence; diglot's segmenter may
    join two of them (``… обл. Солидарность …``).  A new segment (a msgid of
    the revised template absent from the old one) is split back into
    generated sentences where possible.  If all of them are added ones it is
    *added* (any guess is false); if none is added, the old segment it comes
    from is the same sentences with each edited one replaced by its
    original, and if that is an old msgid the segment is *edited* with that
    expected source.  Anything else (mixed with an added sentence, or joined
    differently because a neighbour was deleted) is *unscored* and counted.
    """

    kind: dict[str, str] = field(default_factory=dict)
    orig: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Truth:
        truth = cls()
        for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["kind"] != "deleted":
                truth.kind.setdefault(item["msgid"], item["kind"])
                truth.orig.setdefault(item["msgid"], item["orig"])
        return truth

    def parts(self, segment: str) -> list[str] | None:
        """The generated sentences that make up ``segment``, or ``None``."""
        cuts = [0, *(m.end() for m in _BOUNDARY.finditer(segment)), len(segment) + 1]
        best: dict[int, list[str]] = {0: []}
        for i, start in enumerate(cuts):
            if start not in best:
                continue
            for end in cuts[i + 1:]:
                piece = segment[start:end - 1]
                if piece in self.kind and end not in best:
                    best[end] = [*best[start], piece]
        return best.get(len(segment) + 1)

    def classify(self, segment: str, old: set[str]) -> tuple[str, str | None]:
        """``("edited", expected old msgid)``, ``("added", None)`` or ``("unscored", None)``."""
        parts = self.parts(segment)
        if not parts:
            return "unscored", None
        kinds = {self.kind[p] for p in parts}
        if kinds == {"added"}:
            return "added", None
        if "added" in kinds:
            return "unscored", None
        expected = " ".join(self.orig[p] for p in parts)
        return ("edited", expected) if expected in old else ("unscored", None)


@dataclass(frozen=True)
class Score:
    right: int
    wrong: int
    missed: int
    edited: int
    false_added: int
    added: int
    unscored: int


def score(truth: Truth, result: list[polib.POEntry], old: set[str], new: set[str]) -> Score:
    """Right/wrong/missed guesses for edited segments, false guesses for added ones."""
    by_msgid = {e.msgid: e for e in result if not e.obsolete}
    right = wrong = missed = false_added = added = edited = unscored = 0
    for msgid in sorted(new - old):
        kind, expected = truth.classify(msgid, old)
        entry = by_msgid[msgid]
        guessed = "fuzzy" in entry.flags and bool(entry.msgstr)
        if kind == "edited":
            edited += 1
            if not guessed:
                missed += 1
            elif entry.msgstr[len(PREFIX):] == expected:
                right += 1
            else:
                wrong += 1
        elif kind == "added":
            added += 1
            false_added += guessed
        else:
            unscored += 1
    return Score(right, wrong, missed, edited, false_added, added, unscored)


# --------------------------------------------------------------------------
# The project
# --------------------------------------------------------------------------

def sources(folder: Path, layout: str, which: str) -> Iterator[tuple[str, Path]]:
    """``(file name in source/ru/, corpus file)`` for the original (src) or revised (rev) text."""
    if layout == "one":
        yield "all.md", folder / f"{which}_all.md"
    else:
        for path in sorted((folder / which).glob("*.md")):
            yield path.name, path


def put_sources(project: Path, folder: Path, layout: str, which: str) -> None:
    target = project / "source" / "ru"
    for path in target.glob("*.md"):
        path.unlink()
    for name, path in sources(folder, layout, which):
        shutil.copyfile(path, target / name)


def new_project(project: Path, folder: Path, layout: str) -> Timing:
    """A fresh scratch project at ``project``: the corpus's sources, extracted and updated.

    Returns the extract's timing (the update, which creates the catalogs, is not timed).
    """
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    run([*DIGLOT, "init", "--source", "ru", "--target", "en"], cwd=project)
    put_sources(project, folder, layout, "src")
    extract = run([*DIGLOT, "extract"], cwd=project)
    run([*DIGLOT, "update"], cwd=project)
    return extract


def fill(project: Path) -> list[Path]:
    """Translate every catalog deterministically (msgstr = ``T:`` + msgid); the paths."""
    paths = sorted((project / "locales" / "en" / "LC_MESSAGES").glob("*.po"))
    for path in paths:
        catalog = read_catalog(path)
        for entry in catalog:
            entry.msgstr = PREFIX + entry.msgid
        path.write_text(render_catalog(catalog), encoding="utf-8")
    return paths


_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n",
                   "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "",
                   "e", "yu", "ya"], strict=True))
_LATIN.update({k.upper(): v.capitalize() for k, v in _LATIN.items()})
_TO_LATIN = str.maketrans({**_LATIN, "«": "“", "»": "”"})


_RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
_MONTHS = dict(zip(_RU_MONTHS, _EN_MONTHS, strict=True))

_ENGLISH = [  # Russian conventions to English ones, in this order
    (re.compile(r"\b(\d+) (" + "|".join(_MONTHS) + r") (\d{4}) г\."),
     lambda m: f"{m[1]} {_MONTHS[m[2]]} {m[3]}"),
    (re.compile(r"\b(\d+) (" + "|".join(_MONTHS) + r")\b"), lambda m: f"{m[1]} {_MONTHS[m[2]]}"),
    (re.compile(r"(\d),(\d)"), r"\1.\2"),
    (re.compile(r"(\d) (\d{3})\b"), r"\1,\2"),
    (re.compile(r"\b[Нн]е\b"), "not"),
    (re.compile(r"\b[Нн]и\b"), "nor"),
]


def realistic(msgid: str) -> str:
    """A stand-in English translation: the sentence romanised, in English conventions.

    The generator writes no English for its Russian corpus.  This copy keeps
    what a translation keeps (markup, final punctuation, length), writes
    numbers, dates and negations the English way, and leaves no Cyrillic, so
    the checks do their full work on it and find little, as on a reviewed
    translation; ``"T:" + msgid`` would stop most checks at the script test.
    """
    for pattern, repl in _ENGLISH:
        msgid = pattern.sub(repl, msgid)
    return msgid.translate(_TO_LATIN)


def fill_realistic(project: Path) -> None:
    """Translate every catalog with :func:`realistic`."""
    for path in sorted((project / "locales" / "en" / "LC_MESSAGES").glob("*.po")):
        catalog = read_catalog(path)
        for entry in catalog:
            if not entry.obsolete:
                entry.msgstr = realistic(entry.msgid)
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                entry.previous_msgid = None
        path.write_text(render_catalog(catalog), encoding="utf-8")


def msgids(paths: Sequence[Path]) -> set[str]:
    return {e.msgid for p in paths for e in read_catalog(p) if not e.obsolete}


def entries(paths: Sequence[Path]) -> list[polib.POEntry]:
    return [e for p in paths for e in read_catalog(p)]


@dataclass
class Row:
    size: int
    layout: str
    catalogs: int = 0
    segments: int = 0
    steps: dict[str, Timing] = field(default_factory=dict)
    scores: dict[str, Score] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def median(timings: Sequence[Timing]) -> Timing:
    """The median CPU, wall time and peak memory of a command's runs."""
    def mid(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]
    return Timing(mid([t.cpu for t in timings]), mid([t.wall for t in timings]),
                  mid([t.rss_mb for t in timings]))


def review_steps(project: Path, paths: Sequence[Path], row: Row, *, peers: bool,
                 baseline: str | None = None, repeat: int = 1) -> None:
    """``diglot check`` and ``status`` on realistic translations, beside ``msgfmt``.

    With ``baseline`` (another checkout's ``src/``), the same commands of that code
    too; every command ``repeat`` times, alternated, each one's median kept.
    """
    fill_realistic(project)
    arms: dict[str, tuple[list[str] | None, str | None]] = {}
    for step in ("check", "status"):
        arms[f"diglot {step}"] = ([*DIGLOT, step], None)
        if baseline:
            arms[f"diglot {step}, baseline"] = ([*DIGLOT, step], baseline)
        if peers and shutil.which("msgfmt"):
            arms["msgfmt -c" if step == "check" else "msgfmt --statistics"] = (None, step)
    runs: dict[str, list[Timing]] = {name: [] for name in arms}
    for _ in range(repeat):
        for name, (args, path) in arms.items():
            if args is None:  # msgfmt: one run per catalog
                flag = "-c" if path == "check" else "--statistics"
                runs[name].append(add([run(["msgfmt", flag, "-o", os.devnull, str(p)])
                                       for p in paths]))
            else:
                runs[name].append(run(args, cwd=project, pythonpath=path))
    for name, timings in runs.items():
        row.steps[name] = median(timings)


def memory_drafts(project: Path, paths: Sequence[Path], truth: Truth, old: set[str],
                  new: set[str], row: Row, *, saved: Path, exhaustive: bool,
                  baseline: str | None = None, repeat: int = 1) -> None:
    """``diglot translate --engine memory`` for the edited and added sentences.

    The catalogs before the revision are the memory's compendium
    (``[translate] memory_files``, as a project keeps the translations of a
    statement's previous version), besides the project's own reviewed
    entries.  The fuzzy guesses of the update are cleared first, so every
    edited and added sentence (about 13 %) is untranslated and the memory is
    asked for each: a draft for an edited sentence is right if it is its
    original's translation; one for an added sentence is a false guess.  With
    ``exhaustive``, the same sentences are also looked up by scanning every
    memory source (:meth:`TranslationMemory.closest_exhaustive`, in this
    process), which is what ``translate`` did before the index.

    ``translate`` runs ``repeat`` times on the same catalogs (``locales/`` and
    ``drafts/`` restored before each run), its median kept; with ``baseline``
    (another checkout's ``src/``), that code's run first in each round, its
    catalogs and draft logs compared byte for byte with this code's (a note
    says whether they are identical); the drafts scored are this code's.
    """
    compendium = polib.POFile(wrapwidth=WRAP_WIDTH)
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    seen: set[str] = set()
    for old_path in sorted(saved.glob("*.po")):
        for entry in read_catalog(old_path):
            if not entry.obsolete and entry.msgstr and entry.msgid not in seen:
                seen.add(entry.msgid)
                compendium.append(entry)
    (project / "previous.po").write_text(render_catalog(compendium), encoding="utf-8")
    config = project / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    if "[translate]\n" not in text:
        text += "\n[translate]\n"
    config.write_text(text.replace("[translate]\n", '[translate]\nmemory_files = ["previous.po"]\n',
                                   1), encoding="utf-8")
    clear_guesses(paths)
    waiting = sorted({e.msgid for e in entries(paths) if not e.obsolete and not e.msgstr})
    before = project.parent / f"{project.name}-before-translate"
    _copy_outputs(project, before)
    arms = {"diglot translate --engine memory": None}
    if baseline:
        arms = {"diglot translate --engine memory, baseline": baseline, **arms}
    runs: dict[str, list[Timing]] = {name: [] for name in arms}
    hashes: dict[str, set[str]] = {name: set() for name in arms}
    for _ in range(max(1, repeat)):
        for name, path in arms.items():  # this code last: its drafts are the ones scored
            _copy_outputs(before, project)
            runs[name].append(run([*DIGLOT, "translate", "--engine", "memory"], cwd=project,
                                  pythonpath=path))
            hashes[name].add(outputs_hash(project))
    for name, timings in runs.items():
        row.steps[name] = median(timings)
    if baseline:
        same = len(set().union(*hashes.values())) == 1
        row.notes.append("memory drafts: catalogs and draft logs after translate "
                         f"{'identical' if same else 'DIFFERENT'} with the baseline's code "
                         f"(sha256 of every file under locales/ and drafts/, {repeat} rounds)")
    shutil.rmtree(before)
    drafted = entries(paths)
    row.scores["diglot translate --engine memory"] = score(truth, drafted, old, new)
    row.notes.append(f"memory drafts: {len(waiting):,} untranslated sentences asked, "
                     f"{sum(1 for e in drafted if 'fuzzy' in e.flags and e.msgstr):,} drafts")
    if exhaustive:
        from diglot.engines.memory import load_memory
        from diglot.project import Project

        memory = load_memory(Project.find(project), "en")
        started = time.process_time()
        found = {m: memory.closest_exhaustive(m, similarity=85) for m in waiting}
        cpu = time.process_time() - started
        scan = [polib.POEntry(msgid=m, msgstr=hit[0].target if hit else "",
                              flags=["fuzzy"] if hit else []) for m, hit in found.items()]
        scan += [e for e in drafted if e.msgid not in found]
        row.steps["memory, scan of every source (lookups only)"] = Timing(cpu, cpu)
        row.scores["memory, scan of every source (lookups only)"] = score(truth, scan, old, new)


def clear_guesses(paths: Sequence[Path]) -> None:
    """Empty every live fuzzy entry of the catalogs ``paths`` (the update's guesses): each
    edited and added sentence is then untranslated, for the memory to draft."""
    for path in paths:
        catalog = read_catalog(path)
        for entry in catalog:
            if "fuzzy" in entry.flags and not entry.obsolete:
                entry.msgstr = ""
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                entry.previous_msgid = None
        path.write_text(render_catalog(catalog), encoding="utf-8")


_OUTPUTS = ("locales", "drafts")
"""What ``translate`` writes: the catalogs and the draft logs."""


def _copy_outputs(source: Path, target: Path) -> None:
    """``locales/`` and ``drafts/`` of ``source`` put in ``target`` (replacing its own)."""
    for name in _OUTPUTS:
        shutil.rmtree(target / name, ignore_errors=True)
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)


def outputs_hash(project: Path) -> str:
    """One sha256 of every file's path and bytes under ``locales/`` and ``drafts/``."""
    digest = hashlib.sha256()
    for name in _OUTPUTS:
        for path in sorted((project / name).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(project).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def review_only(folder: Path, out: Path, size: int, layout: str, *, peers: bool,
                baseline: str | None = None, repeat: int = 1) -> Row:
    """Steps 1 and 4 alone (``--review-only``): the project, then check and status."""
    row = Row(size, layout)
    project = out / f"project-{layout}-{size}"
    new_project(project, folder, layout)
    paths = sorted((project / "locales" / "en" / "LC_MESSAGES").glob("*.po"))
    row.catalogs = len(paths)
    review_steps(project, paths, row, peers=peers, baseline=baseline, repeat=repeat)
    return row


REPO = Path(__file__).resolve().parent.parent
"""The repository: its root is the sample project the cold-start figures use."""


def cold_start(repeat: int, baseline: str | None = None, *, instructions: bool = False) -> str:
    """Median wall and CPU ms of ``python -c pass``, ``diglot --help`` and ``diglot status`` on
    the sample, each ``repeat`` times, interleaved so that a burst of load hits every arm alike;
    with ``baseline`` (another checkout's ``src/``) its ``--help`` and ``status`` beside them.

    Two setups: as this environment runs them (``PYTHONDONTWRITEBYTECODE`` as set: without it,
    Python writes diglot's .pyc on the first run) and with every module pre-compiled (a .pyc
    cache warmed first, as an installed package has).  With ``instructions``, every arm runs
    once more, pre-compiled, under valgrind's callgrind: the instructions it executes, which
    the other jobs on the machine do not change (wall and CPU time they do, by 2-3x here).
    """
    with tempfile.TemporaryDirectory() as cache:
        compiled = {**ENV, "PYTHONPYCACHEPREFIX": cache}
        compiled.pop("PYTHONDONTWRITEBYTECODE", None)
        arms = {"python -c pass": [sys.executable, "-c", "pass"],
                "diglot --help": [*DIGLOT, "--help"], "diglot status": [*DIGLOT, "status"]}
        if baseline:
            arms["--help, baseline"] = [*DIGLOT, "--help"]
            arms["status, baseline"] = [*DIGLOT, "status"]

        def env_of(name: str, env: dict[str, str]) -> dict[str, str]:
            return {**env, "PYTHONPATH": baseline or ""} if name.endswith(", baseline") else env

        flag = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
        setups = {f"as run here (PYTHONDONTWRITEBYTECODE={flag})": ENV,
                  "pre-compiled .pyc": compiled}
        for name, args in arms.items():  # warms the .pyc cache and the sample's catalog cache
            subprocess.run(args, cwd=REPO, stdout=subprocess.DEVNULL, check=True,
                           env=env_of(name, compiled))
        lines = []
        for setup, env in setups.items():
            walls: dict[str, list[float]] = {name: [] for name in arms}
            cpus: dict[str, list[float]] = {name: [] for name in arms}
            for _ in range(repeat):
                for name, args in arms.items():
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    start = time.perf_counter()
                    subprocess.run(args, cwd=REPO, stdout=subprocess.DEVNULL, check=True,
                                   env=env_of(name, env))
                    walls[name].append((time.perf_counter() - start) * 1000)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpus[name].append((after.ru_utime - before.ru_utime + after.ru_stime
                                       - before.ru_stime) * 1000)
            lines.append(f"cold start, {setup}: " + "; ".join(
                f"{name} {sorted(w)[len(w) // 2]:.0f} ms" for name, w in walls.items())
                + f" (median wall of {repeat}); CPU: " + "; ".join(
                f"{name} {sorted(c)[len(c) // 2]:.0f} ms" for name, c in cpus.items()))
        if instructions:
            lines.append(_instructions(arms, env_of, compiled))
    return "\n".join(lines)


def _instructions(arms: dict[str, list[str]], env_of: Callable[[str, dict[str, str]],
                  dict[str, str]], env: dict[str, str]) -> str:
    """One callgrind run per arm: millions of instructions executed (hash seed fixed)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return "cold start, instructions: valgrind not installed"
    counts = []
    for name, args in arms.items():
        done = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
                               *args], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=True,
                              env={**env_of(name, env), "PYTHONHASHSEED": "0"})
        found = re.search(r"Collected : (\d+)", done.stderr)
        counts.append(f"{name} {int(found.group(1)) / 1e6:.0f} M" if found else f"{name} ?")
    return "cold start, instructions (callgrind, pre-compiled): " + "; ".join(counts)


def pipeline(folder: Path, out: Path, size: int, layout: str, *, peers: bool,
             msgmerge: bool = True, exhaustive_up_to: int = 0, baseline: str | None = None,
             repeat: int = 1) -> Row:
    row = Row(size, layout)
    project = out / f"project-{layout}-{size}"
    row.steps["diglot extract"] = new_project(project, folder, layout)
    old_paths = fill(project)
    row.steps["diglot build"] = run([*DIGLOT, "build"], cwd=project)
    saved = out / f"old-{layout}-{size}"
    if saved.exists():
        shutil.rmtree(saved)
    saved.mkdir()
    for path in old_paths:
        shutil.copyfile(path, saved / path.name)
    old = msgids(old_paths)
    review_steps(project, old_paths, row, peers=peers)
    fill(project)

    put_sources(project, folder, layout, "rev")
    row.steps["diglot extract (revised)"] = run([*DIGLOT, "extract"], cwd=project)
    row.steps["diglot update"] = run([*DIGLOT, "update"], cwd=project)
    templates = sorted((project / "locales").glob("*.pot"))
    new = msgids(templates)
    row.catalogs, row.segments = len(templates), len(new)
    truth = Truth.load(folder)
    new_paths = [project / "locales" / "en" / "LC_MESSAGES" / f"{t.stem}.po" for t in templates]
    row.scores["diglot update"] = score(truth, entries(new_paths), old, new)
    memory_drafts(project, new_paths, truth, old, new, row, saved=saved,
                  exhaustive=size <= exhaustive_up_to, baseline=baseline, repeat=repeat)

    if peers and msgmerge:
        if shutil.which("msgmerge") is None:
            row.notes.append("msgmerge: not installed")
        else:
            merged = out / f"msgmerge-{layout}-{size}"
            merged.mkdir(exist_ok=True)
            runs = [run(["msgmerge", "--quiet", "--previous", "-o", str(merged / f"{t.stem}.po"),
                         str(saved / f"{t.stem}.po"), str(t)]) for t in templates]
            row.steps["msgmerge --previous"] = add(runs)
            row.scores["msgmerge --previous"] = score(
                truth, entries(sorted(merged.glob("*.po"))), old, new)
    if peers and layout == "one":
        peer_tools(folder, out / f"peers-{size}", row)
    return row


def peer_tools(folder: Path, scratch: Path, row: Row) -> None:
    """po4a and translate-toolkit, extract and rebuild, on the same corpus file."""
    scratch.mkdir(parents=True, exist_ok=True)
    master = folder / "src_all.md"
    if shutil.which("po4a-updatepo") and shutil.which("po4a-translate"):
        pot = scratch / "po4a.pot"
        pot.unlink(missing_ok=True)
        row.steps["po4a-updatepo (extract)"] = run(
            ["po4a-updatepo", "-f", "text", "-o", "markdown", "-M", "UTF-8",
             "-m", str(master), "-p", str(pot)])
        po = scratch / "po4a.po"
        translate(pot, po)
        row.steps["po4a-translate (rebuild)"] = run(
            ["po4a-translate", "-f", "text", "-o", "markdown", "-M", "UTF-8", "-k", "0",
             "-m", str(master), "-p", str(po), "-l", str(scratch / "po4a.md")])
    else:
        row.notes.append("po4a: not installed")
    # translate-toolkit's scripts next to this Python (a pyenv shim would add its own start-up).
    md2po, po2md = (Path(sys.executable).parent / name for name in ("md2po", "po2md"))
    usable = subprocess.run([sys.executable, "-c", "import translate.storage.markdown"],
                            capture_output=True, text=True, check=False)
    if not md2po.is_file() or "translate" not in md2po.read_text(errors="replace")[:2000]:
        row.notes.append("translate-toolkit md2po/po2md: not installed")
    elif usable.returncode != 0:
        last = usable.stderr.strip().splitlines()[-1]
        row.notes.append(f"translate-toolkit md2po/po2md: installed but cannot run ({last})")
    else:
        pot = scratch / "tt.pot"
        row.steps["translate-toolkit md2po (extract)"] = run(
            [str(md2po), "--pot", "-i", str(master), "-o", str(pot)])
        po = scratch / "tt.po"
        translate(pot, po)
        row.steps["translate-toolkit po2md (rebuild)"] = run(
            [str(po2md), "-i", str(po), "-t", str(master), "-o", str(scratch / "tt.md")])


def translate(pot: Path, po: Path) -> None:
    catalog = polib.pofile(str(pot), wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    for entry in catalog:
        entry.msgstr = PREFIX + entry.msgid
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.write_text(render_catalog(catalog), encoding="utf-8")


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def table(rows: Sequence[Row]) -> str:
    lines = ["| sentences | layout | step | CPU s | wall s | max RSS MB | right | wrong | missed "
             "| edited (scored) | false guesses for added | unscored |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        first = True
        for step, timing in row.steps.items():
            s = row.scores.get(step)
            marks = (f"{s.right:,} | {s.wrong:,} | {s.missed:,} | {s.edited:,} | "
                     f"{s.false_added:,} of {s.added:,} | {s.unscored:,}") if s else "| | | | |"
            head = (f"{row.size:,} | {row.layout} ({row.catalogs} catalogs)" if first
                    else " | ")
            rss = f"{timing.rss_mb:.0f}" if timing.rss_mb else ""
            lines.append(f"| {head} | {step} | {timing.cpu:.2f} | {timing.wall:.2f} | {rss} "
                         f"| {marks} |")
            first = False
    return "\n".join(lines)


RATIOS = (  # (ours, peer): the bars of issue 12
    ("diglot update", "msgmerge --previous"),
    ("diglot build", "po4a-translate (rebuild)"),
    ("diglot check", "msgfmt -c"),
    ("diglot check, baseline", "msgfmt -c"),
    ("diglot check", "diglot check, baseline"),
    ("diglot status", "msgfmt --statistics"),
    ("diglot status, baseline", "msgfmt --statistics"),
    ("diglot translate --engine memory", "diglot update"),
    ("diglot translate --engine memory, baseline", "diglot update"),
    ("diglot translate --engine memory", "diglot translate --engine memory, baseline"),
    ("diglot translate --engine memory", "memory, scan of every source (lookups only)"),
)
GROWTH = ("diglot extract", "diglot update", "diglot build", "diglot check", "diglot status",
          "diglot translate --engine memory", "diglot translate --engine memory, baseline")


def summary(rows: Sequence[Row]) -> str:
    out = []
    for row in rows:
        for ours_name, peer_name in RATIOS:
            ours, peer = row.steps.get(ours_name), row.steps.get(peer_name)
            if ours and peer and peer.cpu:
                rss = (f", max RSS {ours.rss_mb / peer.rss_mb:.2f}x"
                       if ours.rss_mb and peer.rss_mb else "")
                out.append(f"{row.size:,} {row.layout}: {ours_name} / {peer_name}: CPU "
                           f"{ours.cpu / peer.cpu:.2f}x, wall {ours.wall / peer.wall:.2f}x{rss}")
        out.extend(f"{row.size:,} {row.layout}: {note}" for note in row.notes)
    by_size = {(r.layout, r.size): r for r in rows}
    for layout in ("one", "docs"):
        sizes = sorted(s for (lay, s) in by_size if lay == layout)
        if len(sizes) < 2:
            continue
        small, large = by_size[(layout, sizes[0])], by_size[(layout, sizes[-1])]
        for step in GROWTH:
            if step in small.steps and step in large.steps and small.steps[step].cpu:
                ratio = large.steps[step].cpu / small.steps[step].cpu
                exponent = math.log(ratio) / math.log(large.size / small.size)
                out.append(f"growth, {layout}, {step}: CPU at {large.size:,} / at "
                           f"{small.size:,} = {ratio:.1f}x, exponent {exponent:.2f} "
                           "(1 = linear)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--layout", default="one", help="one, docs or one,docs")
    parser.add_argument("--out", type=Path, default=Path("/tmp/diglot-bench"))
    parser.add_argument("--skip-peers", action="store_true",
                        help="no msgmerge, po4a or translate-toolkit")
    parser.add_argument("--peers-up-to", type=int, default=None,
                        help="in layout 'one', run msgmerge (quadratic there) only for sizes up "
                        "to this")
    parser.add_argument("--exhaustive-up-to", type=int, default=30000,
                        help="compare the memory index with a scan of every source up to "
                        "this size")
    parser.add_argument("--review-only", action="store_true",
                        help="only step 4: check and status beside msgfmt (and the cold start)")
    parser.add_argument("--baseline", metavar="SRC",
                        help="with --review-only: check and status of another checkout's src/ "
                        "too (git archive main src | tar -x -C /tmp/base), alternated; in the "
                        "cold start: its --help and status; in the whole pipeline: its "
                        "translate --engine memory, alternated, outputs compared")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="with --review-only: run each command N times, keep the medians; "
                        "in the whole pipeline: translate --engine memory")
    parser.add_argument("--cold-start", type=int, default=15, metavar="N",
                        help="runs of '--help' and 'status' on the sample per setup (0: none)")
    parser.add_argument("--instructions", action="store_true",
                        help="with --cold-start: each command once more under valgrind's "
                        "callgrind, instructions executed (independent of the machine's load)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if Path(__file__).resolve().parent.parent in [out, *out.parents]:
        parser.error("--out must be outside the repository")
    if not GEN.is_file():
        parser.error(f"corpus generator not found: {GEN}")
    out.mkdir(parents=True, exist_ok=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; whole commands in subprocesses, "
          f"OMP_NUM_THREADS=1; CPU = user + system of the child", flush=True)
    if args.cold_start:
        print(cold_start(args.cold_start, args.baseline, instructions=args.instructions),
              flush=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = corpus(out, "ru", size)
        for layout in args.layout.split(","):
            if args.review_only:
                rows.append(review_only(folder, out, size, layout, peers=not args.skip_peers,
                                        baseline=args.baseline, repeat=args.repeat))
                print(table(rows[-1:]).split("\n", 2)[2], flush=True)
                continue
            msgmerge = args.peers_up_to is None or layout == "docs" or size <= args.peers_up_to
            row = pipeline(folder, out, size, layout, peers=not args.skip_peers,
                           msgmerge=msgmerge, exhaustive_up_to=args.exhaustive_up_to,
                           baseline=args.baseline, repeat=args.repeat)
            rows.append(row)
            print(table([row]).split("\n", 2)[2], flush=True)
    print()
    print(table(rows))
    print()
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
