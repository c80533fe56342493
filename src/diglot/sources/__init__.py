"""Reading source documents into :class:`~diglot.model.Document` skeletons.

``.txt`` files are read by :mod:`diglot.sources.text`, ``.md`` files by
:mod:`diglot.sources.markdown`.  Both decode the same way: UTF-8 only, a BOM
dropped, CRLF and CR line ends read as LF.
"""

from __future__ import annotations

from pathlib import Path

from diglot.errors import SourceError
from diglot.fileio import read_bytes
from diglot.model import Block, Document, SourceFormat
from diglot.sources.blocks import Splitter, make_splitter
from diglot.sources.text import parse_text

__all__ = ["SOURCE_SUFFIXES", "Splitter", "decode_source", "make_splitter", "parse_source",
           "read_document", "read_source", "source_format"]


def decode_source(data: bytes, path: Path) -> str:
    """Decode a source file: UTF-8 (BOM allowed), any line ends; errors name file and line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise SourceError("is UTF-16, not UTF-8", path=path, line=1,
                          hint=f"convert it: iconv -f UTF-16 -t UTF-8 {path.name} > new.txt")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=path,
            line=line,
            hint="save the file as UTF-8 (for example: iconv -f cp1251 -t utf-8)",
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError("contains a NUL character", path=path, line=line,
                          hint="is this a text file?")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of the first ones is NUL."""
    head = data[:4000]
    if len(head) < 4 or b"\x00" not in head:
        return False
    head = head[: len(head) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="replace")
        if "\x00" not in text and "\ufffd" not in text[:-1] and all(
                c.isprintable() or c in "\n\r\t" for c in text[:-1]):
            return True
    return False


def source_format(path: Path) -> SourceFormat | None:
    """The format of a source file by its suffix (``.txt``, ``.md``, ``.markdown``, any case)."""
    return _SUFFIXES.get(path.suffix.lower())


_SUFFIXES = {".txt": SourceFormat.TXT, ".md": SourceFormat.MD, ".markdown": SourceFormat.MD}
SOURCE_SUFFIXES = tuple(_SUFFIXES)


def read_source(path: Path) -> tuple[SourceFormat, bytes, str]:
    """A source file's format (by suffix), bytes and decoded text; errors name ``path``."""
    fmt = source_format(path)
    if fmt is None:
        raise SourceError(f"unsupported source format '{path.suffix}'", path=path,
                          hint="use .txt, .md or .markdown")
    # Sources found in the project are confined by Project.source_paths; a file named on
    # the command line (diglot align FILE) is read where it is.
    data = read_bytes(path, confine=False)
    return fmt, data, decode_source(data, path)


def read_document(path: Path, *, name: str, lang: str, splitter: Splitter) -> Document:
    """Read the source document at ``path`` (``.txt`` or ``.md``) into a skeleton."""
    fmt, _, text = read_source(path)
    parts, front_matter = parse_source(text, fmt, splitter=splitter, path=path)
    return Document(name=name, lang=lang, path=path, format=fmt, parts=parts,
                    front_matter=front_matter)


def parse_source(text: str, fmt: SourceFormat, *, splitter: Splitter,
                 path: Path) -> tuple[tuple[str | Block, ...], str]:
    """The skeleton of a decoded source text and its front matter ("" for plain text)."""
    if fmt is SourceFormat.TXT:
        return parse_text(text, splitter=splitter), ""
    # deliberately lazy: markdown-it-py is loaded only when a Markdown source is read
    from diglot.sources.markdown import parse_markdown

    return parse_markdown(text, splitter=splitter, path=path)
