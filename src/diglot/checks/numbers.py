"""Numbers and dates: every one in the source must be in the translation, in any locale form.

Each text is reduced to a set of *facts* with a canonical key, so that the
forms a translator may rightly use compare equal:

- dates: ``03.08.2015``, ``3 August 2015``, ``August 3, 2015``, ``3 августа
  2015 г.``, ``2015-08-03`` → ``2015-08-03`` (month names from babel's CLDR
  data for the language, genitive forms included);
- year ranges: ``2011–2012`` and ``2011-12`` → 2011 and 2012;
- numbers in the language's own convention (babel's decimal and group
  symbols): ``9,5`` in Russian and ``9.5`` in English → 9.5; ``1 000`` and
  ``1,000`` → 1000; ``30 %`` and ``30%`` → 30;
- small numbers written as words (``two``, ``две``) stand for the digit.

Numbers inside URLs and inline code are left to the markup check.  Sets are
compared, not counts: a number said twice in the source may be said once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from diglot.checks.base import EntryContext, Problem, strip_literals

NAME = "numbers"


@dataclass(frozen=True)
class Fact:
    """A number or date found in a text: its canonical key and how it was written."""

    key: str
    shown: str
    value: Decimal | None = None


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, TypeError):
        return Locale.parse("en")


@cache
def _month_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, int]]:
    locale = _locale(lang)
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context=context, locale=locale).items():
                names[name.casefold().rstrip(".")] = number
    if locale.language == "ru":  # "в марте 2024 года": the prepositional case too
        for number, name in get_month_names("wide", context="stand-alone", locale=locale).items():
            names.setdefault(name.casefold().rstrip("ьй") + "е", number)
    if locale.language != "en":  # English dates are common in every language's texts
        for number, name in get_month_names("wide", locale="en").items():
            names.setdefault(name.casefold(), number)
    return re.compile(_trie(names), re.IGNORECASE), names


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by common prefix (``ма(?:рт(?:а)?|й|я)``).

    It matches what ``longest|…|shortest`` matches, in the same order (a longer word before
    a word it starts with), but the regex engine tries one branch per letter instead of
    every word at every position of the text.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return emit(root)


@cache
def _date_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    month = _month_pattern(lang)[0].pattern
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|-?(?:го|е|ое))?"
    year = r"(?P<year>[12]\d{3})"
    return tuple(re.compile(p, re.IGNORECASE) for p in (
        r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month_n>[01]?\d)\.(?P<year>[12]\d{3})(?![\d])",
        r"(?<![\d-])(?P<year>[12]\d{3})-(?P<month_n>[01]\d)-(?P<day>[0-3]\d)(?!\d)",
        rf"(?<![\w.]){day}\s+(?:of\s+)?(?P<month>{month})\.?(?:,?\s+{year})?(?!\w)",
        rf"(?<![\w.])(?P<month>{month})\.?\s+{day}(?:,?\s+{year})?(?![\w])",
        rf"(?<![\w.])(?P<month>{month})\.?\s+{year}(?!\d)",
    ))


_DIGIT = re.compile(r"\d")
_DOTTED_DATE = re.compile(r"\d\.[01]?\d\.\d")
_ISO_DATE = re.compile(r"\d-[01]\d-\d")
"""Shapes the first two date patterns need (digits joined by dots, by dashes)."""


@cache
def _month_word(lang: str) -> re.Pattern[str]:
    """A month's name as a whole word of a case-folded text.

    It finds one exactly when some ``\\w+`` word of the text is a key of
    :func:`_month_pattern`'s names: a name made of word characters, with none
    around it, is such a word (names with other characters never are one).
    """
    return re.compile(rf"(?<!\w){_trie(_word_month_names(lang))}(?!\w)")


@cache
def _word_month_names(lang: str) -> tuple[str, ...]:
    """The case-folded month names of :func:`_month_pattern` made only of word characters
    (the only ones that can be a word of a text)."""
    return tuple(name for name in _month_pattern(lang)[1] if re.fullmatch(r"\w+", name))


def _dates(text: str, lang: str) -> tuple[list[Fact], str]:
    """The dates in ``text`` and the text with them blanked out."""
    patterns = _date_patterns(lang)
    # Skip the patterns that cannot match: the first two need digits joined by . or -,
    # the others a month's name as a word (once the numeric dates are blanked out).
    facts: list[Fact] = []
    numeric = [pattern for pattern, shape in zip(patterns[:2], (_DOTTED_DATE, _ISO_DATE),
                                                  strict=True) if shape.search(text)]
    if numeric:
        facts, text = _find_dates(text, lang, numeric)
    if _month_word(lang).search(text.casefold()):
        more, text = _find_dates(text, lang, patterns[2:])
        facts.extend(more)
    return facts, text


def _find_dates(text: str, lang: str,
                patterns: Sequence[re.Pattern[str]]) -> tuple[list[Fact], str]:
    names = _month_pattern(lang)[1]
    facts: list[Fact] = []
    for pattern in patterns:
        def found(m: re.Match[str]) -> str:
            parts = m.groupdict()
            if parts.get("month_n"):
                month = int(parts["month_n"])
            else:
                month = names.get(parts["month"].casefold().rstrip("."), 0)
            day = int(parts["day"]) if parts.get("day") else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                return m.group(0)
            year = parts.get("year")
            key = f"date:{year or '-'}-{month:02d}" + (f"-{day:02d}" if day else "")
            facts.append(Fact(key=key, shown=m.group(0)))
            return " " * len(m.group(0))

        text = pattern.sub(found, text)
    return facts, text


_YEAR_RANGE = re.compile(r"(?<![\d.,])([12]\d{3})\s?[-–—]\s?(\d{2})(?![\d.,]\d|\d)")
_RANGE_SHAPE = re.compile(r"\d{4}\s?[-–—]\s?\d\d")


def _year_ranges(text: str) -> tuple[list[Fact], str]:
    """``2011-12`` (an abbreviated range of years) → 2011 and 2012."""
    facts: list[Fact] = []

    def found(m: re.Match[str]) -> str:
        first, second = m.group(1), m.group(2)
        if int(second) <= int(first[2:]):
            return m.group(0)
        end = first[:2] + second
        facts.append(Fact(key=f"num:{int(first)}", shown=first, value=Decimal(first)))
        facts.append(Fact(key=f"num:{int(end)}", shown=m.group(0), value=Decimal(end)))
        return " " * len(m.group(0))

    if "-" not in text and "–" not in text and "—" not in text:
        return facts, text
    if not _RANGE_SHAPE.search(text):  # what _YEAR_RANGE needs; a leading \d scans fast
        return facts, text
    return facts, _YEAR_RANGE.sub(found, text)


_SPACES = "[ \u00a0\u202f]"


@cache
def _separators(lang: str) -> tuple[str, str]:
    """The patterns of ``lang``'s group separator and of its decimal points."""
    locale = _locale(lang)
    group = get_group_symbol(locale)
    group_re = _SPACES if group.isspace() or group in "\u00a0\u202f" else re.escape(group)
    # The other separator is read as a decimal point too, unless it is this locale's group
    # symbol: "9.5" in a Russian text is 9.5, "9,5" in an English one is two numbers.
    decimals = {get_decimal_symbol(locale)} | ({".", ","} - {group})
    decimal_re = "[" + "".join(re.escape(d) for d in sorted(decimals)) + "]"
    return group_re, decimal_re


