#!/usr/bin/env python3
"""``status``, ``check``, ``build`` with the cache of parsed catalogs cold and warm,, by msgfmt.

For each project (``--sizes``: the synthetic corpus of ``gen_corpus.py`` in one
document, made as ``pipeline.py --review-only`` makes it, with realistic
translations; ``--large MB``: one paragraph of Russian sentences as
``large_input.py`` makes it, extracted and updated, untranslated) the commands
a user types run as children, alternated ``--repeat`` times:

- ``diglot STEP, cold``: the project's ``.diglot/cache/catalogs/`` removed
  first (what the first run costs, storing included);
- ``diglot STEP, warm``: right after, the cache as the cold run left it;
- ``diglot STEP, baseline`` with ``--baseline SRC`` (another checkout's
  ``src/``, e.g. ``git archive main src | tar -x -C /tmp/base``);
- the peers ``msgfmt --statistics`` and ``msgfmt -c`` on the same catalogs.

``build`` is ``build`` for the translated corpus projects and ``build --draft``
for the untranslated large input; the editions folder is removed before each.
The baseline runs in a copy of the project, so that each code keeps its own
cache of parsed documents (``diglot extract`` fills both first, untimed).
Per command: CPU of the child (user + system, start-up included), wall time,
max RSS (GNU ``time``); the medians and the ratios to msgfmt are printed.
With ``--compare``, the outputs (stdout of status and check, every edition)
of the cold, warm and baseline runs are compared byte for byte.  Before the
commands, in this process: SHA-256 and BLAKE2b of the largest catalog's bytes
(the cost of the key) and ``read_records`` without a cache, cold and warm.

Usage::

    python bench/catalog_cache.py --sizes 30000,100000 --large 20 --repeat 3 \\
        --baseline /tmp/base/src --out /tmp/diglot-bench-NAME --compare
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_input import make_source
from pipeline import DIGLOT, ENV, corpus, fill_realistic, new_project, run
from update import Timing

from diglot.pofile import CATALOG_CACHE, read_records

STEPS = ("status", "check", "build")


def corpus_project(out: Path, size: int) -> Path:
    """The corpus project of ``size`` sentences with realistic translations (made once)."""
    project = out / f"catcache-one-{size}"
    if not (project / ".ready").exists():
        new_project(project, corpus(out, "ru", size), "one")
        fill_realistic(project)
        (project / ".ready").touch()
    return project


def large_project(out: Path, megabytes: float) -> Path:
    """One source of ``megabytes`` MB of sentences, extracted and updated (made once)."""
    project = out / f"catcache-large-{megabytes:g}"
    if not (project / ".ready").exists():
        shutil.rmtree(project, ignore_errors=True)
        (project / "source" / "ru").mkdir(parents=True)
        (project / "diglot.toml").write_text(
            'source_language = "ru"\ntarget_languages = ["en"]\n', encoding="utf-8")
        make_source(project / "source" / "ru" / "big.txt", megabytes, "sentences")
        for step in ("extract", "update"):
            run([*DIGLOT, step], cwd=project)
        (project / ".ready").touch()
    return project


def in_process(catalog: Path) -> str:
    """The key's hash and read_records without a cache, cold and warm (CPU, this process)."""
    data = catalog.read_bytes()
    cells = [f"{catalog.name} {len(data) / 1e6:.1f} MB"]
    for name in ("sha256", "blake2b"):
        started = time.process_time()
        hashlib.new(name, data).digest()
        cells.append(f"{name} {time.process_time() - started:.3f} s")
    cache = catalog.parent.parent.parent.parent / CATALOG_CACHE
    shutil.rmtree(cache, ignore_errors=True)
    for label, folder in (("parse", None), ("cold", cache), ("warm", cache)):
        best = []
        for _ in range(3 if label != "cold" else 1):
            started = time.process_time()
            read_records(catalog, cache=folder)
            best.append(time.process_time() - started)
        cells.append(f"read_records {label} {min(best):.3f} s")
    return "; ".join(cells)


def diglot(project: Path, step: str, draft: bool, *, src: str | None,
           cold: bool, keep: Path | None) -> Timing:
    """One diglot command in ``project``; its stdout (and editions) kept in ``keep``."""
    shutil.rmtree(project / "editions", ignore_errors=True)
    shutil.rmtree(project / "editions-draft", ignore_errors=True)
    if cold:
        shutil.rmtree(project / CATALOG_CACHE, ignore_errors=True)
    args = [*DIGLOT, step, *(["--draft"] if step == "build" and draft else [])]
    timing = run(args, cwd=project, pythonpath=src)
    if keep is not None:
        if step == "build":
            for name in ("editions", "editions-draft"):
                if (project / name).is_dir():
                    shutil.copytree(project / name, keep / step / name, dirs_exist_ok=True)
        else:
            env = ENV if src is None else {**ENV, "PYTHONPATH": src}
            done = subprocess.run(args, cwd=project, env=env, capture_output=True)
            (keep / step).parent.mkdir(parents=True, exist_ok=True)
            (keep / step).write_bytes(done.stdout + b"\nexit %d\n" % done.returncode)
    return timing


