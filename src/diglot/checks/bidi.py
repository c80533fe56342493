"""Directional controls that make a text read otherwise than it is written.

An unclosed RIGHT-TO-LEFT OVERRIDE (U+202E) in one translation visibly
reverses every following sentence of its block in an edition, and nothing
in a PO editor shows it.  The ``bidi`` check reports, as errors:

- an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) left
  open or closed without being opened;
- a directional control (those, and the marks U+200E, U+200F, U+061C) the
  source does not have.

Editions never let such a control leak past its sentence:
:func:`balance_bidi` drops unmatched closers and closes what is left open.
"""

from __future__ import annotations

import re
import unicodedata

from diglot.checks.base import EntryContext, Problem

BIDI = "bidi"

_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
_PDF = "\u202c"
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
_PDI = "\u2069"
_MARKS = "\u200e\u200f\u061c"  # LRM RLM ALM
CONTROLS = frozenset(_EMBEDDINGS + _PDF + _ISOLATES + _PDI + _MARKS)
"""Every directional formatting character."""
_ANY_CONTROL = re.compile("[" + "".join(sorted(CONTROLS)) + "]")


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


def unbalanced(text: str) -> list[str]:
    """What is wrong with the nesting of ``text``'s directional controls (empty: nothing)."""
    stack: list[str] = []
    wrong: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == _PDF:
            if stack and stack[-1] in _EMBEDDINGS:
                stack.pop()
            else:
                wrong.append(f"{_name(char)} closes nothing")
        elif char == _PDI:
            while stack and stack[-1] in _EMBEDDINGS:  # a PDI also closes embeddings inside it
                stack.pop()
            if stack:
                stack.pop()
            else:
                wrong.append(f"{_name(char)} closes nothing")
    wrong += [f"{_name(char)} is never closed" for char in stack]
    return wrong


def balance_bidi(text: str) -> str:
    """``text`` with unmatched closers dropped and open embeddings and isolates closed."""
    if not CONTROLS.intersection(text):
        return text
    stack: list[str] = []
    out: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == _PDF:
            if not stack or stack[-1] not in _EMBEDDINGS:
                continue
            stack.pop()
        elif char == _PDI:
            if not any(c in _ISOLATES for c in stack):
                continue
            while stack[-1] in _EMBEDDINGS:
                stack.pop()
            stack.pop()
        out.append(char)
    out += [_PDI if c in _ISOLATES else _PDF for c in reversed(stack)]
    return "".join(out)


def check_bidi(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Directional controls unbalanced in the translation, or absent from the source."""
    if translation.isascii() or not _ANY_CONTROL.search(translation):
        return []  # every control is outside ASCII
    problems = [ctx.error(BIDI, f"{what}: the text after it reads in another direction "
                                "in the editions — remove it") for what in unbalanced(translation)]
    extra = sorted({c for c in translation if c in CONTROLS
                    and translation.count(c) > source.count(c)})
    if extra:
        names = ", ".join(_name(c) for c in extra)
        problems.append(ctx.error(BIDI, f"directional control not in the source: {names} — "
                                        "remove it unless the text needs it"))
    return problems
