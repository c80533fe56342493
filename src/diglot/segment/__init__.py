"""Sentence segmentation of one block of text (paragraph, heading, list item).

Russian and English have full rule sets, Ukrainian and Belarusian share the Cyrillic rules, and
every other language gets a generic fallback: sentence-final punctuation followed by a capital,
a digit or a quote, with common abbreviations and initials excepted.

>>> split_sentences("В 2011–2012 гг. партия участвовала в коалиции. Нынешний запрет…", "ru")
['В 2011–2012 гг. партия участвовала в коалиции.', 'Нынешний запрет…']
"""

from __future__ import annotations

from collections.abc import Iterable

from diglot.segment.rules import profile_for, spans

__all__ = ["sentence_spans", "split_en", "split_ru", "split_sentences"]


def sentence_spans(
    text: str, lang: str, *, extra_abbreviations: Iterable[str] = ()
) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one block of text, in order.

    Sentences never include leading or trailing whitespace; the text between consecutive spans
    is whitespace only (possibly empty, possibly with newlines), so the spans cover every
    non-space character.  A newline alone is not a boundary.  ``extra_abbreviations`` (such as
    "проф." or "approx.") never end a sentence.
    """
    extra = tuple(sorted(set(extra_abbreviations))) if extra_abbreviations else ()
    return spans(text, profile_for(lang, extra))


def split_sentences(text: str, lang: str, *, extra_abbreviations: Iterable[str] = ()) -> list[str]:
    """The sentences of one block of text: ``[text[a:b] for a, b in sentence_spans(...)]``."""
    return [
        text[a:b] for a, b in sentence_spans(text, lang, extra_abbreviations=extra_abbreviations)
    ]


def split_ru(text: str) -> list[str]:
    """Russian sentences of ``text`` (for the benchmark scorer)."""
    return [text[a:b] for a, b in spans(text, profile_for("ru"))]


def split_en(text: str) -> list[str]:
    """English sentences of ``text`` (for the benchmark scorer)."""
    return [text[a:b] for a, b in spans(text, profile_for("en"))]
