"""Bilingual editions: source and translation side by side, block facing block.

Each block is one row (a ``<section>`` with an anchor ``#b<n>`` for
citation) holding two cells, the source on the left and the translation on
the right, each with its own ``lang``.  Each sentence is a focusable
``<span data-s="<block>-<sentence>">``; a small inline script highlights the
counterpart of the sentence under the pointer or the keyboard focus, and a
click pins the pair.  Without the script the page reads just as well.

The layout is a CSS grid per row, so both cells of a block start at the same
height whatever the other blocks do; on a narrow screen a row's cells stack
(the pair stays together), and a print style sheet sets A4 pages that never
break inside a row.  The page loads nothing: styles and script are inline,
and a Content-Security-Policy allows only that script (by its hash).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markupsafe import escape

from diglot.editions.content import Edition, draft_summary
from diglot.editions.html import (
    BlockSpans,
    Open,
    Raw,
    block_css,
    block_tag,
    blocks_and_raw,
    containers_of,
    direction,
    edition_spans,
    escaped,
    list_numbers,
    page_around_body,
    page_context,
    plain_title,
    render_template,
)
from diglot.model import Block
from diglot.project import language_name


@dataclass(frozen=True)
class Row:
    """One block of the document with its two cells."""

    block: Block
    tag: str
    css: str
    wrappers: tuple[Open, ...]
    """Elements each cell opens around the block (``blockquote``, ``ol``, …), outermost first."""
    number: int | None
    source: BlockSpans
    target: BlockSpans

    kind: str = "block"

    @property
    def anchor(self) -> str:
        return f"b{self.block.index + 1}"


def _wrappers(block: Block, number: int | None) -> tuple[Open, ...]:
    tags = containers_of(block)
    out: list[Open] = []
    for depth, tag in enumerate(tags):
        last = depth == len(tags) - 1
        out.append(Open(tag, start=number if tag == "ol" and last else None))
        if tag in ("ul", "ol") and not last:
            out.append(Open("li"))
    return tuple(out)


def rows(source: Edition, target: Edition, *,
         spans: tuple[Sequence[BlockSpans], Sequence[BlockSpans]] | None = None) -> list[Row | Raw]:
    """The rows of a bilingual edition: every block with its source and target sentences.

    Untranslated Markdown content between blocks (code, rules) is a
    :class:`~diglot.editions.html.Raw` row across both columns.
    """
    if source.document is not target.document and source.document != target.document:
        raise ValueError("a bilingual edition needs two editions of the same document")
    numbers = list_numbers(source.document.blocks)
    src_spans, tgt_spans = (edition_spans(source), edition_spans(target)) if spans is None \
        else spans
    out: list[Row | Raw] = []
    for block in blocks_and_raw(source.document):
        if isinstance(block, Raw):
            out.append(block)
            continue
        number = numbers.get(block.index)
        out.append(Row(block=block, tag=block_tag(block), css=block_css(block),
                       wrappers=_wrappers(block, number), number=number,
                       source=src_spans[block.index], target=tgt_spans[block.index]))
    return out


def render_bilingual(source: Edition, target: Edition, *,
                     links: Sequence[tuple[str, str]] = ()) -> str:
    """The bilingual page of ``source`` (the source language) facing ``target``.

    ``links`` are ``(label, relative URL)`` pairs shown in the page header
    (the monolingual editions, the TMX file).
    """
    return "".join(bilingual_parts(source, target, links=links))


def bilingual_parts(source: Edition, target: Edition, *,
                    links: Sequence[tuple[str, str]] = (),
                    banner: str | None = None,
                    spans: tuple[Sequence[BlockSpans], Sequence[BlockSpans]] | None = None,
                    ) -> Iterator[str]:
    """:func:`render_bilingual` in pieces (the page around the rows, then one per row).

    ``banner`` replaces a draft's banner line (the import's review page says what it is);
    ``spans``: the source's and the target's :func:`~diglot.editions.html.edition_spans`,
    when the caller has made them already.
    """
    script = render_template("bilingual.js.j2", {})
    document = source.document
    context = page_context(document, langs=(source.lang, target.lang),
                           draft=source.draft or target.draft, script=script)
    context.update(
        page_lang=target.lang,
        title=f"{plain_title(document, target)} · {plain_title(document, source)}",
        body_class="bilingual",
        banner=banner if banner is not None else
        draft_summary(target, source_name=language_name(source.lang)) if target.draft else "",
        source=source,
        target=target,
        links=list(links),
    )
    head, tail = page_around_body("bilingual.html.j2", context)
    yield head
    yield from _body(rows(source, target, spans=spans), source.lang, target.lang)
    yield tail


def _open(wrapper: Open) -> str:
    nest = ' class="nest"' if wrapper.tag == "li" else ""
    start = "" if wrapper.start is None else f' start="{wrapper.start}"'
    return f"<{escaped(wrapper.tag)}{nest}{start}>"


def _cell(row: Row, side: str, lang: str) -> Iterator[str]:
    """One cell of a row, in parts (a long block's spans streamed)."""
    opens = "".join(_open(w) for w in row.wrappers)
    closes = "".join(f"</{escaped(w.tag)}>" for w in reversed(row.wrappers))
    tag = escaped(row.tag)
    value = "" if row.number is None else f' value="{row.number}"'
    spans = row.source if side == "source" else row.target
    yield (f'<div class="cell {side}" lang="{escaped(lang)}" dir="{escaped(direction(lang))}">'
           f'{opens}<{tag} class="{escaped(row.css)}"{value}>')
    yield from spans.parts(focusable=True)
    yield f"</{tag}>{closes}</div>"


def _body(rows: Sequence[Row | Raw], source_lang: str, target_lang: str) -> Iterator[str]:
    """The page's rows, built here rather than in the template (one per block: Jinja's
    loop and macro calls cost more than the strings they make)."""
    for row in rows:  # every part escaped here or already Markup
        if isinstance(row, Raw):
            yield f'<div class="pair raw"><div class="cell wide">{row.html}</div></div>\n'
            continue
        n = row.block.index + 1
        anchor = escape(row.anchor)
        parts = [f'<section class="pair {escaped(row.css)}" id="{anchor}">\n'
                 f'<a class="anchor" href="#{anchor}" title="link to block {n}">{n}</a>\n',
                 *_cell(row, "source", source_lang), "\n",
                 *_cell(row, "target", target_lang), "\n</section>\n"]
        if row.source.long or row.target.long:
            yield from parts
        else:
            yield "".join(parts)
