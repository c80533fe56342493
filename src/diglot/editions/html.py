"""What the HTML editions share: templates, inline markup, block layout, page metadata.

Every text reaches a page escaped.  A ``.txt`` document's sentences are
escaped as they are; a Markdown document's sentences go through
markdown-it-py's *inline* renderer with raw HTML off, so ``*em*``,
``**strong**``, ``[text](url)`` and ``` `code` ``` become markup while a
``<script>`` stays text (and ``javascript:`` links are refused by
markdown-it).  Templates are rendered with autoescape on; only the
fragments built here are passed as :class:`markupsafe.Markup`.

A block's sentences are rendered together so that inline markup spanning a
sentence boundary (``**One. Two.**``) is parsed as one, then cut at the
boundaries; tags left open at a cut are closed and reopened so each
sentence is its own well-formed ``<span>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from babel import Locale
from markupsafe import Markup, escape

from diglot import __version__, templating
from diglot.editions.content import DRAFT_LABELS, Edition, SentenceText, escape_each
from diglot.model import Block, BlockKind, Container, Document, EntryState, SourceFormat
from diglot.project import language_name

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_CUT = "\u2000"
"""Marks a sentence boundary while a block's inline Markdown is rendered.

EN QUAD: Unicode whitespace for CommonMark's flanking rules (so it changes no
emphasis), deprecated in favour of U+2002 and so absent from real text; a
block that does contain it is rendered sentence by sentence instead.
"""
BODY = Markup("\x00diglot-page-body\x00")
"""Stands for a page's content in its template; the page is cut there and the content
streamed in between (the last occurrence: only diglot's own markup follows it)."""
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_VOID = frozenset({"br", "img", "hr", "wbr"})
_GAP = re.compile(r"^(?:\s|<br />)*")
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<>&\n\r\x00\u2000]")
"""What markdown-it's CommonMark inline rules act on (escapes, code, emphasis, links,
images, autolinks, entities, breaks) or escape, besides ``"``; with none of it in a
block, its inline rendering is the text with ``"`` escaped."""


@lru_cache(maxsize=512)
def escaped(text: str) -> str:
    """``escape(text)`` as a plain string, remembered: for the few distinct tags, classes,
    languages and directions a page repeats on every block."""
    return str(escape(text))


def page_around_body(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """A page template rendered with :data:`BODY` as its ``body``, cut there: (head, tail)."""
    head, cut, tail = render_template(name, {**context, "body": BODY}).rpartition(BODY)
    if not cut:
        raise ValueError(f"template {name} does not show {{{{ body }}}}")
    return head, tail


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """Render an edition template (``diglot/templates``)."""
    return templating.render_template(name, context)


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only a Markdown document needs it

    return MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False,
                                     "typographer": False})


@functools.cache
def direction(lang: str) -> str:
    """``rtl`` for right-to-left languages, ``ltr`` otherwise."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, TypeError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def _balanced_pieces(html: str, cuts: int) -> list[tuple[str, str]] | None:
    """Cut rendered inline HTML at each :data:`_CUT` into ``(gap before, html)`` pieces.

    Tags open at a cut are closed at the end of the piece and reopened at the
    start of the next; the whitespace and line breaks after a cut are the gap.
    """
    chunks = html.split(_CUT)
    if len(chunks) != cuts + 1:
        return None
    pieces: list[tuple[str, str]] = []
    stack: list[tuple[str, str]] = []  # (name, opening tag as written)
    for n, chunk in enumerate(chunks):
        gap = _GAP.match(chunk)
        gap_text = gap.group(0) if gap and n else ""
        body = chunk[len(gap_text):]
        reopen = "".join(tag for _, tag in stack)
        for match in _TAG.finditer(body):
            closing, name = match.group(1), match.group(2).lower()
            if name in _VOID:
                continue
            if not closing:
                stack.append((name, match.group(0)))
            elif stack and stack[-1][0] == name:
                stack.pop()
        close = "".join(f"</{name}>" for name, _ in reversed(stack))
        pieces.append((gap_text, reopen + body + close))
    return pieces


def markdown_env(document: Document) -> dict[str, Any]:
    """markdown-it's environment for a document: its link reference definitions."""
    if document.format is not SourceFormat.MD:
        return {}
    if "]:" not in document.source_text():
        return {}  # no link reference definition (``[label]: url``): nothing to parse for
    env = _parsed_env(document.source_text()[len(document.front_matter):])
    return {key: dict(value) if isinstance(value, dict) else value for key, value in env.items()}


