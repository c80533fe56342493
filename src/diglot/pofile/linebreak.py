"""Where GNU gettext breaks a long PO string: libunistring's UAX #14 line breaking.

GNU's writer asks libunistring (``ulc_width_linebreaks``) for the line breaks
of each escaped string portion: break opportunities from the Unicode
line-break classes and the UAX #14 pair table, then a greedy fill (as many
whole pieces per line as fit the width; a piece longer than the line stands
alone).  The opportunity after a backslash (inside an escape) and the one
before a closing ``\\n`` are forbidden.  This module mirrors that: a direct
transcription for any text (:func:`_breaks_general`) and a local test of
each candidate position for the usual text (width-1 characters, no
combining marks), which is what keeps writing large catalogs fast.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

CLASSES = ("OP", "CL", "CP", "QU", "GL", "NS", "EX", "SY", "IS", "PR", "PO", "NU", "AL", "HL",
           "ID", "IN", "HY", "BA", "BB", "B2", "ZW", "CM", "WJ")
"""The pair table's classes (libunistring's order); SP and BK are handled apart."""
_INDEX = {name: i for i, name in enumerate(CLASSES)}
_PAIRS = """
OP PPPPPPPPPPPPPPPPPPPPPPP
CL DPPIIPPPPIIDDDDIIIDDPIP
CP DPPIIPPPPIIIIIDIIIDDPIP
QU PPPIIIPPPIIIIIIIIIIIPIP
GL IPPIIIPPPIIIIIIIIIIIPIP
NS DPPIIIPPPDDDDDDIIIDDPIP
EX DPPIIIPPPDDDDDDIIIDDPIP
SY DPPIIIPPPDDIDIDIIIDDPIP
IS DPPIIIPPPDDIDDDIIIDDPIP
PR IPPIIIPPPDDIIIIIIIDDPIP
PO IPPIIIPPPDDIIIDIIIDDPIP
NU IPPIIIPPPIIIIIDIIIDDPIP
AL IPPIIIPPPIIIIIDIIIDDPIP
HL IPPIIIPPPIIIIIDIIIDDPIP
ID DPPIIIPPPDIDDDDIIIDDPIP
IN DPPIIIPPPDDDDDDIIIDDPIP
HY DPPIDIPPPDDIDDDIIIDDPIP
BA DPPIDIPPPDDDDDDIIIDDPIP
BB IPPIIIPPPIIIIIIIIIIIPIP
B2 DPPIIIPPPDDDDDDIIIDPPIP
ZW DDDDDDDDDDDDDDDDDDDDPDD
CM IPPIIIPPPIIIIIDIIIDDPIP
WJ IPPIIIPPPIIIIIIIIIIIPIP
"""
TABLE: tuple[str, ...] = tuple(row.split()[1] for row in _PAIRS.strip().split("\n"))
"""``TABLE[before][after]``: D a break, I a break only after spaces, P none."""

SP, BK = "SP", "BK"

_CHARS: dict[str, str] = {
    **dict.fromkeys("\t|\u00ad\u058a\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008"
                    "\u2009\u200a\u2010\u2012\u2013\u2027\u205f\u3000", "BA"),
    **dict.fromkeys("\n\v\f\r\x85\u2028\u2029", BK),
    " ": SP,
    **dict.fromkeys("!?\u203c\u203d\u2047\u2048\u2049\uff01\uff1f", "EX"),
    **dict.fromkeys(",.:;\u037e\u0589\u060c\u060d\u07f8\u2044\ufe10\ufe13\ufe14", "IS"),
    "\"": "QU", "'": "QU", "\u00ab": "QU", "\u00bb": "QU", "\u2018": "QU", "\u2019": "QU",
    "\u201b": "QU", "\u201c": "QU", "\u201d": "QU", "\u201f": "QU", "\u2039": "QU",
    "\u203a": "QU", "\u275b": "QU", "\u275c": "QU", "\u275d": "QU", "\u275e": "QU",
    "\u2e00": "QU", "\u2e01": "QU",
    **dict.fromkeys("0123456789", "NU"),
    **dict.fromkeys("([{\u00a1\u00bf\u201a\u201e\u2045\u207d\u208d", "OP"),
    ")": "CP", "]": "CP", "}": "CL",
    "-": "HY", "/": "SY",
    **dict.fromkeys("$+\\\u00a3\u00a4\u00a5\u00b1\u2116\u2212\u2213", "PR"),
    **dict.fromkeys("%\u00a2\u00b0\u2030\u2031\u2032\u2033\u2034\u2035\u2036\u2037\u2103"
                    "\u2109\u00a2", "PO"),
    **dict.fromkeys("\u00a0\u034f\u035c\u035d\u035e\u035f\u0360\u0361\u0362\u0f08\u0f0c"
                    "\u0f12\u180e\u2007\u2011\u202f", "GL"),
    "\u00b4": "BB", "\u02c8": "BB", "\u02cc": "BB", "\u02df": "BB",
    "\u2014": "B2", "\u200b": "ZW", "\u2060": "WJ", "\ufeff": "WJ",
    **dict.fromkeys("\u2024\u2025\u2026\ufe19", "IN"),
    **dict.fromkeys("\u3001\u3002\ufe50\ufe52\uff0c\uff0e\uff61\uff64", "CL"),
    **dict.fromkeys("\u203f\u2040\u30fb\u30fc\uff1a\uff1b\uff65\u3005\u301c\u303b\u309b"
                    "\u309c\u309d\u309e\u30a0\u30fd\u30fe\ua015\uff70\uff9e\uff9f", "NS"),
}
_CATEGORIES = {"Nd": "NU", "Mn": "CM", "Mc": "CM", "Me": "CM", "Cc": "CM", "Cf": "CM",
               "Zl": BK, "Zp": BK, "Zs": "BA", "Ps": "OP", "Pe": "CL", "Pi": "QU",
               "Pf": "QU", "Pd": "BA", "Sc": "PR"}


@lru_cache(maxsize=4096)
def line_class(char: str) -> str:
    """The line-break class libunistring gives ``char`` (ambiguous ones resolved as AL)."""
    return _class(char)


def _class(char: str) -> str:
    known = _CHARS.get(char)
    if known is not None:
        return known
    if char.isascii():
        return "AL"
    category = unicodedata.category(char)
    if category in _CATEGORIES:
        return _CATEGORIES[category]
    code = ord(char)
    if 0x0590 <= code <= 0x05FF and category == "Lo":
        return "HL"
    if unicodedata.east_asian_width(char) in ("W", "F") or 0x1F000 <= code <= 0x1FAFF:
        return "ID"
    return "AL"


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns ``char`` takes (libunistring's ``uc_width``; control characters 0)."""
    return _width(char)


