"""Markdown statements (CommonMark): headings, paragraphs, list items and quotes are translated.

The document is parsed with markdown-it-py.  Every leaf block with inline content (an ATX or
setext heading, a paragraph) becomes a :class:`~diglot.model.Block` whose ``raw`` is the exact
source region of its text, from the first content character to the last, container prefixes
on continuation lines included; everything else (markers, blank lines, code, HTML blocks,
thematic breaks, link reference definitions, front matter) stays literal.  Joining the parts
gives back the source exactly.  A segment's ``raw`` is likewise the exact source slice, so a
segment running over a continuation line of a quote keeps that line's ``> `` in ``raw`` (never
in its msgid).

At a little over 500 lines this module stays one piece on purpose: the inline-span
wrappers and the block walk share the span notes in ``Token.meta``, and splitting them
would put one contract in two files.

markdown-it does not record where inline tokens sit in the text, so the inline rules are
wrapped to note the span of each code span, link, image, autolink, raw HTML, line break and
emphasis delimiter (in ``Token.meta``).  Those spans keep sentence boundaries out of inline
markup and tell hard line breaks from soft ones.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it import rules_inline as ri
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from diglot.errors import SourceError
from diglot.model import Block, BlockKind, Container, Segment
from diglot.sources.blocks import Splitter

__all__ = ["parse_markdown", "split_front_matter"]

SPAN = "diglot_span"
"""``Token.meta`` key: ``(start, end)`` of the token's source in its inline content."""
_TRACKED = frozenset({"code_inline", "html_inline", "link_open", "link_close", "image",
                      "hardbreak", "softbreak"})
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_SHOWN = re.compile(rb"\x00+")
"""A run of characters shown to the sentence splitter (see :func:`_hidden`)."""
_FRONT_MATTER_CLOSE = {"---": ("---", "..."), "+++": ("+++",)}
_HINT = "simplify the Markdown near this line and report the case to diglot's maintainers"

Rule = Callable[[StateInline, bool], bool]

MAX_NESTING = 60
"""markdown-it's nesting limit (CommonMark preset: 20, which silently drops what lies deeper:
lists nested 10 levels, quotes 20).  A document reaching this one is refused, never cut."""


def split_front_matter(text: str) -> str:
    """The YAML (``---``) or TOML (``+++``) front matter at the very top of ``text``, or "".

    The front matter runs from the opening delimiter line to the closing one, its line end
    included; without a closing line there is none (a ``---`` line is then a thematic break).
    """
    first, sep, rest = text.partition("\n")
    closers = _FRONT_MATTER_CLOSE.get(first.rstrip(" \t"))
    if closers is None or not sep:
        return ""
    pos = len(first) + 1
    for line in rest.split("\n"):
        end = pos + len(line)
        if line.rstrip(" \t") in closers:
            return text[: min(end + 1, len(text))]
        pos = end + 1
    return ""


