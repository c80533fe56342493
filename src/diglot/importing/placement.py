"""From an alignment to one text per source sentence: how n:m links become catalog entries.

The aligner (:mod:`diglot.align`) pairs runs of source sentences with runs of
published sentences.  A catalog has one ``msgstr`` per source sentence, and
``diglot build`` joins a block's msgstrs with the *source's* joiners, so the
published text comes back when every link's published text is cut into as
many consecutive pieces as it has source sentences:

- **1:1** — the sentence.
- **1:m** — all ``m`` published sentences in the one msgstr, with the joiners
  they had in the published text.
- **n:1, n:m** — the published text cut at ``n - 1`` whitespace runs: between
  published sentences first, then at a clause boundary (``,`` ``;`` ``:``
  ``—``), then between words; each cut as near as it can be to the length
  ratio of the source sentences, never inside brackets, quotes, inline code or
  a link, and preferring pieces the QA checks (numbers, markup, paired
  punctuation) accept.  Joining the pieces with a space gives back the text.
- **0:m** (published sentences with no source counterpart) — attached to the
  neighbouring link in the same published block (the previous one, else the
  next), so nothing published is lost.
- **n:0** — left untranslated.

Pure functions over :class:`~diglot.model.Document` values; nothing here knows
PO files (see :mod:`diglot.importing.catalog`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from diglot.checks.base import EntryContext, Severity
from diglot.checks.markup import check_markup
from diglot.checks.numbers import check_numbers
from diglot.checks.punctuation import check_pairs
from diglot.model import Document, SourceFormat
from diglot.pofile import ALIGNED_MARK
from diglot.project import language_name


class LinkLike(Protocol):
    """What is read of a :class:`diglot.align.Link`."""

    @property
    def source(self) -> tuple[int, ...]: ...
    @property
    def target(self) -> tuple[int, ...]: ...
    @property
    def score(self) -> float: ...


class AlignmentLike(Protocol):
    """What is read of a :class:`diglot.align.Alignment`."""

    @property
    def links(self) -> Sequence[LinkLike]: ...


@dataclass(frozen=True, slots=True)
class Placed:
    """The published text that goes to one source sentence, and how sure the alignment is."""

    index: int
    """The sentence's position in ``Document.segments`` (document order)."""
    text: str
    """Its part of the published text ("" when the published text has nothing for it)."""
    score: float
    """The link's confidence, 0–1."""
    shape: str
    """``"1:1"``, ``"2:1"``, ``"1:2"``, ``"1:0"`` … (after 0:m links are attached)."""
    note: str = ""
    """What a translator needs to know about a shared or missing sentence ("" for 1:1)."""
    added: int = 0
    """Published sentences with no source counterpart attached to this link."""

    @property
    def comment(self) -> str:
        """The translator comment's text after ``diglot-aligned:``."""
        head = f"{self.score:.2f}"
        if self.shape == "1:1" and not self.note:
            return head
        return f"{head} {self.shape}" + (f" ({self.note})" if self.note else "")


@dataclass
class _Group:
    source: list[int]
    target: list[int]
    score: float
    added: int = 0


def _groups(alignment: AlignmentLike, n_source: int, n_target: int) -> list[_Group]:
    groups = [_Group(list(link.source), list(link.target), float(link.score))
              for link in alignment.links]
    seen_s = [i for g in groups for i in g.source]
    seen_t = [i for g in groups for i in g.target]
    if seen_s != list(range(n_source)) or seen_t != list(range(n_target)):
        raise ValueError("the alignment does not cover both documents once, in order")
    return groups


def _attach_unmatched(groups: list[_Group], target_block: Sequence[int]) -> list[_Group]:
    """Fold every 0:m group into a neighbour with source sentences (same published block first)."""
    out: list[_Group] = []
    pending: list[_Group] = []  # 0:m groups waiting for a following neighbour
    for at, group in enumerate(groups):
        if not group.source and not group.target:
            continue
        if group.source:
            if pending:
                group.target = [t for p in pending for t in p.target] + group.target
                group.score = min([group.score, *(p.score for p in pending)])
                group.added += sum(len(p.target) for p in pending)
                pending = []
            out.append(group)
            continue
        previous = out[-1] if out else None
        last_target = previous.target[-1] if previous and previous.target else None
        same_block = last_target is not None and \
            target_block[last_target] == target_block[group.target[0]]
        if previous is not None and (same_block or not _next_in_block(groups, at,
                                                                      target_block)):
            previous.target += group.target
            previous.score = min(previous.score, group.score)
            previous.added += len(group.target)
        else:
            pending.append(group)
    if pending and out:
        for p in pending:
            out[-1].target += p.target
            out[-1].score = min(out[-1].score, p.score)
            out[-1].added += len(p.target)
    return out


