"""Find quotations and parentheses that a sentence contains, so as not to split inside them.

«Мы не отступим! Мы добьёмся своего», — заявил он.  is one sentence: the quotation is a part
of it.  ``embedded_spans`` pairs opening and closing marks (« », „ “, “ ”, ‘ ’, straight double
quotes, parentheses) with a stack and returns the outermost pairs, as (open, close) offsets.
"""

from __future__ import annotations

import re

_MARKS = re.compile(r"[«»„“”\"()]")
# what follows a closing mark when the sentence goes on after the quotation
_GOES_ON = re.compile(r"[,;:]?\s*[-–—]+\s*[^\W\d_A-ZА-ЯЁ]|\s+[^\W\d_A-ZА-ЯЁ]|[.!?…]")
# closing mark -> opening marks it can close
_CLOSES: dict[str, str] = {"»": "«", "“": "„", "”": "“„", ")": "("}
_OPENING = frozenset("«„(")


def embedded_spans(text: str) -> list[tuple[int, int]]:
    """Outermost matched quotation and parenthesis pairs of ``text`` as (open, close) offsets."""
    if not _MARKS.search(text):
        return []
    stack: list[tuple[str, int]] = []
    out: list[tuple[int, int]] = []
    for m in _MARKS.finditer(text):
        c = m.group()
        i = m.start()
        if c == '"':
            if stack and stack[-1][0] == '"':
                _close(stack, out, i, text)
            elif i == 0 or not text[i - 1].isalnum():
                stack.append((c, i))
            continue
        if c in _OPENING:
            stack.append((c, i))
            continue
        opens = _CLOSES[c]
        if stack and stack[-1][0] in opens:
            _close(stack, out, i, text)
        elif c == "“":
            stack.append((c, i))  # English opening quote
    return out


def _close(stack: list[tuple[str, int]], out: list[tuple[int, int]], i: int, text: str) -> None:
    _, start = stack.pop()
    if not stack and _GOES_ON.match(text, i + 1):
        out.append((start, i))