@cache
def _number_pattern(lang: str) -> re.Pattern[str]:
    group_re, decimal_re = _separators(lang)
    # No (?<!\d) in front: with finditer every match starts where a run of digits does (a
    # match never ends before a digit, and \d+ always matches at a run's start), and a
    # leading \d lets the regex engine skip to the next digit.
    return re.compile(
        rf"(?:(?P<grouped>\d{{1,3}}(?:{group_re}\d{{3}})+)(?!\d)"
        rf"|(?P<plain>\d+))(?:(?P<decimal>{decimal_re})(?P<fraction>\d+))?(?!\d)"
    )


_NOT_DIGIT = re.compile(r"\D")


def _numbers(text: str, lang: str) -> list[Fact]:
    fact = _number_fact
    return [fact(m.group(0), grouped, plain, fraction)
            for m in _number_pattern(lang).finditer(text)
            for grouped, plain, _, fraction in (m.groups(),)]


@lru_cache(maxsize=8192)
def _number_fact(shown: str, grouped: str | None, plain: str | None,
                 fraction: str | None) -> Fact:
    """The fact of one number as written (the same numbers recur: years, counts, percents;
    a fact is frozen, so one serves every text that writes the number alike)."""
    whole = plain or _NOT_DIGIT.sub("", grouped or "")
    if fraction:
        value = Decimal(f"{whole}.{fraction}")
        key = _canonical(value)
    else:  # a whole number: its canonical form is its int (the common case, kept cheap)
        value = Decimal(whole)
        key = str(int(whole))
    return Fact(key=f"num:{key}", shown=shown, value=value)


def _canonical(value: Decimal) -> str:
    normal = value.normalize()
    return format(normal, "f") if normal == normal.to_integral() else str(normal)