def _next_in_block(groups: list[_Group], at: int, target_block: Sequence[int]) -> bool:
    """Whether the next group with source sentences starts in group ``at``'s published block."""
    group = groups[at]
    for position in range(at + 1, len(groups)):
        later = groups[position]
        if later.source:
            return bool(later.target) and \
                target_block[later.target[0]] == target_block[group.target[-1]]
    return False


_SPACE = re.compile(r"\s+")
_OPENERS = {"(": ")", "[": "]", "«": "»", "“": "”", "„": "“"}
_CLAUSE_END = tuple(",;:")
_DASHES = ("—", "–")
_LEVEL_COST = (0.0, 0.1, 0.4)
"""Cost of a cut between published sentences, at a clause boundary, between words; a cut's
distance from the ideal place costs its share of the text's length (so a clause boundary up
to 30 % of the text away beats a word break at the ideal place)."""


def _protected(text: str) -> list[bool]:
    """For each character: whether it is inside brackets, quotes, inline code or a link target."""
    inside = [False] * len(text)
    stack: list[str] = []
    code = False
    straight = False
    for i, ch in enumerate(text):
        if ch == "`":
            code = not code
        elif not code:
            if ch == '"':
                straight = not straight
            elif ch in _OPENERS and not (ch == "“" and stack and stack[-1] == "“"):
                stack.append(_OPENERS[ch])
            elif stack and ch == stack[-1]:
                stack.pop()
        inside[i] = code or straight or bool(stack)
    return inside


@dataclass(frozen=True, slots=True)
class _Cut:
    start: int
    """Where the whitespace run starts (the left piece ends here)."""
    end: int
    """Where it ends (the right piece starts here)."""
    level: int
    """0 between published sentences, 1 at a clause boundary, 2 between words."""
    protected: bool


def _cuts(text: str, sentence_ends: set[int]) -> list[_Cut]:
    inside = _protected(text)
    out = []
    for match in _SPACE.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text):
            continue
        before, after = text[start - 1], text[end]
        if start in sentence_ends:
            level = 0
        elif before in _CLAUSE_END or before in _DASHES or after in _DASHES:
            level = 1
        else:
            level = 2
        out.append(_Cut(start, end, level, inside[start]))
    return out


def _errors(source: str, piece: str, ctx: EntryContext) -> float:
    """What the QA checks would say of ``piece`` as the translation of ``source``.

    Errors count 1; markup warnings (emphasis cut in two) count 0.3.
    """
    markup = check_markup(source, piece, ctx)
    problems = check_numbers(source, piece, ctx) + markup + check_pairs(source, piece, ctx)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    return errors + 0.3 * sum(p.severity is Severity.WARNING for p in markup)


def split_text(text: str, sources: Sequence[str], *, sentence_ends: Sequence[int] = (),
               source_lang: str = "ru", target_lang: str = "en",
               fmt: SourceFormat = SourceFormat.TXT) -> list[str]:
    """Cut ``text`` into ``len(sources)`` pieces, one per source sentence (see the module notes).

    ``sentence_ends`` are offsets in ``text`` where a published sentence ends.
    Joining the pieces with one space gives back ``text`` (whitespace runs at
    the cuts become one space); when ``text`` has too few word breaks the last
    pieces are empty.
    """
    n = len(sources)
    if n <= 1:
        return [text] * n
    candidates = _cuts(text, set(sentence_ends))
    weights = [max(len(s), 1) for s in sources]
    total_weight = sum(weights)
    ctx = EntryContext(path=Path("-"), line=0, source_lang=source_lang, target_lang=target_lang,
                       format=fmt)
    pieces: list[str] = []
    start = 0
    used = 0.0
    for k in range(n - 1):
        used += weights[k]
        ideal = len(text) * used / total_weight
        left = [c for c in candidates if c.start > start]
        left = left[: max(len(left) - (n - 2 - k), 0)]  # leave room for the cuts after it
        if not left:
            pieces.append(text[start:])
            pieces.extend([""] * (n - 1 - k))
            return pieces

        def base(c: _Cut, ideal: float = ideal) -> float:
            away = abs(c.start - ideal) / len(text)
            return away + _LEVEL_COST[c.level] + (1.0 if c.protected else 0.0)

        ranked = sorted(left, key=lambda c: (base(c), c.start))[:8]
        last = k == n - 2

        def cost(c: _Cut, k: int = k, start: int = start, last: bool = last) -> float:
            errors = _errors(sources[k], text[start:c.start], ctx)
            if last:
                errors += _errors(sources[k + 1], text[c.end:], ctx)
            return base(c) + 0.5 * errors

        # Best first by base cost; the checks (the expensive part) only run while a
        # candidate could still beat the best total found, usually once.
        best, best_cost = ranked[0], cost(ranked[0])
        for c in ranked[1:]:
            if base(c) >= best_cost:
                break
            total = cost(c)
            if total < best_cost:
                best, best_cost = c, total
        pieces.append(text[start:best.start])
        start = best.end
    pieces.append(text[start:])
    return pieces