def msgfmt(paths: list[Path], flag: str) -> Timing:
    timings = [run(["msgfmt", flag, "-o", os.devnull, str(p)]) for p in paths]
    return Timing(sum(t.cpu for t in timings), sum(t.wall for t in timings),
                  max(t.rss_mb for t in timings))


def same_tree(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def measure(project: Path, label: str, *, draft: bool, repeat: int, baseline: str | None,
            compare: Path | None) -> list[str]:
    paths = sorted((project / "locales").rglob("*.po"))
    print(f"in process: {in_process(max(paths, key=lambda p: p.stat().st_size))}", flush=True)
    arms = ["cold", "warm", *(["baseline"] if baseline else [])]
    # the baseline in a copy of its own: each code keeps its own cache of parsed documents
    # (their keys differ), filled by an extract as after a user's
    where = {"cold": project, "warm": project}
    if baseline:
        where["baseline"] = project.with_name(f"{project.name}-baseline")
        shutil.rmtree(where["baseline"], ignore_errors=True)
        shutil.copytree(project, where["baseline"], ignore=shutil.ignore_patterns(".diglot"))
        run([*DIGLOT, "extract"], cwd=where["baseline"], pythonpath=baseline)
    run([*DIGLOT, "extract"], cwd=project)
    runs: dict[str, list[Timing]] = {}
    for n in range(repeat):
        for step in STEPS:
            for arm in arms:
                keep = compare / label / arm if compare is not None and n == 0 else None
                runs.setdefault(f"diglot {step}, {arm}", []).append(diglot(
                    where[arm], step, draft, src=baseline if arm == "baseline" else None,
                    cold=arm == "cold", keep=keep))
        if shutil.which("msgfmt"):
            runs.setdefault("msgfmt --statistics", []).append(msgfmt(paths, "--statistics"))
            runs.setdefault("msgfmt -c", []).append(msgfmt(paths, "-c"))
    lines = []
    medians = {name: Timing(statistics.median(t.cpu for t in ts),
                            statistics.median(t.wall for t in ts),
                            statistics.median(t.rss_mb for t in ts))
               for name, ts in runs.items()}
    peer = {"status": "msgfmt --statistics", "check": "msgfmt -c", "build": "msgfmt --statistics"}
    for name, m in medians.items():
        step = name.split()[1].rstrip(",") if name.startswith("diglot") else ""
        ratio = (f"{m.cpu / medians[peer[step]].cpu:.2f}×"
                 if step and peer[step] in medians else "")
        lines.append(f"| {label} | {name} | {m.cpu:.2f} | {m.wall:.2f} | {m.rss_mb:.0f} | "
                     f"{ratio} |")
    if compare is not None:
        for arm in arms[1:]:
            same = same_tree(compare / label / "cold", compare / label / arm)
            lines.append(f"| {label} | outputs cold = {arm} | {'identical' if same else 'DIFFER'}"
                         " | | | |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="30000", help="corpus sentences ('' for none)")
    parser.add_argument("--large", default="", help="MB of the large input ('' for none)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/diglot-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="SRC", help="another checkout's src/, run beside")
    parser.add_argument("--compare", action="store_true",
                        help="compare the outputs of the cold, warm and baseline runs")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    compare = out / "catcache-outputs" if args.compare else None
    if compare is not None:
        shutil.rmtree(compare, ignore_errors=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f}; CPU = user + "
          "system of the child, medians of "
          f"{args.repeat}; ratio = CPU / msgfmt's (--statistics for status and build, -c for "
          "check)", flush=True)
    projects = [(corpus_project(out, int(s)), f"{int(s):,} one", False)
                for s in args.sizes.split(",") if s]
    projects += [(large_project(out, float(mb)), f"{float(mb):g} MB", True)
                 for mb in args.large.split(",") if mb]
    print("| project | command | CPU s | wall s | max RSS MB | / msgfmt |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for project, label, draft in projects:
        for line in measure(project, label, draft=draft, repeat=args.repeat,
                            baseline=args.baseline, compare=compare):
            print(line, flush=True)
    print(f"load at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
