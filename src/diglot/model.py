"""The domain model: documents read from sources, their blocks and segments.

A :class:`Document` is a *skeleton*: a sequence of literal text (markup,
blank lines, list markers, code blocks carried through untranslated) and
translatable :class:`Block` objects.  Joining the literals with every block's
``raw`` text gives back the source file byte for byte; joining them with
translated blocks gives an edition in the source's own format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from operator import attrgetter
from pathlib import Path

from diglot.names import EntryState as EntryState  # re-exported: defined apart, see names
from diglot.names import Unit as Unit  # re-exported: defined apart for the CLI's parser

_MSGID = attrgetter("msgid")


class BlockKind(StrEnum):
    """What a translatable block is in its document."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    QUOTE = "quote"
    LINES = "lines"
    """A block whose line breaks mean something: a signature, an address, verse."""


class Container(StrEnum):
    """A Markdown container around a block; the lists' values are their HTML tags."""

    QUOTE = "quote"
    BULLETS = "ul"
    NUMBERED = "ol"


class SourceFormat(StrEnum):
    """The formats diglot reads, named by their file extension."""

    TXT = "txt"
    MD = "md"


@dataclass(frozen=True, slots=True)
class Segment:
    """One translation unit: usually a sentence, or a whole block in paragraph mode.

    ``msgid`` is what the translator sees: soft line breaks are spaces, a
    meaningful line break is ``"\\n"``, Markdown inline markup is kept as written.
    ``raw`` is the exact source text of the segment (for rebuilding the source).
    """

    msgid: str
    raw: str
    line: int
    """1-based line of the source file where the segment starts."""


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item, quote or line block, split into segments."""

    kind: BlockKind
    index: int
    """0-based position among the document's translatable blocks."""
    line: int
    """1-based line of the source file where the block's text starts."""
    segments: tuple[Segment, ...]
    joiners: tuple[str, ...]
    """What stands between consecutive segments in the source (``len(segments) - 1`` items)."""
    raw: str
    """The exact source text of the block's content region, line prefixes included."""
    line_prefix: str = ""
    """Put after every line break when a rebuilt block spans several lines (``"> "``)."""
    hard_break: str = ""
    """Written before a meaningful line break (``"\\\\"`` or two spaces in Markdown)."""
    level: int = 0
    """Heading level (1–6) or list nesting depth (1 = top level); 0 when not applicable."""
    ordered: bool = False
    """For list items: whether the list is numbered."""
    marker: str = ""
    """For list items: the marker as written (``"1."``, ``"-"``); for headings the ``#`` run."""
    containers: tuple[Container, ...] = ()
    """Enclosing containers (block quotes, lists), from the outside in."""

    @property
    def msgids(self) -> tuple[str, ...]:
        return tuple(map(_MSGID, self.segments))  # a C loop: editions ask it of every block

    def text(self, texts: Sequence[str] | None = None) -> str:
        """The block's segments (or ``texts`` in their place) joined as a translator reads them."""
        items = self.msgids if texts is None else tuple(texts)
        if len(items) != len(self.segments):
            raise ValueError(f"block {self.index} has {len(self.segments)} segments, "
                             f"got {len(items)} texts")
        if not items:
            return ""
        joined = chain.from_iterable(zip(self.joiners, items[1:], strict=True))  # C loops
        return "".join(chain((items[0],), joined))

    def render(self, texts: Sequence[str]) -> str:
        """The block's source region with ``texts`` in place of its segments.

        With every text equal to its segment the source is given back exactly;
        otherwise the texts are joined and each meaningful line break is
        written with this format's hard-break mark and line prefix.  Prose is
        never rewrapped: a paragraph comes out as one line.
        """
        if tuple(texts) == self.msgids:
            return self.raw
        return self.text(texts).replace("\n", f"{self.hard_break}\n{self.line_prefix}")


@dataclass(frozen=True, slots=True)
class Document:
    """A source document: its name, language, format and skeleton."""

    name: str
    """The path under ``source/<lang>/`` without extension, with ``/`` separators."""
    lang: str
    path: Path
    """The file read (a real path; ``#:`` references and TMX locations are made relative to the
    project where they are written, by :func:`diglot.project.relative`)."""
    format: SourceFormat
    parts: tuple[str | Block, ...]
    front_matter: str = field(default="")
    """Front matter carried through untranslated (also present in ``parts`` as a literal)."""

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(p for p in self.parts if isinstance(p, Block))

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for b in self.blocks for s in b.segments)

    def source_text(self) -> str:
        """The source file's text, rebuilt from the skeleton (equals the file after decoding)."""
        return "".join(p if isinstance(p, str) else p.raw for p in self.parts)


Progress = Callable[[str], None]
"""How a long stage reports what it is working on (a line for the CLI to show); never prints."""


