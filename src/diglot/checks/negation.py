"""Negation parity: one dropped "not" turns a demand into its opposite.

A sentence with a negation on one side and none on the other is reported.
Only the presence of a negation is compared, not the count: Russian doubles
it (``никто не пришёл``) where English does not (``nobody came``).

Some negations are not negations, and some meanings are negative without a
negation word; the check knows the common cases:

- Russian expletive ``не`` after ``пока`` (``пока требования не будут
  выполнены`` = "until the demands are met") and in ``чуть не``, ``едва не``,
  ``не раз``, ``не только`` … is not counted;
- a word with a negative meaning (``prevent``, ``without``, ``refuse``,
  ``ban``; ``запрет``, ``без``, ``отказ``…) on the other side is accepted as
  carrying the negation (``не допустить`` = "prevent").

Languages other than Russian and English are not checked.
"""

from __future__ import annotations

import re
from functools import cache

from diglot.checks.base import EntryContext, Problem, strip_literals

NAME = "negation"

_RU_NEGATIONS = re.compile(
    r"(?<!\w)(?:не|ни|нет|нельзя|никогда|нигде|никуда|ниоткуда|никак|нисколько|ничуть"
    r"|никто|никого|никому|никем|ником|ничто|ничего|ничему|ничем|ничём|ни о чем|ни о чём"
    r"|никак\w*|ничь\w*|нечего|нечем|некого|некому|некем|негде|некуда)(?!\w)", re.IGNORECASE)
_RU_NOT_NEGATION = re.compile(
    r"(?<!\w)(?:(?:до тех пор,?\s+)?пока(?:\s+\w+){0,6}?\s+не|чуть(?:\s+было)?\s+не"
    r"|едва(?:\s+было)?\s+не|не\s+раз|не\s+только|не\s+без|не\s+менее|не\s+более)(?!\w)",
    re.IGNORECASE)
_RU_NEGATIVE_MEANING = re.compile(
    r"(?<!\w)(?:без|вне|против|запрет\w*|запрещ\w*|отказ\w*|отмен\w*|отрица\w*|отсутств\w*"
    r"|лиш\w*|предотвра\w*|прекра\w*|помешать|мешать|воспрепятств\w*|избе[гж]\w*|кроме)(?!\w)",
    re.IGNORECASE)

_EN_NEGATIONS = re.compile(
    r"(?<!\w)(?:not|no|never|none|nothing|nobody|no one|nowhere|neither|nor|cannot"
    r"|\w+n['’]t)(?!\w)", re.IGNORECASE)
_EN_NEGATIONS_PLAIN = re.compile(
    r"(?<!\w)(?:not|no|never|none|nothing|nobody|no one|nowhere|neither|nor|cannot)(?!\w)",
    re.IGNORECASE)
""":data:`_EN_NEGATIONS` for a text without an apostrophe (where ``\\w+n't`` cannot match)."""
_EN_NOT_NEGATION = re.compile(
    r"(?<!\w)(?:not only|no (?:less|more|sooner|doubt)|nothing but|not least)(?!\w)",
    re.IGNORECASE)
_EN_NEGATIVE_MEANING = re.compile(
    r"(?<!\w)(?:prevent\w*|without|refus\w*|fail\w*|den(?:y|ies|ied|ying)|lack\w*|unable"
    r"|avoid\w*|prohibit\w*|ban|bans|banned|banning|stop\w*|absen\w*|except"
    r"|rather than|unless|cancel\w*|abolish\w*|reject\w*|oppos\w*)(?!\w)",
    re.IGNORECASE)

_RU_NEGATIONS_SCAN = re.compile(
    r"н(?<!\w.)(?:е|и|ет|ельзя|икогда|игде|икуда|иоткуда|икак|исколько|ичуть"
    r"|икто|икого|икому|икем|иком|ичто|ичего|ичему|ичем|ичём|и о чем|и о чём"
    r"|икак\w*|ичь\w*|ечего|ечем|екого|екому|екем|егде|екуда)(?!\w)", re.IGNORECASE)
_EN_NEGATIONS_SCAN = re.compile(
    r"(?:n(?<!\w.)(?:ot|o|ever|one|othing|obody|o one|owhere|either|or)|c(?<!\w.)annot)(?!\w)",
    re.IGNORECASE)
"""The same matches as :data:`_RU_NEGATIONS` and :data:`_EN_NEGATIONS_PLAIN`, the first letter
taken out of the alternatives and written before the look-behind: the regex engine then skips
to the next ``н`` (``n``, ``c``) instead of trying every word at every position."""
_SCANS = {_RU_NEGATIONS: _RU_NEGATIONS_SCAN, _EN_NEGATIONS_PLAIN: _EN_NEGATIONS_SCAN}

_RULES = {
    "ru": (_RU_NEGATIONS, _RU_NOT_NEGATION, _RU_NEGATIVE_MEANING),
    "en": (_EN_NEGATIONS, _EN_NOT_NEGATION, _EN_NEGATIVE_MEANING),
}


@cache
def _rules(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    return _RULES.get(lang.split("-")[0].split("_")[0].casefold())


def negations(text: str, lang: str) -> list[str]:
    """The negation words of ``text`` (expletive ones left out); ``[]`` for other languages."""
    rules = _rules(lang)
    if rules is None:
        return []
    negation, not_negation, _ = rules
    if negation is _EN_NEGATIONS and "'" not in text and "’" not in text:
        negation = _EN_NEGATIONS_PLAIN  # no apostrophe: no "n't", one alternative fewer to try
    if not _SCANS.get(negation, negation).search(text):
        return []  # blanking literals and expletive uses only takes negations away
    text = not_negation.sub(" ", strip_literals(text))
    return [m.group(0) for m in negation.finditer(text)]


def negative_meaning(text: str, lang: str) -> bool:
    """Whether ``text`` has a word that carries a negation by its meaning (``prevent``)."""
    rules = _rules(lang)
    return bool(rules and rules[2].search(text))


def check_negation(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """A negation on one side with no negation (nor negative word) on the other."""
    if _rules(ctx.source_lang) is None or _rules(ctx.target_lang) is None:
        return []
    src = negations(source, ctx.source_lang)
    tgt = negations(translation, ctx.target_lang)
    if src and not tgt and not negative_meaning(translation, ctx.target_lang):
        return [ctx.warning(NAME, f"the source has a negation ('{src[0]}') but the translation "
                                  "has none: is the meaning inverted?")]
    if tgt and not src and not negative_meaning(source, ctx.source_lang):
        return [ctx.warning(NAME, f"the translation has a negation ('{tgt[0]}') but the source "
                                  "has none: is the meaning inverted?")]
    return []
