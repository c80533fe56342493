#!/usr/bin/env python3
"""A catalog of realistic translations with planted faults, for comparing ``diglot check`` runs.

The project of ``pipeline.py --review-only`` (layout ``one``: one catalog of N
sentences, every msgstr :func:`pipeline.realistic`), then every third entry
mutated in one of the ways below (the kind cycles), so that every check has
findings and every fast path meets texts on both sides of its test:

- numbers: a digit changed, a number dropped, a number spelled out as a word
  (``two``: no finding), a decimal written ``9,5`` (two numbers in English),
  thousands regrouped, a date rewritten as ``03.08.2015``, a month name
  changed, a year range abbreviated;
- negation dropped or added; doubled spaces; leading or trailing whitespace;
  a bracket or quote left open; a Cyrillic word left in; the final mark
  changed or dropped; a URL added; a RIGHT-TO-LEFT OVERRIDE; emphasis and
  inline code dropped or added; a line break at the end;

and besides: every 50th entry fuzzy, every 97th with an ignore comment naming
an unknown check (and ``numbers``), every 301st with a ``fuzy`` flag, every
401st with ``# diglot: ignore all``.  With ``--crlf`` a copy of the project
whose catalog has CRLF line ends (the tolerant reader's path) is made too.

Compare two checkouts' findings on it with ``diglot check --format json``
(with and without ``--drafts``) and the text output, e.g.::

    python bench/check_corpus.py --sentences 30000 --out /tmp/diglot-bench-NAME
    cd /tmp/diglot-bench-NAME/mutated-30000
    PYTHONPATH=/tmp/old/src python -m diglot.cli check --format json > old.json

Deterministic: the same corpus and sizes give the same catalog.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import polib

from diglot.catalogs import read_catalog, render_catalog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import fill_realistic, new_project
from update import corpus

_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October"
                    r"|November|December)\b")
_DATE = re.compile(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September"
                   r"|October|November|December) (\d{4})\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_NEGATION = re.compile(r"\b(?:not|nor) ")
_FINAL = re.compile(r"([.!?…])([\"”»)*_]*)$")


def _change_digit(text: str) -> str:
    m = _DIGIT.search(text)
    if not m:
        return text + " 17"
    return text[:m.start()] + str((int(m.group()) + 3) % 10) + text[m.end():]


def _drop_number(text: str) -> str:
    m = _NUMBER.search(text)
    return text[:m.start()] + text[m.end():] if m else "In 2019, " + text


def _spell_two(text: str) -> str:
    return re.sub(r"\b2\b", "two", text, count=1) if re.search(r"\b2\b", text) else \
        text + " Two of them."


def _decimal_comma(text: str) -> str:
    if re.search(r"\d\.\d", text):
        return re.sub(r"(\d)\.(\d)", r"\1,\2", text, count=1)
    return text.replace(" ", " 9,5 ", 1)


def _regroup(text: str) -> str:
    if re.search(r"\d,\d{3}\b", text):
        return re.sub(r"(\d),(\d{3})\b", r"\1 \2", text, count=1)
    return re.sub(r"\b(\d)(\d{3})\b", r"\1,\2", text, count=1)


def _numeric_date(text: str) -> str:
    m = _DATE.search(text)
    if not m:
        return text.replace(" ", " on 03.08.2015 ", 1)
    day, month, year = int(m.group(1)), _MONTHS.index(m.group(2)) + 1, m.group(3)
    return f"{text[:m.start()]}{day:02d}.{month:02d}.{year}{text[m.end():]}"


def _change_month(text: str) -> str:
    m = _MONTH.search(text)
    if not m:
        return text.replace(" ", " in May 2020 ", 1)
    other = _MONTHS[(_MONTHS.index(m.group()) + 5) % 12]
    return text[:m.start()] + other + text[m.end():]


def _year_range(text: str) -> str:
    return text.replace(" ", " in 2011–12 ", 1)


def _negation(text: str) -> str:
    if _NEGATION.search(text):
        return _NEGATION.sub("", text, count=1)
    return text.replace(" ", " not ", 1)


def _double_space(text: str) -> str:
    return text.replace(" ", "  ", 1)


def _edges(text: str) -> str:
    return " " + text if len(text) % 2 else text + " "


def _open_bracket(text: str) -> str:
    return text.replace(" ", " (", 1)


def _open_quote(text: str) -> str:
    return text.replace(" ", " “", 1) if len(text) % 2 else text.replace(" ", " '", 1)


def _cyrillic(text: str) -> str:
    return text.replace(" ", " забастовка ", 1)


def _final(text: str) -> str:
    m = _FINAL.search(text)
    if not m:
        return text + "."
    return text[:m.start()] + ("!" if m.group(1) == "." else "") + m.group(2)


def _url(text: str) -> str:
    return text.replace(" ", " https://example.org/a1 ", 1)


def _rlo(text: str) -> str:
    return text.replace(" ", " \u202e", 1)


def _markup(text: str) -> str:
    if "**" in text or "`" in text or "[" in text:
        return text.replace("**", "", 2).replace("`", "").replace("](", "] (")
    return text.replace(" ", " *word* `code` ", 1)


def _newline(text: str) -> str:
    return text + "\n"


MUTATIONS: tuple[Callable[[str], str], ...] = (
    _change_digit, _negation, _double_space, _drop_number, _open_bracket, _cyrillic,
    _change_month, _final, _url, _spell_two, _rlo, _open_quote, _decimal_comma, _edges,
    _regroup, _markup, _numeric_date, _year_range, _newline,
)


def mutate(catalog: polib.POFile) -> int:
    """Plant the faults in ``catalog`` (in place); how many entries were mutated."""
    mutated = 0
    for index, entry in enumerate(e for e in catalog if not e.obsolete):
        if index % 3 == 2:
            entry.msgstr = MUTATIONS[(index // 3) % len(MUTATIONS)](entry.msgstr)
            mutated += 1
        if index % 50 == 49:
            entry.flags.append("fuzzy")
        if index % 97 == 96:
            entry.tcomment = "diglot: ignore numbers numbrs"
        if index % 301 == 300:
            entry.flags.append("fuzy")
        if index % 401 == 400:
            entry.tcomment = "diglot: ignore all"
    return mutated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=30000)
    parser.add_argument("--out", type=Path, required=True,
                        help="scratch folder outside the repository")
    parser.add_argument("--crlf", action="store_true", help="a CRLF copy too (mutated-N-crlf)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    folder = corpus(out, "ru", args.sentences)
    project = out / f"mutated-{args.sentences}"
    new_project(project, folder, "one")
    fill_realistic(project)
    path, = (project / "locales" / "en" / "LC_MESSAGES").glob("*.po")
    catalog = read_catalog(path)
    count = mutate(catalog)
    path.write_text(render_catalog(catalog), encoding="utf-8")
    print(f"{project}: {count} of {len(catalog)} entries mutated")
    if args.crlf:
        crlf = out / f"mutated-{args.sentences}-crlf"
        if crlf.exists():
            shutil.rmtree(crlf)
        shutil.copytree(project, crlf)
        copy = crlf / path.relative_to(project)
        copy.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        print(f"{crlf}: the same with CRLF line ends")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
