"""The checks' shortcuts (skipping a parse or a pattern that cannot match) change no finding."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from diglot.checks import base, bidi, negation, numbers, punctuation, text
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


_NUMERIC_PIECES = ["0", "1", "2", "7", "12", "03", "2015", "1997", "2011", "000", "123", "٣", " ",
                   " ",
                   "\u00a0", "\u202f", "\n", ".", ",", "-", "–", "—", "'", "’", "a", "й", "_",
                   "августа", "мая", "May", "may", "March", "mars", "März", "Juni", "of", "th",
                   "-го", "`", "](", "http://x.ru/1.2", "г.", "%", "1.5", "9,5", "1 000", "1,000",
                   "1.234,5", "12'345", "2011–12", "2011 - 13", "03.08.2015", "2015-08-03"]
_NUMERIC_TEXTS = st.lists(st.sampled_from(_NUMERIC_PIECES), max_size=16).map("".join)


def _facts(found: list[numbers.Fact]) -> list[tuple[str, str, str]]:
    return [(f.key, f.shown, str(f.value)) for f in found]


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_NUMERIC_TEXTS)
@example("03.08.2015мая 3")  # a month's name that blanking a date makes a word
@example("мая2015-08-03 3")
@example("00.08.2015, 31.13.2015, 32.1.2015, 1.1.2015")  # dates the date patterns refuse
def test_clusters_find_the_facts_the_whole_text_passes_find(text: str) -> None:
    """Facts gathered cluster by cluster are the whole-text passes' facts, in the same order."""
    for lang in ("ru", "en", "de", "fr", "de-CH", "uk", "ko"):
        rest = base.strip_literals(text)
        full = numbers._all_facts(rest, lang) if re.search(r"\d", rest) else []
        assert _facts(numbers.numeric_facts(text, lang)) == _facts(full)


def test_clusters_are_used_where_no_month_name_can_be_read() -> None:
    """A text with numbers and dates but no month's name takes the cluster path (cached);
    a language whose month names have digits (Korean ``1월``) never does."""
    numbers._window_facts.cache_clear()
    assert [f.key for f in numbers.numeric_facts("с 21.04.2013 г. 1 000 и 9,5 %", "ru")] == [
        "date:2013-04-21", "num:1000", "num:9.5"]
    assert numbers._window_facts.cache_info().misses == 3
    assert numbers._cluster_shapes("ko") is None
    assert numbers._cluster_shapes("ru") is not None


_WORD_PIECES = ["не", "Не", "НЕТ", "ни", "ни о чем", "никакой", "ничьё", "нечего", "нет", "н",
                "нельзя", "онемел", "не только", "not", "No", "NONE", "no one", "cannot",
                "Cannot", "nor", "n", "c", "none1", "1no", "_not", "knot", "nothing", "don't",
                "can’t", " ", "\n", ",", ".", "-", "'", "Рабочие", "workers", "ß", "İ", "K",
                "ſ", "x", "Ж", "é", "“", "”", "«", "»", "…", "?!", "!?", "...", "!", "?", ":",
                ";", ")", "*", "_", "`", "\u202e", "\u2066", "\u200f", "漢", "α", "ℕ"]
_WORD_TEXTS = st.lists(st.sampled_from(_WORD_PIECES), max_size=14).map("".join)


@settings(max_examples=800, deadline=None, derandomize=True)
@given(_WORD_TEXTS)
def test_word_shortcuts_find_what_the_full_patterns_find(sample: str) -> None:
    """Negation scans, script tests, final marks, directional controls: the same as the
    patterns and loops they stand for."""
    for full, scan in negation._SCANS.items():
        found, fast = full.search(sample), scan.search(sample)
        assert (found and found.span()) == (fast and fast.span())
    for script in ("CYRILLIC", "LATIN", "GREEK", "CJK"):
        assert text._has_script(sample, script) == (script in text._scripts(sample))
    mark = next((m for written, m in punctuation._ENDINGS
                 if sample.rstrip(punctuation._TRAILING).endswith(written)), "")
    assert punctuation.final_mark(sample) == mark
    assert bool(bidi.CONTROLS.intersection(sample)) == bool(
        not sample.isascii() and bidi._ANY_CONTROL.search(sample))
