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
   every old catalog with its template, CPU summed over the children.

Prints every run, the medians and the ratio msgmerge / update per arm.  The
machine is shared: compare the arms and the peer within one run, by CPU.

Usage::

    python bench/update_docs.py --project /tmp/s4/p1 \\
        --old-catalogs /tmp/s4/bench/old-docs-100000 --scratch /tmp/diglot-bench-me \\
        [--baseline /tmp/main-checkout/src] [--rounds 3]
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
COPIED = ("diglot.toml", ".gitignore", "source", "locales")
"""What a run needs of the project (its editions, drafts and caches are left behind)."""


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


def msgmerge_all(templates: list[Path], old: Path, out: Path) -> tuple[float, float, float]:
    """msgmerge of every old catalog with its template: summed CPU (user, system) and wall."""
    out.mkdir(parents=True, exist_ok=True)
    user = system = wall = 0.0
    for pot in templates:
        u, s, w = run(["msgmerge", "--quiet", "--previous", "-o", str(out / f"{pot.stem}.po"),
                       str(old / f"{pot.stem}.po"), str(pot)])
        user, system, wall = user + u, system + s, wall + w
    return user, system, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--old-catalogs", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--baseline", help="another checkout's src/ (the 'before' arm)")
    parser.add_argument("--rounds", type=int, default=3)
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
    peer: list[float] = []
    digests: set[str] = set()
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
        templates = sorted((args.scratch / f"prepped-{next(iter(arms))}" / "locales")
                           .glob("*.pot"))
        u, s, w = msgmerge_all(templates, args.old_catalogs, args.scratch / "msgmerge")
        peer.append(u + s)
        print(f"round {number + 1} msgmerge --previous per file ({len(templates)}): "
              f"CPU {u + s:.2f} s (user {u:.2f}, system {s:.2f}), wall {w:.2f} s", flush=True)
    shutil.rmtree(trash, ignore_errors=True)
    print(f"same catalogs in every run: {'yes' if len(digests) == 1 else 'NO'}")
    merged = statistics.median(peer)
    for arm, values in times.items():
        mid = statistics.median(values)
        print(f"{arm}: update median CPU {mid:.2f} s (min {min(values):.2f}); msgmerge per "
              f"file median {merged:.2f} s; msgmerge / update {merged / mid:.1f}x")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