def _width(char: str) -> int:
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc") or 0x1160 <= ord(char) <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_LETTERS = dict(zip((*CLASSES, SP, BK), "ocpqgnesirtuahdyzbvwxmj k", strict=True))
"""One letter per class: a pair of classes is a two-letter key of :data:`_RULES`."""
_RULES = {_LETTERS[before] + _LETTERS[after]: TABLE[i][j]
          for i, before in enumerate(CLASSES) for j, after in enumerate(CLASSES)}


_LETTER_OF: dict[str, str] = {}


def _letter(char: str) -> str:
    """The class letter of a plain character (cached)."""
    letter = _LETTER_OF.get(char)
    if letter is None:
        letter = _LETTER_OF[char] = _LETTERS[line_class(char)]
    return letter


@lru_cache(maxsize=1)
def not_plain_class() -> str:
    """The inside of a regex character class matching a character the fast path leaves to
    the general one: a control character, a width other than 1, a combining mark, a
    mandatory break or a zero-width space (built once)."""
    ranges: list[str] = []
    start = None
    for code in range(0x80, 0x10001):
        char = chr(code) if code < 0x10000 else ""
        odd = bool(char) and (_width(char) != 1 or _class(char) in ("CM", BK, "ZW"))
        if odd and start is None:
            start = code
        elif not odd and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    return f"\\x00-\\x1f\\x7f{''.join(ranges)}\\U00010000-\\U0010ffff"


@lru_cache(maxsize=1)
def _not_plain() -> re.Pattern[str]:
    """A character the fast path leaves to the general one (see :func:`not_plain_class`)."""
    return re.compile(f"[{not_plain_class()}]")


def _plain_text(text: str) -> bool:
    return (text.isascii() and text.isprintable()) or _not_plain().search(text) is None


def _forbidden(portion: str) -> set[int]:
    """Positions no break may precede: the character after an escape's backslash, and the
    backslash of a closing ``\\n``."""
    out: set[int] = set()
    at = portion.find("\\")
    while at >= 0:
        out.add(at + 1)
        at = portion.find("\\", at + 2)
    if portion.endswith("\\n") and len(portion) - 1 in out:
        out.add(len(portion) - 2)
    return out


def _opportunity(text: str, at: int, forbidden: set[int]) -> bool:
    """Whether a line may break before ``text[at]`` (fast path: plain characters only)."""
    char = text[at]
    if char == " " or at <= 0 or at in forbidden:
        return False
    before = text[at - 1]
    if before != " ":
        if before.isalpha() and char.isalpha():
            return False  # letters (AL, HL) never break between themselves
        return _RULES[_letter(before) + _letter(char)] == "D"
    back = at - 1
    while back >= 0 and text[back] == " ":
        back -= 1
    return back >= 0 and _RULES[_letter(text[back]) + _letter(char)] != "P"


