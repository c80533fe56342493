"""Word stems for matching glossary terms across inflection, without a new dependency.

Russian uses the Snowball Russian stemmer (Porter's algorithm as published at
snowballstem.org, written out here: ~80 lines), so that ``забастовка``,
``забастовки`` and ``забастовкой`` share the stem ``забастовк``.  English
strips plural and possessive endings (``strikes``, ``CPK’s``).  Other
languages are compared case-folded, with a short ending allowed.  Acronyms
(``КПК``, ``РКРП-КПСС``, ``CPK``) are never stemmed: only a lower-case case
ending written after them (``КПСС-а`` style) is dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diglot.checks.base import WORD

_RU_VOWELS = "аеиоуыэюя"
# Endings are listed longest first: Snowball removes the longest that matches.
_PERFECTIVE_GERUND_1: tuple[str, ...] = ("вшись", "вши", "в")
_PERFECTIVE_GERUND_2: tuple[str, ...] = ("ившись", "ывшись", "ивши", "ывши", "ив", "ыв")
_ADJECTIVE: tuple[str, ...] = (
    "ими", "ыми", "его", "ого", "ему", "ому", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой",
    "ем", "им", "ым", "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
)
_PARTICIPLE_1: tuple[str, ...] = ("ем", "нн", "вш", "ющ", "щ")
_PARTICIPLE_2: tuple[str, ...] = ("ивш", "ывш", "ующ")
_REFLEXIVE: tuple[str, ...] = ("ся", "сь")
_VERB_1: tuple[str, ...] = (
    "ете", "йте", "ешь", "нно", "ла", "на", "ли", "ем", "ло", "но", "ет", "ют", "ны", "ть", "й",
    "л", "н",
)
_VERB_2: tuple[str, ...] = (
    "ейте", "уйте", "ила", "ыла", "ена", "ите", "или", "ыли", "ило", "ыло", "ено", "ует", "уют",
    "ены", "ить", "ыть", "ишь", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ят", "ит", "ыт", "ую",
    "ю",
)
_NOUN: tuple[str, ...] = (
    "иями", "ями", "ами", "ией", "иям", "ием", "иях", "ев", "ов", "ие", "ье", "еи", "ии", "ей",
    "ой", "ий", "ям", "ем", "ам", "ом", "ах", "ях", "ию", "ью", "ия", "ья", "а", "е", "и", "й",
    "о", "у", "ы", "ь", "ю", "я",
)
_SUPERLATIVE = ("ейше", "ейш")
_DERIVATIONAL = ("ость", "ост")


def _regions(word: str) -> tuple[int, int]:
    """Start of RV and of R2 (Snowball's regions) in ``word``."""
    rv = len(word)
    for i, ch in enumerate(word):
        if ch in _RU_VOWELS:
            rv = i + 1
            break

    def after_vc(start: int) -> int:
        for i in range(start + 1, len(word)):
            if word[i] not in _RU_VOWELS and word[i - 1] in _RU_VOWELS:
                return i + 1
        return len(word)

    r1 = after_vc(0)
    return rv, after_vc(r1) if r1 < len(word) else len(word)


def _strip(rv: str, endings: tuple[str, ...], *, after_a: bool = False) -> str | None:
    """``rv`` without the longest of ``endings`` (preceded by а or я when ``after_a``)."""
    for ending in endings:  # longest first (see _longest_first)
        if rv.endswith(ending):
            head = rv[: -len(ending)]
            if after_a and not head.endswith(("а", "я")):
                continue
            return head
    return None


def _adjectival(rv: str) -> str | None:
    head = _strip(rv, _ADJECTIVE)
    if head is None:
        return None
    participle = _strip(head, _PARTICIPLE_1, after_a=True)
    if participle is None:
        participle = _strip(head, _PARTICIPLE_2)
    return participle if participle is not None else head


def russian_stem(word: str) -> str:
    """The Snowball Russian stem of ``word`` (lower case, ``ё`` read as ``е``)."""
    word = word.casefold().replace("ё", "е")
    rv_start, r2_start = _regions(word)
    prefix, rv = word[:rv_start], word[rv_start:]
    # Step 1
    head = _strip(rv, _PERFECTIVE_GERUND_1, after_a=True)
    if head is None:
        head = _strip(rv, _PERFECTIVE_GERUND_2)
    if head is not None:
        rv = head
    else:
        reflexive = _strip(rv, _REFLEXIVE)
        if reflexive is not None:
            rv = reflexive
        found = _adjectival(rv)
        if found is None:
            found = _strip(rv, _VERB_1, after_a=True)
        if found is None:
            found = _strip(rv, _VERB_2)
        if found is None:
            found = _strip(rv, _NOUN)
        if found is not None:
            rv = found
    # Step 2
    if rv.endswith("и"):
        rv = rv[:-1]
    # Step 3: derivational endings inside R2
    r2_in_rv = max(0, r2_start - rv_start)
    for ending in _DERIVATIONAL:
        if rv.endswith(ending) and len(rv) - len(ending) >= r2_in_rv:
            rv = rv[: -len(ending)]
            break
    # Step 4
    if rv.endswith("нн"):
        rv = rv[:-1]
    else:
        superlative = _strip(rv, _SUPERLATIVE)
        if superlative is not None:
            rv = superlative[:-1] if superlative.endswith("нн") else superlative
        elif rv.endswith("ь"):
            rv = rv[:-1]
    return prefix + rv


_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")


def english_stem(word: str) -> str:
    """``word`` without a plural or possessive ending, case-folded."""
    word = _POSSESSIVE.sub(lambda m: "s" if m.group(0).startswith("s") else "", word.casefold())
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_ACRONYM = re.compile(r"^((?:[^\W\d_a-zа-яё]|\d|-){2,}?)(?:-?[a-zа-яё]{1,3})?$")


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The stem used for glossary matching of ``word`` in ``lang``."""
    acronym = _ACRONYM.match(word)
    if acronym and sum(ch.isupper() for ch in acronym.group(1)) >= 2:
        return acronym.group(1).casefold()
    base = _base(lang)
    if base == "ru":
        return "-".join(russian_stem(part) for part in word.split("-"))
    if base == "en":
        return english_stem(word)
    return word.casefold()


@lru_cache(maxsize=8192)
def stems(text: str, lang: str) -> tuple[str, ...]:
    """The stems of every word in ``text``, in order."""
    return tuple(stem(m.group(0), lang) for m in WORD.finditer(text))


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].casefold()


def _close(word: str, term: str, base: str) -> bool:
    """Whether a word's stem matches a term word's stem (``base``: the language, ``ru``).

    Equal stems match.  In Russian a stem may also differ by a fleeting vowel or a
    final letter the stemmer read as an ending (``забастовок`` for ``забастовк``,
    ``казахстан`` for ``казахста``); in languages without a stemmer here, a word
    matches a term word it starts with followed by at most three letters.
    """
    if word == term:
        return True
    if base == "en" or len(term) < 4:
        return False
    if base == "ru":
        if not word.startswith(term[:-1]):
            return False
        common = len(term) if word.startswith(term) else len(term) - 1
        return len(word) - common <= 2
    return word.startswith(term) and len(word) - len(term) <= 3


def contains_term(text: str, term: str, lang: str) -> bool:
    """Whether ``text`` contains ``term`` in any inflected form (its stems, in a row)."""
    needle = stems(term, lang)
    hay = stems(text, lang)
    if not needle:
        return False
    base = _base(lang)
    first = needle[0]
    key = first[:-1] if base == "ru" and len(first) >= 4 else first
    for i in range(len(hay) - len(needle) + 1):
        if hay[i].startswith(key) and all(
                _close(w, n, base) for w, n in zip(hay[i:i + len(needle)], needle, strict=True)):
            return True
    return False
