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

from collections.abc import Sequence

from diglot.editions.content import DRAFT_LABELS, Edition, draft_summary
from diglot.editions.html import (
    html_layout,
    page_context,
    plain_title,
    render_template,
    sentence_fragments,
)
from diglot.model import Block, SourceFormat
from diglot.project import language_name


def _draft_texts(edition: Edition, block: Block) -> tuple[str, ...]:
    return tuple(
        s.text if s.reviewed else f"⟦{DRAFT_LABELS[s.state]}⟧ {s.text}"
        for s in edition.blocks[block.index]
    )


def _banner_text(edition: Edition) -> str:
    summary = draft_summary(edition, source_name=language_name(edition.document.lang))
    if edition.document.format is SourceFormat.MD:
        return f"> **{summary}**\n\n"
    return f"{summary}\n\n"


def render_text(edition: Edition) -> str:
    """The edition in the source's own format (``.txt`` or ``.md``)."""
    document = edition.document
    out: list[str] = []
    for part in document.parts:
        if isinstance(part, str):
            out.append(part)
        elif edition.draft:
            out.append(part.render(_draft_texts(edition, part)))
        else:
            out.append(part.render(edition.texts(part)))
    text = "".join(out)
    if not edition.draft:
        return text
    head = document.front_matter if text.startswith(document.front_matter) else ""
    rest = text[len(head):]
    lead = rest[: len(rest) - len(rest.lstrip("\n"))]
    return head + lead + _banner_text(edition) + rest[len(lead):]


def render_html(edition: Edition, *, links: Sequence[tuple[str, str]] = ()) -> str:
    """The edition as a self-contained HTML page.

    ``links`` are ``(label, relative URL)`` pairs shown in the page's header
    (the same document in other languages, the bilingual edition).
    """
    items = html_layout(edition, sentence_fragments(edition))
    context = page_context(edition.document, langs=(edition.lang,), draft=edition.draft)
    context.update(
        edition=edition,
        items=items,
        banner=draft_summary(edition, source_name=language_name(edition.document.lang))
        if edition.draft else "",
        links=list(links),
        page_lang=edition.lang,
        title=plain_title(edition.document, edition),
        body_class="mono",
    )

    return render_template("monolingual.html.j2", context)