def is_plain(portion: str) -> bool:
    """Whether the fast path can lay out ``portion`` (see :func:`_not_plain`)."""
    return _plain_text(portion)


def fits(portion: str, width: int, *, plain: bool | None = None) -> bool:
    """Whether ``portion`` takes at most ``width`` columns."""
    if _plain_text(portion) if plain is None else plain:
        return len(portion) <= width
    return sum(char_width(c) for c in portion) <= width


def has_break(portion: str, *, plain: bool | None = None) -> bool:
    """Whether ``portion`` has any line-break opportunity at all."""
    forbidden = _forbidden(portion) if "\\" in portion else set()
    if not (_plain_text(portion) if plain is None else plain):
        return "B" in _possible(portion, forbidden)
    after_space = portion.find(" ") + 1
    while 0 < after_space < len(portion):  # the usual opportunity: after a space
        if _opportunity(portion, after_space, forbidden):
            return True
        after_space = portion.find(" ", after_space) + 1
    return any(_opportunity(portion, at, forbidden) for at in range(1, len(portion)))


def wrap_portion(portion: str, width: int, *, plain: bool | None = None) -> list[str]:
    """``portion`` cut into lines of at most ``width`` columns where GNU cuts it."""
    if not (_plain_text(portion) if plain is None else plain):
        return _cut(portion, _breaks_general(portion, width))
    forbidden = _forbidden(portion) if "\\" in portion else set()
    size = len(portion)
    lines: list[str] = []
    start = 0
    while size - start > width:
        cut = start + width
        space = portion.rfind(" ", start, cut)
        if space >= start and portion[space + 1:cut + 1].isalnum() and \
                _opportunity(portion, space + 1, forbidden):
            # Letters and digits never break between themselves: the last chance is after
            # the last space, found without testing every letter of the word.
            lines.append(portion[start:space + 1])
            start = space + 1
            continue
        while cut > start and not _opportunity(portion, cut, forbidden):
            cut -= 1
        if cut == start:
            cut = start + width + 1
            while cut < size and not _opportunity(portion, cut, forbidden):
                cut += 1
            if cut >= size:
                break
        lines.append(portion[start:cut])
        start = cut
    lines.append(portion[start:])
    return lines


def _cut(text: str, breaks: list[int]) -> list[str]:
    bounds = [0, *breaks, len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


def _possible(text: str, forbidden: set[int]) -> list[str]:
    """libunistring's ``u8_possible_linebreaks`` per character: ``B`` break, ``M`` mandatory,
    ``-`` none (with the escape overrides applied)."""
    marks = ["-"] * len(text)
    last = BK
    seen_space: int | None = None
    seen_space2: int | None = None
    for i, char in enumerate(text):
        prop = line_class(char)
        if prop == BK:
            marks[i] = "M"
            last, seen_space, seen_space2 = BK, None, None
            continue
        target = i
        if prop == SP:
            seen_space2, seen_space = seen_space, i
            continue
        if prop == "ZW":
            last, seen_space, seen_space2 = "ZW", None, None
            continue
        if prop == "CM":
            if last == "ZW":
                marks[i] = "B"
                last = "ID"
                continue
            if seen_space is None:
                continue
            target, seen_space, prop = seen_space, seen_space2, "ID"
        if last == BK:
            marks[target] = "-"
        elif last == "ZW":
            marks[target] = "B"
        else:
            rule = TABLE[_INDEX[last]][_INDEX[prop]]
            if rule == "D" or (rule == "I" and seen_space is not None):
                marks[target] = "B"
        last, seen_space, seen_space2 = prop, None, None
    for at in forbidden:
        if at < len(marks):
            marks[at] = "-"
    return marks


def _breaks_general(text: str, width: int) -> list[int]:
    """libunistring's ``u8_width_linebreaks``: the positions where lines are cut."""
    marks = _possible(text, _forbidden(text) if "\\" in text else set())
    breaks: list[int] = []
    last_at: int | None = None
    column = piece = 0
    for i, char in enumerate(text):
        mark = marks[i]
        if mark in ("B", "M") and last_at is not None and column + piece > width:
            breaks.append(last_at)
            column = 0
        if mark == "M":
            last_at, column, piece = None, 0, 0
            continue
        if mark == "B":
            last_at = i
            column += piece
            piece = 0
        piece += char_width(char)
    if last_at is not None and column + piece > width:
        breaks.append(last_at)
    return sorted(set(breaks))