@lru_cache(maxsize=8)
def _parsed_env(text: str) -> dict[str, Any]:
    """Parse a Markdown text once per build, however many pages and languages need its env."""
    env: dict[str, Any] = {}
    _markdown().parse(text, env)
    return env


def inline_markdown(texts: Sequence[str], joiners: Sequence[str],
                    env: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Render a block's sentences as inline Markdown: ``(gap before, html)`` per sentence.

    ``env`` (see :func:`markdown_env`) resolves reference links (``[text][ref]``).
    """
    if not _INLINE_SYNTAX.search(" ".join(texts)) and \
            not any(_INLINE_SYNTAX.search(j) or j.strip() for j in joiners) and \
            not any(t[:1].isspace() for t in texts[1:]):
        # no text holds _SEP (it is inline syntax): the texts' quotes escaped in one pass
        joined = _SEP.join(texts)
        quoted = joined.replace('"', "&quot;").split(_SEP) if '"' in joined else texts
        return list(zip(("", *joiners), quoted, strict=True))
    md = _markdown()
    env = {} if env is None else env
    if texts and not any(_CUT in t for t in texts):
        source = texts[0] + "".join(_CUT + j + t for j, t in zip(joiners, texts[1:], strict=True))
        pieces = _balanced_pieces(md.renderInline(source, env), len(texts) - 1)
        if pieces is not None:
            return pieces
    rendered = [md.renderInline(t, env) for t in texts]
    gaps = ["", *(str(escape(j)).replace("\n", "<br />\n") for j in joiners)]
    return list(zip(gaps, rendered, strict=True))


_SEP = "\x00"
"""Joins a block's texts so that they are escaped in one pass, then split apart again."""


def _escape_lines(texts: Sequence[str]) -> list[str]:
    """Each text HTML-escaped, its line breaks as ``<br>``, in one pass over all of them;
    the texts themselves when nothing needs it (most blocks)."""
    return escape_each(_html_line, texts, sep=_SEP, special="&<>\"'\n")


def _html_line(text: str) -> str:
    html = str(escape(text))
    return html.replace("\n", "<br>\n") if "\n" in html else html


BLOCKED_LABEL = "check error, not published"
"""The tooltip of a reviewed translation that a check error keeps out of an edition."""


TAB = ' tabindex="0"'
"""What makes a sentence's ``<span>`` focusable (the bilingual page's cells)."""


@dataclass(frozen=True, slots=True)
class BlockSpans:
    """One block's sentences in one edition as HTML ``<span>`` elements, ready for a page.

    Each sentence is ``<span class="…" id="s<block>-<n>-<lang>" data-s="<block>-<n>"…>``
    holding its escaped HTML, after the escaped gap that precedes it in the source.  A
    focusable page adds :data:`TAB` right after ``data-s``.  Kept as three columns
    interleaved when a page is written: the texts are the edition's own strings when
    nothing in them needed escaping, so a build holds its sentences once.
    """

    opens: tuple[str, ...]
    """Per sentence: the gap before it and its ``<span`` up to ``data-s``."""
    afters: tuple[str, ...]
    """Per sentence: its attributes after ``data-s`` and the ``>`` (few distinct strings)."""
    htmls: tuple[str, ...]
    """Per sentence: its escaped HTML."""

    def html(self, *, focusable: bool = False) -> str:
        """The block's spans (with ``tabindex`` when ``focusable``): escaped HTML."""
        return "".join(self._items(0, len(self.opens), focusable))

    def _items(self, start: int, end: int, focusable: bool) -> Iterator[str]:
        part = slice(start, end)
        if focusable:
            return chain.from_iterable(zip(self.opens[part], repeat(TAB), self.afters[part],
                                           self.htmls[part], repeat("</span>"), strict=False))
        return chain.from_iterable(zip(self.opens[part], self.afters[part], self.htmls[part],
                                       repeat("</span>"), strict=False))

    @property
    def long(self) -> bool:
        """More sentences than :data:`_GROUP`: a page streams it with :meth:`parts`."""
        return len(self.opens) > _GROUP

    def parts(self, *, focusable: bool = False) -> Iterator[str]:
        """:meth:`html` in parts of :data:`_GROUP` sentences (a paragraph of a hundred
        thousand sentences is written without being joined, copied and encoded whole)."""
        for start in range(0, len(self.opens), _GROUP):
            yield "".join(self._items(start, start + _GROUP, focusable))


_GROUP = 512


def _css(sentence: SentenceText) -> str:
    """CSS classes of the sentence's ``<span>``."""
    if sentence.reviewed:
        return "s"
    return f"s st-{sentence.state.name.lower()}"


def _label(sentence: SentenceText) -> str:
    """Tooltip for a sentence shown unreviewed ('' for a reviewed one): in a draft, or
    in an edition published below 100 % (the build's threshold allows it)."""
    if sentence.reviewed:
        return ""
    if sentence.problem:  # reviewed, kept out by a check error: source text shown
        return BLOCKED_LABEL
    label = DRAFT_LABELS[sentence.state]
    return f"{label} ({sentence.origin})" if sentence.origin else label


def _attributes(kind: tuple[EntryState, str, str, str | None], lang: str) -> tuple[str, str]:
    """The escaped class of the ``<span>`` of a sentence of this :data:`_KIND` and the
    attributes after ``data-s`` (a page has few distinct kinds: states, engines, dates)."""
    state, sentence_lang, problem, origin = kind
    sentence = SentenceText("", "", sentence_lang, state, origin=origin, problem=problem)
    extra = ""
    if sentence_lang != lang:
        extra += f' lang="{escape(sentence_lang)}"'
    label = _label(sentence)
    if label:
        extra += f' title="{escape(label)}"'
    return str(escape(_css(sentence))), extra


_KIND = attrgetter("state", "lang", "problem", "origin")
"""What a sentence's ``<span>`` attributes depend on besides the page's language."""
_TEXT = attrgetter("text")


def block_spans(edition: Edition, block: Block,
                env: dict[str, Any] | None = None) -> BlockSpans:
    """The sentences of one block of ``edition`` as ``<span>`` elements.

    Built here rather than in a template macro, a few passes over the block's sentences
    each making one string per sentence: a page has one span per sentence, and every
    object or call per sentence shows in a build.
    """
    sentences = edition.blocks[block.index]
    if not sentences:
        return BlockSpans((), (), ())
    texts = list(map(_TEXT, sentences))
    if edition.document.format is SourceFormat.MD:
        rendered = inline_markdown(texts, block.joiners, env)
        gaps, htmls = [g for g, _ in rendered], [h for _, h in rendered]
    else:
        gaps, htmls = ["", *_escape_lines(block.joiners)], _escape_lines(texts)
    lang = edition.lang
    number = block.index + 1
    ident = f'" id="s{number}-'
    data = f'-{escaped(lang)}" data-s="{number}-'
    keys = list(map(_KIND, sentences))  # C loops over the sentences from here on
    kinds = {kind: _attributes(kind, lang) for kind in set(keys)}
    numbers = range(1, len(htmls) + 1)
    if all(attributes == ("s", "") for attributes in kinds.values()):  # most pages
        opens = [f'{gap}<span class="s{ident}{k}{data}{k}"'
                 for k, gap in zip(numbers, gaps, strict=True)]
        afters: Sequence[str] = (">",) * len(opens)
    else:
        css = {kind: attributes[0] for kind, attributes in kinds.items()}
        extra = {kind: f"{attributes[1]}>" for kind, attributes in kinds.items()}
        opens = [f'{gap}<span class="{cls}{ident}{k}{data}{k}"'
                 for k, gap, cls in zip(numbers, gaps, map(css.__getitem__, keys), strict=True)]
        afters = list(map(extra.__getitem__, keys))
    return BlockSpans(tuple(opens), tuple(afters), tuple(htmls))


def edition_spans(edition: Edition) -> tuple[BlockSpans, ...]:
    """Every block's sentences as ``<span>`` elements, in block order.

    A build makes them once per edition and hands them to the monolingual page
    and to every bilingual page the edition is in (``spans=`` of
    :func:`~diglot.editions.monolingual.html_parts` and
    :func:`~diglot.editions.bilingual.bilingual_parts`).
    """
    env = markdown_env(edition.document)
    return tuple(block_spans(edition, b, env) for b in edition.document.blocks)


def block_tag(block: Block) -> str:
    """The HTML element a block's own content goes in."""
    if block.kind is BlockKind.HEADING:
        return f"h{min(max(block.level, 1), 6)}"
    if block.kind is BlockKind.LIST_ITEM:
        return "li"
    return "p"


def block_css(block: Block) -> str:
    """CSS classes describing a block (``k-heading``, ``k-lines``, …)."""
    return "k-" + block.kind.value.replace(" ", "-")


def list_numbers(blocks: Sequence[Block]) -> dict[int, int]:
    """Block index → item number, for the items of ordered lists.

    The first item of a list takes the number its marker gives (``3.`` → 3);
    the next items of the same list count on from it, as CommonMark does.
    """
    numbers: dict[int, int] = {}
    previous: Block | None = None
    for block in blocks:
        if block.kind is BlockKind.LIST_ITEM and block.ordered:
            same_list = (previous is not None and previous.kind is BlockKind.LIST_ITEM
                         and previous.ordered and previous.containers == block.containers
                         and previous.level == block.level and previous.index in numbers)
            if same_list and previous is not None:
                numbers[block.index] = numbers[previous.index] + 1
            else:
                digits = re.match(r"\d+", block.marker)
                numbers[block.index] = int(digits.group(0)) if digits else 1
        if block.kind is BlockKind.LIST_ITEM or block.containers == ():
            previous = block
    return numbers


@dataclass(frozen=True)
class Open:
    """Open a container element (``blockquote``, ``ul``, ``ol``, or a ``li`` holding more)."""

    tag: str
    start: int | None = None
    kind: str = "open"


@dataclass(frozen=True)
class Close:
    """Close the innermost open container."""

    tag: str
    kind: str = "close"


@dataclass(frozen=True)
class BlockItem:
    """One block: its element, classes and sentences."""

    block: Block
    tag: str
    css: str
    spans: BlockSpans
    number: int | None = None
    """For an ordered list item: its number."""
    keep_open: bool = False
    """For a list item: its ``<li>`` stays open (a nested list or paragraph follows inside)."""
    kind: str = "block"


def containers_of(block: Block) -> tuple[str, ...]:
    """The HTML containers around a block, outermost first (a list item's own list last)."""
    tags = tuple("blockquote" if c is Container.QUOTE else c.value for c in block.containers)
    if block.kind is BlockKind.QUOTE and "blockquote" not in tags:
        tags = ("blockquote", *tags)
    if block.kind is BlockKind.LIST_ITEM and (not tags or tags[-1] not in ("ul", "ol")):
        tags = (*tags, "ol" if block.ordered else "ul")
    return tags


@dataclass(frozen=True)
class Raw:
    """Untranslated Markdown between blocks (code, a thematic break) rendered as it stands."""

    html: Markup
    kind: str = "raw"


LayoutItem = Open | Close | BlockItem | Raw

_MARKER_LINE = re.compile(
    r"^[ \t]*(?:(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*)*(?:#{1,6}[ \t]*)?$")
_SETEXT_LINE = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:=+|-+)[ \t]*$")


