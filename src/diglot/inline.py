"""Inline markup as data: signatures for QA, and XML for machine translation.

A segment of a Markdown document keeps its inline markup as written (``*em*``,
``[text](url)``, ```code```).  :func:`markup_signature` sums that markup up so
that a translation can be checked against its source.  :func:`to_xml` turns a
segment into the XML DeepL translates with ``tag_handling="xml"``:

- text is escaped (``&``, ``<``, ``>``) and otherwise given as written;
- ``*em*`` / ``_em_`` → ``<em>…</em>``, ``**strong**`` / ``__strong__`` → ``<strong>…</strong>``;
- ``[text](url "title")`` → ``<a i="N">text</a>``: the text is translated, the
  destination never reaches the translator;
- inline code, autolinks, images and raw inline HTML → ``<x i="N"/>``;
- a line break (``"\\n"`` in a msgid) → ``<br/>``.

:func:`from_xml` rebuilds Markdown from the translated XML, taking URLs, code
and the delimiters used (``*`` or ``_``, by order of appearance) from the
source segment, so ``from_xml(to_xml(t, fmt), fmt, source=t) == t`` exactly.
A translation whose tags are missing, unknown, duplicated or unbalanced raises
:class:`MarkupMismatch`.  Plain-text segments are only escaped and unescaped.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from diglot.errors import DiglotError
from diglot.model import SourceFormat
from diglot.patterns import URL, may_hold_url
from diglot.sources.markdown import SPAN, atomic_spans, label_end, new_parser

__all__ = ["IGNORE_TAGS", "MarkupMismatch", "MarkupSignature", "from_xml",
           "markup_signature", "to_xml"]

IGNORE_TAGS: tuple[str, ...] = ("x",)
"""Tags whose content DeepL must leave alone (``ignore_tags``); ``<x/>`` is empty anyway."""

_WHOLE = frozenset({"code_inline", "html_inline", "image"})
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class MarkupMismatch(DiglotError):
    """Translated XML whose tags do not match its source segment's markup."""


@dataclass(frozen=True, slots=True)
class MarkupSignature:
    """The inline markup of one segment; sequences are sorted (compared as multisets)."""

    link_urls: tuple[str, ...] = ()
    inline_code: tuple[str, ...] = ()
    autolinks: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    html: tuple[str, ...] = ()
    emphasis: int = 0
    strong: int = 0
    line_breaks: int = 0
    urls: tuple[str, ...] = ()
    """Plain text only: the URLs and e-mail addresses written in it."""


_NO_URLS = MarkupSignature()


@functools.cache
def _parser() -> MarkdownIt:
    return new_parser()


def _children(text: str) -> list[Token]:
    tokens = _parser().parseInline(text, {})
    return list(tokens[0].children or ()) if tokens else []


def markup_signature(text: str, fmt: SourceFormat) -> MarkupSignature:
    """What must survive translation of ``text`` (a msgid or msgstr) in format ``fmt``."""
    if fmt is not SourceFormat.MD:
        if not may_hold_url(text):
            return _NO_URLS
        return MarkupSignature(urls=tuple(sorted(m.group(0) for m in URL.finditer(text))))
    found: dict[str, list[str]] = {"link": [], "code": [], "auto": [], "image": [], "html": []}
    counts = {"em_open": 0, "strong_open": 0, "softbreak": 0, "hardbreak": 0}
    for token in _children(text):
        kind = token.type
        if kind == "link_open":
            key = "auto" if token.markup == "autolink" else "link"
            found[key].append(str(token.attrs.get("href", "")))
        elif kind == "code_inline":
            found["code"].append(token.content)
        elif kind == "image":
            found["image"].append(str(token.attrs.get("src", "")))
        elif kind == "html_inline":
            found["html"].append(token.content)
        elif kind in counts:
            counts[kind] += 1
    return MarkupSignature(
        link_urls=tuple(sorted(found["link"])), inline_code=tuple(sorted(found["code"])),
        autolinks=tuple(sorted(found["auto"])), images=tuple(sorted(found["image"])),
        html=tuple(sorted(found["html"])), emphasis=counts["em_open"],
        strong=counts["strong_open"], line_breaks=counts["softbreak"] + counts["hardbreak"])


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of markup in a segment and the XML that stands for it."""

    start: int
    end: int
    xml: str
    role: str
    """``x``, ``a-open``, ``a-close``, ``em``, ``strong`` or ``br``."""


@dataclass(frozen=True, slots=True)
class _Markup:
    """A Markdown segment's markup, by the XML it becomes."""

    pieces: tuple[_Piece, ...]
    placeholders: tuple[str, ...]
    """Source of each ``<x i="N"/>``."""
    link_tails: tuple[str, ...]
    """Source after each ``<a i="N">``'s text: ``](url "title")``."""
    em: tuple[str, ...]
    strong: tuple[str, ...]
    breaks: tuple[str, ...]


