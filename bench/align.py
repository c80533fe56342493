#!/usr/bin/env python3
"""Benchmark the sentence aligner on ``../shared/bench/align`` (Bible, ru–en) beside its peers.

For each set (``kjv|bbe`` × ``clean|perturbed``, 68 chapters each) the 68
document pairs are aligned in one batch and written as the scorer's JSONL
(one line per Russian segment, in order; a 2:1 link gives its English to the
first line and ``""`` to the next; English with no Russian partner is added to
the line before it), then scored with the benchmark's ``align_eval.py``.

Modes:

- ``--mode api`` (default): calls :func:`diglot.align.align_many` in-process;
  the time is the CPU time of reading, segmenting and aligning the 68 pairs.
- ``--mode cli``: builds a scratch project per set (``source/ru/<doc>.txt``,
  ``published/en/<doc>.txt``), runs ``diglot align --lang en`` once (batch)
  as a subprocess, reads every msgid → msgstr back from the PO files it writes
  and scores that (time: CPU of the child process, and its wall time).

hunalign's time is given both ways too: CPU of its processes, and wall time
around them (one process per document, which is what the peers' table in the
benchmark's README reports).  The machine is shared: CPU time is the figure
to compare; ``--repeat N`` reports the median of N runs.

Peers: ``--hunalign BIN`` runs hunalign (empty dictionary, one process per
document, as ``align_baselines.py`` does) and ``--peers-python PY`` runs
``align_baselines.py`` with that interpreter (it needs ``nltk``) for
Gale–Church; their figures are printed beside diglot's.  ``--growth`` prints
time per document for a chapter repeated 1× to 20×.  ``--baseline BIN`` (cli
mode) runs a second ``diglot`` (for instance a checkout of ``main``) on the same
scratch projects, alternating with this one, for before/after figures.

    python bench/align.py [--sets kjv/clean,...] [--mode api|cli] [--hunalign /tmp/hunalign]
                          [--peers-python /tmp/align-venv/bin/python] [--growth] [--repeat 3]
                          [--baseline /tmp/main-diglot]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

from diglot.align import Alignment, align_documents, align_many, align_many_explained
from diglot.model import Document
from diglot.sources import make_splitter, read_document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "align"
SETS = ("kjv/clean", "kjv/perturbed", "bbe/clean", "bbe/perturbed")


def _scorer(data: Path):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(data))
    import align_eval  # type: ignore[import-not-found]

    return align_eval


def _ids(folder: Path) -> list[str]:
    return sorted(p.name[: -len(".gold.json")] for p in folder.glob("*.gold.json"))


def _read_pairs(folder: Path, ids: list[str]) -> list[tuple[Document, Document]]:
    ru, en = make_splitter("ru"), make_splitter("en")
    return [(read_document(folder / f"{i}.ru.txt", name=i, lang="ru", splitter=ru),
             read_document(folder / f"{i}.en.txt", name=i, lang="en", splitter=en))
            for i in ids]


def to_lines(src: Document, tgt: Document, alignment: Alignment) -> list[dict[str, str]]:
    """The scorer's JSONL lines for one aligned document pair (see the module's docstring)."""
    s_text = [s.msgid for s in src.segments]
    t_text = [s.msgid for s in tgt.segments]
    lines: list[dict[str, str]] = []
    pending: list[str] = []
    for link in alignment.links:
        english = " ".join(t_text[k] for k in link.target)
        if not link.source:
            if lines:
                lines[-1]["tgt"] = " ".join(x for x in (lines[-1]["tgt"], english) if x)
            else:
                pending.append(english)
            continue
        for n, k in enumerate(link.source):
            tgt_text = " ".join([*pending, english]) if n == 0 else ""
            pending = []
            lines.append({"src": s_text[k], "tgt": tgt_text.strip()})
    return lines


def _cpu() -> float:
    return time.process_time()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_api(folder: Path, out: Path, *, batch: bool) -> float:
    ids = _ids(folder)
    start = _cpu()
    pairs = _read_pairs(folder, ids)
    alignments = align_many(pairs) if batch else [align_documents(s, t) for s, t in pairs]
    seconds = _cpu() - start
    out.mkdir(parents=True, exist_ok=True)
    for doc_id, (s, t), alignment in zip(ids, pairs, alignments, strict=True):
        with (out / f"{doc_id}.jsonl").open("w", encoding="utf-8") as f:
            for line in to_lines(s, t, alignment):
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return seconds


def run_cli(folder: Path, out: Path, diglot: str) -> tuple[float, float]:
    ids = _ids(folder)
    with tempfile.TemporaryDirectory(prefix="diglot-align-bench-") as tmp:
        project = Path(tmp)
        (project / "diglot.toml").write_text(
            'source_language = "ru"\ntarget_languages = ["en"]\n', encoding="utf-8")
        (project / "source" / "ru").mkdir(parents=True)
        (project / "published" / "en").mkdir(parents=True)
        for i in ids:
            shutil.copy(folder / f"{i}.ru.txt", project / "source" / "ru" / f"{i}.txt")
            shutil.copy(folder / f"{i}.en.txt", project / "published" / "en" / f"{i}.txt")
        before, started = _children_cpu(), time.perf_counter()
        subprocess.run([diglot, "align", "--lang", "en"], cwd=project, check=True,
                       capture_output=True)
        wall = time.perf_counter() - started
        seconds = _children_cpu() - before
        out.mkdir(parents=True, exist_ok=True)
        for i in ids:
            catalog = polib.pofile(str(project / "locales" / "en" / "LC_MESSAGES" / f"{i}.po"))
            with (out / f"{i}.jsonl").open("w", encoding="utf-8") as f:
                for entry in catalog:
                    if entry.obsolete or not entry.msgid:
                        continue
                    line = {"src": entry.msgid, "tgt": entry.msgstr}
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return seconds, wall


def run_hunalign(folder: Path, binary: str) -> tuple[float, float]:
    """(CPU, wall) seconds of hunalign over the set, fed as ``align_baselines.py`` feeds it.

    One process per document, as the peers' table measures it; CPU is the
    children's user + system time, wall the time around each ``subprocess`` call.
    """
    sys.path.insert(0, str(folder.parent.parent))
    import align_baselines  # type: ignore[import-not-found]

    cpu = wall = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        aligner = align_baselines.Hunalign(binary, False, tmp)
        for i in _ids(folder):
            ru = (folder / f"{i}.ru.txt").read_text(encoding="utf-8")
            en = (folder / f"{i}.en.txt").read_text(encoding="utf-8")
            rs = [ru[a:b] for blk in align_baselines.segment(ru) for a, b in blk]
            es = [en[a:b] for blk in align_baselines.segment(en) for a, b in blk]
            before, started = _children_cpu(), time.perf_counter()
            aligner.align([], [], rs, es)
            wall += time.perf_counter() - started
            cpu += _children_cpu() - before
    return cpu, wall


def calibration(folder: Path, align_eval, dump: Path | None  # type: ignore[no-untyped-def]
                ) -> list[tuple[float, bool]]:
    """(score, right) for every link with a Russian side: how well Link.score is calibrated.

    A link is right when its Russian and English text cover the same gold
    verses (verses deleted on the other side left out); a 1:0 link is right
    when its verses are deleted on the English side.  With ``dump``, the
    evidence behind each link is written there as JSONL (for fitting).
    """
    ids = _ids(folder)
    pairs = _read_pairs(folder, ids)
    out: list[tuple[float, bool]] = []
    rows = []
    for doc_id, (src, tgt), (alignment, evidence) in zip(
            ids, pairs, align_many_explained(pairs), strict=True):
        doc = align_eval.load_gold(str(folder / f"{doc_id}.gold.json"))
        ru = align_eval.Side(doc.ru_text, doc.ru_spans)
        en = align_eval.Side(doc.en_text, doc.en_spans)
        for link, ev in zip(alignment.links, evidence, strict=True):
            if not link.source:
                continue
            rv = ru.verses_of(ru.locate(" ".join(src.segments[k].msgid
                                                 for k in link.source))[0]) - doc.del_en
            if link.target:
                ev_ = en.verses_of(en.locate(" ".join(tgt.segments[k].msgid
                                                      for k in link.target))[0]) - doc.del_ru
                right = bool(rv) and rv == ev_
            else:
                right = not rv
            out.append((link.score, right))
            if dump is not None and ev is not None:
                rows.append({"score": link.score, "right": right, "di": len(link.source),
                             "dj": len(link.target), **{f: getattr(ev, f) for f in (
                                 "length", "hits", "misses", "name_misses", "word_misses",
                                 "checkable")}})
    if dump is not None:
        with dump.open("a", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    return out


def growth(folder: Path, doc_id: str, factors: list[int]) -> list[tuple[int, int, float, int]]:
    """(factor, segments, CPU seconds, DP cells) for one chapter repeated ``factor`` times."""
    ru_text = (folder / f"{doc_id}.ru.txt").read_text(encoding="utf-8")
    en_text = (folder / f"{doc_id}.en.txt").read_text(encoding="utf-8")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            rp, ep = Path(tmp) / "d.ru.txt", Path(tmp) / "d.en.txt"
            rp.write_text("\n".join([ru_text] * factor), encoding="utf-8")
            ep.write_text("\n".join([en_text] * factor), encoding="utf-8")
            src = read_document(rp, name="d", lang="ru", splitter=make_splitter("ru"))
            tgt = read_document(ep, name="d", lang="en", splitter=make_splitter("en"))
            start = _cpu()
            alignment = align_documents(src, tgt)
            rows.append((factor, len(src.segments), _cpu() - start, alignment.cells))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--mode", choices=("api", "cli"), default="api")
    ap.add_argument("--single", action="store_true", help="api mode: no batch lexicon")
    ap.add_argument("--diglot", default=str(Path(sys.executable).parent / "diglot"))
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "diglot-align-pred")
    ap.add_argument("--hunalign", help="hunalign binary: time it on the same documents")
    ap.add_argument("--baseline", help="cli mode: another diglot executable (say, main's), "
                    "run and scored beside this one, each repeat alternating the two")
    ap.add_argument("--peers-python", help="python with nltk: run align_baselines.py for peers")
    ap.add_argument("--repeat", type=int, default=1, help="median CPU time of N runs")
    ap.add_argument("--growth", action="store_true", help="time per document, 1x to 20x")
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--calibration", action="store_true",
                    help="share of links right per score band (api, batch)")
    ap.add_argument("--dump", type=Path, help="with --calibration: link evidence as JSONL")
    a = ap.parse_args(argv)
    align_eval = _scorer(a.data)
    if a.calibration:
        bands = [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01]
        heads = [f"{lo:.2f}–{hi:.2f}" for lo, hi in itertools.pairwise(bands)]
        print("| set | " + " | ".join(heads) + " |")
        print("| --- |" + " ---: |" * (len(bands) - 1))
        for name in a.sets.split(","):
            seen = calibration(a.data / name, align_eval, a.dump)
            cells = []
            for lo, hi in itertools.pairwise(bands):
                got = [right for score, right in seen if lo <= score < hi]
                cells.append(f"{sum(got) / len(got):.2f} ({len(got)})" if got else "–")
            print(f"| {name} | " + " | ".join(cells) + " |")
        return 0
    rows = []
    for name in a.sets.split(","):
        folder = a.data / name
        out = a.out / name / "diglot"
        times: list[tuple[float, float]] = []
        base_times: list[tuple[float, float]] = []
        for _ in range(a.repeat):
            if a.mode == "api":
                times.append((run_api(folder, out, batch=not a.single), math.nan))
            else:
                times.append(run_cli(folder, out, a.diglot))
                if a.baseline:
                    base_times.append(run_cli(folder, a.out / name / "baseline", a.baseline))
        times.sort()
        if base_times:
            base_times.sort()
            base_scores = [align_eval.score_doc(str(folder / f"{i}.gold.json"),
                                                str(a.out / name / "baseline" / f"{i}.jsonl"))
                           for i in _ids(folder)]
            base_total = align_eval.total(base_scores)
            cpu, wall = base_times[len(base_times) // 2]
            rows.append({"set": name, "aligner": "baseline (cli), CPU", "f1": base_total["f1"],
                         "entries": base_total["entries_right_share"], "seconds": cpu})
            rows.append({"set": name, "aligner": "baseline (cli), wall", "f1": None,
                         "entries": None, "seconds": wall})
        scores = [align_eval.score_doc(str(folder / f"{i}.gold.json"), str(out / f"{i}.jsonl"))
                  for i in _ids(folder)]
        total = align_eval.total(scores)
        if a.per_doc:
            for i, s in zip(_ids(folder), scores, strict=True):
                print(f"  {name} {i}: entries {s['entries_right']}/{s['entries']}")
        cpu, wall = times[len(times) // 2]
        rows.append({"set": name, "aligner": f"diglot ({a.mode}), CPU", "f1": total["f1"],
                     "entries": total["entries_right_share"], "seconds": cpu})
        if not math.isnan(wall):
            rows.append({"set": name, "aligner": f"diglot ({a.mode}), wall", "f1": None,
                         "entries": None, "seconds": wall})
        if a.hunalign:
            runs = sorted(run_hunalign(folder, a.hunalign) for _ in range(a.repeat))
            cpu, wall = runs[len(runs) // 2]
            rows.append({"set": name, "aligner": "hunalign, CPU", "f1": None, "entries": None,
                         "seconds": cpu})
            rows.append({"set": name, "aligner": "hunalign, wall", "f1": None, "entries": None,
                         "seconds": wall})
    if a.peers_python:
        peers_out = a.out / "peers"
        aligners = "gale-church" + (",hunalign" if a.hunalign else "")
        cmd = [a.peers_python, str(a.data / "align_baselines.py"), "--data", str(a.data),
               "--out", str(peers_out), "--aligners", aligners]
        if a.hunalign:
            cmd += ["--hunalign", a.hunalign]
        subprocess.run(cmd, check=True, capture_output=True, env={**os.environ,
                                                                  "PYTHONDONTWRITEBYTECODE": "1"})
        for r in json.loads((peers_out / "results.json").read_text()):
            rows.append({"set": f"{r['pair']}/{r['variant']}", "aligner": r["aligner"],
                         "f1": r["f1"], "entries": r["entries_right_share"],
                         "seconds": r["seconds"]})
    rows.sort(key=lambda r: (SETS.index(r["set"]) if r["set"] in SETS else 9, r["aligner"]))
    print("| set | aligner | F1 | entries right | time, s |")
    print("| --- | --- | ---: | ---: | ---: |")
    for r in rows:
        f1 = "" if r["f1"] is None else f"{r['f1']:.3f}"
        entries = "" if r["entries"] is None else f"{r['entries']:.3f}"
        print(f"| {r['set']} | {r['aligner']} | {f1} | {entries} | {r['seconds']:.2f} |")
    if a.growth:
        print("\n| × chapter | segments | CPU s | s per chapter | DP cells | cells per segment |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for factor, segs, secs, cells in growth(a.data / "kjv" / "clean", "Luke.01",
                                                [1, 2, 5, 10, 20]):
            print(f"| {factor} | {segs} | {secs:.3f} | {secs / factor:.4f} | {cells} | "
                  f"{cells / segs:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
