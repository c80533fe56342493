#!/usr/bin/env python3
"""``diglot update`` in the per-document layout beside ``msgmerge`` run per file (issue 12).

Takes a project prepared by ``bench/pipeline.py --layout docs`` right before
its ``diglot update`` of the revised sources (the sources revised, the
catalogs filled from the old templates), and the old catalogs that script
saved (``old-docs-N``), and in one run:

1. prepares, for each arm (this checkout, and ``--baseline`` another
   checkout's ``src/`` if given), a copy of the project in the scratch folder
   and runs that arm's ``diglot extract`` there (timed: it writes the
   templates and, from this branch on, keeps them in the cache of parsed
   catalogs);
2. for ``--rounds`` rounds, arms alternated: a fresh copy of the prepared
   project at the same path (the caches are named by path), ``sync``, then
   ``diglot update`` (CPU = user + system of the child, wall), and a SHA-256
   over every template and catalog after it (the arms must agree byte for
   byte);
3. each round, ``msgmerge --quiet --previous`` (``OMP_NUM_THREADS=1``) of
   every old catalog with its template, CPU summed over the children
   (``--no-msgmerge``: left out);
4. with ``--translate``, in each round right after an arm's ``update``:
   ``diglot translate --engine memory`` twice on that project, each time from
   the catalogs as ``pipeline.py`` leaves them before its translate (the
   update's fuzzy guesses emptied, made once with this checkout's code; no
   draft logs): *cold* (the project's cache as ``extract`` and ``update``
   left it: nothing of the compendium ``previous.po`` in it), then *warm*
   (the cache the cold run left), with a SHA-256 over every file under
   ``locales/`` and ``drafts/`` after each (every arm and round must agree).
   With ``--truth`` (the corpus folder with ``truth.jsonl``), the drafts of
   the first cold run are scored as ``pipeline.py`` scores them.

5. with ``--again``, right after each arm's ``update``, ``update`` twice more
   with nothing changed: the first merges every catalog again (and, finding
   each unchanged, remembers it: :mod:`diglot.uptodate`), the second skips them;
6. with ``--floor``, each round, the I/O floor (:data:`FLOOR`) on a fresh copy
   of the prepared project: what any update of it costs in Python with
   diglot's atomic writes, before a single entry is parsed.

Prints every run, the medians and the ratio msgmerge / update per arm (and
translate / update, cold and warm; msgmerge / floor).  The machine is shared: compare the arms
and the peer within one run, by CPU.

``update`` and ``translate`` are measured here rather than in
``pipeline.py`` because this script starts from a prepared project (no
corpus generated, no other stage run), alternates arms over rounds on copies
at fixed paths, and sets old copies aside (see below): issue 12's ratio
translate / update needs both in one run, on the same project.

Usage::

    python bench/update_docs.py --project /tmp/s4/p1 \\
        --old-catalogs /tmp/s4/bench/old-docs-100000 --scratch /tmp/diglot-bench-me \\
        [--baseline /tmp/main-checkout/src] [--rounds 3] \\
        [--translate [--truth /tmp/s4/bench/ru-100000]] [--no-msgmerge] [--again] [--floor]

The project needs ``[translate] memory_files = ["previous.po"]`` and that file for
``--translate`` (the project ``pipeline.py`` leaves after its run has both: put the old
catalogs back in its ``locales/<lang>/LC_MESSAGES/`` to make it the project before update).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ENV = {**os.environ, "OMP_NUM_THREADS": "1", "SOURCE_DATE_EPOCH": "1700000000"}
COPIED = ("diglot.toml", ".gitignore", "source", "locales", "previous.po")
"""What a run needs of the project, the compendium of its memory included (its editions,
drafts and caches are left behind)."""


def run(args: list[str], cwd: Path | None = None,
        pythonpath: str | None = None) -> tuple[float, float, float]:
    """Run a command to completion: (user, system) CPU seconds of the child and wall."""
    env = ENV if pythonpath is None else {**ENV, "PYTHONPATH": pythonpath}
    wall = time.perf_counter()
    with subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE) as child:
        assert child.stderr is not None
        err = child.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{' '.join(args[:4])}… exited {child.returncode}: {err[-600:]}")
    return usage.ru_utime, usage.ru_stime, time.perf_counter() - wall


def digest(root: Path) -> str:
    """A hash of every template and catalog of the project (names and bytes)."""
    sha = hashlib.sha256()
    for path in sorted((root / "locales").rglob("*.po*")):
        sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:16]


def copy_project(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in COPIED:
        item = source / name
        if item.is_dir():
            shutil.copytree(item, target / name, symlinks=True)
        elif item.exists():
            shutil.copy2(item, target / name)


FLOOR = """\
from pathlib import Path
from diglot.fileio import batched_writes
root = Path.cwd() / "locales"
with batched_writes() as batch:
    for pot in sorted(root.glob("*.pot")):
        pot.read_bytes()
        for po in sorted(root.glob(f"*/LC_MESSAGES/{pot.stem}.po")):
            batch.write_bytes(po, (po.read_bytes().decode("utf-8") + "#\\n").encode("utf-8"))
