"""Plain-text statements: blocks separated by blank lines, soft line breaks inside.

A block whose lines are all short (a signature, an address, verse) keeps its
line breaks: see :func:`is_line_block`.  A short single line followed by more
text and not ending like a sentence is taken for a heading.
"""

from __future__ import annotations

import re
from itertools import pairwise

from diglot.model import Block, BlockKind
from diglot.sources.blocks import Splitter, segment_text

LINE_BLOCK_WIDTH = 50
"""A multi-line block whose lines (but the last) are all shorter than this keeps its breaks."""
HEADING_WIDTH = 120
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
_SENTENCE_END = tuple(".!?…:;,»\"”)")
_LINE_END = tuple(".!?…:;,—–-")


def is_line_block(lines: list[str]) -> bool:
    """Whether the line breaks of a block mean something: a signature, an address, verse.

    All lines but the last are short, and no line reads as the continuation of
    a sentence wrapped from the line above (a lowercase start after a line
    that does not end in punctuation).
    """
    if len(lines) < 2:
        return False
    if any(len(line.rstrip()) >= LINE_BLOCK_WIDTH for line in lines[:-1]):
        return False
    for above, line in pairwise(lines):
        first = line.lstrip()[:1]
        if first.islower() and not above.rstrip().endswith(_LINE_END):
            return False
    return True


def _is_heading(text: str, is_last: bool) -> bool:
    one_line = "\n" not in text.strip()
    stripped = text.strip()
    return (one_line and not is_last and len(stripped) <= HEADING_WIDTH
            and not stripped.endswith(_SENTENCE_END))


def parse_text(text: str, *, splitter: Splitter) -> tuple[str | Block, ...]:
    """The skeleton of a plain-text document: literal gaps and blocks, in order."""
    regions: list[tuple[int, int]] = []  # (start, end) of each block's text
    pos = 0
    for match in _BLANK_RUN.finditer(text):
        regions.append((pos, match.start() + 1))
        pos = match.end()
    regions.append((pos, len(text)))
    parts: list[str | Block] = []
    cursor = 0
    blocks = [(a, b) for a, b in regions if text[a:b].strip()]
    headings = 0
    block_count = 0
    line, counted = 1, 0  # lines counted incrementally: linear in the document's size
    for index, (start, end) in enumerate(blocks):
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        body_start = start + lead
        body_end = body_start + len(body)
        lines = body.split("\n")
        line += text.count("\n", counted, body_start)
        counted = body_start
        first_line = line
        keep = is_line_block(lines)
        segments, joiners = segment_text(body, first_line, splitter, keep_breaks=keep)
        if not segments:
            continue
        kind = BlockKind.PARAGRAPH
        level = 0
        if keep:
            kind = BlockKind.LINES
        elif _is_heading(body, index == len(blocks) - 1):
            kind = BlockKind.HEADING
            headings += 1
            level = 1 if headings == 1 else 2
        if body_start > cursor:
            parts.append(text[cursor:body_start])
        parts.append(Block(kind=kind, index=block_count,
                           line=first_line, segments=segments, joiners=joiners, raw=body,
                           level=level))
        block_count += 1
        cursor = body_end
    if cursor < len(text):
        parts.append(text[cursor:])
    return tuple(parts)