def literal_html(text: str, *, after: Block | None) -> str:
    """HTML for a literal part of a Markdown document, or "" when it holds only markup.

    Blank lines, list and quote markers and ``#`` runs belong to the blocks
    around them; a setext underline belongs to the heading before it.  What
    is left (a fenced or indented code block, a thematic break, an HTML
    block shown as text) is rendered by markdown-it with raw HTML off.
    """
    lines = text.split("\n")
    if (after is not None and after.kind is BlockKind.HEADING
            and not after.marker.startswith("#") and len(lines) > 1
            and not lines[0].strip() and _SETEXT_LINE.match(lines[1])):
        lines = lines[:1] + lines[2:]
    kept = [line for line in lines if not _MARKER_LINE.match(line)]
    if not kept:
        return ""
    return str(_markdown().render("\n".join(kept)))


def blocks_and_raw(document: Document) -> Iterator[Block | Raw]:
    """A document's blocks in order and, where they stand, a :class:`Raw` for each literal
    part of a Markdown document that renders to something (:func:`literal_html`; never its
    front matter)."""
    markdown = document.format is SourceFormat.MD
    previous: Block | None = None
    for part in document.parts:
        if isinstance(part, str):
            if markdown and part != document.front_matter:
                raw = literal_html(part, after=previous)
                if raw:
                    yield Raw(Markup(raw))  # markdown-it output, raw HTML off
            continue
        previous = part
        yield part