COMMENT_WIDTH = 77
"""Longest translator comment (after ``# ``) a PO writer keeps on one line (wrapped past 79)."""


def _note(n: int, m: int, part: int, added: int, target_lang: str, *, head: str) -> str:
    """What a translator needs to know about a shared or missing sentence, as short as it must be.

    The comment ``head (note)`` must fit :data:`COMMENT_WIDTH`: the language name
    goes first, then the count of unmatched sentences.
    """
    for lang, extra in ((language_name(target_lang) + " ", True), ("", True), ("", False)):
        notes = []
        one = f"one {lang}sentence"
        sentences = one if m == 1 else f"{m} {lang}sentences"
        if m == 0:
            notes.append(f"no {lang or 'published '}counterpart")
        elif n > 1:
            if part == 0:
                whom = "the next entry" if n == 2 else f"the next {n - 1} entries"
            elif part == n - 1:
                whom = "the previous entry" if n == 2 else f"the previous {n - 1} entries"
            else:
                whom = "the entries around it"
            notes.append(f"shares {sentences} with {whom}")
        elif m > 1:
            notes.append(f"holds {sentences}")
        if added and extra:
            notes.append(f"{added} with no source counterpart" if m > 1 or n > 1
                         else "paired by position: no match found")
        note = "; ".join(notes)
        if len(f"{head} ({note})") <= COMMENT_WIDTH:
            return note
    return note


def place(source: Document, target: Document, alignment: AlignmentLike) -> list[Placed]:
    """One :class:`Placed` per source sentence, in document order."""
    t_segments = target.segments
    t_block: list[int] = []
    t_joiner: list[str] = []  # joiner after each published sentence within its block
    for block in target.blocks:
        for position in range(len(block.segments)):
            t_block.append(block.index)
            t_joiner.append(block.joiners[position] if position < len(block.joiners) else " ")
    s_segments = source.segments
    groups = _attach_unmatched(_groups(alignment, len(s_segments), len(t_segments)), t_block)
    out: list[Placed] = []
    for group in groups:
        parts: list[str] = []
        ends: list[int] = []
        length = 0
        for position, t in enumerate(group.target):
            if position:
                joiner = t_joiner[group.target[position - 1]] \
                    if t_block[t] == t_block[group.target[position - 1]] else " "
                ends.append(length)
                parts.append(joiner)
                length += len(joiner)
            parts.append(t_segments[t].msgid)
            length += len(t_segments[t].msgid)
        text = "".join(parts)
        n, m = len(group.source), len(group.target)
        if m == 0:
            pieces = [""] * n
        else:
            pieces = split_text(text, [s_segments[i].msgid for i in group.source],
                                sentence_ends=ends, source_lang=source.lang,
                                target_lang=target.lang, fmt=source.format)
        shape = f"{n}:{m}"
        head = f"{ALIGNED_MARK} {group.score:.2f} {shape}"
        for part, (index, piece) in enumerate(zip(group.source, pieces, strict=True)):
            out.append(Placed(index=index, text=piece, score=group.score, shape=shape,
                              note=_note(n, m, part, group.added, target.lang, head=head),
                              added=group.added))
    return out
