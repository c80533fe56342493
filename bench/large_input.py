#!/usr/bin/env python3
"""Large sources through every step: is each one linear, and within 3 × msgfmt (issue 11)?

For each size (MB of UTF-8) and each shape,

- ``sentences``: one paragraph of Russian sentences (about 120 bytes each), one line;
- ``noend``: one line of comma-separated words with no sentence end at all,

a scratch project with that one source document runs ``diglot extract``,
``update``, ``status``, ``check`` and ``build --draft`` (every edition, the
catalog being untranslated) as the commands a user types, and
``msgfmt --statistics`` on the resulting catalog as the yardstick.  Then
(step ``translated``) every msgstr is filled as a translator would leave it
(``pipeline.fill_realistic``: a deterministic English-looking
transliteration, written by diglot's msgcat-shaped writer, no fuzzy flag) and
a plain ``build`` (publication rule, every edition, TMX and TSV) runs twice:
right after the save (the catalog cache cold: it parses and stores) and
again (warm), beside ``msgfmt --statistics`` on the filled catalog.  Each
figure is the CPU time (user + system) of the child process, Python start-up
included, so the shared 2-core machine's load does not enter it.  The table
gives seconds per step, the ratio to msgfmt, and seconds per MB (flat across
sizes = linear).

Usage::

    python bench/large_input.py                       # 5, 10, 20, 50 MB, both shapes
    python bench/large_input.py --sizes 1,2 --shapes noend
    python bench/large_input.py --sizes 20,50 --shapes noend --steps extract
                                    # msgfmt then reads the template
    python bench/large_input.py --sizes 5,20 --shapes sentences --steps extract,translated
                                    # extract, then the translated build only
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import fill_realistic

DIGLOT = [sys.executable, "-m", "diglot.cli"]
STEPS = (("extract",), ("update",), ("status",), ("check",), ("build", "--draft"))
WORDS = ("партия", "рабочих", "заявление", "забастовка", "власти", "народ", "право", "суд",
         "закон", "свобода", "требование", "профсоюз", "завод", "смена", "зарплата")


def make_source(path: Path, megabytes: float, shape: str) -> int:
    """Write the source; return its size in bytes."""
    rng = random.Random(11)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    i = 0
    while size < target:
        i += 1
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        piece = f"{text[0].upper()}{text[1:]} {i}." if shape == "sentences" else f"{text} {i},"
        parts.append(piece)
        size += len(piece.encode("utf-8")) + 1
    data = (" ".join(parts) + "\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)


def cpu_of(argv: list[str], timeout: float) -> tuple[float | None, float]:
    """CPU seconds (user + system) and wall seconds of one child; None CPU on timeout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    try:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1764201600"))
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,10,20,50", help="MB, comma-separated")
    parser.add_argument("--shapes", default="sentences,noend")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per step")
    parser.add_argument("--steps", default=",".join([*(s[0] for s in STEPS), "translated"]),
                        help="which steps to time (extract always runs; 'translated': "
                             "the build of the filled catalog, update runs for it)")
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="diglot-large-"))
    timed = {*args.steps.split(","), "extract"}
    steps = [s for s in STEPS if s[0] in timed]
    translated = "translated" in timed
    extra = (" | build, translated | build, translated, warm | msgfmt --statistics, translated"
             if translated else "")
    print("| shape | MB | segments | " + " | ".join(" ".join(s) for s in steps)
          + " | msgfmt --statistics" + extra + " | worst ratio | worst s/MB |")
    print("|" + " --- |" * (len(steps) + 6 + 3 * translated))
    for shape in args.shapes.split(","):
        for size in (float(s) for s in args.sizes.split(",")):
            root = work / f"{shape}-{size:g}"
            shutil.rmtree(root, ignore_errors=True)
            (root / "source" / "ru").mkdir(parents=True)
            (root / "diglot.toml").write_text(
                'source_language = "ru"\ntarget_languages = ["en"]\n', encoding="utf-8")
            nbytes = make_source(root / "source" / "ru" / "big.txt", size, shape)
            times: list[float | None] = []
            for step in STEPS:
                if step[0] not in timed and not (translated and step[0] == "update"):
                    continue
                cpu, _ = cpu_of([*DIGLOT, "--project", str(root), *step], args.timeout)
                if step[0] in timed:
                    times.append(cpu)
            catalog = root / "locales" / "en" / "LC_MESSAGES" / "big.po"
            if not catalog.is_file():  # extract only: msgfmt reads the template
                catalog = root / "locales" / "big.pot"
            msgfmt, _ = cpu_of(["msgfmt", "--statistics", "-o", os.devnull, str(catalog)],
                               args.timeout)
            segments = sum(1 for line in catalog.open(encoding="utf-8")
                           if line.startswith("msgid ")) - 1
            ratios = [t / msgfmt for t in times if t is not None and msgfmt]
            known = [t for t in times if t is not None]
            cells = [f"{t:.1f}" if t is not None else f">{args.timeout:g}" for t in times]
            if translated and catalog.suffix == ".po":
                fill_realistic(root)
                builds = []
                for _ in ("cold", "warm"):  # every edition written afresh by both
                    shutil.rmtree(root / "editions", ignore_errors=True)
                    builds.append(cpu_of([*DIGLOT, "--project", str(root), "build"],
                                         args.timeout)[0])
                peer, _ = cpu_of(["msgfmt", "--statistics", "-o", os.devnull, str(catalog)],
                                 args.timeout)
                cells += [f"{t:.1f}" if t is not None else f">{args.timeout:g}" for t in builds]
                cells.append(f"{peer or 0:.2f}")
                ratios += [t / peer for t in builds if t is not None and peer]
                known += [t for t in builds if t is not None]
            cells.insert(len(times), f"{msgfmt or 0:.2f}")
            ratio = f"{max(ratios):.1f}×" if ratios else "–"
            per_mb = f"{max(known) / (nbytes / 1e6):.2f}" if known else "–"
            print(f"| {shape} | {nbytes / 1e6:.1f} | {segments:,} | " + " | ".join(cells)
                  + f" | {ratio} | {per_mb} |", flush=True)
            shutil.rmtree(root, ignore_errors=True)
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
