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
    mandatory break or a zero-width space (built once; from :data:`NOT_PLAIN` when it holds
    this Python's Unicode version)."""
    table = NOT_PLAIN.get(unicodedata.unidata_version)
    ranges = odd_ranges() if table is None else [
        (int(a, 16), int(b or a, 16)) for a, _, b in (r.partition("-") for r in table.split())]
    inside = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return f"\\x00-\\x1f\\x7f{inside}\\U00010000-\\U0010ffff"


_ALNUM = ("AL", "HL", "NU")
"""The classes of the letters and digits the fast path takes: no two of them break apart (a
letter of another class, such as the IPA stress mark U+02C8 (BB), is left to the general
path)."""


def odd_ranges() -> list[tuple[int, int]]:
    """The ranges of code points from U+0080 to U+FFFF that :func:`not_plain_class` matches,
    computed from :mod:`unicodedata` (about 30 ms: 65,408 characters looked at)."""
    ranges: list[tuple[int, int]] = []
    start = None
    for code in range(0x80, 0x10001):
        char = chr(code) if code < 0x10000 else ""
        odd = bool(char) and (_width(char) != 1 or _class(char) in ("CM", BK, "ZW") or (
            char.isalnum() and _class(char) not in _ALNUM))
        if odd and start is None:
            start = code
        elif not odd and start is not None:
            ranges.append((start, code - 1))
            start = None
    return ranges


NOT_PLAIN = {"14.0.0": """
80-9f ad 2c8 2cc 300-36f 378-379 380-383 38b 38d 3a2 483-489 530 557-558 58b-58c 590-5bd
5bf 5c1-5c2 5c4-5c5 5c7-5cf 5eb-5ee 5f5-605 610-61a 61c 64b-65f 670 6d6-6dd 6df-6e4
6e7-6e8 6ea-6ed 70e-70f 711 730-74c 7a6-7b0 7b2-7bf 7eb-7f3 7fb-7fd 816-819 81b-823
825-827 829-82f 83f 859-85d 85f 86b-86f 88f-89f 8ca-903 93a-93c 93e-94f 951-957 962-963
981-984 98d-98e 991-992 9a9 9b1 9b3-9b5 9ba-9bc 9be-9cd 9cf-9db 9de 9e2-9e5 9fe-a04
a0b-a0e a11-a12 a29 a31 a34 a37 a3a-a58 a5d a5f-a65 a70-a71 a75 a77-a84 a8e a92 aa9 ab1
ab4 aba-abc abe-acf ad1-adf ae2-ae5 af2-af8 afa-b04 b0d-b0e b11-b12 b29 b31 b34 b3a-b3c
b3e-b5b b5e b62-b65 b78-b82 b84 b8b-b8d b91 b96-b98 b9b b9d ba0-ba2 ba5-ba7 bab-bad
bba-bcf bd1-be5 bfb-c04 c0d c11 c29 c3a-c3c c3e-c57 c5b-c5c c5e-c5f c62-c65 c70-c76
c81-c83 c8d c91 ca9 cb4 cba-cbc cbe-cdc cdf ce2-ce5 cf0 cf3-d03 d0d d11 d3b-d3c d3e-d4d
d50-d53 d57 d62-d65 d80-d84 d97-d99 db2 dbc dbe-dbf dc7-de5 df0-df3 df5-e00 e31 e34-e3e
e47-e4e e5c-e80 e83 e85 e8b ea4 ea6 eb1 eb4-ebc ebe-ebf ec5 ec7-ecf eda-edb ee0-eff
f18-f19 f35 f37 f39 f3e-f3f f48 f6d-f84 f86-f87 f8d-fbd fc6 fcd fdb-fff 102b-103e
1056-1059 105e-1060 1062-1064 1067-106d 1071-1074 1082-108d 108f 109a-109d 10c6 10c8-10cc
10ce-10cf 1100-11ff 1249 124e-124f 1257 1259 125e-125f 1289 128e-128f 12b1 12b6-12b7 12bf
12c1 12c6-12c7 12d7 1311 1316-1317 135b-135f 137d-137f 139a-139f 13f6-13f7 13fe-13ff
169d-169f 16f9-16ff 1712-171e 1732-1734 1737-173f 1752-175f 176d 1771-177f 17b4-17d3
17dd-17df 17ea-17ef 17fa-17ff 180b-180f 181a-181f 1879-187f 1885-1886 18a9 18ab-18af
18f6-18ff 191f-193f 1941-1943 196e-196f 1975-197f 19ac-19af 19ca-19cf 19db-19dd 1a17-1a1d
1a55-1a7f 1a8a-1a8f 1a9a-1a9f 1aae-1b04 1b34-1b44 1b4d-1b4f 1b6b-1b73 1b7f-1b82 1ba1-1bad
1be6-1bfb 1c24-1c3a 1c4a-1c4c 1c89-1c8f 1cbb-1cbc 1cc8-1cd2 1cd4-1ce8 1ced 1cf4 1cf7-1cf9
1cfb-1cff 1dc0-1dff 1f16-1f17 1f1e-1f1f 1f46-1f47 1f4e-1f4f 1f58 1f5a 1f5c 1f5e 1f7e-1f7f
1fb5 1fc5 1fd4-1fd5 1fdc 1ff0-1ff1 1ff5 1fff 200b-200f 2028-202e 2060-206f 2072-2073 208f
209d-209f 20c1-20ff 218c-218f 231a-231b 2329-232a 23e9-23ec 23f0 23f3 2427-243f 244b-245f
25fd-25fe 2614-2615 2648-2653 267f 2693 26a1 26aa-26ab 26bd-26be 26c4-26c5 26ce 26d4 26ea
26f2-26f3 26f5 26fa 26fd 2705 270a-270b 2728 274c 274e 2753-2755 2757 2795-2797 27b0 27bf
2b1b-2b1c 2b50 2b55 2b74-2b75 2b96 2cef-2cf1 2cf4-2cf8 2d26 2d28-2d2c 2d2e-2d2f 2d68-2d6e
2d71-2d7f 2d97-2d9f 2da7 2daf 2db7 2dbf 2dc7 2dcf 2dd7 2ddf-2dff 2e5e-303e 3040-3247
3250-4dbf 4e00-a4cf a62c-a63f a66f-a672 a674-a67d a69e-a69f a6f0-a6f1 a6f8-a6ff a7cb-a7cf
a7d2 a7d4 a7da-a7f1 a802 a806 a80b a823-a827 a82c-a82f a83a-a83f a878-a881 a8b4-a8cd
a8da-a8f1 a8ff a926-a92d a947-a95e a960-a983 a9b3-a9c0 a9ce a9da-a9dd a9e5 a9ff aa29-aa3f
aa43 aa4c-aa4f aa5a-aa5b aa7b-aa7d aab0 aab2-aab4 aab7-aab8 aabe-aabf aac1 aac3-aada
aaeb-aaef aaf5-ab00 ab07-ab08 ab0f-ab10 ab17-ab1f ab27 ab2f ab6c-ab6f abe3-abea abec-abef
abfa-d7af d7c7-d7ca d7fc-d7ff f900-faff fb07-fb12 fb18-fb1c fb1e fb37 fb3d fb3f fb42 fb45
fbc3-fbd2 fd90-fd91 fdc8-fdce fdd0-fdef fe00-fe6f fe75 fefd-ff60 ff70 ff9e-ff9f ffbf-ffc1
ffc8-ffc9 ffd0-ffd1 ffd8-ffd9 ffdd-ffe7 ffef-fffb fffe-ffff
"""}
""":func:`odd_ranges` by Unicode version (hexadecimal, ``a-b`` or one code point), written
out so that a command does not compute it at every start; a test checks it against the
computation on a Python of that version."""


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
        if before.isalnum() and char.isalnum():
            return False  # plain letters and digits (AL, HL, NU) never break between themselves
        return _RULES[(_LETTER_OF.get(before) or _letter(before)) +
                      (_LETTER_OF.get(char) or _letter(char))] == "D"
    return _after_spaces(text, at)


def _after_spaces(text: str, at: int) -> bool:
    """Whether a line may break before ``text[at]``, which is not a space and follows one:
    unless the rule of what stands before the spaces forbids it (the rest of
    :func:`_opportunity`'s tests cannot forbid a letter or digit there: it follows no
    backslash)."""
    back = at - 2
    while back >= 0 and text[back] == " ":
        back -= 1
    if back < 0:
        return False
    before, char = text[back], text[at]
    return _RULES[(_LETTER_OF.get(before) or _letter(before)) +
                  (_LETTER_OF.get(char) or _letter(char))] != "P"


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
    size = len(portion)
    if size <= width:
        return [portion]
    forbidden = _forbidden(portion) if "\\" in portion else set()
    lines: list[str] = []
    start = 0
    while size - start > width:
        cut = start + width
        space = portion.rfind(" ", start, cut)
        if space >= start and portion[space + 1:cut + 1].isalnum():
            # no break between the letters and digits after the space (_opportunity): the
            # last chance is before the first of them
            if _after_spaces(portion, space + 1):
                lines.append(portion[start:space + 1])
                start = space + 1
                continue
            cut = space
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
