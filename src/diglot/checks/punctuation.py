"""Sentence-final punctuation, and quotes or brackets a translation leaves open.

The end of a sentence is read after closing quotes, brackets and Markdown
emphasis markers: ``«Руки прочь!»`` ends with ``!`` as does ``“Hands off!”``.
``...`` and ``…`` are the same mark, as are ``?!`` and ``!?``.

Quotes are compared by balance, not by kind (``«»`` in Russian, ``“”`` in
English): a sentence that opens a quotation in the source and closes it in the
next sentence may do the same in the translation; a translation whose balance
differs from the source's has a quote left open (or one closed that was never
opened).  An apostrophe (``Workers’``, ``CPK’s``) is not a closing quote.
"""

from __future__ import annotations

import re
from functools import cache

from diglot.checks.base import EntryContext, Problem, strip_literals
from diglot.segment import abbreviations as a

NAME = "punctuation"

_TRAILING = "\"'»«“”„‘’)]}*_` \t\n\u00a0"
_ENDINGS = (("?!", "?!"), ("!?", "?!"), ("...", "…"), ("…", "…"), ("!", "!"), ("?", "?"),
            (".", "."), (":", ":"), (";", ";"), (",", ","))
_NAMES = {"?!": "'?!'", "…": "an ellipsis", "!": "'!'", "?": "'?'", ".": "a full stop",
          ":": "a colon", ";": "a semicolon", ",": "a comma", "": "no final punctuation"}


def final_mark(text: str) -> str:
    """The sentence-final mark of ``text`` (``""`` when it has none)."""
    body = text.rstrip(_TRAILING)
    last = body[-1:]  # the first of _ENDINGS the body ends with, by its last character:
    if last == "!":
        return "?!" if body.endswith("?!") else "!"
    if last == "?":
        return "?!" if body.endswith("!?") else "?"
    if last == ".":
        return "…" if body.endswith("...") else "."
    return last if last and last in "…:;," else ""


def _compatible(source: str, target: str) -> bool:
    if source == target:
        return True
    # "?!" for "?" or "!" (and the reverse) keeps the sentence's mood; so does ":" for ".".
    pairs = {frozenset({"?!", "?"}), frozenset({"?!", "!"}), frozenset({":", "."})}
    return frozenset({source, target}) in pairs


@cache
def _final_abbreviations() -> frozenset[str]:
    """Abbreviations that may end a sentence (the segmenter's: ``etc.``, ``т. д.``, ``г.``)."""
    return frozenset({*a.LATIN_FINAL, *a.EN_FINAL, *a.EN_AFTER_NUMBER, *a.RU_FINAL,
                      *a.RU_FINAL_AFTER_AND, *a.RU_AFTER_NUMBER, *a.UK_FINAL,
                      *a.UK_AFTER_NUMBER})


def _abbreviated(text: str) -> bool:
    """Whether ``text`` ends with an abbreviation whose full stop is not a sentence's."""
    tail = re.sub(r"\.\s+", ".", text.rstrip(_TRAILING))
    match = re.search(r"(?:^|[^\w.])([\w.]+\.)$", tail)
    if not match:
        return False
    word = match.group(1)
    known = _final_abbreviations()
    return word in known or word.lower() in known or any(
        word.endswith(f".{k}") or word.lower().endswith(f".{k}") for k in known)


def check_final(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """A sentence ending in '.', '!', '?', '…' or '?!' ends the same way in translation."""
    src, tgt = final_mark(source), final_mark(translation)
    if _compatible(src, tgt):
        return []
    # "Москва, 2024 г." → "Moscow, 2024": the full stop was the abbreviation's
    if {src, tgt} == {".", ""} and (_abbreviated(source) or _abbreviated(translation)):
        return []
    message = f"the source ends with {_NAMES[src]}, the translation with {_NAMES[tgt]}"
    return [ctx.warning(NAME, message)]


_DOUBLE_CLOSE = "»”"
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_ANY_DOUBLE = re.compile("[«“„»”]")
_SINGLE = re.compile("[‘’']")


def _double_balance(text: str) -> int:
    """Opened minus closed double quotes (``“`` closes when ``„`` opened: German style)."""
    if not _ANY_DOUBLE.search(text):
        return text.count('"') % 2
    if "„" not in text:  # then “ always opens: the loop below adds up to these counts
        return (text.count("«") + text.count("“") - text.count("»") - text.count("”")
                + text.count('"') % 2)
    balance = 0
    low_open = 0
    for ch in text:
        if ch in "«„":
            balance += 1
            low_open += ch == "„"
        elif ch == "“":
            if low_open:
                low_open -= 1
                balance -= 1
            else:
                balance += 1
        elif ch in _DOUBLE_CLOSE:
            balance -= 1
    straight = text.count('"')
    return balance + straight % 2


def _single_balance(text: str) -> int:
    """Open ``‘`` (and ``'`` opening a word) not yet closed; a lone ``’`` is an apostrophe."""
    if "‘" not in text and "'" not in text:
        return 0
    open_count = 0
    for match in _SINGLE.finditer(text):  # only quotes change the count: visit those alone
        i, ch = match.start(), match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == "‘" or (ch == "'" and not before.isalnum() and after.isalpha()):
            open_count += 1
        elif ch in "’'" and open_count and not (before.isalpha() and after.isalpha()):
            open_count -= 1
    return open_count


def _bracket_balance(text: str, opener: str) -> int:
    return text.count(opener) - text.count(_BRACKETS[opener])


_PAIRED = re.compile("[\"«»“”„‘’'()\\[\\]{}]")
"""Every character a balance below counts: a text without one is balanced."""


def check_pairs(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Quotes and brackets balanced in the source are balanced in the translation."""
    if not _PAIRED.search(source) and not _PAIRED.search(translation):
        return []  # every balance is 0 on both sides (blanking literals only removes text)
    src, tgt = strip_literals(source), strip_literals(translation)
    problems = []
    for kind, balance in (("double quote", _double_balance), ("single quote", _single_balance)):
        a, b = balance(src), balance(tgt)
        if a != b:
            problems.append(ctx.error(NAME, _pair_message(kind, a, b)))
    for opener in _BRACKETS:
        a, b = _bracket_balance(src, opener), _bracket_balance(tgt, opener)
        if a != b:
            problems.append(ctx.error(NAME, _pair_message(f"bracket '{opener}'", a, b)))
    return problems


def _pair_message(kind: str, source: int, target: int) -> str:
    if target > source:
        return f"a {kind} is opened and not closed in the translation"
    return f"a {kind} is closed in the translation without being opened"

