#!/usr/bin/env python3
"""Benchmark diglot's sentence segmenter against its peers with the shared scorer.

Runs ``seg_eval.py`` (from the shared bench folder, default ``../shared/bench`` relative to the
repository root) as subprocesses with ``--json`` output: once for diglot in this interpreter,
once for the peers (razdel, pysbd, blingfire, sentencex, NLTK punkt, ...) in the interpreter
given by ``--python`` (e.g. a scratch virtualenv).  Then prints one table: per tool and
language, the pooled exact-match rate on the held-out Universal Dependencies files, the
kpk-2015 files, the golden-rule counts (``en.pysbd_golden_rules``, ``ru.pragmatic_segmenter``)
and the throughput in characters per second.

Throughput is measured by seg_eval on the language's case texts repeated to ``--speed-mb`` MB
and fed in pieces of about ``--chunk-kb`` KB; the default (0.001) feeds one block per call,
which is how diglot is used.  Peers that are not installed are reported as such.

Example::

    python bench/segmentation.py --python /tmp/peers/bin/python
    python bench/segmentation.py --no-speed --peers razdel,pysbd
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIGLOT = {"ru": "diglot.segment:split_ru", "en": "diglot.segment:split_en"}
DEFAULT_PEERS = "razdel,pysbd,blingfire,sentencex,nltk_punkt"
HELD_OUT = {"ru": ("ru.ud_pud", "ru.ud_gsd", "ru.ud_taiga"), "en": ("en.ud_pud", "en.ud_gum")}
GOLDEN = {"ru": "ru.pragmatic_segmenter", "en": "en.pysbd_golden_rules"}


def run_eval(python: str, bench: Path, args: list[str], opts: argparse.Namespace) -> dict[str, Any]:
    """Run seg_eval.py with ``args`` and return its JSON report (empty if it failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [python, str(bench / "seg_eval.py"), *args, "--json", str(out)]
        if opts.no_speed:
            cmd.append("--no-speed")
        else:
            cmd += ["--chunk-kb", str(opts.chunk_kb), "--speed-mb", str(opts.speed_mb)]
            cmd += ["--speed-budget", str(opts.speed_budget), "--speed-min", str(opts.speed_min)]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        except OSError as exc:
            sys.stderr.write(f"cannot run {python}: {exc}\n")
            return {}
        if proc.returncode != 0 or not out.exists():
            sys.stderr.write(proc.stderr[-2000:])
            return {}
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report


def rows(report: dict[str, Any], rename: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (tool, lang): counts per file stem and the throughput, from one seg_eval report."""
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for sc in report.get("scores", []):
        tool = rename.get(sc["tool"], sc["tool"])
        entry = table.setdefault((tool, sc["lang"]), {"files": {}, "speed": None, "error": ""})
        entry["files"][sc["file"].removesuffix(".jsonl")] = (sc["exact"], sc["cases"])
    for sp in report.get("speeds", []):
        tool = rename.get(sp["tool"], sp["tool"])
        entry = table.setdefault((tool, sp["lang"]), {"files": {}, "speed": None, "error": ""})
        if "error" in sp:
            entry["error"] = "not installed" if "unavailable" in sp["error"] else sp["error"]
        else:
            entry["speed"] = sp["chars_per_s"]
    return table


def pooled(files: dict[str, tuple[int, int]], stems: tuple[str, ...]) -> str:
    """Pooled exact-match rate over ``stems`` as "97.1 % (659/679)", "–" if none were scored."""
    got = [files[s] for s in stems if s in files]
    if not got:
        return "–"
    exact, cases = sum(g[0] for g in got), sum(g[1] for g in got)
    return f"{100 * exact / cases:.1f} % ({exact}/{cases})"


def count(files: dict[str, tuple[int, int]], stem: str) -> str:
    """Exact cases of one file as "36/37", "–" if it was not scored."""
    return f"{files[stem][0]}/{files[stem][1]}" if stem in files else "–"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (Markdown)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--python", default=sys.executable, help="interpreter with the peers")
    ap.add_argument("--peers", default=DEFAULT_PEERS, help="seg_adapters names, comma-separated")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--chunk-kb", type=float, default=0.001, help="0.001 = one block per call")
    ap.add_argument("--speed-mb", type=float, default=2.0)
    ap.add_argument("--speed-budget", type=float, default=30.0)
    ap.add_argument("--speed-min", type=float, default=2.0)
    ap.add_argument("--per-file", action="store_true", help="also print exact-match per file")
    opts = ap.parse_args(argv)

    bench = opts.shared.resolve()
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for lang, spec in DIGLOT.items():
        report = run_eval(sys.executable, bench, ["--seg", f"diglot={spec}", "--lang", lang], opts)
        table.update(rows(report, {}))
    peers = [p for p in opts.peers.split(",") if p]
    if peers:
        report = run_eval(opts.python, bench, ["--all", "--only", ",".join(peers)], opts)
        table.update(rows(report, {}))
    missing = [p for p in peers if not any(t == p for t, _ in table)]
    for peer in missing:
        for lang in ("ru", "en"):
            table[(peer, lang)] = {"files": {}, "speed": None, "error": "not installed"}

    lines = [
        "| tool | lang | held-out exact (pooled) | kpk-2015 | golden rules | chars/s | notes |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for (tool, lang), e in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0] != "diglot")):
        if lang not in HELD_OUT:
            continue
        speed = f"{e['speed']:,.0f}" if e["speed"] else "–"
        lines.append(
            f"| {tool} | {lang} | {pooled(e['files'], HELD_OUT[lang])} | "
            f"{count(e['files'], f'{lang}.diglot_kpk2015')} | {count(e['files'], GOLDEN[lang])} | "
            f"{speed} | {e['error']} |"
        )
    if opts.per_file:
        lines += ["", "| tool | file | exact |", "|---|---|---:|"]
        for (tool, _), e in sorted(table.items()):
            for stem, (exact, cases) in sorted(e["files"].items()):
                lines.append(f"| {tool} | {stem} | {100 * exact / cases:.1f} % ({exact}/{cases}) |")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
