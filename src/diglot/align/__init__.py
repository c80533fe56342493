"""Sentence alignment of a document and its published translation (knows nothing of PO files).

:func:`align_documents` pairs the segments of a source :class:`~diglot.model.Document`
with those of its translation, both read by :func:`diglot.sources.read_document`
with the project's splitter.  It works in two passes over the same banded
dynamic programming (:mod:`diglot.align.dp`):

1. *blocks*: paragraphs, headings and list items are aligned first, so a
   translation that merges or splits paragraphs, or drops or adds one, is
   followed;
2. *sentences*: inside each aligned group of blocks, sentences are aligned.

Both use the steps 1:0, 0:1, 1:1, 1:2, 2:1, 2:2, 1:3, 3:1, 1:4, 4:1.  A link
with one side empty (1:0, 0:1) has score 0: nothing vouches for it.

Costs come from :mod:`diglot.align.score` (lengths, numbers and dates, names,
URLs, final punctuation, Markdown marks, headings and an optional
:class:`Lexicon`).  :func:`align_many` aligns a batch and, when the batch is
large enough, learns a lexicon from its own evident sentence pairs first.

``Link.score`` is calibrated on the Bible benchmark (``bench/align.py
--calibration``) and multiplied by a document-level factor
(:func:`document_factor`), so the translation of another document, or a text
in the source's own language, comes out below 0.5 throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from diglot.align.dp import STEPS, banded_path
from diglot.align.lexicon import Lexicon
from diglot.align.score import (
    FIXED_STEPS,
    Evidence,
    Features,
    Scorer,
    combine,
    features,
    length_cost,
)
from diglot.collector import collector_paused
from diglot.model import BlockKind, Document

__all__ = ["Alignment", "Lexicon", "Link", "align_documents", "align_many", "align_many_explained"]


@dataclass(frozen=True, slots=True)
class Link:
    """Consecutive source segments paired with consecutive target segments."""

    source: tuple[int, ...]
    """Indices into ``source.segments`` (document order); ``()`` for a 0:n link."""
    target: tuple[int, ...]
    """Indices into ``target.segments``; ``()`` for an n:0 link."""
    score: float
    """Confidence in [0, 1] that this pairing is right."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """Every source and target segment in exactly one link, in document order."""

    links: tuple[Link, ...]
    blocks: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    """Aligned groups of blocks (indices into ``document.blocks``), in document order."""
    cells: int = 0
    """Dynamic-programming cells visited (a measure of work, linear in the documents' size)."""


SENTENCE_BAND = 2
"""Half-width of the band of a sentence alignment inside a block group (it widens when needed)."""
BLOCK_BAND = 2
"""Half-width of the band of the block alignment (it widens by itself when needed)."""
MIN_LEARNING_LINKS = 200
"""Evident sentence pairs a batch needs before a lexicon is learned from it."""


@dataclass(frozen=True, slots=True)
class _Side:
    segments: tuple[Features, ...]
    blocks: tuple[Features, ...]
    block_segments: tuple[range, ...]


def _side(doc: Document) -> _Side:
    segs: list[Features] = []
    blocks: list[Features] = []
    ranges: list[range] = []
    for block in doc.blocks:
        heading = block.kind is BlockKind.HEADING
        item = block.kind is BlockKind.LIST_ITEM
        start = len(segs)
        segs.extend(features(s.msgid, doc.lang, heading=heading, item=item)
                    for s in block.segments)
        ranges.append(range(start, len(segs)))
        blocks.append(combine(segs[start:]) if len(segs) > start else features("", doc.lang))
    return _Side(tuple(segs), tuple(blocks), tuple(ranges))


def _ratio(src: _Side, tgt: _Side) -> float:
    s = sum(f.length for f in src.segments)
    t = sum(f.length for f in tgt.segments)
    if not s or not t:
        return 1.0
    return min(4.0, max(0.25, t / s))


def _align(src: _Side, tgt: _Side, lexicon: Lexicon | None,
           explain: list[Evidence | None] | None = None) -> Alignment:
    """Blocks first, then the sentences of each block group (evidence per link to ``explain``)."""
    ratio = _ratio(src, tgt)
    block_scorer = Scorer(src.blocks, tgt.blocks, lexicon=lexicon, ratio=ratio,
                          blocks=True)
    block_path = banded_path([f.length for f in src.blocks], [f.length for f in tgt.blocks],
                             block_scorer.cost, steps=STEPS, width=BLOCK_BAND, fixed=FIXED_STEPS)
    cells = block_path.cells
    links: list[Link] = []
    evidence: list[Evidence] = []
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for bi, bj, di, dj in block_path.steps:
        groups.append((tuple(range(bi, bi + di)), tuple(range(bj, bj + dj))))
        s_idx = [k for b in range(bi, bi + di) for k in src.block_segments[b]]
        t_idx = [k for b in range(bj, bj + dj) for k in tgt.block_segments[b]]
        if not s_idx or not t_idx:
            links.extend(Link((k,), (), 0.0) for k in s_idx)
            links.extend(Link((), (k,), 0.0) for k in t_idx)
            if explain is not None:
                explain.extend([None] * (len(s_idx) + len(t_idx)))
            continue
        s_feats = [src.segments[k] for k in s_idx]
        t_feats = [tgt.segments[k] for k in t_idx]
        scorer = Scorer(s_feats, t_feats, lexicon=lexicon, ratio=ratio)
        taken = _diagonal(s_feats, t_feats, ratio)
        if taken is None:
            path = banded_path([f.length for f in s_feats], [f.length for f in t_feats],
                               scorer.cost, steps=STEPS, width=SENTENCE_BAND,
                               fixed=FIXED_STEPS)
            cells += path.cells
            taken = path.steps
        for i, j, si, sj in taken:
            ev: Evidence = scorer.evidence(i, j, si, sj)[1]
            evidence.append(ev)
            if explain is not None:
                explain.append(ev)
            links.append(Link(tuple(s_idx[i:i + si]), tuple(t_idx[j:j + sj]),
                              Scorer.confidence((si, sj), ev)))
    factor = document_factor(evidence, src, tgt)
    if factor < 1.0:
        links = [Link(link.source, link.target, link.score * factor) for link in links]
    return Alignment(links=tuple(links), blocks=tuple(groups), cells=cells)


PLAIN_LENGTH_COST = 2.0
"""Highest length cost of each sentence pair of a block pair taken 1:1 without a search."""


def _diagonal(src: Sequence[Features], tgt: Sequence[Features],
              ratio: float) -> tuple[tuple[int, int, int, int], ...] | None:
    """The 1:1 path through a block pair with as many sentences a side whose lengths all fit."""
    if len(src) != len(tgt):
        return None
    for a, b in zip(src, tgt, strict=True):
        if length_cost(a.length, b.length, ratio) > PLAIN_LENGTH_COST:
            return None
    return tuple((k, k, 1, 1) for k in range(len(src)))


SAME_LANGUAGE_OVERLAP = 0.6
"""Share of word stems two sides have in common above which they are one language.

A Russian text against its own revision shares 0.96 of its stems, against its
English translation 0; kept high so that close languages (Spanish and
Portuguese share many five-letter stems) are not mistaken for one.
"""


def document_factor(evidence: Sequence[Evidence], src: _Side, tgt: _Side) -> float:
    """How far the pair as a whole looks like a text and its translation, in [0, 1].

    Link scores are multiplied by it.  A translation shares numbers, names and
    (with a lexicon) words with its source in link after link; the translation
    of a different document shares almost none, so its links, however well
    their lengths fit, are doubtful.  A "translation" in the source's own
    language shares most of its word stems with the source.
    """
    src_stems = frozenset().union(*(f.stems for f in src.segments))
    tgt_stems = frozenset().union(*(f.stems for f in tgt.segments))
    if src_stems and tgt_stems:
        overlap = len(src_stems & tgt_stems) / min(len(src_stems), len(tgt_stems))
        if overlap > SAME_LANGUAGE_OVERLAP:
            return 0.0
    hits = sum(ev.hits for ev in evidence)
    against = sum(ev.misses + 0.05 * ev.name_misses + 0.3 * ev.word_misses for ev in evidence)
    quality = (hits + 0.5) / (hits + against + 1)
    return min(1.0, max(0.0, (quality - QUALITY_FLOOR) / (QUALITY_FULL - QUALITY_FLOOR)))


QUALITY_FLOOR, QUALITY_FULL = 0.35, 0.6
"""Share of evidence found at or below which a pair is not a translation, and from which it is.

Measured with ``bench/align.py``'s data: with a lexicon learned from the batch,
right Bible pairs have 0.65–0.93 and a chapter paired with another chapter's
translation 0.22–0.39; without a lexicon (names and numbers only) right pairs
have 0.58–0.92 and wrong ones 0.08–0.30; the sample statements 0.85 and 0.92,
and paired with each other 0.08.  Names that go unmatched count little: the
Synodal text capitalises pronouns, English capitalises titles, acronyms change.
A pair with no evidence either way gets 0.5 (factor 0.6).
"""


def align_documents(source: Document, target: Document, *,
                    lexicon: Lexicon | None = None) -> Alignment:
    """Align the segments of ``source`` with those of its translation ``target``."""
    with collector_paused():
        return _align(_side(source), _side(target), lexicon)


def align_many(pairs: Sequence[tuple[Document, Document]], *,
               lexicon: Lexicon | None = None) -> list[Alignment]:
    """Align a batch of document pairs, learning a lexicon from the batch when it is large.

    When the batch has enough sentences, its blocks are aligned and the
    sentence pairs beyond doubt (1:1 blocks with as many sentences a side and
    fitting lengths) are collected; with at least :data:`MIN_LEARNING_LINKS`
    of them, the stems that keep occurring together become a lexicon (added
    to ``lexicon``) and every pair is aligned with it.
    """
    return [a for a, _ in align_many_explained(pairs, lexicon=lexicon)]


def align_many_explained(pairs: Sequence[tuple[Document, Document]], *,
                         lexicon: Lexicon | None = None
                         ) -> list[tuple[Alignment, list[Evidence | None]]]:
    """:func:`align_many`, with the evidence behind each link (``None`` for 1:0 and 0:1)."""
    with collector_paused():
        return _align_batch(pairs, lexicon)


def _align_batch(pairs: Sequence[tuple[Document, Document]], lexicon: Lexicon | None
                 ) -> list[tuple[Alignment, list[Evidence | None]]]:
    sides = [(_side(s), _side(t)) for s, t in pairs]
    final = lexicon
    if sum(len(s.segments) for s, _ in sides) >= 2 * MIN_LEARNING_LINKS:
        training = [pair for s, t in sides for pair in _evident_pairs(s, t, lexicon)]
        if len(training) >= MIN_LEARNING_LINKS:
            learned = Lexicon.learn(training, source_lang=pairs[0][0].lang,
                                    target_lang=pairs[0][1].lang)
            final = learned if lexicon is None else lexicon.merged(learned)
    out: list[tuple[Alignment, list[Evidence | None]]] = []
    for s, t in sides:
        explain: list[Evidence | None] = []
        out.append((_align(s, t, final, explain), explain))
    return out


EVIDENT_LENGTH_COST = 3.0
"""Highest length cost of a sentence pair taken as a translation to learn from."""


def _evident_pairs(src: _Side, tgt: _Side, lexicon: Lexicon | None
                   ) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Sentence pairs that are translations beyond reasonable doubt, to learn a lexicon from.

    The blocks are aligned (cheap: a chapter has a few blocks); in a 1:1 block
    pair with as many sentences on both sides, the k-th sentences are paired
    when every pair's lengths fit well.  No sentence alignment is needed.
    """
    ratio = _ratio(src, tgt)
    scorer = Scorer(src.blocks, tgt.blocks, lexicon=lexicon, ratio=ratio, blocks=True)
    path = banded_path([f.length for f in src.blocks], [f.length for f in tgt.blocks],
                       scorer.cost, steps=STEPS, width=BLOCK_BAND, fixed=FIXED_STEPS)
    out: list[tuple[frozenset[str], frozenset[str]]] = []
    for bi, bj, di, dj in path.steps:
        if di != 1 or dj != 1:
            continue
        s_feats = [src.segments[k] for k in src.block_segments[bi]]
        t_feats = [tgt.segments[k] for k in tgt.block_segments[bj]]
        if len(s_feats) != len(t_feats):
            continue
        if all(length_cost(a.length, b.length, ratio) <= EVIDENT_LENGTH_COST
               for a, b in zip(s_feats, t_feats, strict=True)):
            out.extend((a.stems, b.stems) for a, b in zip(s_feats, t_feats, strict=True))
    return out