def numeric_facts(text: str, lang: str) -> list[Fact]:
    """The dates and numbers of ``text`` (a sentence in ``lang``) as comparable facts."""
    if not _DIGIT.search(text):  # no digit: no number nor date (words alone are not facts)
        return []
    rest = strip_literals(text)
    if rest is not text and not _DIGIT.search(rest):
        return []
    shapes = _cluster_shapes(lang)
    if shapes is None or shapes[1].search(rest.casefold()):
        return _all_facts(rest, lang)
    return _cluster_facts(rest, lang, shapes[0])


def _all_facts(rest: str, lang: str) -> list[Fact]:
    """The facts of a text with its literals blanked: every kind of date, then numbers."""
    dates, rest = _dates(rest, lang)
    ranges, rest = _year_ranges(rest)
    return [*dates, *ranges, *_numbers(rest, lang)]


# --- the same facts, a run of joined digits at a time ----------------------------------------
#
# Every pattern above (a numeric date, a year range, a number) matches digits joined by
# separators: '.', '-', a dash with a space either side or none, the locale's group and decimal
# symbols.  A *cluster* is a longest run of digits joined that way: every match lies inside
# one cluster.  What a match looks at around it is inside its cluster, or the character
# before the cluster (the lookbehinds: only '.', ',' and '-' there change anything), or after
# it, where nothing can change a match (a cluster ends where no separator and digit follow, so
# neither ``[.,]\d`` nor a decimal or group part can).  Blanking a match only turns characters
# of its cluster into spaces.  So, when no date by month name is possible, a text's facts are
# its clusters' facts, each worked out once (the same clusters recur text after text: cached)
# and gathered kind by kind in the order the whole-text passes find them.  Dates by month name
# are the exception: a month's name sits outside any cluster (``3 August``), so a text where
# one may be read takes :func:`_all_facts`.  ``tests/test_check_shortcuts.py`` compares both
# ways on random texts.


