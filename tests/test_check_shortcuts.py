"""The checks' shortcuts (skipping a parse or a pattern that cannot match) change no finding."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from diglot.checks import base, numbers, punctuation
from diglot.checks.base import EntryContext
from diglot.checks.markup import _signature
from diglot.inline import markup_signature
from diglot.model import SourceFormat
from diglot.patterns import URL

_CTX = EntryContext(path=Path("x.po"), line=1, source_lang="ru", target_lang="en")

_PIECES = ["Рабочие", "workers", " ", " ", "  ", ".", ",", "*", "**", "_", "`", "[", "]", "(",
           ")", "](", "<", ">", "!", "\n", "\\", "http://x.ru/a", "www.kprf.ru", "a@b.ru",
           "03.08.2015", "3.8.2015", "3 августа 2015 г.", "August 3, 2015", "2011-12", "2015-08-03",
           "9,5 %", "1 000", "12", "марте", "мая", "-", "–", "«", "»", "не", "not only",
           "МАРТА", "Maй", "май", "маяк", "sept", "Sept.", "May", "mayday", "июнь", "23.05.1997",
           "1997-05-3", "2015-8-03", "„", "“", "”", '"', "'", "’", "{", "}", "_x", "ß"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def _strip_literals_in_full(text: str) -> str:
    text = base._CODE.sub(" ", text)
    text = base._MD_LINK_TARGET.sub("] ", text)
    return URL.sub(" ", text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_TEXTS)
def test_shortcuts_find_what_the_full_work_finds(text: str) -> None:
    """Markup signature, stripped literals, dates, numbers: the same with and without shortcuts."""
    assert _signature(text, SourceFormat.MD) == markup_signature(text, SourceFormat.MD)
    assert base.strip_literals(text) == _strip_literals_in_full(text)
    for lang in ("ru", "en"):
        every_pattern = numbers._find_dates(text, lang, numbers._date_patterns(lang))
        assert numbers._dates(text, lang) == every_pattern
        uncached = [numbers._number_fact.__wrapped__(m.group(0), *m.group(1, 2, 4))
                    for m in numbers._number_pattern(lang).finditer(text)]
        assert numbers._numbers(text, lang) == uncached
        words = set(re.findall(r"\w+", text.casefold()))
        named = not numbers._month_pattern(lang)[1].keys().isdisjoint(words)
        assert bool(numbers._month_word(lang).search(text.casefold())) == named


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_TEXTS, _TEXTS)
def test_pairs_shortcut_finds_what_the_balances_find(source: str, translation: str) -> None:
    """A pair of texts without a quote or bracket has every balance 0 (nothing to report)."""
    found = punctuation.check_pairs(source, translation, _CTX)
    if not punctuation._PAIRED.search(source + translation):
        assert not found
        for text in (source, translation):
            assert punctuation._double_balance(text) == punctuation._single_balance(text) == 0
            assert all(punctuation._bracket_balance(text, o) == 0 for o in punctuation._BRACKETS)