def html_layout(edition: Edition, spans: Sequence[BlockSpans]) -> list[LayoutItem]:
    """The document as a flat stream of opening, closing, block and raw items.

    Containers (quotes, lists) are opened and closed as consecutive blocks
    enter and leave them; a list item followed by something nested inside
    its list (a sub-list, a second paragraph) keeps its ``<li>`` open.
    Untranslated Markdown content between blocks (code, rules) comes out at
    the top level, closing the containers around it.
    """
    document = edition.document
    blocks = document.blocks
    numbers = list_numbers(blocks)
    items: list[LayoutItem] = []
    stack: list[str] = []  # open elements, outermost first; "li" entries between lists
    wanted = [containers_of(b) for b in blocks]
    for block in blocks_and_raw(document):
        if isinstance(block, Raw):
            while stack:
                items.append(Close(stack.pop()))
            items.append(block)
            continue
        i = block.index
        path = wanted[i]
        # How many of this block's containers are open already (list items skipped)?
        open_containers = [t for t in stack if t != "li"]
        common = 0
        while (common < len(path) and common < len(open_containers)
               and path[common] == open_containers[common]):
            common += 1
        # Close everything beyond the shared containers …
        while len([t for t in stack if t != "li"]) > common:
            items.append(Close(stack.pop()))
        # … and the list item at the shared depth when this block is a new item of that list.
        if stack and stack[-1] == "li" and block.kind is BlockKind.LIST_ITEM \
                and common == len(path):
            items.append(Close(stack.pop()))
        for depth in range(common, len(path)):
            tag = path[depth]
            start = numbers.get(block.index) if tag == "ol" and depth == len(path) - 1 else None
            items.append(Open(tag, start=start if start not in (None, 1) else None))
            stack.append(tag)
            if tag in ("ul", "ol") and depth < len(path) - 1:
                items.append(Open("li"))
                stack.append("li")
        nxt = wanted[i + 1] if i + 1 < len(blocks) else ()
        keep_open = (block.kind is BlockKind.LIST_ITEM and len(nxt) >= len(path)
                     and nxt[: len(path)] == path
                     and not (len(nxt) == len(path)
                              and blocks[i + 1].kind is BlockKind.LIST_ITEM))
        items.append(BlockItem(block=block, tag=block_tag(block), css=block_css(block),
                               spans=spans[i], number=numbers.get(block.index),
                               keep_open=keep_open))
        if keep_open:
            stack.append("li")
    while stack:
        items.append(Close(stack.pop()))
    return items


def plain_title(document: Document, edition: Edition) -> str:
    """The page title: the first heading's text in this edition (markup removed), or the name."""
    for block in document.blocks:
        if block.kind is BlockKind.HEADING:
            text = " ".join(edition.texts(block))
            if document.format is SourceFormat.MD:
                html = _markdown().renderInline(text, markdown_env(document))
                text = Markup(re.sub(r"<[^>]+>", "", html)).unescape()
            return text.replace("\n", " ")
    return document.name


def script_hash(script: str) -> str:
    """The CSP source (``'sha256-…'``) that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page_context(document: Document, *, langs: Sequence[str], draft: bool,
                 script: str = "") -> dict[str, Any]:
    """What every page template needs besides its content."""
    script_src = script_hash(script) if script else "'none'"
    return {
        "generator": f"diglot {__version__}",
        "doc_name": document.name,
        "draft": draft,
        "script": Markup(script),  # our own template, never user text
        "csp": ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                f"script-src {script_src}; base-uri 'none'; form-action 'none'"),
        "lang_names": {lang: language_name(lang, native=True) for lang in langs},
        "dirs": {lang: direction(lang) for lang in langs},
    }
