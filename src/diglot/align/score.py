"""What a sentence carries across a translation, and the price of pairing sentences.

Each segment is reduced once to :class:`Features`: its length, the word stems
a lexicon can look up, *anchors* that are written the same way (or
transliterated) in both languages — numbers and dates (read by the
``numbers`` check), names, URLs — its final punctuation, and its Markdown
marks.  :class:`Scorer` prices a link of a few consecutive source units with a
few target units as a cost (lower is better) and says how sure it is of a
link it chose (:meth:`Scorer.confidence`).

The cost adds:

- a Gale–Church length term (how unlikely the two lengths are for a
  translation, given the document pair's own length ratio);
- a prior for the step (1:1 is common, 1:0 rare);
- anchors: each shared one lowers the cost, each one found on a single side
  raises it;
- the lexicon: each source stem whose translation is on the other side, and
  each target stem whose source is, lowers the cost;
- final ``?``/``!``, headings, list items and Markdown marks that agree or disagree.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from diglot.align.lexicon import Lexicon, stems
from diglot.checks.base import strip_literals
from diglot.checks.numbers import numeric_facts
from diglot.patterns import LETTERS, URL

_DIGIT = re.compile(r"\d")
_LINK = re.compile(r"\]\(([^()\s]+)")
_EMPHASIS = re.compile(r"(?<![*\w])[*_](?=\w)")
_CODE = re.compile(r"`+")
_QUOTES = re.compile(r"[«»“”„\"]")
_BRACKETS = re.compile(r"[()\[\]]")

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
})
_SOUNDS = (("ph", "f"), ("th", "t"), ("kh", "h"), ("ck", "k"), ("c", "k"), ("q", "k"),
           ("w", "v"), ("j", "i"), ("y", "i"), ("x", "ks"))


@functools.lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """A loose spelling key for a name, equal for ``Петров`` and ``Petrov``, ``Пётр`` and ``Peter``.

    Cyrillic is transliterated, a few spellings of one sound are merged, and
    the key is the first letter followed by the first consonants.
    """
    latin = word.lower().translate(_TRANSLIT)
    for old, new in _SOUNDS:
        latin = latin.replace(old, new)
    head, rest = latin[:1], latin[1:]
    consonants = "".join(ch for ch in rest if ch not in "aeiouh")
    key = head + consonants
    deduped = "".join(ch for k, ch in enumerate(key) if k == 0 or ch != key[k - 1])
    return deduped[:4]


@dataclass(frozen=True, slots=True)
class Features:
    """What one segment (or a whole block) carries across a translation."""

    length: float
    stems: frozenset[str]
    anchors: frozenset[str]
    """Numbers, dates and URLs: written the same way in both languages."""
    names: frozenset[str]
    """Spelling keys of names and acronyms (weaker: often translated rather than spelled)."""
    final: str
    """The closing ``?`` or ``!``, else ``""``."""
    marks: tuple[int, ...]
    """Counts of Markdown strong, emphasis, code, links, quotes and brackets."""
    heading: bool = False
    item: bool = False
    """In a list item."""


def features(text: str, lang: str, *, heading: bool = False, item: bool = False) -> Features:
    """The features of one segment's text in ``lang``."""
    literal = "://" in text or "@" in text or "www." in text
    prose = strip_literals(text) if literal or "`" in text or "](" in text else text
    anchors = ({f"n:{fact.key}" for fact in numeric_facts(text, lang)}
               if _DIGIT.search(text) else set())
    if literal:
        anchors.update(f"u:{url}" for url in _LINK.findall(text))
        anchors.update(f"u:{m.group(0)}" for m in URL.finditer(text))
    names = set()
    words = LETTERS.findall(prose)
    for k, word in enumerate(words):
        if word.islower():
            continue  # neither an acronym nor capitalised (most words: skip them quickly)
        acronym = word.isupper() and len(word) > 1
        if acronym or (k and word[0].isupper() and len(word) > 3):
            names.add(name_key(word))
    end = text.rstrip(" \t*_»”\")")
    final = end[-1] if end and end[-1] in "?!" else ""
    marks = _marks(text)
    return Features(length=float(len(prose.replace(" ", "")) or 1), stems=stems(words, lang),
                    anchors=frozenset(anchors), names=frozenset(names), final=final, marks=marks,
                    heading=heading, item=item)


