"""Python's cyclic garbage collector paused for a batch: one helper for every stage that needs it.

Update, build, the memory's index and the aligner each hold hundreds of
thousands of small objects (entries, features, DP rows) that live until the
batch ends and sit in no reference cycle.  The collector's full passes over
that growing heap found nothing to free and cost a fifth of the step's CPU
(update at 30,000 sentences, an alignment batch).  Reference counting still
frees everything; the collector's state is restored afterwards, so nesting is
harmless.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the ``with`` body, back to its state after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
