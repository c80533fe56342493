"""Sentence-aligned exports: TMX 1.4b for translation memories, TSV for corpora.

Both hold one unit per sentence pair in document order (a sentence that
occurs twice gives two units), and only **reviewed** pairs: a machine draft
or a fuzzy guess never enters a memory.  Markdown inline markup stays in the
text as the translator saw it (``datatype="x-markdown"``).

TSV: a header line ``id<TAB><src><TAB><tgt>`` then one line per pair; in a
field a backslash, tab, line feed and carriage return are written ``\\\\``,
``\\t``, ``\\n``, ``\\r`` (PostgreSQL's text format), so every line is one pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from diglot import __version__
from diglot.editions.content import Edition
from diglot.model import SourceFormat

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Pair:
    """One reviewed sentence pair of a document."""

    id: str
    """``<doc>#<block>-<sentence>`` (1-based), the same as the bilingual page's sentence key."""
    source: str
    target: str
    location: str
    """``path:line`` of the source sentence."""


def pairs(source: Edition, target: Edition, *,
          reference: Callable[[Path], str] = Path.as_posix) -> Iterator[Pair]:
    """The reviewed sentence pairs of two editions of one document, in document order.

    ``reference`` writes the document's path in each pair's location (a project's TMX:
    :meth:`Project.relative`).
    """
    document = source.document
    where = reference(document.path)  # once: a relative path per pair cost more than the pair
    for block in document.blocks:
        for n, (segment, src, tgt) in enumerate(
                zip(block.segments, source.blocks[block.index], target.blocks[block.index],
                    strict=True), 1):
            if not (src.reviewed and tgt.reviewed) or tgt.lang != target.lang:
                continue
            yield Pair(id=f"{document.name}#{block.index + 1}-{n}", source=src.text,
                       target=tgt.text, location=f"{where}:{segment.line}")


def _xml(text: str) -> str:
    return escape(_XML_ILLEGAL.sub("\ufffd", text)).replace("\r", "&#13;")


def render_tmx(source: Edition, target: Edition, *, segtype: str = "sentence") -> str:
    """A TMX 1.4b document holding the reviewed sentence pairs of ``source`` and ``target``.

    ``segtype`` is ``sentence``, or ``paragraph`` for a project that translates whole blocks.
    """
    return render_tmx_many([(source, target)], segtype=segtype)


def render_tmx_many(editions: Sequence[tuple[Edition, Edition]], *, segtype: str = "sentence",
                    langs: tuple[str, str] | None = None,
                    reference: Callable[[Path], str] = Path.as_posix) -> str:
    """One TMX 1.4b document holding the reviewed pairs of several documents, in the order given.

    Every pair of editions is (source, target) of one document, all in the same two languages
    (``langs``, taken from the first pair when not given).
    """
    return "".join(tmx_parts(editions, segtype=segtype, langs=langs, reference=reference))


def tmx_parts(editions: Sequence[tuple[Edition, Edition]], *, segtype: str = "sentence",
              langs: tuple[str, str] | None = None,
              reference: Callable[[Path], str] = Path.as_posix) -> Iterator[str]:
    """:func:`render_tmx_many` in pieces, one line each, to be written as they come."""
    documents = [source.document for source, _ in editions]
    formats = {d.format for d in documents}
    datatype = "x-markdown" if formats == {SourceFormat.MD} else "plaintext"
    if langs is None:
        langs = (editions[0][0].lang, editions[0][1].lang) if editions else ("", "")
    src_lang, tgt_lang = quoteattr(langs[0]), quoteattr(langs[1])
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        '<tmx version="1.4">',
        f'  <header creationtool="diglot" creationtoolversion={quoteattr(__version__)}'
        f' segtype={quoteattr(segtype)} o-tmf="diglot" adminlang="en"'
        f' srclang={src_lang} datatype={quoteattr(datatype)}>',
    ]
    if len(documents) == 1:
        lines.append(f'    <prop type="x-document">{_xml(documents[0].name)}</prop>')
    lines += ["  </header>", "  <body>"]
    yield "".join(f"{line}\n" for line in lines)
    for source, target in editions:
        for pair in pairs(source, target, reference=reference):
            yield (f"    <tu tuid={quoteattr(pair.id)}>\n"
                   f'      <prop type="x-location">{_xml(pair.location)}</prop>\n'
                   f"      <tuv xml:lang={src_lang}><seg>{_xml(pair.source)}</seg></tuv>\n"
                   f"      <tuv xml:lang={tgt_lang}><seg>{_xml(pair.target)}</seg></tuv>\n"
                   "    </tu>\n")
    yield "  </body>\n</tmx>\n"


def _tsv_field(text: str) -> str:
    if not _TSV_SPECIAL.search(text):  # most sentences: nothing to escape
        return text
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


_TSV_SPECIAL = re.compile(r"[\\\t\n\r]")


def render_tsv(source: Edition, target: Edition) -> str:
    """The reviewed sentence pairs as TSV: ``id``, source, target (see the module's notes)."""
    return "".join(tsv_parts(source, target))


def tsv_parts(source: Edition, target: Edition) -> Iterator[str]:
    """:func:`render_tsv` in pieces, one line each."""
    yield f"id\t{source.lang}\t{target.lang}\n"
    for p in pairs(source, target):
        yield f"{_tsv_field(p.id)}\t{_tsv_field(p.source)}\t{_tsv_field(p.target)}\n"