def _marks(text: str) -> tuple[int, ...]:
    """Counts of strong, emphasis, code, links, quotes and brackets in a text."""
    return (text.count("**") + text.count("__"),
            len(_EMPHASIS.findall(text)) if "*" in text or "_" in text else 0,
            len(_CODE.findall(text)) if "`" in text else 0,
            text.count("]("),
            len(_QUOTES.findall(text)),
            len(_BRACKETS.findall(text)))


def combine(items: Sequence[Features]) -> Features:
    """The features of consecutive units read as one."""
    if len(items) == 1:
        return items[0]
    return Features(
        length=sum(f.length for f in items),
        stems=frozenset().union(*(f.stems for f in items)),
        anchors=frozenset().union(*(f.anchors for f in items)),
        names=frozenset().union(*(f.names for f in items)),
        final=items[-1].final if items else "",
        marks=tuple(map(sum, zip(*(f.marks for f in items), strict=True))),
        heading=any(f.heading for f in items),
        item=any(f.item for f in items),
    )


# Priors: -log P(step) relative to 1:1, from Gale and Church's counts (1:1 89 %, 1:0 and 0:1
# 1 %, 2:1 and 1:2 9 %, 2:2 1 %), 1:3 and 3:1 as rare as a dropped sentence.
_PRIOR = {(1, 1): 0.0, (1, 0): 4.5, (0, 1): 4.5, (2, 1): 2.3, (1, 2): 2.3, (2, 2): 4.4,
          (1, 3): 6.0, (3, 1): 6.0, (1, 4): 7.5, (4, 1): 7.5}
_TABLE = 5
_PRIOR_TABLE = [[_PRIOR.get((di, dj), 6.0) for dj in range(_TABLE)] for di in range(_TABLE)]
"""``_PRIOR_TABLE[di][dj]`` is ``_PRIOR.get((di, dj), 6.0)``, looked up without a tuple."""
_ANCHOR_HIT, _ANCHOR_MISS, _NAME_MISS = 2.0, 2.0, 0.5
_WORD_HIT = 0.6
_PUNCT = 1.2
_MARK = 0.8
_HEADING = 2.0
_ITEM = 1.0
_MAX_LENGTH_COST = 25.0
_HOPELESS = 16.0
_SQRT2 = math.sqrt(2)
_sqrt, _erfc, _log = math.sqrt, math.erfc, math.log


