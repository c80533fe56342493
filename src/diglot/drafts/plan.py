"""The drafting planner: which entries need a draft, which requests they make, what they cost.

Everything here is pure: catalogs already read, documents already segmented,
an engine's :meth:`~diglot.engines.base.Engine.plan` and
:meth:`~diglot.engines.base.Engine.estimate` (which never reach a server).
:mod:`diglot.drafts.run` executes the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from diglot.engines.base import Batch, Draft, Engine, Rejected, Result
from diglot.model import Document, SourceFormat

from .slots import Slot, needs_draft

CONTEXT_NEIGHBOUR_CHARS = 1000
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")


def plain_context(text: str, fmt: SourceFormat) -> str:
    """Context as an engine gets it: Markdown link and image targets removed, their text kept."""
    if fmt is not SourceFormat.MD:
        return text
    return _LINK.sub(r"\1", text)


@dataclass(frozen=True)
class Where:
    """A sentence's paragraph and its neighbours, as context for an engine."""

    context: str
    """The paragraph; for a block of one sentence, the blocks before and after it too."""
    block: int
    paragraph: str
    before: str = ""
    after: str = ""


def document_contexts(document: Document) -> dict[str, Where]:
    """msgid → its paragraph and neighbours (link targets removed), first occurrence first.

    A sentence of a paragraph is translated with the whole paragraph as
    context.  A block of one sentence (a heading, a short list item) gets the
    blocks before and after it as well, cut to a thousand characters each.
    """
    blocks = document.blocks
    texts = [plain_context(b.text(), document.format) for b in blocks]
    out: dict[str, Where] = {}
    for i, block in enumerate(blocks):
        text = texts[i]
        before = texts[i - 1][-CONTEXT_NEIGHBOUR_CHARS:] if i > 0 else ""
        after = texts[i + 1][:CONTEXT_NEIGHBOUR_CHARS] if i + 1 < len(blocks) else ""
        context = text
        if len(block.segments) == 1:
            context = "\n\n".join(t for t in (before, text, after) if t)
        for segment in block.segments:
            out.setdefault(segment.msgid, Where(context, block.index, text, before, after))
    return out


@dataclass(frozen=True)
class Pending:
    """One distinct untranslated sentence of one language, with its paragraph."""

    msgid: str
    where: Where
    fmt: SourceFormat
    doc: str

    @property
    def group(self) -> tuple[str, int]:
        """(document, block index): sentences of one group share a context and a request."""
        return (self.doc, self.where.block)


@dataclass
class LanguageWork:
    """One language's untranslated sentences, the entries each fills, and where drafts came from."""

    lang: str
    pending: dict[str, Pending] = field(default_factory=dict)
    """Sentences still without a draft, in catalog order."""
    targets: dict[str, list[Slot]] = field(default_factory=dict)
    """msgid → the catalogs whose entry waits for it."""
    untranslated: int = 0
    memory: int = 0
    cached: int = 0

    def left(self) -> int:
        """Entries still untranslated (a sentence in two catalogs counts twice)."""
        return sum(len(v) for k, v in self.targets.items() if k in self.pending)


def collect(lang: str, slots: Iterable[Slot], contexts: Mapping[str, Mapping[str, Where]],
            formats: Mapping[str, SourceFormat]) -> LanguageWork:
    """The distinct untranslated sentences of ``lang`` and the entries each one fills."""
    work = LanguageWork(lang)
    for slot in slots:
        doc_contexts = contexts.get(slot.doc, {})
        fmt = formats.get(slot.doc, SourceFormat.TXT)
        for entry in slot.index.values():
            if not needs_draft(entry):
                continue
            work.untranslated += 1
            work.targets.setdefault(entry.msgid, []).append(slot)
            if entry.msgid not in work.pending:
                where = doc_contexts.get(entry.msgid, Where("", -1, ""))
                work.pending[entry.msgid] = Pending(entry.msgid, where, fmt, slot.doc)
    return work


def batch_of(pending: Sequence[Pending], source: str, target: str) -> Batch:
    """The sentences of one paragraph as one batch, with its context."""
    where = pending[0].where
    return Batch(source, target, tuple(p.msgid for p in pending), where.context, pending[0].fmt,
                 paragraph=where.paragraph, before=where.before, after=where.after)


def requests(work: LanguageWork, engine: Engine, source: str) -> list[Batch]:
    """The remaining sentences grouped by paragraph, each group cut by the engine into requests."""
    groups: dict[tuple[str, int], list[Pending]] = {}
    for p in work.pending.values():
        groups.setdefault(p.group, []).append(p)
    out: list[Batch] = []
    for members in groups.values():
        out.extend(engine.plan(batch_of(members, source, work.lang)))
    return out


def within_budget(engine: Engine, batch: Batch, room: int | None) -> Batch | None:
    """``batch``, or its longest prefix that costs at most ``room``; None if not even one text."""
    if room is None:
        return batch
    texts: list[str] = []
    for text in batch.texts:
        probe = Batch(batch.source, batch.target, (*texts, text), batch.context, batch.fmt,
                      batch.paragraph, batch.before, batch.after)
        if engine.estimate(probe) > room:
            break
        texts.append(text)
    if not texts:
        return None
    return Batch(batch.source, batch.target, tuple(texts), batch.context, batch.fmt,
                 batch.paragraph, batch.before, batch.after)


def take(work: LanguageWork,
         results: Iterable[tuple[str, Result]]) -> list[tuple[str, Draft | Rejected]]:
    """Remove the sentences that got an answer from ``work.pending``; return those answers."""
    taken: list[tuple[str, Draft | Rejected]] = []
    for msgid, result in results:
        if result is not None:
            work.pending.pop(msgid, None)
            taken.append((msgid, result))
    return taken
