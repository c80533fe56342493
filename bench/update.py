#!/usr/bin/env python3
"""Benchmark ``diglot update`` (merge a new template into a catalog) against GNU msgmerge.

For each size N (sentences) it generates, or reuses, the synthetic corpus of
``gen_corpus.py`` in a scratch folder (never inside the repo), then:

1. takes the corpus's ``src.pot`` (old template) and writes ``old.po``, a fully
   "translated" catalog whose msgstr is ``"T:" + msgid`` (so the source of any
   fuzzy guess can be read from its msgstr);
2. takes ``rev.pot`` (the revised template, one msgid per sentence);
3. times ``msgmerge --previous old.po rev.pot`` (``OMP_NUM_THREADS=1``; CPU time
   of the child and wall) and diglot's whole update step as a user runs it:
   read POT + read PO + merge + render + write, in-process, CPU and wall;
4. scores the guesses against ``truth.jsonl``: for every edited sentence a
   fuzzy guess from its own old sentence is right, from another is wrong, none
   is missed; a guess for an added sentence is a false guess.

Usage::

    python bench/update.py --sizes 1000,10000,30000
    python bench/update.py --sizes 100000 --skip-peers
    python bench/update.py --sizes 30000 --sweep      # thresholds, merge only
    python bench/update.py --sizes 30000 --profile    # where diglot's time goes

The template comes from the generator's own sentence-level POT (one msgid
per sentence, ``doc.md:line`` references), the same input for both tools,
so the scores here use the generator's truth exactly (2,920 edited at 30k).
``bench/pipeline.py`` runs the real thing instead: ``diglot extract``,
``update`` and ``build`` as commands on a scratch project, against msgmerge
on diglot's own templates, and po4a for extract and rebuild.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from diglot import catalogs, merge
from diglot.fileio import write_text

GEN = Path(os.environ.get("DIGLOT_SHARED", Path(__file__).resolve().parents[2] / "shared"),
           "bench", "gen_corpus.py")
"""``../shared/bench/gen_corpus.py`` next to the repository (``DIGLOT_SHARED`` overrides)."""
PREFIX = "T:"


@dataclass(frozen=True)
class Score:
    right: int
    wrong: int
    missed: int
    edited: int
    false_added: int
    added: int
    kept: int
    lost: int
    """Old translations found nowhere in the result (live or obsolete)."""


@dataclass(frozen=True)
class Timing:
    cpu: float
    wall: float
    rss_mb: float = 0.0
    """Peak resident memory of the process (0 where not measured)."""


def corpus(out: Path, lang: str, size: int) -> Path:
    """The generated corpus for ``size`` sentences (made once, then reused)."""
    folder = out / f"{lang}-{size}"
    if not (folder / "truth.jsonl").exists():
        subprocess.run([sys.executable, str(GEN), "--lang", lang, "--sentences", str(size),
                        "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder


def old_catalog(folder: Path) -> Path:
    """``old.po``: the old template with every msgstr = ``T:`` + msgid."""
    path = folder / "old.po"
    if not path.exists():
        pot = polib.pofile(str(folder / "src.pot"), wrapwidth=catalogs.WRAP_WIDTH,
                           check_for_duplicates=False)
        po = polib.POFile(wrapwidth=catalogs.WRAP_WIDTH, check_for_duplicates=False)
        po.metadata = dict(pot.metadata)
        po.metadata.update({"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"})
        for entry in pot:
            po.append(polib.POEntry(msgid=entry.msgid, msgstr=PREFIX + entry.msgid,
                                    occurrences=entry.occurrences))
        path.write_text(catalogs.render_catalog(po), encoding="utf-8")
    return path


def timed(run: Callable[[], object]) -> Timing:
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall)


def run_msgmerge(old: Path, pot: Path, out: Path, *, fuzzy: bool = True) -> Timing:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    args = ["msgmerge", "--quiet", "--previous", "-o", str(out), str(old), str(pot)]
    if not fuzzy:
        args.insert(1, "--no-fuzzy-matching")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(args, check=True, env=env)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(cpu, wall)


def diglot_update(old: Path, pot: Path, out: Path, *, fast_writer: bool,
                  phases: dict[str, float] | None = None, **options: float) -> None:
    """The update step as ``diglot update`` runs it: read, merge, render, write."""
    clock = time.process_time()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        if phases is not None:
            phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    template = catalogs.read_catalog(pot)
    lap("read POT")
    catalog = catalogs.read_catalog(old)
    lap("read PO")
    if options:
        result = merge.merge_entries(list(template), list(catalog), **options)  # type: ignore[arg-type]
        del catalog[:]
        catalog.extend(result.entries)
    else:
        catalogs.update_catalog(catalog, template, "en")
    lap("merge")
    text = catalogs.render_catalog(catalog) if fast_writer else str(catalog) + "\n"
    lap("render")
    write_text(out, text)
    lap("write")


def score(folder: Path, entries: list[polib.POEntry], old_msgids: set[str]) -> Score:
    """Right/wrong/missed guesses for edited sentences, false guesses for added ones."""
    edited: dict[str, set[str]] = {}
    added: set[str] = set()
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["kind"] == "edited":
            edited.setdefault(item["msgid"], set()).add(item["orig"])
        elif item["kind"] == "added":
            added.add(item["msgid"])
    edited = {k: v for k, v in edited.items() if k not in old_msgids}
    added -= old_msgids | set(edited)
    by_msgid = {e.msgid: e for e in entries if not e.obsolete}
    right = wrong = missed = false_added = kept = 0
    for msgid, origs in edited.items():
        entry = by_msgid[msgid]
        if "fuzzy" not in entry.flags or not entry.msgstr:
            missed += 1
        elif entry.msgstr[len(PREFIX):] in origs:
            right += 1
        else:
            wrong += 1
    for msgid in added:
        entry = by_msgid[msgid]
        false_added += bool(entry.msgstr)
    for entry in by_msgid.values():
        kept += entry.msgstr == PREFIX + entry.msgid and "fuzzy" not in entry.flags
    present = {e.msgstr for e in entries}
    lost = sum(PREFIX + m not in present for m in old_msgids)
    return Score(right, wrong, missed, len(edited), false_added, len(added), kept, lost)


def read_entries(path: Path) -> list[polib.POEntry]:
    return list(polib.pofile(str(path), wrapwidth=0, check_for_duplicates=False))


def sweep(folder: Path) -> None:
    """Right/wrong/false guesses as the two thresholds vary (merge only, no I/O)."""
    old_path = old_catalog(folder)
    template = list(polib.pofile(str(folder / "rev.pot"), check_for_duplicates=False))
    old = list(polib.pofile(str(old_path), check_for_duplicates=False))
    old_msgids = {e.msgid for e in old}
    print("| local | global | right | wrong | missed | false (added) | merge CPU s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for local in (0.6, 0.7, 0.75, 0.8, 0.85):
        for glob in (0.8, 0.85, 0.9, 0.95):
            if glob < local:
                continue
            started = time.process_time()
            result = merge.merge_entries(template, old, threshold=glob, local_threshold=local)
            cpu = time.process_time() - started
            s = score(folder, list(result.entries), old_msgids)
            print(f"| {local} | {glob} | {s.right} | {s.wrong} | {s.missed} | "
                  f"{s.false_added} of {s.added} | {cpu:.2f} |")


def profile(folder: Path, scratch: Path) -> None:
    old = old_catalog(folder)
    profiler = cProfile.Profile()
    profiler.enable()
    diglot_update(old, folder / "rev.pot", scratch / "profile.po", fast_writer=True)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
    print(stream.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,30000",
                        help="comma-separated sentence counts (100000 for the growth check)")
    parser.add_argument("--lang", default="ru", choices=["ru", "en"])
    parser.add_argument("--out", type=Path, default=Path("/tmp/diglot-bench"))
    parser.add_argument("--skip-peers", action="store_true", help="do not run msgmerge")
    parser.add_argument("--sweep", action="store_true", help="threshold sweep instead")
    parser.add_argument("--profile", action="store_true", help="cProfile one diglot update")
    parser.add_argument("--repeat", type=int, default=1, help="diglot runs per size (median)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if Path(__file__).resolve().parent.parent in [out, *out.parents]:
        parser.error("--out must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    if not args.skip_peers and shutil.which("msgmerge") is None:
        parser.error("msgmerge not found: install GNU gettext or pass --skip-peers")
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.sweep or args.profile:
        for size in sizes:
            folder = corpus(out, args.lang, size)
            print(f"## {size} sentences")
            sweep(folder) if args.sweep else profile(folder, out)
        return 0

    print(f"msgmerge runs with OMP_NUM_THREADS=1; times in seconds (CPU / wall); "
          f"{os.cpu_count()} CPUs; corpus in {out}")
    rows = []
    for size in sizes:
        folder = corpus(out, args.lang, size)
        old = old_catalog(folder)
        pot = folder / "rev.pot"
        old_msgids = {e.msgid for e in read_entries(old)}
        runs: list[tuple[Timing, dict[str, float]]] = []
        for _ in range(args.repeat):
            phases: dict[str, float] = {}
            runs.append((timed(lambda o=old, t=pot, f=folder, p=phases: diglot_update(
                o, t, f / "diglot.po", fast_writer=True, phases=p)), phases))
        runs.sort(key=lambda r: r[0].cpu)
        ours, phases = runs[len(runs) // 2]
        polib_writer = timed(lambda o=old, t=pot, f=folder: diglot_update(
            o, t, f / "diglot-polib.po", fast_writer=False))
        same = subprocess.run(["msgcat", "--force-po", str(folder / "diglot.po")], check=True,
                              capture_output=True).stdout == (folder / "diglot.po").read_bytes()
        ours_score = score(folder, read_entries(folder / "diglot.po"), old_msgids)
        peer = peer_nf = None
        peer_score = None
        if not args.skip_peers:
            peer = run_msgmerge(old, pot, folder / "msgmerge.po")
            peer_nf = run_msgmerge(old, pot, folder / "msgmerge-N.po", fuzzy=False)
            peer_score = score(folder, read_entries(folder / "msgmerge.po"), old_msgids)
        rows.append((size, ours, polib_writer, phases, same, ours_score, peer, peer_nf,
                     peer_score))

    print()
    print("| sentences | tool | CPU s | wall s | right | wrong | missed | of edited "
          "| false guesses for added | translations lost |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, ours, polib_writer, _, _, s, peer, peer_nf, ps in rows:
        print(f"| {size:,} | diglot update | {ours.cpu:.2f} | {ours.wall:.2f} | {s.right:,} | "
              f"{s.wrong:,} | {s.missed:,} | {s.edited:,} | {s.false_added:,} of {s.added:,} "
              f"| {s.lost} |")
        print(f"| | diglot, polib writer | {polib_writer.cpu:.2f} | {polib_writer.wall:.2f} "
              "| | | | | | |")
        if peer is not None and ps is not None and peer_nf is not None:
            print(f"| | msgmerge --previous | {peer.cpu:.2f} | {peer.wall:.2f} | {ps.right:,} | "
                  f"{ps.wrong:,} | {ps.missed:,} | {ps.edited:,} | "
                  f"{ps.false_added:,} of {ps.added:,} | {ps.lost} |")
            print(f"| | msgmerge -N (no fuzzy) | {peer_nf.cpu:.2f} | {peer_nf.wall:.2f} "
                  "| | | | | | |")
    print()
    for size, ours, _, phases, same, _, peer, _, _ in rows:
        split = ", ".join(f"{k} {v:.2f}" for k, v in phases.items())
        ratio = f"; msgmerge/diglot CPU {peer.cpu / ours.cpu:.1f}x" if peer else ""
        print(f"{size:,}: diglot CPU by phase: {split}; msgcat leaves diglot's output "
              f"alone: {same}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
