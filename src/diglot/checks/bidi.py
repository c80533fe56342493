"""Directional controls that make a text read otherwise than it is written.

An unclosed RIGHT-TO-LEFT OVERRIDE (U+202E) in one translation visibly
reverses every following sentence of its block in an edition, and nothing
in a PO editor shows it.  The ``bidi`` check reports, as errors:

- an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) left
  open or closed without being opened;
- a directional control (those, and the marks U+200E, U+200F, U+061C) the
  source does not have.

Editions never let such a control leak past its sentence:
:func:`diglot.bidi.balance_bidi` drops unmatched closers and closes what is left open.
"""

from __future__ import annotations

import re

from diglot.bidi import CONTROLS, balance_bidi, control_name, unbalanced
from diglot.checks.base import EntryContext, Problem

__all__ = ["BIDI", "CONTROLS", "balance_bidi", "check_bidi", "unbalanced"]

BIDI = "bidi"

_ANY_CONTROL = re.compile("[" + "".join(sorted(CONTROLS)) + "]")


def check_bidi(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Directional controls unbalanced in the translation, or absent from the source."""
    if translation.isascii() or not _ANY_CONTROL.search(translation):
        return []  # every control is outside ASCII
    problems = [ctx.error(BIDI, f"{what}: the text after it reads in another direction "
                                "in the editions — remove it") for what in unbalanced(translation)]
    extra = sorted({c for c in translation if c in CONTROLS
                    and translation.count(c) > source.count(c)})
    if extra:
        names = ", ".join(control_name(c) for c in extra)
        problems.append(ctx.error(BIDI, f"directional control not in the source: {names} — "
                                        "remove it unless the text needs it"))
    return problems