def _markup(text: str) -> _Markup:
    pieces: list[_Piece] = []
    placeholders: list[str] = []
    tails: list[str] = []
    em: list[str] = []
    strong: list[str] = []
    breaks: list[str] = []
    whole = atomic_spans(children := _children(text))
    for token in children:
        span: tuple[int, int] | None = token.meta.get(SPAN)
        if span is None:
            continue
        a, b = span
        kind = token.type
        if kind in _WHOLE or (kind == "link_open" and token.markup == "autolink"):
            pieces.append(_Piece(a, b, f'<x i="{len(placeholders)}"/>', "x"))
            placeholders.append(text[a:b])
        elif kind in ("softbreak", "hardbreak"):
            pieces.append(_Piece(a, b, "<br/>", "br"))
            breaks.append(text[a:b])
        elif kind == "link_open":
            end = label_end(text, a, b, whole)
            if end < 0:
                raise MarkupMismatch(f"cannot find the end of the link text in {text!r}")
            pieces.append(_Piece(a, a + 1, f'<a i="{len(tails)}">', "a-open"))
            pieces.append(_Piece(end, b, "</a>", "a-close"))
            tails.append(text[end:b])
        elif kind in ("em_open", "strong_open"):
            tag = kind[:-5]
            start = a - 1 if tag == "strong" else a  # a strong token sits on its second char
            width = len(token.markup)
            (strong if tag == "strong" else em).append(text[start:start + width])
            pieces.append(_Piece(start, start + width, f"<{tag}>", tag))
        elif kind in ("em_close", "strong_close"):
            pieces.append(_Piece(a, a + len(token.markup), f"</{kind[:-6]}>", kind[:-6]))
    pieces.sort(key=lambda p: p.start)
    return _Markup(tuple(pieces), tuple(placeholders), tuple(tails), tuple(em), tuple(strong),
                   tuple(breaks))


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def to_xml(text: str, fmt: SourceFormat) -> str:
    """``text`` (one segment) as XML for a translation engine with XML tag handling."""
    if fmt is not SourceFormat.MD:
        return _escape(text)
    out: list[str] = []
    pos = 0
    for piece in _markup(text).pieces:
        out.append(_escape(text[pos:piece.start]))
        out.append(piece.xml)
        pos = piece.end
    out.append(_escape(text[pos:]))
    return "".join(out)


def _parse(xml: str) -> ET.Element:
    try:
        return ET.fromstring(f"<diglot>{xml}</diglot>")
    except ET.ParseError as exc:
        raise MarkupMismatch(f"the translation's tags are unbalanced or malformed ({exc})",
                             hint="translate this segment by hand") from exc


def from_xml(xml: str, fmt: SourceFormat, *, source: str) -> str:
    """Markdown (or plain text) rebuilt from translated ``xml`` of the segment ``source``."""
    root = _parse(xml)
    if fmt is not SourceFormat.MD:
        if len(root):
            raise MarkupMismatch(f"unexpected tag <{root[0].tag}> in a plain-text translation")
        return root.text or ""
    return _Rebuild(_markup(source)).run(root)


class _Rebuild:
    """Walks translated XML, putting back the source's markup in place of the tags."""

    def __init__(self, markup: _Markup) -> None:
        self.markup = markup
        self.used: dict[str, set[int]] = {"x": set(), "a": set()}
        self.counts = {"em": 0, "strong": 0, "br": 0}

    def run(self, root: ET.Element) -> str:
        text = self.inner(root)
        expected = {"x": len(self.markup.placeholders), "a": len(self.markup.link_tails),
                    "em": len(self.markup.em), "strong": len(self.markup.strong),
                    "br": len(self.markup.breaks)}
        got = {**{k: len(v) for k, v in self.used.items()}, **self.counts}
        for tag, count in expected.items():
            if got[tag] != count:
                raise MarkupMismatch(f"the source has {count} <{tag}> tag(s), the translation "
                                     f"has {got[tag]}", hint="translate this segment by hand")
        return text

    def inner(self, element: ET.Element) -> str:
        out = [element.text or ""]
        for child in element:
            out.append(self.element(child, "".join(out), child.tail or ""))
            out.append(child.tail or "")
        return "".join(out)

    def index(self, element: ET.Element, tag: str, limit: int) -> int:
        raw = element.get("i", "")
        if not raw.isdigit() or int(raw) >= limit:
            raise MarkupMismatch(f"<{tag}> with an unknown index {raw!r}")
        index = int(raw)
        if index in self.used[tag]:
            raise MarkupMismatch(f"<{tag} i=\"{index}\"> appears twice")
        self.used[tag].add(index)
        return index

    def element(self, element: ET.Element, before: str, after: str) -> str:
        tag = element.tag
        if tag == "x":
            if element.text or len(element):
                raise MarkupMismatch("<x/> placeholders must stay empty")
            return self.markup.placeholders[self.index(element, "x", len(self.markup.placeholders))]
        if tag == "a":
            index = self.index(element, "a", len(self.markup.link_tails))
            return f"[{self.inner(element)}{self.markup.link_tails[index]}"
        if tag == "br":
            return self._next("br", self.markup.breaks, "\n")
        if tag in ("em", "strong"):
            sources = self.markup.em if tag == "em" else self.markup.strong
            mark = self._next(tag, sources, "*" if tag == "em" else "**")
            return _delimit(self.inner(element), mark, before, after)
        raise MarkupMismatch(f"unknown tag <{tag}> in the translation")

    def _next(self, tag: str, sources: Sequence[str], default: str) -> str:
        n = self.counts[tag]
        self.counts[tag] += 1
        return sources[n] if n < len(sources) else default


def _delimit(inner: str, mark: str, before: str, after: str) -> str:
    """``inner`` between emphasis delimiters, blanks moved outside, ``_`` avoided inside words."""
    body = inner.strip()
    if not body:
        raise MarkupMismatch(f"an empty emphasis ({mark}) in the translation")
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    if mark.startswith("_") and ((before and not lead and before[-1].isalnum())
                                 or (after and not trail and after[0].isalnum())):
        mark = "*" * len(mark)
    return f"{lead}{mark}{body}{mark}{trail}"
