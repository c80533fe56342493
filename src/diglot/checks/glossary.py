"""Agreed terms: a source term found (in any inflected form) needs its agreed translation.

``glossary/<src>-<tgt>.tsv`` holds one term a line, tab-separated::

    # comments and blank lines are ignored
    КПК<TAB>CPK
    забастовка<TAB>strike<TAB>not "walkout"
    профсоюз<TAB>union | trade union

The first column is the source term (any form; it is matched by stems, see
:mod:`diglot.checks.stems`), the second its translation, alternatives
separated by ``|``, the optional third a note shown with the problem.  A
``.csv`` glossary has the same columns, comma-separated.  A first row naming
the two languages (``ru<TAB>en``) is taken as a header.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from diglot.checks.base import EntryContext, GlossaryTerm, Problem, Severity
from diglot.checks.stems import contains_term

NAME = "glossary"


def parse_glossary(text: str, *, path: Path, source_lang: str,
                   target_lang: str) -> tuple[tuple[GlossaryTerm, ...], list[Problem]]:
    """The terms of a glossary file, and a problem for each line that cannot be read."""
    delimiter = "," if path.suffix == ".csv" else "\t"
    terms: list[GlossaryTerm] = []
    problems: list[Problem] = []
    rows = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=csv.QUOTE_MINIMAL
                      if delimiter == "," else csv.QUOTE_NONE)
    first = True
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first and [c.casefold() for c in cells[:2]] == [source_lang.casefold(),
                                                           target_lang.casefold()]:
            first = False
            continue
        first = False
        targets = tuple(t.strip() for t in cells[1].split("|") if t.strip()) if len(
            cells) > 1 else ()
        if not cells[0] or not targets:
            sep = "a comma" if delimiter == "," else "a tab"
            problems.append(Problem(path=path, line=number, check=NAME, severity=Severity.ERROR,
                                    message=f"this line has no translation for "
                                            f"'{cells[0]}' — write the term, {sep}, then its "
                                            "translation"))
            continue
        terms.append(GlossaryTerm(source=cells[0], targets=targets, line=number,
                                  note=cells[2] if len(cells) > 2 else ""))
    return tuple(terms), problems


def check_glossary(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Glossary terms in the source whose agreed translation is absent from the translation."""
    problems = []
    for term in ctx.glossary:
        if not contains_term(source, term.source, ctx.source_lang):
            continue
        if any(contains_term(translation, t, ctx.target_lang) for t in term.targets):
            continue
        agreed = " or ".join(f"'{t}'" for t in term.targets)
        note = f" ({term.note})" if term.note else ""
        problems.append(ctx.warning(NAME, f"'{term.source}' is in the source but its agreed "
                                          f"translation {agreed} is not in the translation"
                                          f"{note}"))
    return problems
