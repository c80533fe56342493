#!/usr/bin/env python3
"""``diglot build`` beside ``po4a-translate`` on the same documents and translations.

A focused form of :mod:`pipeline`'s build row: for each size a scratch project
(``--out``/``build-<layout>-<N>``, never the repository) is made once with
``diglot init``, ``extract`` and ``update`` and filled (msgstr = ``"T:" +
msgid``); ``diglot extract`` and ``diglot status`` run once more (untimed) so
the caches of parsed documents and catalogs are there as after a user's
extract and status; then ``diglot build`` (every
edition of every document, written afresh: the editions folder is removed
before each run) and ``po4a-translate -k 0`` rebuilding ``src_all.md`` from the
same translations alternate ``--repeat`` times.  ``--uncached`` adds ``diglot
build`` with the cache removed first (a build after the sources changed and
no extract ran; it parses and refills the cache).  Per command: CPU of the
child (user + system, start-up included), wall time, max RSS (GNU ``time``);
medians are printed with the ratios.  ``--baseline SRC`` adds ``diglot build``
run with another checkout's
``src/`` first on ``PYTHONPATH`` (e.g. ``git archive main src | tar -x -C
/tmp/base``), in the same alternation, so before/after are measured under the
same load; the baseline runs on its own copy of the project
(``build-<layout>-<N>-baseline``, its caches filled by its own extract and
status), since the caches are keyed by the code that fills them.

Usage::

    python bench/build.py --sizes 30000 --repeat 3
    python bench/build.py --sizes 30000,100000 --baseline /tmp/base/src
    python bench/build.py --sizes 30000 --layout docs --skip-peers
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import DIGLOT, ENV, fill, new_project, run, translate
from update import Timing, corpus


def project_for(out: Path, folder: Path, size: int, layout: str) -> Path:
    """The filled scratch project for ``size`` sentences (made once, then reused)."""
    project = out / f"build-{layout}-{size}"
    if (project / ".ready").exists():
        return project
    new_project(project, folder, layout)
    fill(project)
    (project / ".ready").touch()
    return project


def po4a_files(out: Path, folder: Path, size: int) -> tuple[Path, Path]:
    scratch = out / f"po4a-{size}"
    scratch.mkdir(parents=True, exist_ok=True)
    pot, po = scratch / "po4a.pot", scratch / "po4a.po"
    if not po.exists():
        run(["po4a-updatepo", "-f", "text", "-o", "markdown", "-M", "UTF-8",
             "-m", str(folder / "src_all.md"), "-p", str(pot)])
        translate(pot, po)
    return scratch, po


def baseline_project(project: Path, src: str) -> Path:
    """A copy of ``project`` for the baseline's runs, its caches filled by the baseline's
    code: the caches' keys hold a fingerprint of the code, so two checkouts alternating on
    one project would each find the other's entries stale and parse every time."""
    copy = project.with_name(project.name + "-baseline")
    if not copy.exists():
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns("editions", ".diglot"))
    run([*DIGLOT, "extract"], cwd=copy, pythonpath=src)
    run([*DIGLOT, "status"], cwd=copy, pythonpath=src)
    return copy


def diglot_build(project: Path, src: str | None, *, uncached: bool = False) -> Timing:
    shutil.rmtree(project / "editions", ignore_errors=True)
    if uncached:
        shutil.rmtree(project / ".diglot" / "cache", ignore_errors=True)
    if src is None:
        return run([*DIGLOT, "build"], cwd=project)
    saved = ENV.get("PYTHONPATH")
    ENV["PYTHONPATH"] = src
    try:
        return run([*DIGLOT, "build"], cwd=project)
    finally:
        if saved is None:
            ENV.pop("PYTHONPATH")
        else:
            ENV["PYTHONPATH"] = saved


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.cpu for t in timings),
                  statistics.median(t.wall for t in timings),
                  statistics.median(t.rss_mb for t in timings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="30000")
    parser.add_argument("--layout", default="one", choices=["one", "docs"])
    parser.add_argument("--out", type=Path, default=Path("/tmp/diglot-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", help="another checkout's src/ folder, run beside")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--uncached", action="store_true",
                        help="also time diglot build with the parsed-document cache removed")
    args = parser.parse_args(argv)
    peers = not args.skip_peers and args.layout == "one" and shutil.which("po4a-translate")
    print(f"load average at start: {os.getloadavg()}")
    print("| sentences | command | CPU s | wall s | max RSS MB | runs |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    lines = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = corpus(args.out, "ru", size)
        project = project_for(args.out, folder, size, args.layout)
        run([*DIGLOT, "extract"], cwd=project)  # the cache of parsed documents, as a user has it
        run([*DIGLOT, "status"], cwd=project)  # and of parsed catalogs (status, check fill it)
        base = baseline_project(project, args.baseline) if args.baseline else project
        runs: dict[str, list[Timing]] = {"diglot build": []}
        if args.uncached:
            runs["diglot build, cache removed"] = []
        if args.baseline:
            runs["diglot build (baseline)"] = []
        if peers:
            runs["po4a-translate"] = []
            scratch, po = po4a_files(args.out, folder, size)
        for _ in range(args.repeat):
            runs["diglot build"].append(diglot_build(project, None))
            if args.uncached:
                runs["diglot build, cache removed"].append(
                    diglot_build(project, None, uncached=True))
            if args.baseline:
                runs["diglot build (baseline)"].append(diglot_build(base, args.baseline))
            if peers:
                runs["po4a-translate"].append(run(
                    ["po4a-translate", "-f", "text", "-o", "markdown", "-M", "UTF-8", "-k", "0",
                     "-m", str(folder / "src_all.md"), "-p", str(po),
                     "-l", str(scratch / "po4a.md")]))
        medians = {name: median(t) for name, t in runs.items()}
        for name, m in medians.items():
            print(f"| {size:,} {args.layout} | {name} | {m.cpu:.2f} | {m.wall:.2f} | "
                  f"{m.rss_mb:.0f} | {len(runs[name])} |", flush=True)
        ours = medians["diglot build"]
        for name, peer in medians.items():
            if name != "diglot build":
                lines.append(f"{size:,} {args.layout}: diglot build / {name}: "
                             f"CPU {ours.cpu / peer.cpu:.2f}x, wall {ours.wall / peer.wall:.2f}x, "
                             f"max RSS {ours.rss_mb / peer.rss_mb:.2f}x")
    print("\n".join(lines))
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