@cache
def _cluster_shapes(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """``lang``'s cluster pattern, and a pattern that finds every month name the whole-text
    passes could read (``None``: a month name with a digit in it, as ``1월``; no clusters).

    The second finds a month's name as a word whose neighbours are not letters (a digit
    may be one: blanking a numeric date turns its digits into spaces, and the whole-text
    passes look for month names after that).
    """
    names = _word_month_names(lang)
    if any(_DIGIT.search(name) for name in names):
        return None
    group_re, decimal_re = _separators(lang)
    cluster = re.compile(rf"\d+(?:(?:\s?[-–—]\s?|[.,]|{group_re}|{decimal_re})\d+)*")
    month = re.compile(rf"(?<![^\W\d]){_trie(names)}(?![^\W\d])")
    return cluster, month


_Kinds = tuple[tuple[Fact, ...], tuple[Fact, ...], tuple[Fact, ...], tuple[Fact, ...]]


def _cluster_facts(rest: str, lang: str, cluster: re.Pattern[str]) -> list[Fact]:
    dotted: list[Fact] = []
    iso: list[Fact] = []
    ranges: list[Fact] = []
    numbers: list[Fact] = []
    plain = _number_fact
    for m in cluster.finditer(rest):
        digits = m.group()
        if digits.isdecimal():  # one run of digits (what \d matches is decimal): a number
            numbers.append(plain(digits, None, digits, None))
            continue
        start = m.start()
        before = rest[start - 1] if start else ""
        kinds = _window_facts(before + digits if before in _LOOKED_AT else digits, lang)
        dotted += kinds[0]
        iso += kinds[1]
        ranges += kinds[2]
        numbers += kinds[3]
    return [*dotted, *iso, *ranges, *numbers]


_LOOKED_AT = frozenset(".,-")
"""The characters before a match that a pattern looks at (besides digits): a cluster's facts
are the same after any other character as at the start of a text.  After a cluster, no
pattern looks further than a character that is not a digit, nor joins one to it."""


_DOTTED_CLUSTER = re.compile(r"([0-3]?\d)\.([01]?\d)\.([12]\d{3})")
"""A cluster that is one dotted date and nothing else, as the first date pattern reads it
(a cluster starts with a digit, after nothing the pattern's look-behind refuses)."""


@lru_cache(maxsize=65536)
def _window_facts(window: str, lang: str) -> _Kinds:
    """A cluster's facts (after the character before it when a pattern looks at that one):
    dotted dates, ISO dates, year ranges, numbers."""
    date = _DOTTED_CLUSTER.fullmatch(window)
    if date:  # the common cluster (21.04.2013): the dotted date pattern takes all of it
        day, month = int(date.group(1)), int(date.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            key = f"date:{date.group(3)}-{month:02d}-{day:02d}"
            return (Fact(key=key, shown=window),), (), (), ()
    patterns = _date_patterns(lang)
    dotted: list[Fact] = []
    iso: list[Fact] = []
    if _DOTTED_DATE.search(window):  # the shape each date pattern needs, as in _dates
        dotted, window = _find_dates(window, lang, patterns[:1])
    if _ISO_DATE.search(window):
        iso, window = _find_dates(window, lang, patterns[1:2])
    ranges, window = _year_ranges(window)
    return tuple(dotted), tuple(iso), tuple(ranges), tuple(_numbers(window, lang))


_NUMBER_WORDS: dict[str, dict[int, str]] = {
    "en": {0: "zero|none", 1: "one|single|once|first", 2: "two|both|pair|twice|double\\w*"
           "|second", 3: "three|thrice|triple\\w*|third", 4: "four|fourth", 5: "five|fifth",
           6: "six|sixth", 7: "seven|seventh", 8: "eight|eighth", 9: "nine|ninth",
           10: "ten|tenth", 11: "eleven|eleventh", 12: "twelve|twelfth"},
    "ru": {0: "ноль|нуля|нулю|ни одн\\w*", 1: "од(?:ин|на|но|ного|ной|ному|ним|ном|ну)|перв\\w+",
           2: "два|две|двух|двум|двумя|оба|обе|обоих|вдвое|дважды|втор\\w+",
           3: "три|тр[её]х|тр[её]м|тремя|втрое|трижды|трет\\w+",
           4: "четыре|четыр[её]х|четыр[её]м|четырьмя|четв[её]рт\\w+", 5: "пят\\w*",
           6: "шест\\w*", 7: "сем(?:ь|и|ью)|седьм\\w+", 8: "вос(?:емь|ьми|емью)|восьм\\w+",
           9: "девят\\w*", 10: "десят\\w*", 11: "одиннадцат\\w*", 12: "двенадцат\\w*"},
}
"""Small numbers (and their ordinals) as words: they stand for a digit on the other side."""


def _spelled(value: Decimal | None, text: str, lang: str) -> bool:
    """Whether ``text`` spells out the small whole number ``value`` as a word."""
    words = _NUMBER_WORDS.get(lang.split("-")[0].split("_")[0])
    if value is None or words is None or value != value.to_integral():
        return False
    pattern = words.get(int(value))
    return bool(pattern and re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE))


def _shown(fact: Fact, lang: str) -> str:
    if fact.value is None:
        return fact.shown.strip()
    if fact.shown.strip() == _canonical(fact.value):
        return fact.shown.strip()
    return f"{fact.shown.strip()} ({format_decimal(fact.value, locale=_locale(lang))} in {lang})"


def _date_parts(key: str) -> Iterator[str]:
    for part in key.removeprefix("date:").split("-"):
        if part:
            yield f"num:{int(part)}"


def _settle_dates(missing: dict[str, Fact], extra: dict[str, Fact]) -> None:
    """A date written one way and its day, month and year written another way match."""
    for one, other in ((missing, extra), (extra, missing)):
        for key in [k for k in one if k.startswith("date:")]:
            parts = list(_date_parts(key))
            if len(parts) == 3 and all(p in other for p in parts):
                del one[key]
                for p in parts:
                    other.pop(p, None)


def check_numbers(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Numbers and dates of the source missing or changed in the translation."""
    src = {f.key: f for f in numeric_facts(source, ctx.source_lang)}
    tgt = {f.key: f for f in numeric_facts(translation, ctx.target_lang)}
    if src.keys() == tgt.keys():
        return []  # the same facts on both sides (or none at all): nothing to report
    missing = {k: f for k, f in src.items() if k not in tgt}
    extra = {k: f for k, f in tgt.items() if k not in src}
    _settle_dates(missing, extra)
    missing = {k: f for k, f in missing.items() if not _spelled(f.value, translation,
                                                                 ctx.target_lang)}
    extra = {k: f for k, f in extra.items() if not _spelled(f.value, source, ctx.source_lang)}
    problems = []
    if len(missing) == 1 and len(extra) == 1:
        (gone,), (came,) = missing.values(), extra.values()
        return [ctx.error(NAME, f"'{gone.shown.strip()}' in the source became "
                                f"'{came.shown.strip()}' in the translation")]
    for fact in missing.values():
        what = "date" if fact.key.startswith("date:") else "number"
        problems.append(ctx.error(NAME, f"{what} '{_shown(fact, ctx.target_lang)}' of the "
                                        "source is missing from the translation"))
    for fact in extra.values():
        what = "date" if fact.key.startswith("date:") else "number"
        problems.append(ctx.warning(NAME, f"{what} '{fact.shown.strip()}' is in the "
                                          "translation but not in the source"))
    return problems
