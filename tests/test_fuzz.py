"""Fuzzing the readers (Markdown, plain text, PO) with Hypothesis: random bytes and random
structure give a result or one of diglot's own errors, never a traceback, and each input is
read within the Hypothesis deadline (linear readers: well under it even for odd inputs)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diglot.errors import DiglotError
from diglot.model import Block, SourceFormat
from diglot.pofile import read_catalog
from diglot.sources import decode_source, make_splitter, parse_source

EXAMPLES = int(os.environ.get("DIGLOT_FUZZ_EXAMPLES", "150"))
"""Examples per property (``DIGLOT_FUZZ_EXAMPLES=3000`` for a longer hunt)."""
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=2),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SPLIT = {"ru": make_splitter("ru"), "en": make_splitter("en")}

_MD_PIECES = ["> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "# ", "## ", "    ", "  ", "\t", "```",
              "~~~", "---", "***", "+++", "<div>", "</div>", "<!-- ", " -->", "*", "**", "_",
              "`", "[", "]", "(", ")", "](http://x.org)", "![", "<http://a.b>", "\\", "&amp;",
              "|", "[^1]", "[x]: /u", "\n", "\n\n", " ", "Текст.", "Он сказал: «Да!»", "т. д.",
              "См. ст. 5.", "Mr. Smith.", "2011–2012 гг.", "\u202e", "\u2068", "\u00a0", "…",
              "?!", "проф.", "А.", "Б. В. Иванов", "a.b.c.", "\r\n", "\r", "\ufeff"]
_PO_PIECES = ['msgid ""\n', 'msgstr ""\n', 'msgid "a"\n', 'msgstr "b"\n', '"continued"\n',
              '"Content-Type: text/plain; charset=UTF-8\\n"\n', "#, fuzzy\n", "#: a.txt:1\n",
              "#. note\n", "# comment\n", '#| msgid "old"\n', '#~ msgid "gone"\n',
              '#~ msgstr "ушло"\n', 'msgctxt "c"\n', 'msgid_plural "p"\n', 'msgstr[0] "x"\n',
              'msgstr[1] "y"\n', "\n", '"\\"', '"\\n"', '"\\t\\x"', '"', "msgid", " ", "\t",
              '"Текст"\n', "\ufeff", "\r\n", '"\\u202e"\n']

markdown_like = st.lists(st.sampled_from(_MD_PIECES), max_size=60).map("".join)
po_like = st.lists(st.sampled_from(_PO_PIECES), max_size=40).map("".join)


def _read_source(data: bytes, fmt: SourceFormat, lang: str) -> None:
    path = Path(f"fuzz.{fmt.value}")
    try:
        text = decode_source(data, path)
        parts, _ = parse_source(text, fmt, splitter=SPLIT[lang], path=path)
    except DiglotError as exc:
        assert str(exc).startswith("fuzz.")  # names the file
        return
    # Joining the literal parts and the blocks' source gives back the text exactly.
    assert "".join(p if isinstance(p, str) else p.raw for p in parts) == text
    for block in (p for p in parts if isinstance(p, Block)):
        assert all(s.msgid for s in block.segments)


@FUZZ
@given(data=st.binary(max_size=400), fmt=st.sampled_from(list(SourceFormat)),
       lang=st.sampled_from(sorted(SPLIT)))
def test_random_bytes_through_the_source_readers(data: bytes, fmt: SourceFormat,
                                                 lang: str) -> None:
    _read_source(data, fmt, lang)


@FUZZ
@given(text=markdown_like, fmt=st.sampled_from(list(SourceFormat)),
       lang=st.sampled_from(sorted(SPLIT)))
def test_random_structure_through_the_source_readers(text: str, fmt: SourceFormat,
                                                     lang: str) -> None:
    _read_source(text.encode("utf-8"), fmt, lang)


@FUZZ
@given(text=st.text(max_size=300), fmt=st.sampled_from(list(SourceFormat)))
def test_random_unicode_through_the_source_readers(text: str, fmt: SourceFormat) -> None:
    _read_source(text.encode("utf-8", errors="surrogatepass"), fmt, "ru")


def _read_po(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.po"
    path.write_bytes(data)
    try:
        read_catalog(path)
    except DiglotError as exc:
        assert str(exc).startswith(str(path))


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_through_the_po_reader(tmp_path: Path, data: bytes) -> None:
    _read_po(tmp_path, data)


@FUZZ
@given(text=po_like)
def test_random_structure_through_the_po_reader(tmp_path: Path, text: str) -> None:
    _read_po(tmp_path, text.encode("utf-8"))


@pytest.mark.parametrize("fmt", list(SourceFormat))
def test_the_readers_stay_linear_on_one_long_line(fmt: SourceFormat) -> None:
    """One 200,000-character line without a sentence end, or with thousands: read whole."""
    for text in ("слово, " * 30_000, "Слово сказано. " * 15_000):
        parts, _ = parse_source(text, fmt, splitter=SPLIT["ru"], path=Path("long"))
        assert "".join(p if isinstance(p, str) else p.raw for p in parts) == text
