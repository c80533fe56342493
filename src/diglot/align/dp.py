"""Banded dynamic programming over two sequences with n:m steps.

The aligner walks a grid of ``(i, j)`` cells (``i`` units of the source done,
``j`` of the target) from ``(0, 0)`` to ``(n, m)``; each move is one *step*
(``(1, 1)``, ``(2, 1)``, ``(0, 1)`` …) that links the next units of both
sides, priced by a cost function.  Only cells near the expected diagonal are
visited: for source position ``i`` the band holds the target positions within
``width`` of where the same share of the text has been read on the target
side.  When the best path touches the band's edge the band is doubled and the
search repeated, so a document whose two sides drift apart (a dropped page)
is still aligned right; the work stays proportional to ``n + m`` times the
band width, never ``n * m`` for long documents.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Step = tuple[int, int]
STEPS: tuple[Step, ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1), (1, 4),
                          (4, 1))
"""The n:m steps the aligner considers (source units, target units)."""

CostFn = Callable[[int, int, int, int], float]
"""``cost(i, j, di, dj)``: the price of linking source ``[i, i+di)`` with target ``[j, j+dj)``."""


@dataclass(frozen=True, slots=True)
class Path:
    """The best path found: its steps as ``(i, j, di, dj)`` and what the search cost."""

    steps: tuple[tuple[int, int, int, int], ...]
    costs: tuple[float, ...]
    cells: int
    """Grid cells visited, over every widening of the band (a measure of work)."""


def _band(src_lengths: Sequence[float], tgt_lengths: Sequence[float],
          width: int) -> tuple[list[int], list[int]]:
    """For each source position ``0..n``, the lowest and highest target position to visit."""
    n, m = len(src_lengths), len(tgt_lengths)
    src_total = sum(src_lengths) or 1.0
    tgt_cum = [0.0]
    for length in tgt_lengths:
        tgt_cum.append(tgt_cum[-1] + length)
    tgt_total = tgt_cum[-1] or 1.0
    lo: list[int] = []
    hi: list[int] = []
    read = 0.0
    for i in range(n + 1):
        share = read / src_total
        centre = bisect.bisect_left(tgt_cum, share * tgt_total) if m else 0
        if i == n:
            centre = m
        lo.append(max(0, min(m, centre - width)))
        hi.append(min(m, max(0, centre + width)))
        if i < n:
            read += src_lengths[i]
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):  # consecutive rows overlap, so every row is reachable
        lo[i] = min(lo[i], hi[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = max(hi[i], lo[i + 1])
    return lo, hi


def banded_path(src_lengths: Sequence[float], tgt_lengths: Sequence[float], cost: CostFn, *,
                steps: Sequence[Step] = STEPS, width: int = 6,
                fixed: Mapping[Step, float] | None = None) -> Path:
    """The cheapest monotone path from ``(0, 0)`` to ``(n, m)`` inside a band.

    ``src_lengths`` and ``tgt_lengths`` (characters per unit) place the band;
    ``cost`` prices each step, except the steps of ``fixed``, which cost the
    same wherever they are taken (``cost`` is not asked for them).  The band
    doubles while the path touches its edge, up to :func:`max_width` (so two
    unrelated texts, whose path wanders, still cost time linear in their length).
    """
    n, m = len(src_lengths), len(tgt_lengths)
    limit = max_width(n, m)
    cells = 0
    while True:
        lo, hi = _band(src_lengths, tgt_lengths, width)
        best, back, visited = _search(n, m, lo, hi, cost, steps, fixed or {})
        cells += visited
        path = _trace(best, back, lo, n, m, steps)
        full = all(lo[i] == 0 and hi[i] == m for i in range(n + 1))
        if full or width >= limit or not _touches_edge(path, lo, hi, m):
            steps_out = tuple((i, j, di, dj) for i, j, di, dj, _ in path)
            return Path(steps=steps_out, costs=tuple(c for *_, c in path), cells=cells)
        width *= 2


def max_width(n: int, m: int) -> int:
    """The widest band searched: room for the two sides' difference in units, and some more."""
    return 2 * abs(n - m) + MIN_MAX_WIDTH


MIN_MAX_WIDTH = 48


def _search(n: int, m: int, lo: list[int], hi: list[int], cost: CostFn,
            steps: Sequence[Step], fixed: Mapping[Step, float]
            ) -> tuple[list[list[float]], list[list[int]], int]:
    inf = math.inf
    best = [[inf] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back = [[-1] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    best[0][0 - lo[0]] = 0.0
    visited = 0
    for i in range(n + 1):
        row_best, row_back, row_lo = best[i], back[i], lo[i]
        # the rows each step comes from, looked up once per row
        sources = [(k, i - di, di, dj, best[i - di], lo[i - di], hi[i - di], fixed.get((di, dj)))
                   for k, (di, dj) in enumerate(steps) if i - di >= 0 and (di or dj)]
        row_hi = hi[i]
        visited += row_hi - row_lo + 1
        for j in range(row_lo, row_hi + 1):
            here = inf
            chosen = -1
            for k, pi, di, dj, p_best, p_lo, p_hi, constant in sources:
                pj = j - dj
                if pj < p_lo or pj > p_hi:
                    continue
                before = p_best[pj - p_lo]
                if before == inf:
                    continue
                total = before + (cost(pi, pj, di, dj) if constant is None else constant)
                if total < here:
                    here, chosen = total, k
            if chosen >= 0:
                row_best[j - row_lo] = here
                row_back[j - row_lo] = chosen
    return best, back, visited


def _trace(best: list[list[float]], back: list[list[int]], lo: list[int], n: int, m: int,
           steps: Sequence[Step]) -> list[tuple[int, int, int, int, float]]:
    out: list[tuple[int, int, int, int, float]] = []
    i, j = n, m
    while i or j:
        k = back[i][j - lo[i]]
        if k < 0:
            raise ValueError("no path through the band")  # cannot happen: rows overlap
        di, dj = steps[k]
        pi, pj = i - di, j - dj
        out.append((pi, pj, di, dj, best[i][j - lo[i]] - best[pi][pj - lo[pi]]))
        i, j = pi, pj
    out.reverse()
    return out


def _touches_edge(path: list[tuple[int, int, int, int, float]], lo: list[int], hi: list[int],
                  m: int) -> bool:
    return any((j == lo[i] and j != 0) or (j == hi[i] and j != m) for i, j, *_ in path)
