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
from html import escape as _html_escape
from pathlib import Path

from diglot import __version__
from diglot.editions.content import Edition, escape_each
from diglot.model import Block, EntryState, SourceFormat

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped: what ``xml.sax.saxutils.escape`` gives (that module
    imports ``urllib.request`` and with it ``http.client`` and ``email``: a tenth of a
    build's start-up)."""
    return _html_escape(text, quote=False)


_ATTRIBUTE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def quoteattr(text: str) -> str:
    """An attribute value escaped and quoted as ``xml.sax.saxutils.quoteattr`` does."""
    data = escape(text).translate(_ATTRIBUTE)
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    quoted = data.replace('"', "&quot;")
    return f'"{quoted}"'


def _xml(text: str) -> str:
    if text.isprintable():  # most texts: none of _XML_ILLEGAL, no \r (cheaper than a regex)
        return escape(text)
    return escape(_XML_ILLEGAL.sub("\ufffd", text)).replace("\r", "&#13;")


_SEP = "\xa4"
"""Joins many texts so that they are escaped in one pass, then split apart again: a
printable character (CURRENCY SIGN) that every escape here leaves alone and prose seldom
holds (texts holding it are escaped one by one)."""


def _each(escape_one: Callable[[str], str], texts: Sequence[str]) -> list[str]:
    """``[escape_one(t) for t in texts]`` in one pass over them all (see
    :func:`~diglot.editions.content.escape_each`)."""
    return escape_each(escape_one, texts, sep=_SEP)


_CHUNK = 2048
"""Pairs rendered together (a bound on what one part holds)."""


_Chunk = tuple[Block, list[int], list[str], list[str], list[int]]
_CHUNKS: list[tuple[Edition, Edition, list[_Chunk]]] = []


def _pair_chunks(source: Edition, target: Edition) -> list[_Chunk]:
    """The reviewed sentence pairs of two editions of one document, in document order, a
    block (or :data:`_CHUNK` pairs of it) at a time, as columns: the block, each pair's
    number in it (its id is ``<doc>#<block>-<number>``, the bilingual page's sentence key),
    source text, target text and the source's line.

    Remembered for the last two pairs of editions, by identity: a build writes the TMX
    and the TSV of the same two.
    """
    for kept_source, kept_target, kept in _CHUNKS:
        if kept_source is source and kept_target is target:
            return kept
    lang, reviewed = target.lang, EntryState.TRANSLATED
    out: list[_Chunk] = []
    if not target.counts().get(reviewed) or not source.counts().get(reviewed):
        return out  # no reviewed sentence (a draft of an untranslated catalog): no pair
    for block in source.document.blocks:
        numbers: list[int] = []
        sources: list[str] = []
        targets: list[str] = []
        lines: list[int] = []
        for n, (segment, src, tgt) in enumerate(
                zip(block.segments, source.blocks[block.index], target.blocks[block.index],
                    strict=True), 1):
            if not (tgt.reviewed and src.reviewed) or tgt.lang != lang:
                continue
            numbers.append(n)
            sources.append(src.text)
            targets.append(tgt.text)
            lines.append(segment.line)
            if len(numbers) == _CHUNK:
                out.append((block, numbers, sources, targets, lines))
                numbers, sources, targets, lines = [], [], [], []
        if numbers:
            out.append((block, numbers, sources, targets, lines))
    _CHUNKS.append((source, target, out))
    del _CHUNKS[:-2]
    return out


def has_pairs(source: Edition, target: Edition) -> bool:
    """Whether the two editions have a reviewed sentence pair (a TMX or TSV to write)."""
    return bool(_pair_chunks(source, target))


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
        document = source.document
        # a pair's id is <doc>#<block>-<n> and its location <path>:<line>: the document's
        # part quoted once (digits and a hyphen need nothing), its closing quote after them
        quoted = quoteattr(f"{document.name}#")
        tuid, close = quoted[:-1], quoted[-1]
        where = _xml(reference(document.path))
        for block, numbers, sources, targets, at in _pair_chunks(source, target):
            number = block.index + 1
            yield "".join([
                f"    <tu tuid={tuid}{number}-{n}{close}>\n"
                f'      <prop type="x-location">{where}:{line}</prop>\n'
                f"      <tuv xml:lang={src_lang}><seg>{src}</seg></tuv>\n"
                f"      <tuv xml:lang={tgt_lang}><seg>{tgt}</seg></tuv>\n"
                "    </tu>\n"
                for n, src, tgt, line in zip(numbers, _each(_xml, sources), _each(_xml, targets),
                                             at, strict=True)])
    yield "  </body>\n</tmx>\n"


def _tsv_field(text: str) -> str:
    if "\\" not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text  # most sentences: nothing to escape (four scans cost less than a regex)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))



def render_tsv(source: Edition, target: Edition) -> str:
    """The reviewed sentence pairs as TSV: ``id``, source, target (see the module's notes)."""
    return "".join(tsv_parts(source, target))


def tsv_parts(source: Edition, target: Edition) -> Iterator[str]:
    """:func:`render_tsv` in pieces, one line each."""
    yield f"id\t{source.lang}\t{target.lang}\n"
    name = _tsv_field(f"{source.document.name}#")  # a pair's id: this, then digits
    for block, numbers, sources, targets, _ in _pair_chunks(source, target):
        number = block.index + 1
        yield "".join([f"{name}{number}-{n}\t{src}\t{tgt}\n"
                       for n, src, tgt in zip(numbers, _each(_tsv_field, sources),
                                              _each(_tsv_field, targets), strict=True)])
