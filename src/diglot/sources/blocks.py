"""Turning the text of one block into segments, the part shared by every reader."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from diglot.model import Segment, Unit

Splitter = Callable[[str], list[tuple[int, int]]]
"""Text of one block in, ``(start, end)`` spans of its segments out (see :mod:`diglot.segment`)."""

_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def make_splitter(lang: str, *, unit: Unit = Unit.SENTENCE,
                  abbreviations: Iterable[str] = ()) -> Splitter:
    """A splitter for ``lang``: sentences, or the whole block in ``paragraph`` mode."""
    if unit is Unit.PARAGRAPH:
        return whole_block
    # deliberately lazy: the segmenter's tables are built only when sentences are wanted
    from diglot.segment import sentence_spans

    extra = tuple(abbreviations)

    def split(text: str) -> list[tuple[int, int]]:
        return sentence_spans(text, lang, extra_abbreviations=extra)

    return split


def whole_block(text: str) -> list[tuple[int, int]]:
    """One span: the block's text without surrounding whitespace."""
    stripped = text.strip()
    if not stripped:
        return []
    start = text.index(stripped[0])
    return [(start, start + len(stripped))]


def to_msgid(raw: str, *, keep_breaks: bool) -> str:
    """What a translator sees for ``raw``: soft line breaks become spaces.

    With ``keep_breaks`` (a block whose line breaks mean something), a line
    break stays a ``"\\n"`` and only the spaces around it go.
    """
    if "\n" not in raw:  # most sentences: neither rule below has anything to do
        return raw.strip()
    if keep_breaks:
        return _TRAILING_SPACE.sub("\n", raw).replace("\n ", "\n").strip()
    return _SOFT_BREAK.sub(" ", raw).strip()


def segment_text(text: str, first_line: int, splitter: Splitter, *,
                 keep_breaks: bool) -> tuple[tuple[Segment, ...], tuple[str, ...]]:
    """Split the content of one block into segments and the joiners between them.

    ``text`` is the block's content with line prefixes removed; ``first_line``
    is the source line of its first character.  A joiner is ``"\\n"`` where a
    meaningful line break separates two segments, ``" "`` otherwise.
    """
    spans = splitter(text)
    if "\n" not in text:  # one line: every segment starts on it, a space between any two
        raws = [text[start:end] for start, end in spans]
        one_line = tuple(Segment(msgid, raw, first_line)
                         for raw, msgid in zip(raws, [raw.strip() for raw in raws], strict=True)
                         if msgid)
        return one_line, (" ",) * (len(one_line) - 1)
    segments: list[Segment] = []
    joiners: list[str] = []
    previous_end: int | None = None
    line, counted = first_line, 0  # lines counted incrementally: linear in the block's size
    for start, end in spans:
        raw = text[start:end]
        msgid = to_msgid(raw, keep_breaks=keep_breaks)
        if not msgid:
            continue
        if previous_end is not None:
            gap = text[previous_end:start]
            joiners.append("\n" if keep_breaks and "\n" in gap else " ")
        line += text.count("\n", counted, start)
        counted = start
        segments.append(Segment(msgid=msgid, raw=raw, line=line))
        previous_end = end
    return tuple(segments), tuple(joiners)
