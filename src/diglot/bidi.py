"""Directional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): which
they are, whether a text nests them properly, and the text with them balanced.

The ``bidi`` check (:mod:`diglot.checks.bidi`) reports what :func:`unbalanced`
finds; the editions print every translation through :func:`balance_bidi`, so
that a control left open never reverses the sentences after it.  A leaf
module: the editions use it without loading the checks.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CONTROLS", "balance_bidi", "control_name", "unbalanced"]

_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
_PDF = "\u202c"
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
_PDI = "\u2069"
_MARKS = "\u200e\u200f\u061c"  # LRM RLM ALM
CONTROLS = frozenset(_EMBEDDINGS + _PDF + _ISOLATES + _PDI + _MARKS)
"""Every directional formatting character."""


def control_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a control as a message names it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()


def _nesting(text: str) -> tuple[list[str], list[str], list[str]]:
    """One walk over ``text``'s directional controls as UAX #9 pairs them: the text without
    its unmatched closers, those closers, and the openers left open (outermost first).

    A PDF closes the embedding or override opened last, if that is what is open; a PDI
    closes the last open isolate and every embedding opened inside it, and closes nothing
    (embeddings stay open) when no isolate is open.
    """
    stack: list[str] = []
    kept: list[str] = []
    stray: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == _PDF:
            if not stack or stack[-1] not in _EMBEDDINGS:
                stray.append(char)
                continue
            stack.pop()
        elif char == _PDI:
            if not any(c in _ISOLATES for c in stack):
                stray.append(char)
                continue
            while stack[-1] in _EMBEDDINGS:
                stack.pop()
            stack.pop()
        kept.append(char)
    return kept, stray, stack


def unbalanced(text: str) -> list[str]:
    """What is wrong with the nesting of ``text``'s directional controls (empty: nothing)."""
    _, stray, left_open = _nesting(text)
    return [f"{control_name(char)} closes nothing" for char in stray] + \
        [f"{control_name(char)} is never closed" for char in left_open]


def balance_bidi(text: str) -> str:
    """``text`` with unmatched closers dropped and open embeddings and isolates closed."""
    if text.isprintable() or not CONTROLS.intersection(text):  # every control is a format
        # character, so printable text (nearly every sentence) has none
        return text
    kept, _, left_open = _nesting(text)
    return "".join(kept + [_PDI if c in _ISOLATES else _PDF for c in reversed(left_open)])