def _track(rule: Rule, *, per_char: bool = False) -> Rule:
    """Wrap an inline rule so that the tokens it makes remember where they came from."""

    def tracked(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        ok = rule(state, silent)
        if ok and not silent:
            if per_char:  # emphasis: one text token per delimiter character, at the end
                made = state.pos - start
                for i, token in enumerate(state.tokens[len(state.tokens) - made:]):
                    token.meta[SPAN] = (start + i, start + i + 1)
            else:
                for token in state.tokens[count:]:
                    if token.type in _TRACKED and SPAN not in token.meta:
                        token.meta[SPAN] = (start, state.pos)
        return ok

    return tracked


def new_parser() -> MarkdownIt:
    """A CommonMark parser whose inline tokens carry their source spans (``meta[SPAN]``)."""
    md = MarkdownIt("commonmark")
    md.options["maxNesting"] = MAX_NESTING
    ruler = md.inline.ruler
    ruler.at("newline", _track(ri.newline))
    ruler.at("escape", _track(ri.escape))
    ruler.at("backticks", _track(ri.backtick))
    ruler.at("emphasis", _track(ri.emphasis.tokenize, per_char=True))
    ruler.at("link", _track(ri.link))
    ruler.at("image", _track(ri.image))
    ruler.at("autolink", _track(ri.autolink))
    ruler.at("html_inline", _track(ri.html_inline))
    return md


@dataclass(frozen=True, slots=True)
class Protected:
    """A stretch of inline markup no sentence boundary may fall inside.

    ``[start, open_end)`` and ``[close_start, end)`` are its delimiters (``**``, ``[`` and
    ``](url)``), hidden from the sentence splitter; code, autolinks, HTML and images are shown
    to it whole (``open_end == start``, ``close_start == end``).
    """

    start: int
    end: int
    open_end: int
    close_start: int


@dataclass(frozen=True, slots=True)
class HardBreak:
    mark: int
    """Where the break's mark starts: the backslash, or the first of the trailing spaces."""
    end: int
    """After the line end and the next line's indentation."""
    backslash: bool


@dataclass(frozen=True, slots=True)
class InlineMap:
    """Where the inline markup of one block's content sits."""

    protected: tuple[Protected, ...]
    breaks: tuple[HardBreak, ...]


def label_end(content: str, start: int, end: int, skip: dict[int, int]) -> int:
    """The ``]`` closing the link label opened at ``start`` (or -1)."""
    depth, pos = 0, start
    while pos < end:
        if pos in skip and pos != start:
            pos = skip[pos]
            continue
        char = content[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1


def atomic_spans(children: Sequence[Token]) -> dict[int, int]:
    """Start → end of each code span, raw HTML, image and autolink (nothing splits them)."""
    spans: dict[int, int] = {}
    for token in children:
        span: tuple[int, int] | None = token.meta.get(SPAN)
        if span is not None and (token.type in ("code_inline", "html_inline", "image")
                                 or (token.type == "link_open" and token.markup == "autolink")):
            spans[span[0]] = span[1]
    return spans


def inline_map(content: str, children: Sequence[Token]) -> InlineMap:
    """Read the spans noted by :func:`new_parser` off one inline token's children."""
    protected: list[Protected] = []
    breaks: list[HardBreak] = []
    opened: list[Token] = []
    whole = atomic_spans(children)
    for token in children:
        span: tuple[int, int] | None = token.meta.get(SPAN)
        if span is None:
            continue
        a, b = span
        kind = token.type
        if kind in ("code_inline", "html_inline", "image") or token.markup == "autolink":
            if kind != "link_close":
                protected.append(Protected(a, b, a, b))
        elif kind == "hardbreak":
            if content[a] == "\\":
                breaks.append(HardBreak(a, b, backslash=True))
            else:
                mark = a
                while mark > 0 and content[mark - 1] == " ":
                    mark -= 1
                breaks.append(HardBreak(mark, b, backslash=False))
        elif kind == "link_open":
            label = label_end(content, a, b, whole)
            protected.append(Protected(a, b, a + 1, label) if label > a else
                             Protected(a, b, a, b))
        elif kind in ("em_open", "strong_open"):
            opened.append(token)
        elif kind in ("em_close", "strong_close") and opened:
            first = opened.pop().meta[SPAN][0]
            width = 2 if kind == "strong_close" else 1
            start = first - 1 if width == 2 else first
            protected.append(Protected(start, a + width, start + width, a))
    protected.sort(key=lambda p: (p.start, -p.end))
    return InlineMap(tuple(protected), tuple(breaks))


@dataclass(frozen=True, slots=True)
class LineMap:
    """Where each line of a block's inline content sits in the source text.

    markdown-it drops container prefixes and (later, while parsing inline) the indentation
    of continuation lines; what is left of each content line is a suffix of its source line.
    """

    content_starts: tuple[int, ...]
    leads: tuple[int, ...]
    """Blanks at the start of each content line (indentation the inline parser skips)."""
    source_starts: tuple[int, ...]
    """Source offset of each content line's first kept character."""

    def to_source(self, offset: int) -> int:
        """The source offset of a content offset."""
        i = bisect.bisect_right(self.content_starts, offset) - 1
        return self.source_starts[i] + max(0, offset - self.content_starts[i] - self.leads[i])


@dataclass(frozen=True, slots=True)
class _Source:
    text: str
    path: Path
    line_starts: tuple[int, ...]

    def line(self, n: int) -> str:
        """Source line ``n`` (0-based) without its line end."""
        start = self.line_starts[n]
        end = self.line_starts[n + 1] - 1 if n + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def error(self, what: str, line: int) -> SourceError:
        return SourceError(what, path=self.path, line=line + 1, hint=_HINT)


def _align(src: _Source, content: str, first: int, last: int) -> LineMap:
    """Find each line of ``content`` (source lines ``first`` to ``last``, 0-based) in the source.

    Lines of Unicode blanks only (no-break spaces) before the text were stripped with it.
    """
    try:
        return _align_from(src, content, first)
    except SourceError:
        for skip in range(1, last - first + 1 - content.count("\n")):
            try:
                return _align_from(src, content, first + skip)
            except SourceError:
                continue
        raise


def _align_from(src: _Source, content: str, first: int) -> LineMap:
    starts: list[int] = []
    leads: list[int] = []
    sources: list[int] = []
    lines = content.split("\n")
    offset = 0
    for i, part in enumerate(lines):
        n = first + i
        if n >= len(src.line_starts):
            raise src.error("Markdown block runs past the end of the text", first)
        line = src.line(n)
        if i == len(lines) - 1:
            line = line.rstrip()
        kept = part.lstrip(" \t")
        if not line.endswith(kept):
            raise src.error("cannot find a Markdown block's text in its source line", n)
        starts.append(offset)
        leads.append(len(part) - len(kept))
        sources.append(src.line_starts[n] + len(line) - len(kept))
        offset += len(part) + 1
    return LineMap(tuple(starts), tuple(leads), tuple(sources))


def _align_atx(src: _Source, content: str, n: int) -> tuple[LineMap, str]:
    """Find an ATX heading's text on its line; also return the container prefix before ``#``."""
    line = src.line(n)
    marker = line.find("#")
    pos = marker
    while 0 <= pos < len(line) and line[pos] == "#":
        pos += 1
    found = line.find(content, pos) if marker >= 0 else -1
    if found < 0 or line[pos:found].strip():
        raise src.error("cannot find a Markdown heading's text in its source line", n)
    return LineMap((0,), (0,), (src.line_starts[n] + found,)), line[:marker]


def _hidden(content: str, imap: InlineMap) -> bytearray:
    """Per content character: 0 shown to the splitter, 1 hidden opener, 2 hidden closer."""
    hidden = bytearray(len(content))
    for p in imap.protected:
        hidden[p.start:p.open_end] = b"\x01" * (p.open_end - p.start)
        hidden[p.close_start:p.end] = b"\x02" * (p.end - p.close_start)
    for hb in imap.breaks:
        if hb.backslash:
            hidden[hb.mark] = 2
    return hidden


def _cuts(content: str, imap: InlineMap, splitter: Splitter, begin: int) -> list[int] | None:
    """Content offsets where sentences after the first start (None: no text at all)."""
    hidden = _hidden(content, imap)
    # the runs of shown characters (one run, the whole content, for most blocks), and where
    # each starts in the text the splitter sees: no per-character work in Python
    runs = [m.span() for m in _SHOWN.finditer(hidden)] if any(hidden) else [(0, len(content))]
    offsets = list(itertools.accumulate((b - a for a, b in runs), initial=0))
    spans = splitter("".join(content[a:b] for a, b in runs))
    if not spans:
        return None
    cuts: list[int] = []
    for start, _end in spans[1:]:
        if start >= offsets[-1]:
            continue
        run = bisect.bisect_right(offsets, start) - 1
        q = runs[run][0] + start - offsets[run]
        while q > 0 and hidden[q - 1] == 1:  # an opening ** or [ belongs to this sentence
            q -= 1
        if q <= (cuts[-1] if cuts else begin):
            continue
        if any(p.start < q < p.end for p in imap.protected):
            continue  # never inside code, a link, an autolink, HTML or emphasis
        cuts.append(q)
    return cuts


def _msgid(content: str, start: int, end: int, breaks: Sequence[HardBreak]) -> str:
    """What the translator sees: soft breaks as spaces, hard breaks as "\\n", markup as is."""
    pieces: list[str] = []
    pos = start
    for hb in breaks:
        if start <= hb.mark and hb.end <= end:
            pieces.append(content[pos:hb.mark].rstrip(" \t"))
            pos = hb.end
    pieces.append(content[pos:end])
    return "\n".join(_SOFT_BREAK.sub(" ", piece) for piece in pieces)


def text_start(content: str, imap: InlineMap) -> int:
    """Where the text of a block's content starts: after any hard breaks it opens with."""
    marks = {hb.mark: hb.end for hb in imap.breaks}
    begin = 0
    while begin < len(content):
        if begin in marks:
            begin = marks[begin]
        elif content[begin].isspace():
            begin += 1
        else:
            break
    return begin


def segment_inline(content: str, imap: InlineMap, lines: LineMap, text: str, first_line: int,
                   splitter: Splitter) -> tuple[tuple[Segment, ...], tuple[str, ...]]:
    """Split one block's inline content into segments and the joiners between them.

    ``first_line`` is the 1-based source line of the content's first character.
    """
    begin = text_start(content, imap)
    cuts = _cuts(content, imap, splitter, begin)
    if cuts is None or begin >= len(content):
        return (), ()
    marks = {hb.mark for hb in imap.breaks if hb.backslash}
    bounds = [begin, *cuts, len(content)]
    segments: list[Segment] = []
    joiners: list[str] = []
    previous_end = 0
    for start, following in itertools.pairwise(bounds):
        end = following
        while end > start and (content[end - 1].isspace() or end - 1 in marks):
            end -= 1
        if end == start:
            continue
        if segments:
            gap_hard = any(previous_end <= hb.mark < start for hb in imap.breaks)
            joiners.append("\n" if gap_hard else " ")
        segments.append(Segment(
            msgid=_msgid(content, start, end, imap.breaks),
            raw=text[lines.to_source(start):lines.to_source(end)],
            line=first_line + content.count("\n", 0, start),
        ))
        previous_end = end
    return tuple(segments), tuple(joiners)


def _continuation(prefix: str) -> str:
    """The prefix for a continuation line, from a block's first-line prefix ("> 1. " → ">    ")."""
    return "".join(char if char in ">\t" else " " for char in prefix)


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a leaf block stands: its containers and what kind of block it is."""

    kind: BlockKind
    level: int
    ordered: bool
    marker: str
    containers: tuple[Container, ...]


def _context(tokens: Sequence[Token], i: int, containers: list[Container],
             markers: list[str]) -> _Context:
    """The context of the inline token ``tokens[i]`` (its parent is ``tokens[i - 1]``)."""
    parent = tokens[i - 1]
    where = tuple(containers)
    if parent.type == "heading_open":
        return _Context(BlockKind.HEADING, int(parent.tag[1:]), False, parent.markup, where)
    lists = sum(c is not Container.QUOTE for c in where)
    if i >= 2 and tokens[i - 2].type == "list_item_open":
        return _Context(BlockKind.LIST_ITEM, lists, where[-1] is Container.NUMBERED, markers[-1],
                        where)
    if Container.QUOTE in where:
        return _Context(BlockKind.QUOTE, where.count(Container.QUOTE), False, "", where)
    return _Context(BlockKind.PARAGRAPH, 0, False, "", where)


def _leaf(src: _Source, tokens: Sequence[Token], i: int, ctx: _Context, index: int,
          line_offset: int, splitter: Splitter) -> tuple[Block, int] | None:
    """The block of the inline token ``tokens[i]`` and its source offset (None: no text)."""
    token = tokens[i]
    content = token.content
    if token.map is None:
        raise src.error("Markdown block without a source position", line_offset)
    first = token.map[0] + line_offset
    if not content.strip():
        return None
    parent = tokens[i - 1]
    if parent.type == "heading_open" and parent.markup.startswith("#"):
        lines, prefix = _align_atx(src, content, first)
    else:
        lines = _align(src, content, first, token.map[1] + line_offset - 1)
        prefix = src.text[src.line_starts[first]:lines.source_starts[0]]
    imap = inline_map(content, token.children or ())
    segments, joiners = segment_inline(content, imap, lines, src.text, first + 1, splitter)
    if not segments:
        return None
    start = lines.to_source(text_start(content, imap))
    raw = src.text[start:lines.to_source(len(content))]
    hard = ("\\" if imap.breaks[0].backslash else "  ") if imap.breaks else "\\"
    return Block(kind=ctx.kind, index=index, line=first + 1, segments=segments, joiners=joiners,
                 raw=raw, line_prefix=_continuation(prefix), hard_break=hard, level=ctx.level,
                 ordered=ctx.ordered, marker=ctx.marker, containers=ctx.containers), start


_OPENS = {"blockquote_open": Container.QUOTE, "bullet_list_open": Container.BULLETS,
          "ordered_list_open": Container.NUMBERED}
_CLOSES = frozenset({"blockquote_close", "bullet_list_close", "ordered_list_close"})


def _check_nesting(tokens: Sequence[Token], path: Path, line_offset: int) -> None:
    """Refuse a document nested so deep that markdown-it stopped parsing part of it."""
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0]
        if token.level >= MAX_NESTING - 1:
            raise SourceError(
                f"lists or block quotes nested too deeply (over {MAX_NESTING // 2 - 2} lists "
                f"or {MAX_NESTING - 2} quotes)",
                path=path, line=line + line_offset + 1,
                hint="flatten the nesting: deeper levels cannot be translated")


def parse_markdown(text: str, *, splitter: Splitter,
                   path: Path) -> tuple[tuple[str | Block, ...], str]:
    """The skeleton of a Markdown document and its front matter ("" if none).

    ``text`` is decoded source text (LF line ends, see :func:`diglot.sources.decode_source`).
    Joining the literal parts and the blocks' ``raw`` gives back ``text`` exactly.
    """
    for bad, name in (("\r", "a carriage return"), ("\x00", "a NUL character")):
        if bad in text:
            raise SourceError(f"contains {name}", path=path,
                              line=text.count("\n", 0, text.index(bad)) + 1,
                              hint="read the file with diglot.sources.read_document")
    front = split_front_matter(text)
    line_offset = front.count("\n")
    env: dict[str, Any] = {}
    tokens = new_parser().parse(text[len(front):], env)
    _check_nesting(tokens, path, line_offset)
    src = _Source(text, path, (0, *(m.end() for m in re.finditer("\n", text))))
    parts: list[str | Block] = [front] if front else []
    cursor = len(front)
    containers: list[Container] = []
    markers: list[str] = []
    index = 0
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in _OPENS:
            containers.append(_OPENS[kind])
        elif kind in _CLOSES:
            containers.pop()
        elif kind == "list_item_open":
            markers.append(token.info + token.markup)
        elif kind == "list_item_close":
            markers.pop()
        elif kind == "inline":
            ctx = _context(tokens, i, containers, markers)
            found = _leaf(src, tokens, i, ctx, index, line_offset, splitter)
            if found is None:
                continue
            block, start = found
            if start < cursor:
                raise src.error("Markdown blocks overlap", block.line - 1)
            if start > cursor:
                parts.append(text[cursor:start])
            parts.append(block)
            cursor = start + len(block.raw)
            index += 1
    if cursor < len(text):
        parts.append(text[cursor:])
    return tuple(parts), front
