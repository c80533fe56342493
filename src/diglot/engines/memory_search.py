"""Finding a memory's close matches without scoring every source: the candidate search.

:class:`~diglot.engines.memory.TranslationMemory` indexes its sources by
*word runs* (:func:`index_keys`: three neighbouring words, each cut to its
first five letters), takes a sentence's candidates tier by tier from the
rows of its rarest runs (:func:`candidates`), and scores them with
rapidfuzz on one-byte renumbered copies of the texts (:class:`Narrow`);
sentences and sources of few words are compared with every source of a
length that can reach the similarity (:class:`ByLength`,
:func:`length_bounds`).  Pure functions of strings and row lists: the
memory holds the state.
"""

from __future__ import annotations

import bisect
import codecs
import math
import operator
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import TypeVar

from rapidfuzz import fuzz, process

T = TypeVar("T")

__all__ = ["FEW", "WORD", "ByLength", "Key", "Narrow", "best_first", "best_of", "build_postings",
           "candidates", "counted_tiers", "cut_words", "first_of_each", "gather", "index_keys",
           "length_bounds", "runs", "shared_by_all"]


class Narrow:
    """Copies of texts with their most frequent characters renumbered into one byte each.

    The up to 255 characters most frequent in a sample of the sources are
    given the code points 1–255 (NUL keeps 0), the characters those displace
    take the freed code points: a permutation of the characters, so two
    texts are equal at a position exactly where their copies are, and every
    score of the Indel similarity is unchanged.  A text made only of those
    characters becomes a one-byte (Latin-1) string, which rapidfuzz compares
    with a plain table instead of a hash map; any other text is renumbered
    all the same (:meth:`str.translate`) and compared as it comes.
    """

    _SAMPLE = 4096
    """Sources looked at for the frequencies (evenly spread): enough to see every common
    character; one missed is only compared the slower way."""

    def __init__(self, sources: Sequence[str]) -> None:
        counts: Counter[str] = Counter()
        for text in sources[::max(1, len(sources) // self._SAMPLE)]:
            counts.update(text)
        counts.pop("\0", None)
        top = [char for char, _ in counts.most_common(255)]
        codes = range(1, len(top) + 1)
        table = {ord(char): code for char, code in zip(top, codes, strict=True)}
        kept = set(top)
        freed = [ord(char) for char in top if ord(char) not in codes]
        displaced = [code for code in codes if chr(code) not in kept]
        table.update(zip(displaced, freed, strict=True))
        self._table = table
        back = {code: char for char, code in table.items()}
        self._map = codecs.charmap_build("".join(chr(back.get(i, i)) for i in range(256)))
        self.texts = [self.code(text) for text in sources]

    def code(self, text: str) -> str:
        """The renumbered copy of ``text``."""
        try:
            return codecs.charmap_encode(text, "strict", self._map)[0].decode("latin-1")
        except UnicodeEncodeError:  # a character outside the one-byte table
            return text.translate(self._table)


def candidates(postings: Sequence[list[int]]) -> Iterator[list[int] | set[int]]:
    """The rows to compare a sentence with, in tiers, none twice: the first round's each in
    memory order, a later round's as a set (it is compared mostly to find nothing).

    ``postings``: the rows of each of the sentence's keys, rarest key first.
    First the sources that share the most of the sentence's six rarest keys,
    then those sharing one fewer, down to one; then (if the sentence has
    more keys) those sharing one of the next six.  A tier is compared only
    if the ones before it held no match: in a large memory of similar
    sentences, a key of three common words is shared by hundreds of
    sources, almost none of them close, while the old version of a sentence
    edited in a word or two keeps most of its keys.

    The usual first tier, the sources sharing all six keys, is the rarest
    list narrowed list by list (:func:`shared_by_all`): a handful of
    look-ups.  Only when more is asked for (it held no match, or was empty)
    is every row counted, at once (:func:`counted_tiers`).
    """
    lists = list(postings[:_KEYS_PER_ROUND])  # shortest first
    if lists:
        top = len(lists)
        everywhere = shared_by_all(lists)
        if everywhere:
            yield everywhere
            top -= 1
        yield from counted_tiers(lists, top)
    seen = set().union(*lists)
    for start in range(_KEYS_PER_ROUND, min(len(postings), _KEYS_PER_ROUND * _MAX_ROUNDS),
                       _KEYS_PER_ROUND):
        fresh: set[int] = set()
        for rows in postings[start:start + _KEYS_PER_ROUND]:
            fresh.update(rows)
        yield fresh.difference(seen)
        seen.update(fresh)


def shared_by_all(lists: Sequence[list[int]]) -> list[int]:
    """The rows (ascending) in every one of ``lists`` (ascending each, the shortest first).

    The first list's rows are looked up in the next list, those found in the one after, and
    so on: by bisection while they are few, by a set once a list is short beside them.
    """
    rows = lists[0]
    for other in lists[1:]:
        if not rows:
            break
        if len(other) < _BISECT_OVER_SET * len(rows):
            rows = sorted(set(rows).intersection(other))
            continue
        kept = []
        for row in rows:  # bisect inline: the innermost loop
            at = bisect.bisect_left(other, row)
            if at < len(other) and other[at] == row:
                kept.append(row)
        rows = kept
    return rows


_BISECT_OVER_SET = 12
"""A bisection costs about as much as putting this many rows in a set (measured): rows are
looked up by bisection in a list this many times longer than they are, by a set otherwise."""


def counted_tiers(lists: list[list[int]], top: int) -> Iterator[list[int]]:
    """The tiers of ``top`` shared keys and fewer, every row of ``lists`` counted at once.

    Each tier is one pass over the counts (the first one usually holds the match), only for
    the counts that occur.
    """
    shared = Counter(chain.from_iterable(lists))
    for count in sorted({c for c in set(shared.values()) if c <= top}, reverse=True):
        yield sorted([row for row, n in shared.items() if n == count])


def best_first(found: tuple[float, int]) -> tuple[float, int]:
    """Sort key of ``(score, row)``: the higher score first, then the earlier row."""
    return -found[0], found[1]


class ByLength:
    """Sources sorted by length, so the ones a similarity allows are one slice of a list."""

    def __init__(self, pairs: list[tuple[int, int]], texts: Sequence[str] = ()) -> None:
        pairs.sort()
        self.lengths = [length for length, _ in pairs]
        self.rows = [row for _, row in pairs]
        self.texts = [texts[row] for row in self.rows]

    def best(self, text: str, low: int, high: int, similarity: int) -> tuple[float, int] | None:
        """The best ``(score, row)`` among the sources ``low``–``high`` characters long; a tie
        goes to the earliest row (the order of memory, not of length)."""
        start = bisect.bisect_left(self.lengths, low)
        stop = bisect.bisect_right(self.lengths, high)
        if start >= stop:
            return None
        texts = self.texts[start:stop]
        found = process.extractOne(text, texts, scorer=fuzz.ratio,
                                   score_cutoff=float(similarity))
        if found is None:
            return None
        # The best and whatever comes within a hair of it (rapidfuzz's cutoff is not exact at
        # the boundary), scored again in the order of memory: the first best wins.
        near = process.extract(text, texts, scorer=fuzz.ratio, limit=None,
                               score_cutoff=max(float(similarity), found[1] - _NEAR))
        ties = sorted({(self.rows[start + at], start + at) for _, _, at in near}
                      | {(self.rows[start + found[2]], start + found[2])})
        return best_of(text, [self.texts[at] for _, at in ties], [row for row, _ in ties],
                        similarity)


def best_of(text: str, choices: Sequence[str], rows: Sequence[int],
             similarity: int) -> tuple[float, int] | None:
    """The best ``(score, row)`` of ``choices`` (the sources of ``rows``): the first on a tie."""
    found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=float(similarity))
    if found is None:
        return None
    _, score, at = found
    return score, rows[at]


_NEAR = 0.001
"""Scores this close to the best are scored again in memory order (see :meth:`ByLength.best`):
enough for rapidfuzz's rounding at a cutoff; one let in needlessly is only scored once more."""


def length_bounds(length: int, similarity: int) -> tuple[int, int]:
    """The lengths a string can have to be ``similarity`` similar to one of ``length``.

    The normalised Indel similarity is at most 2·min / (sum of the lengths).
    """
    if similarity <= 0:
        return 0, sys.maxsize
    low = math.floor(length * similarity / (200 - similarity))
    high = math.ceil(length * (200 - similarity) / similarity)
    return low, high


_KEYS_PER_ROUND = 6
_MAX_ROUNDS = 2
FEW = 6
"""Sentences of fewer words (headings, short items) are compared by length, not by runs:
one edited word can take every run of a short sentence away."""
WORD = re.compile(r"\w+")
_CUT_WORD = re.compile(r"(\w{1,5})\w*")
"""A word (as :data:`WORD`) of which only its first five letters are kept."""


def cut_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, each cut to its first five letters."""
    return _CUT_WORD.findall(text.lower())


Key = tuple[str, str, str]
"""An index key: three neighbouring words, each cut to its first five letters (as a tuple, not
joined into one string: the tuples ``zip`` makes are the keys, in the order the joined strings
would sort, as no letter sorts before the space that would join them)."""


def first_of_each(units: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    """source -> (translation, where) of the first of ``units`` with each source: the memory's
    one place that drops later duplicates and units with an empty text."""
    exact: dict[str, tuple[str, str]] = {}
    for source, target, where in units:
        if source and target and source not in exact:
            exact[source] = (target, where)
    return exact


def gather(values: Sequence[T], rows: Sequence[int]) -> Sequence[T]:
    """``values`` at ``rows`` (at least one), in that order: with :func:`operator.itemgetter`,
    several times faster than a loop over the rows."""
    return operator.itemgetter(*rows)(values) if len(rows) > 1 else [values[rows[0]]]


def build_postings(rows: Iterable[tuple[int, str]]) -> tuple[dict[Key, list[int]], list[int]]:
    """The index of ``(row, source)`` pairs (rows ascending): each key's rows, ascending, a
    row once however often its source has the key; and the rows of the sources of fewer than
    :data:`FEW` words (found by length, not by keys)."""
    index: dict[Key, list[int]] = {}
    get = index.get
    short: list[int] = []
    for row, source in rows:
        cut = cut_words(source)
        if len(cut) < FEW:
            short.append(row)
        for key in zip(cut, cut[1:], cut[2:], strict=False):
            found = get(key)
            if found is None:
                index[key] = [row]
            elif found[-1] != row:  # a run twice in one source: its row once
                found.append(row)
    return index, short


def index_keys(text: str) -> list[Key]:
    """The index keys of a sentence: runs of three neighbouring words, each cut to five letters.

    A sentence of fewer than three words has none (one of fewer than six is found by its length).
    """
    return runs(cut_words(text))


def runs(cut: Sequence[str]) -> list[Key]:
    """The keys of a sentence's words, lower-cased and cut (see :func:`index_keys`)."""
    return list(zip(cut, cut[1:], cut[2:], strict=False))
