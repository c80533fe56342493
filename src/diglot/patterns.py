"""Text patterns every stage must agree on: what a word is and what a bare URL is.

The status counts words, the checks compare words and URLs, the inline-markup layer keeps URLs
intact for DeepL: one definition each, so that they cannot drift apart.

>>> count_words("Руки прочь от КПК-2015 и её членов!")
7
>>> [m.group() for m in URL.finditer("See www.example.org/a, or write to a.b@example.org.")]
['www.example.org/a', 'a.b@example.org']
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
"""A word: letters and digits, with inner hyphens and apostrophes ("КПК-2015", "don’t")."""

LETTERS = re.compile(r"[^\W\d_]+")
"""A run of letters (no digits, no underscore): the words the aligner stems and compares."""

URL = re.compile(r"""(?:https?://|ftp://|www\.)[^\s<>"'«»“”)\]]+[^\s<>"'«»“”.,;:!?)\]]"""
                 r"""|[\w.+-]+@[\w-]+(?:\.[\w-]+)+""")
"""Bare URLs and e-mail addresses in plain text (trailing sentence punctuation excluded)."""


def may_hold_url(text: str) -> bool:
    """Whether :data:`URL` can match in ``text`` at all: every match has one of its prefixes
    (``://``, ``www.``) or an ``@`` (most sentences have none, and skip the search)."""
    return "@" in text or "://" in text or "www." in text


def count_words(text: str) -> int:
    """Words in a source segment (hyphenated and apostrophised words count once)."""
    return len(WORD.findall(text))
