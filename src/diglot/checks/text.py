"""Copied and untranslated text, and whitespace the source does not have.

- ``identical``: a translation equal to its source where the two languages
  are written in different scripts (``msginit`` fills English catalogs this
  way); a text without letters of the source's script (``RCWP-CPSU``, a
  URL, a number) may stay as it is.
- ``untranslated``: words left in the source's script inside a translation
  written in another (a Cyrillic word in English), and capitalised names
  copied letter for letter into a translation in another script.  Acronyms
  (``RCWP-CPSU``), URLs and inline code are fine.
- ``whitespace``: doubled spaces, and leading or trailing whitespace that
  differs from the source's.
"""

from __future__ import annotations

import re

from diglot.checks.base import (
    EntryContext,
    Problem,
    char_script,
    language_script,
    strip_literals,
)
from diglot.patterns import WORD

IDENTICAL = "identical"
UNTRANSLATED = "untranslated"
WHITESPACE = "whitespace"


def _scripts(text: str) -> set[str]:
    return {s for s in map(char_script, set(text)) if s is not None}  # each character once


_ASCII = frozenset(map(chr, range(128)))


def _has_script(text: str, script: str) -> bool:
    """Whether ``text`` has a letter of ``script`` (``script in _scripts(text)``, cheaper: an
    ASCII character is a Latin letter or no letter, so only the others are looked up)."""
    if script == "LATIN":
        return script in _scripts(text)
    if text.isascii():
        return False
    return any(char_script(ch) == script for ch in set(text).difference(_ASCII))


def check_identical(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """A translation identical to a source written in another script."""
    if source.strip() != translation.strip():
        return []
    src_script = language_script(ctx.source_lang)
    tgt_script = language_script(ctx.target_lang)
    if src_script is None or src_script == tgt_script or src_script not in _scripts(
            strip_literals(source)):
        return []
    return [ctx.error(IDENTICAL, "the translation is a copy of the source: translate it, or "
                                 "leave it empty until it is translated")]


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def check_untranslated(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Words left in the source's script, and capitalised names copied across scripts."""
    src_script = language_script(ctx.source_lang)
    tgt_script = language_script(ctx.target_lang)
    if src_script is None or tgt_script is None or src_script == tgt_script:
        return []
    if source.strip() == translation.strip():
        return []  # the identical check says it once
    if not _has_script(translation, src_script):
        return []  # no letter of the source's script at all
    src_words = {m.group(0) for m in WORD.finditer(strip_literals(source))}
    left: list[str] = []
    for m in WORD.finditer(strip_literals(translation)):
        word = m.group(0)
        scripts = _scripts(word)
        if src_script not in scripts or word in left:
            continue
        if src_script != "LATIN" or (word in src_words and word[:1].isupper()
                                     and not _is_acronym(word)):
            left.append(word)
    if not left:
        return []
    shown = ", ".join(f"'{w}'" for w in left[:5]) + (" …" if len(left) > 5 else "")
    name = src_script.capitalize()
    return [ctx.warning(UNTRANSLATED, f"left in {name} script: {shown}",
                        hint="translate or transliterate")]


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def _doubled(text: str) -> bool:
    return ("  " in text or "\u00a0" in text) and bool(_DOUBLE_SPACE.search(text))


def _leading(text: str) -> str:
    """What ``^\\s*`` matches (str.isspace is regex ``\\s``), without a regex."""
    return text[:len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    """What ``\\s*$`` matches: the whole run of whitespace the text ends with."""
    return text[len(text.rstrip()):]


def check_whitespace(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Doubled spaces, and leading or trailing whitespace unlike the source's."""
    problems = []
    if _doubled(translation) and not _doubled(source):
        problems.append(ctx.warning(WHITESPACE, "doubled space in the translation"))
    if not (source[:1].isspace() or source[-1:].isspace() or translation[:1].isspace()
            or translation[-1:].isspace()):
        return problems  # no whitespace at either edge of either text: all four edges equal
    for where, edge in (("leading", _leading), ("trailing", _trailing)):
        src_space = edge(source)
        tgt_space = edge(translation)
        if src_space != tgt_space and "\n" not in src_space + tgt_space:
            problems.append(ctx.warning(WHITESPACE, f"{where} whitespace {tgt_space!r} differs "
                                                    f"from the source's {src_space!r}"))
    return problems
