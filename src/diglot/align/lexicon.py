"""A bilingual word list over crude stems: given (glossary, memory) or learned from a batch.

Words are compared by *stem*: lower case, cut to its first five letters
(Russian and English inflect mostly at the end, and a five-letter prefix
keeps ``ученики``/``учеников`` and ``disciple``/``disciples`` together).  A
lexicon maps a source stem to the target stems that translate it.

Learning (:meth:`Lexicon.learn`) counts which stems occur together in pairs
of sentences believed to be translations (the confident links of a first
alignment pass) and keeps the pairs with a high Dice coefficient
``2·c(s,t) / (c(s) + c(t))``.  Stems found in too many sentences (``и``,
``the``) pair with everything and are dropped.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from diglot.patterns import LETTERS

STEM_LENGTH = 5
_SHORT_PHRASE = 2


def stems(words: Iterable[str], lang: str) -> frozenset[str]:
    """The stems of ``words`` worth looking up (words of three letters or more)."""
    return frozenset([w.lower()[:STEM_LENGTH] for w in words if len(w) >= 3])


def text_stems(text: str, lang: str) -> frozenset[str]:
    """The stems of the words of ``text``."""
    return stems(LETTERS.findall(text), lang)


class Lexicon:
    """Source stem → target stems that translate it (both directions looked up)."""

    __slots__ = ("_backward", "_forward", "_sources", "_targets", "source_lang", "target_lang")

    def __init__(self, table: Mapping[str, Iterable[str]], *, source_lang: str,
                 target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        self._forward: dict[str, frozenset[str]] = {
            s: frozenset(ts) for s, ts in table.items() if ts}
        backward: dict[str, set[str]] = {}
        for s, ts in self._forward.items():
            for t in ts:
                backward.setdefault(t, set()).add(s)
        self._backward = {t: frozenset(ss) for t, ss in backward.items()}
        self._sources, self._targets = frozenset(self._forward), frozenset(self._backward)

    def __len__(self) -> int:
        return len(self._forward)

    def translations(self, stem: str) -> frozenset[str]:
        """The target stems listed for a source stem."""
        return self._forward.get(stem, frozenset())

    def target_image(self, src: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Every target stem listed as a translation of one of ``src``, and those of ``src``
        the lexicon lists."""
        listed = src & self._sources
        forward = self._forward
        return frozenset().union(*[forward[s] for s in listed]), listed

    def source_image(self, tgt: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Every source stem that one of ``tgt`` translates, and those of ``tgt`` listed as
        a translation."""
        listed = tgt & self._targets
        backward = self._backward
        return frozenset().union(*[backward[t] for t in listed]), listed

    def merged(self, other: Lexicon) -> Lexicon:
        """Both lexicons' entries together."""
        table: dict[str, set[str]] = {s: set(ts) for s, ts in self._forward.items()}
        for s, ts in other._forward.items():
            table.setdefault(s, set()).update(ts)
        return Lexicon(table, source_lang=self.source_lang, target_lang=self.target_lang)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], *, source_lang: str,
                   target_lang: str) -> Lexicon:
        """A lexicon from glossary terms and translation-memory sentences.

        A short pair (a glossary term: up to two words a side) links each of
        its source stems to each of its target stems; longer pairs (memory
        sentences) are counted and kept where the association is strong.
        """
        table: dict[str, set[str]] = {}
        sentences: list[tuple[frozenset[str], frozenset[str]]] = []
        for source, target in pairs:
            s, t = text_stems(source, source_lang), text_stems(target, target_lang)
            if not s or not t:
                continue
            if len(s) <= _SHORT_PHRASE and len(t) <= _SHORT_PHRASE:
                for stem in s:
                    table.setdefault(stem, set()).update(t)
            else:
                sentences.append((s, t))
        lexicon = cls(table, source_lang=source_lang, target_lang=target_lang)
        if sentences:
            lexicon = lexicon.merged(cls.learn(sentences, source_lang=source_lang,
                                               target_lang=target_lang))
        return lexicon

    @classmethod
    def learn(cls, pairs: Sequence[tuple[frozenset[str], frozenset[str]]], *, source_lang: str,
              target_lang: str, min_count: int = 2, min_dice: float = 0.3,
              max_share: float = 0.2, per_stem: int = 3) -> Lexicon:
        """Stem pairs that keep occurring together in ``pairs`` of translated sentences."""
        n = len(pairs)
        src_freq: Counter[str] = Counter()
        tgt_freq: Counter[str] = Counter()
        for s, t in pairs:
            src_freq.update(s)
            tgt_freq.update(t)
        limit = max(max_share * n, 3)
        keep_s = {w for w, c in src_freq.items() if min_count <= c <= limit}
        keep_t = {w for w, c in tgt_freq.items() if min_count <= c <= limit}
        # the kept target stems of every pair each kept source stem is in: counting them per
        # source stem counts the pairs of stems (no pair of strings is built)
        partners: dict[str, list[frozenset[str]]] = {}
        for s, t in pairs:
            t_kept = t & keep_t
            if t_kept:
                for a in s & keep_s:
                    found = partners.get(a)
                    if found is None:
                        partners[a] = [t_kept]
                    else:
                        found.append(t_kept)
        best: dict[str, list[tuple[float, str]]] = {}
        for a, sets in partners.items():
            if len(sets) < min_count:
                continue  # no target stem can be with it often enough
            a_freq = src_freq[a]
            for b, c in Counter(itertools.chain.from_iterable(sets)).items():
                if c < min_count:
                    continue
                dice = 2 * c / (a_freq + tgt_freq[b])
                if dice >= min_dice:
                    best.setdefault(a, []).append((dice, b))
        table = {a: [b for _, b in sorted(cands, reverse=True)[:per_stem]]
                 for a, cands in best.items()}
        return cls(table, source_lang=source_lang, target_lang=target_lang)
