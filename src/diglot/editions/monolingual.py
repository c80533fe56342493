"""Monolingual editions: the document in one language, in its own format and as HTML.

:func:`render_text` puts each block's texts back into the source skeleton
(:meth:`diglot.model.Block.render`): markup, blank lines, list markers and
meaningful line breaks stay where the source has them and nothing is
rewrapped.  With every text equal to its source the source comes back byte
for byte.  :func:`render_html` lays the same blocks out as an HTML page from
the ``monolingual.html.j2`` template.

A draft edition is marked so that it cannot pass for a published one: a
banner at the top, and each unreviewed segment prefixed in text (``⟦machine
draft⟧ …``) or highlighted in HTML.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from diglot.editions.content import DRAFT_LABELS, Edition, draft_summary
from diglot.editions.html import (
    BlockSpans,
    Close,
    LayoutItem,
    Open,
    Raw,
    edition_spans,
    escaped,
    html_layout,
    page_around_body,
    page_context,
    plain_title,
)
from diglot.model import Block, SourceFormat
from diglot.project import language_name

_MARKS = {state: f"⟦{label}⟧ " for state, label in DRAFT_LABELS.items()}
"""What a draft's text puts before an unreviewed segment, by its state."""


def _draft_texts(edition: Edition, block: Block) -> tuple[str, ...]:
    return tuple([s.text if s.reviewed else _MARKS[s.state] + s.text
                  for s in edition.blocks[block.index]])


def _banner_text(edition: Edition) -> str:
    summary = draft_summary(edition, source_name=language_name(edition.document.lang))
    if edition.document.format is SourceFormat.MD:
        return f"> **{summary}**\n\n"
    return f"{summary}\n\n"


def render_text(edition: Edition) -> str:
    """The edition in the source's own format (``.txt`` or ``.md``)."""
    return "".join(text_parts(edition))


def text_parts(edition: Edition) -> Iterator[str]:
    """:func:`render_text` in pieces, to be written as they come."""
    document = edition.document
    if not edition.draft:
        for part in document.parts:
            yield part if isinstance(part, str) else part.render(edition.texts(part))
        return
    out = [part if isinstance(part, str) else part.render(_draft_texts(edition, part))
           for part in document.parts]
    # The banner goes after the front matter and the blank lines after it: found in the
    # first parts, and the rest written as it is (a long text is not joined whole).
    front = document.front_matter
    taken, start = 0, ""
    while taken < len(out):
        start += out[taken]
        taken += 1
        if len(start) >= len(front) and \
                start[len(front) if start.startswith(front) else 0:].strip("\n"):
            break
    head = front if start.startswith(front) else ""
    rest = start[len(head):]
    lead = rest[: len(rest) - len(rest.lstrip("\n"))]
    yield head + lead + _banner_text(edition)
    yield rest[len(lead):]
    yield from out[taken:]


def render_html(edition: Edition, *, links: Sequence[tuple[str, str]] = ()) -> str:
    """The edition as a self-contained HTML page.

    ``links`` are ``(label, relative URL)`` pairs shown in the page's header
    (the same document in other languages, the bilingual edition).
    """
    return "".join(html_parts(edition, links=links))


def html_parts(edition: Edition, *, links: Sequence[tuple[str, str]] = (),
               spans: Sequence[BlockSpans] | None = None) -> Iterator[str]:
    """:func:`render_html` in pieces (the page around the article, then one per block).

    ``spans``: the edition's :func:`~diglot.editions.html.edition_spans`, when the caller
    has made them already (a build shares them with the bilingual pages).
    """
    items = html_layout(edition, edition_spans(edition) if spans is None else spans)
    context = page_context(edition.document, langs=(edition.lang,), draft=edition.draft)
    context.update(
        edition=edition,
        banner=draft_summary(edition, source_name=language_name(edition.document.lang))
        if edition.draft else "",
        links=list(links),
        page_lang=edition.lang,
        title=plain_title(edition.document, edition),
        body_class="mono",
    )

    head, tail = page_around_body("monolingual.html.j2", context)
    yield head
    yield from _body(items)
    yield tail


def _body(items: Sequence[LayoutItem]) -> Iterator[str]:
    """The article's content: one line per container tag, raw part and block.

    Built here rather than in the template: a page has one item per block,
    and Jinja's loop and tests cost more than the strings they make.
    """
    for item in items:
        if isinstance(item, Open):
            start = "" if item.start is None else f' start="{item.start}"'
            yield f"<{escaped(item.tag)}{start}>\n"
        elif isinstance(item, Close):
            yield f"</{escaped(item.tag)}>\n"
        elif isinstance(item, Raw):
            yield f"{item.html}\n"
        else:
            n = item.block.index + 1
            tag = escaped(item.tag)
            value = "" if item.number is None else f' value="{item.number}"'
            close = "" if item.keep_open else f"</{tag}>"
            head = f'<{tag} id="b{n}" class="{escaped(item.css)}"{value}>'
            tail = (f'<a class="pilcrow" href="#b{n}" aria-label="link to block {n}">¶</a>'
                    f"{close}\n")  # every part escaped here or already Markup
            if item.spans.long:
                yield head
                yield from item.spans.parts()
                yield tail
            else:
                yield f"{head}{item.spans.html()}{tail}"