"""
"""The least any update of this project does, in Python, with diglot's writes (--floor): start
the interpreter, read every template and catalog, decode each catalog and write it back
changed (a temporary file, one sync, a rename each), with no parse, merge or render."""


def msgmerge_all(templates: list[Path], old: Path, out: Path) -> tuple[float, float, float]:
    """msgmerge of every old catalog with its template: summed CPU (user, system) and wall."""
    out.mkdir(parents=True, exist_ok=True)
    user = system = wall = 0.0
    for pot in templates:
        u, s, w = run(["msgmerge", "--quiet", "--previous", "-o", str(out / f"{pot.stem}.po"),
                       str(old / f"{pot.stem}.po"), str(pot)])
        user, system, wall = user + u, system + s, wall + w
    return user, system, wall


def set_aside(work: Path, trash: Path, label: str) -> None:
    """Move ``locales/`` and ``drafts/`` of ``work`` into ``trash`` (deleted at the end)."""
    for name in ("locales", "drafts"):
        if (work / name).exists():
            (work / name).rename(trash / f"{label}-{name}")


def pretranslate(prepped: Path, scratch: Path) -> Path:
    """The catalogs ``translate`` starts from: ``prepped`` updated (this checkout's code),
    its fuzzy guesses emptied as ``pipeline.py`` does; returns their ``locales/`` folder."""
    from pipeline import clear_guesses

    work = scratch / "pretranslate-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(prepped, work, symlinks=True)
    run([sys.executable, "-m", "diglot.cli", "update"], work)
    clear_guesses(sorted((work / "locales").glob("*/LC_MESSAGES/*.po")))
    kept = scratch / "pretranslate-locales"
    shutil.rmtree(kept, ignore_errors=True)
    (work / "locales").rename(kept)
    shutil.rmtree(work)
    return kept


def drafts_scored(work: Path, old_catalogs: Path, truth_folder: Path) -> str:
    """The drafts in ``work``'s catalogs, scored against the corpus's truth (pipeline.py's
    :func:`score`): the edited sentences right and wrong, false guesses for added ones."""
    from pipeline import Truth, entries, msgids, score

    templates = sorted((work / "locales").glob("*.pot"))
    catalogs = [work / "locales" / "en" / "LC_MESSAGES" / f"{t.stem}.po" for t in templates]
    drafted = entries(catalogs)
    result = score(Truth.load(truth_folder), drafted, msgids(sorted(old_catalogs.glob("*.po"))),
                   msgids(templates))
    drafts = sum(1 for e in drafted if "fuzzy" in e.flags and e.msgstr and not e.obsolete)
    return (f"{drafts:,} drafts; edited sentences {result.right:,} right, {result.wrong:,} "
            f"wrong, {result.missed:,} missed of {result.edited:,}; false guesses for "
            f"{result.false_added:,} of {result.added:,} added; {result.unscored:,} unscored")


def median_ratio(numerator: list[float], denominator: list[float]) -> str:
    return f"{statistics.median(numerator) / statistics.median(denominator):.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--old-catalogs", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--baseline", help="another checkout's src/ (the 'before' arm)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--translate", action="store_true",
                        help="also time translate --engine memory after each update")
    parser.add_argument("--truth", type=Path, help="the corpus folder (truth.jsonl), to score "
                        "the drafts of --translate")
    parser.add_argument("--no-msgmerge", action="store_true", help="leave the peer out")
    parser.add_argument("--again", action="store_true",
                        help="run update twice more after each update (nothing changed)")
    parser.add_argument("--floor", action="store_true",
                        help="also time the I/O floor: the catalogs read and written back")
    args = parser.parse_args(argv)
    here = str(Path(__file__).resolve().parents[1] / "src")
    arms = {"before": args.baseline, "after": here} if args.baseline else {"after": here}
    diglot = [sys.executable, "-m", "diglot.cli"]
    for arm, src in arms.items():
        work, prepped = args.scratch / f"run-{arm}", args.scratch / f"prepped-{arm}"
        shutil.rmtree(prepped, ignore_errors=True)
        copy_project(args.project, work)
        u, s, w = run([*diglot, "extract"], work, src)
        print(f"{arm}: extract CPU {u + s:.2f} s (user {u:.2f}, system {s:.2f}), "
              f"wall {w:.2f} s", flush=True)
        work.rename(prepped)
    # Copies of earlier rounds are not deleted between runs: on a file system without a
    # journal, ext4 skips the inodes freed in the last minute (or six) when it makes a file,
    # one by one, so thousands of files deleted just before a run would make each file the
    # run writes cost more system time (see bench/README.md, branch updfast).
    trash = args.scratch / "trash"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir()
    times: dict[str, list[float]] = {arm: [] for arm in arms}
    again: dict[tuple[str, int], list[float]] = {(arm, k): [] for arm in arms for k in (2, 3)}
    floor: list[float] = []
    peer: list[float] = []
    digests: set[str] = set()
    phases = ("cold", "warm") if args.translate else ()
    drafted: dict[tuple[str, str], list[float]] = {(a, p): [] for a in arms for p in phases}
    outputs: dict[str, set[str]] = {phase: set() for phase in phases}
    start = pretranslate(args.scratch / f"prepped-{next(iter(arms))}", args.scratch) \
        if args.translate else None
    scored = ""
    if args.translate:
        from pipeline import outputs_hash  # polib and diglot: only for --translate

    for number in range(args.rounds):
        order = list(arms.items()) if number % 2 == 0 else list(reversed(arms.items()))
        for arm, src in order:
            work = args.scratch / f"run-{arm}"
            if work.exists():  # set aside, removed at the end: see below
                work.rename(trash / f"{arm}-{number}")
            shutil.copytree(args.scratch / f"prepped-{arm}", work, symlinks=True)
            os.sync()
            u, s, w = run([*diglot, "update"], work, src)
            times[arm].append(u + s)
            digests.add(digest(work))
            print(f"round {number + 1} {arm}: update CPU {u + s:.2f} s (user {u:.2f}, "
                  f"system {s:.2f}), wall {w:.2f} s, catalogs {digest(work)}", flush=True)
            for count in (2, 3) if args.again else ():  # nothing changed since the last
                u, s, w = run([*diglot, "update"], work, src)
                again[arm, count].append(u + s)
                print(f"round {number + 1} {arm}: update again ({count}) CPU {u + s:.2f} s "
                      f"(user {u:.2f}, system {s:.2f}), catalogs {digest(work)}", flush=True)
            for phase in phases:
                assert start is not None
                set_aside(work, trash, f"{arm}-{number}-{phase}")
                shutil.copytree(start, work / "locales", symlinks=True)
                os.sync()
                u, s, w = run([*diglot, "translate", "--engine", "memory"], work, src)
                drafted[arm, phase].append(u + s)
                made = outputs_hash(work)
                outputs[phase].add(made)
                print(f"round {number + 1} {arm}: translate {phase} CPU {u + s:.2f} s (user "
                      f"{u:.2f}, system {s:.2f}), wall {w:.2f} s, outputs {made[:16]}",
                      flush=True)
                if phase == "cold" and args.truth and not scored:
                    scored = drafts_scored(work, args.old_catalogs, args.truth)
                    print(f"drafts ({arm}): {scored}", flush=True)
        if args.floor:
            work = args.scratch / "run-floor"
            if work.exists():
                work.rename(trash / f"floor-{number}")
            shutil.copytree(args.scratch / f"prepped-{next(reversed(arms))}", work,
                            symlinks=True)
            os.sync()
            u, s, w = run([sys.executable, "-c", FLOOR], work, here)
            floor.append(u + s)
            print(f"round {number + 1} I/O floor: CPU {u + s:.2f} s (user {u:.2f}, system "
                  f"{s:.2f}), wall {w:.2f} s", flush=True)
        if args.no_msgmerge:
            continue
        templates = sorted((args.scratch / f"prepped-{next(iter(arms))}" / "locales")
                           .glob("*.pot"))
        u, s, w = msgmerge_all(templates, args.old_catalogs, args.scratch / "msgmerge")
        peer.append(u + s)
        print(f"round {number + 1} msgmerge --previous per file ({len(templates)}): "
              f"CPU {u + s:.2f} s (user {u:.2f}, system {s:.2f}), wall {w:.2f} s", flush=True)
    shutil.rmtree(trash, ignore_errors=True)
    print(f"same catalogs in every run: {'yes' if len(digests) == 1 else 'NO'}")
    same = len(digests) == 1
    for phase, hashes in outputs.items():
        print(f"same catalogs and draft logs after every translate {phase}: "
              f"{'yes' if len(hashes) == 1 else 'NO'}")
        same = same and len(hashes) == 1
    if len(outputs) == 2:  # cold and warm
        agree = outputs["cold"] == outputs["warm"]
        print(f"cold and warm the same: {'yes' if agree else 'NO'}")
        same = same and agree
    for arm, values in times.items():
        mid = statistics.median(values)
        line = f"{arm}: update median CPU {mid:.2f} s (min {min(values):.2f})"
        if peer:
            merged = statistics.median(peer)
            line += (f"; msgmerge per file median {merged:.2f} s; msgmerge / update "
                     f"{merged / mid:.1f}x")
        for count in (2, 3) if args.again else ():
            got = again[arm, count]
            line += f"; update again ({count}) median {statistics.median(got):.2f} s"
        for phase in phases:
            got = drafted[arm, phase]
            line += (f"; translate {phase} median {statistics.median(got):.2f} s (min "
                     f"{min(got):.2f}), translate / update {median_ratio(got, values)}")
        print(line)
    if floor:
        line = f"I/O floor median CPU {statistics.median(floor):.2f} s"
        if peer:
            line += (f"; msgmerge per file / floor "
                     f"{statistics.median(peer) / statistics.median(floor):.1f}x")
        print(line)
    if scored:
        print(f"drafts: {scored}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