def length_cost(src: float, tgt: float, ratio: float, variance: float = 9.0) -> float:
    """Gale–Church: -log of the two-tailed probability of this length difference."""
    mean = (src + tgt / ratio) / 2
    z = abs(ratio * src - tgt) / math.sqrt(mean * variance)
    tail = math.erfc(z / _SQRT2)
    return min(_MAX_LENGTH_COST, -math.log(tail)) if tail > 0 else _MAX_LENGTH_COST


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one link of the chosen path rests on (for its confidence)."""

    length: float
    """Gale–Church length cost (0 = lengths exactly as expected)."""
    hits: int
    """Anchors and lexicon words found on both sides."""
    misses: int
    """Numbers or URLs on one side only, final ``?``/``!`` or headings that disagree."""
    name_misses: int
    """Names on one side only (weak: acronyms and names are often translated, not spelled)."""
    word_misses: int
    """Stems the lexicon knows whose translation is not on the other side."""
    checkable: int
    """Stems the lexicon knows and anchors, on both sides: how much could have been found."""


class _Unit:
    """One or a few consecutive units read as one, with what the lexicon makes of them.

    The fields the cost reads, flat (no :class:`Features` is built for a
    combination: the cost is asked for tens of thousands of them per batch).
    """

    __slots__ = ("anchors", "final", "heading", "image", "item", "known", "listed", "marks",
                 "n_anchors", "n_names", "names", "stems")

    def __init__(self, f: Features) -> None:
        self.stems, self.anchors, self.names = f.stems, f.anchors, f.names
        self.n_anchors, self.n_names = len(f.anchors), len(f.names)
        self.marks, self.heading, self.item, self.final = f.marks, f.heading, f.item, f.final
        self.image: frozenset[str] = frozenset()
        """The stems of the other language the lexicon lists for these stems."""
        self.listed: frozenset[str] = frozenset()
        """The stems of these the lexicon lists."""
        self.known = 0
        """``len(listed)``."""

    def then(self, nxt: _Unit) -> _Unit:
        """This unit and the next one read as one (what a lexicon made of both, united)."""
        out = _Unit.__new__(_Unit)
        out.stems = self.stems | nxt.stems
        if nxt.anchors:
            out.anchors = self.anchors | nxt.anchors
            out.n_anchors = len(out.anchors)
        else:
            out.anchors, out.n_anchors = self.anchors, self.n_anchors
        if nxt.names:
            out.names = self.names | nxt.names
            out.n_names = len(out.names)
        else:
            out.names, out.n_names = self.names, self.n_names
        out.marks = tuple(map(operator.add, self.marks, nxt.marks))
        out.heading = self.heading or nxt.heading
        out.item = self.item or nxt.item
        out.final = nxt.final
        out.image = self.image | nxt.image
        out.listed = self.listed | nxt.listed
        out.known = len(out.listed)
        return out


_NO_EVIDENCE = Evidence(length=0.0, hits=0, misses=0, name_misses=0, word_misses=0, checkable=0)


def _running(items: Sequence[Features]) -> list[float]:
    """``[0, l0, l0 + l1, …]``: the length of ``items[a:b]`` is ``out[b] - out[a]``."""
    out = [0.0]
    for f in items:
        out.append(out[-1] + f.length)
    return out


FIXED_STEPS: dict[tuple[int, int], float] = {(1, 0): _PRIOR[1, 0], (0, 1): _PRIOR[0, 1]}
"""Steps whose cost is a constant (a unit with no partner): the search need not ask for it."""


class Scorer:
    """Prices links between the units of one document pair.

    :attr:`cost` is a closure over the pair's running lengths and units (the search
    calls it tens of thousands of times per batch: its state is in locals, not looked
    up on ``self``).
    """

    def __init__(self, src: Sequence[Features], tgt: Sequence[Features], *,
                 lexicon: Lexicon | None, ratio: float, variance: float = 9.0,
                 blocks: bool = False) -> None:
        self.src, self.tgt = src, tgt
        self.blocks = blocks
        """Units are blocks: merging headings or list items is unlikely."""
        self.lexicon = lexicon if lexicon is not None and len(lexicon) else None
        self.ratio = ratio
        self.variance = variance
        self.cost: Callable[..., float] = self._pricer()
        """``cost(i, j, di, dj, out=None)``: the price of linking ``src[i:i+di]`` with
        ``tgt[j:j+dj]`` (its :class:`Evidence` appended to ``out``)."""

    def _units(self, side: int) -> tuple[list[_Unit | None], Callable[[int, int], _Unit]]:
        """``unit(start, count)``: the units ``[start, start+count)`` of one side, made once,
        and the list of single units it fills (the cost reads a single unit made before there).

        (No closure here refers to itself: a cycle would keep every unit alive until the
        garbage collector, paused during a batch, runs.)"""
        items = self.tgt if side else self.src
        lexicon = self.lexicon
        stride = len(items) + 1
        cache: dict[int, _Unit] = {}
        singles: list[_Unit | None] = [None] * len(items)

        def single(k: int) -> _Unit:
            unit = singles[k]
            if unit is None:
                unit = singles[k] = _Unit(items[k])
                if lexicon is not None:
                    unit.image, unit.listed = (lexicon.source_image(unit.stems) if side
                                               else lexicon.target_image(unit.stems))
                    unit.known = len(unit.listed)
            return unit

        def unit(start: int, count: int) -> _Unit:
            found = singles[start] or single(start)
            if count == 1:
                return found
            joined = cache.get(count * stride + start)
            if joined is not None:
                return joined
            for size in range(2, count + 1):  # each one the one before it and its last unit
                key = size * stride + start
                joined = cache.get(key)
                if joined is None:
                    last = start + size - 1
                    joined = cache[key] = found.then(singles[last] or single(last))
                found = joined
            return found

        return singles, unit

    def evidence(self, i: int, j: int, di: int, dj: int) -> tuple[float, Evidence]:
        """The cost of a link and what it rests on."""
        if not di or not dj:
            return _PRIOR[di, dj], _NO_EVIDENCE
        found: list[Evidence] = []
        cost = self.cost(i, j, di, dj, found)
        return cost, found[0]

    def _pricer(self) -> Callable[..., float]:
        s_cum, t_cum = _running(self.src), _running(self.tgt)
        # running totals of the lengths: a link's lengths (and whether it is hopeless) are
        # known before its units' features are combined
        ratio, variance, blocks = self.ratio, self.variance, self.blocks
        (s_singles, s_unit), (t_singles, t_unit) = self._units(0), self._units(1)
        lexicon = self.lexicon is not None
        prior, table = _PRIOR, _PRIOR_TABLE
        sqrt, erfc, log = _sqrt, _erfc, _log
        most = _MAX_LENGTH_COST

        def cost(i: int, j: int, di: int, dj: int, out: list[Evidence] | None = None) -> float:
            if not di or not dj:
                return prior[di, dj]
            s_len, t_len = s_cum[i + di] - s_cum[i], t_cum[j + dj] - t_cum[j]
            # length_cost(s_len, t_len, ratio, variance), inlined: the hottest line of a search
            z = abs(ratio * s_len - t_len) / sqrt((s_len + t_len / ratio) / 2 * variance)
            tail = erfc(z / _SQRT2)
            if tail > 0:
                length = -log(tail)
                if not length < most:  # min(most, length), without the call
                    length = most
            else:
                length = most
            cost = (table[di][dj] if di < _TABLE and dj < _TABLE
                    else prior.get((di, dj), 6.0)) + length
            if length >= _HOPELESS and out is None:
                return cost  # lengths this far apart: no anchor or word makes it the best link
            s = (s_singles[i] if di == 1 else None) or s_unit(i, di)
            t = (t_singles[j] if dj == 1 else None) or t_unit(j, dj)
            hits = misses = name_misses = word_misses = 0
            checkable = s.n_anchors + t.n_anchors
            if checkable:
                hits = len(s.anchors & t.anchors)
                misses = checkable - 2 * hits
                cost += -_ANCHOR_HIT * hits + _ANCHOR_MISS * misses
            names = s.n_names + t.n_names
            if names:
                shared = len(s.names & t.names)
                name_misses = names - 2 * shared
                hits += shared
                checkable += names
                cost += -_ANCHOR_HIT * shared + _NAME_MISS * name_misses
            if lexicon:
                known = s.known + t.known
                found = len(s.stems & t.image) + len(t.stems & s.image)
                if known < found:
                    found = known
                hits += found
                checkable += known
                word_misses = known - found
                cost -= _WORD_HIT * found
            if s.final != t.final:
                misses += 1
                cost += _PUNCT
            elif s.final:
                cost -= _PUNCT / 2
            if s.marks != t.marks:
                cost += _MARK * sum(abs(a - b) for a, b in zip(s.marks, t.marks, strict=True))
            if s.item != t.item:
                cost += _ITEM
            if blocks and (di > 1 or dj > 1) and (s.item or t.item or s.heading or t.heading):
                cost += _ITEM * (di + dj - 2)
            if s.heading != t.heading:
                misses += 1
                cost += _HEADING
            if out is not None:
                out.append(Evidence(length=length, hits=hits, misses=misses,
                                    name_misses=name_misses, word_misses=word_misses,
                                    checkable=checkable))
            return cost

        return cost

    @staticmethod
    def confidence(step: tuple[int, int], ev: Evidence) -> float:
        """How likely a chosen link is right, in [0, 1].

        A logistic model fitted on the links of the Bible benchmark
        (``bench/align.py --calibration --dump``: 9,541 links, 148 wrong): a
        link is surer when its lengths fit, when it is 1:1, and when much of
        what could be found on both sides (anchors, lexicon words) was found.
        Disagreeing numbers, URLs and final ``?``/``!`` count against it (kept
        stronger than the fit, which saw few of them).  A link with nothing on
        one side is never sure: 0.
        """
        if not step[0] or not step[1]:
            return 0.0
        found = ev.hits / max(1, ev.hits + ev.misses + ev.word_misses)
        logit = (2.1 - 0.7 * ev.length + 0.6 * found + 0.07 * min(ev.hits, 8)
                 - 0.3 * ev.misses - 0.05 * ev.name_misses + 0.1 * (step[0] + step[1]))
        if step == (1, 1):
            logit += 1.9
        return 1.0 / (1.0 + math.exp(-logit))
