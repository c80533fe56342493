#!/usr/bin/env python3
"""SIGKILL at random moments of ``diglot update`` and ``diglot build`` (issue 11).

A generated project of ``--sentences`` sentences (one Markdown document per
500 sentences) is taken through extract, update and a full translation.  Then,
``--kills`` times for each command:

- **update**: the sources switch between two versions (every tenth sentence
  edited) and ``diglot extract`` runs to the end; a reference copy of the
  project is updated to the end; the real ``diglot update`` is killed with
  SIGKILL after a random delay in [0, 1.2 × its calibrated duration].
- **build**: the catalogs switch between two complete translations; reference
  editions of both are built beforehand; the real ``diglot build`` is killed
  the same way.

After each kill: every catalog passes ``msgfmt --check`` and is byte-equal to
its state before the run or to the reference after it; every edition is
byte-equal to one of the two reference builds (none partial).  Then the next
run (a complete ``update`` or ``build``) must leave no ``*.diglot.tmp`` file
anywhere.  Exit status 0 when every check held.

Usage::

    python bench/kill.py                          # 20,000 sentences, 20 kills each
    python bench/kill.py --sentences 300 --kills 2  # the quick variant the tests run
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

DIGLOT = [sys.executable, "-m", "diglot.cli"]
PER_DOC = 500
WORDS = ("партия", "рабочих", "заявление", "забастовка", "власти", "народ", "право", "суд",
         "закон", "свобода", "требование", "профсоюз", "завод", "смена", "зарплата")


def sentences(n: int, seed: int, edited: bool) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
        if edited and i % 10 == 3:
            words.append("изменено")
        text = " ".join(words)
        out.append(f"{text[0].upper()}{text[1:]} {i}.")
    return out


def write_sources(root: Path, n: int, edited: bool) -> None:
    source = root / "source" / "ru"
    source.mkdir(parents=True, exist_ok=True)
    all_sentences = sentences(n, 7, edited)
    for d in range(0, n, PER_DOC):
        chunk = all_sentences[d:d + PER_DOC]
        paragraphs = [" ".join(chunk[i:i + 5]) for i in range(0, len(chunk), 5)]
        text = f"# Заявление {d // PER_DOC}\n\n" + "\n\n".join(paragraphs) + "\n"
        (source / f"doc{d // PER_DOC:03}.md").write_text(text, encoding="utf-8")


def diglot(root: Path, *argv: str) -> None:
    subprocess.run([*DIGLOT, "--project", str(root), *argv], check=True,
                   stdout=subprocess.DEVNULL, env=ENV)


def translate_all(root: Path, prefix: str) -> None:
    for path in (root / "locales").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if not entry.obsolete:
                entry.msgstr = f"{prefix} {entry.msgid}"
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = None
        po.save()


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".tmp")}


def catalogs(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(root / "locales").items() if k.endswith(".po")}


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp") if ".git" not in p.parts]


def timed(root: Path, *argv: str) -> float:
    start = time.monotonic()
    diglot(root, *argv)
    return time.monotonic() - start


def killed(root: Path, argv: tuple[str, ...], delay: float) -> bool:
    """Run ``diglot argv``, SIGKILL it after ``delay`` s; whether it was still running."""
    proc = subprocess.Popen([*DIGLOT, "--project", str(root), *argv],
                            stdout=subprocess.DEVNULL, env=ENV)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def msgfmt_check(path: Path) -> str | None:
    done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)],
                          capture_output=True, text=True)
    return done.stderr.strip() if done.returncode else None


ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764201600")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = args.out or Path(tempfile.mkdtemp(prefix="diglot-kill-"))
    root = work / "project"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "diglot.toml").write_text('source_language = "ru"\ntarget_languages = ["en"]\n',
                                      encoding="utf-8")
    write_sources(root, args.sentences, edited=False)
    diglot(root, "extract")
    diglot(root, "update")
    translate_all(root, "EN")
    failures: list[str] = []
    counts = {"update": 0, "build": 0}

    # update: the sources switch versions; the catalog must be the old or the new one.
    update_time = 0.0
    for i in range(args.kills + 1):
        write_sources(root, args.sentences, edited=i % 2 == 0)
        diglot(root, "extract")
        before = catalogs(root)
        reference = work / "reference"
        shutil.rmtree(reference, ignore_errors=True)
        shutil.copytree(root, reference, ignore=shutil.ignore_patterns(".diglot"))
        took = timed(reference, "update")
        after = catalogs(reference)
        if i == 0:  # calibration: the first update runs to the end
            update_time = took
            diglot(root, "update")
            continue
        counts["update"] += killed(root, ("update",), rng.uniform(0, 1.2 * update_time))
        print(f"update kill {i}", flush=True)
        for name, data in catalogs(root).items():
            if data not in (before.get(name), after.get(name)):
                failures.append(f"update kill {i}: {name} is neither before nor after")
            problem = msgfmt_check(root / "locales" / name)
            if problem:
                failures.append(f"update kill {i}: msgfmt --check {name}: {problem}")
        diglot(root, "update")  # the next run
        if temporaries(root):
            failures.append(f"update kill {i}: temporaries after the next run: "
                            f"{temporaries(root)[:3]}")

    # build: two complete translations, two reference builds; every file one or the other.
    translate_all(root, "EN")
    variants: list[tuple[dict[str, bytes], dict[str, bytes]]] = []
    for prefix in ("EN", "UK"):
        translate_all(root, prefix)
        build_time = timed(root, "build")
        variants.append((catalogs(root), snapshot(root / "editions")))
    for i in range(1, args.kills + 1):
        cats, _ = variants[i % 2]
        for name, data in cats.items():
            (root / "locales" / name).write_bytes(data)
        counts["build"] += killed(root, ("build",), rng.uniform(0, 1.2 * build_time))
        print(f"build kill {i}", flush=True)
        for name, data in snapshot(root / "editions").items():
            if data not in (variants[0][1].get(name), variants[1][1].get(name)):
                failures.append(f"build kill {i}: editions/{name} is partial or unknown")
        diglot(root, "build")  # the next run
        if temporaries(root):
            failures.append(f"build kill {i}: temporaries after the next run: "
                            f"{temporaries(root)[:3]}")
        if snapshot(root / "editions") != variants[i % 2][1]:
            failures.append(f"build kill {i}: the next build differs from the reference")

    print(f"{args.sentences} sentences; update {update_time:.2f} s, build {build_time:.2f} s "
          f"(wall); killed while running: update {counts['update']}/{args.kills}, "
          f"build {counts['build']}/{args.kills}")
    for failure in failures:
        print("FAIL", failure)
    print("ok" if not failures else f"{len(failures)} failures")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
