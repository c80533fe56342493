"""The fast PO reader gives exactly what polib's reader gives; the fast wrap what GNU's does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diglot.errors import CatalogError
from diglot.pofile import WRAP_WIDTH, Catalog, Entry, read_catalog, render_catalog
from diglot.pofile.linebreak import (
    _ALNUM,
    _breaks_general,
    _cut,
    is_plain,
    line_class,
    wrap_portion,
)
from diglot.pofile.reader import _fast_pofile, parse_catalog, tolerant_catalog
from diglot.pofile.readonly import CatalogRecords, read_records, scan_records
from diglot.pofile.scan import _ODD_BREAKS, _scan_lines, _string, scan
from diglot.pofile.writer import escape, string_lines

_TEXT = st.lists(
    st.sampled_from([*'ab Яё"\\\n\t-,.:#~|', "слово ", "word ", "x" * 30]), max_size=40,
).map("".join)
_WORD = st.text(alphabet="abcxyz-_.", min_size=1, max_size=12)


@st.composite
def _entries(draw: st.DrawFn) -> polib.POEntry:
    plural = draw(st.booleans()) and draw(st.booleans())
    obsolete = draw(st.integers(0, 5)) == 0
    entry = polib.POEntry(
        msgid=draw(_TEXT.filter(bool)),
        msgctxt=draw(st.none() | _TEXT),
        msgid_plural=draw(_TEXT.filter(bool)) if plural else "",
        msgstr="" if plural else draw(_TEXT),
        msgstr_plural={i: draw(_TEXT) for i in range(draw(st.integers(2, 3)))} if plural else {},
        tcomment=draw(st.sampled_from(["", "note", "two\nlines", "diglot-draft: deepl 2026-01-01",
                                       "# hash", "long " * 20])),
        comment=draw(st.sampled_from(["", "paragraph, block 3", "a\nb", "wrap " * 20])),
        occurrences=draw(st.lists(st.tuples(_WORD, st.sampled_from(["", "1", "12", "x"])),
                                  max_size=3)),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "no-wrap", "mt-deepl", "python-format"]),
                            max_size=2, unique=True)),
        obsolete=obsolete,
    )
    if draw(st.booleans()) and not obsolete:
        entry.previous_msgid = draw(_TEXT)
        entry.previous_msgctxt = draw(st.none() | _TEXT)
    return entry


@st.composite
def _catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    po.header = draw(st.sampled_from(["", "English translation of 'x'.\nSecond line.", "#"]))
    po.metadata = {"Project-Id-Version": "x", "Language": "en",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.metadata_is_fuzzy = draw(st.sampled_from([0, ["fuzzy"]]))
    seen: set[tuple[str | None, str]] = set()
    for entry in draw(st.lists(_entries(), max_size=8)):
        if (entry.msgctxt, entry.msgid) not in seen:
            seen.add((entry.msgctxt, entry.msgid))
            po.append(entry)
    return po


def _state(catalog: polib.POFile) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    entries = [{k: (v, type(v)) for k, v in vars(e).items()} for e in catalog]
    return dict(vars(catalog)), entries


def _read_or_error(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except CatalogError as exc:
        return str(exc)


def _assert_same_as_polib(text: str) -> None:
    """Whenever the fast reader accepts a text, polib reads the same entries, and the tolerant
    reader the same records (with the same msgid lines).  The whole-entry scan reads what the
    line machine alone reads (and gives up where it does), and the records read without
    polib objects are the records of the polib catalog, with the same errors and warnings."""
    odd = _ODD_BREAKS.search(text)
    assert scan(text) == (None if odd else _scan_lines(text, 0, "", [], {}))
    records = _read_or_error(lambda: scan_records(text, path=Path("x.po")))
    if records is not None:
        assert records == _read_or_error(
            lambda: CatalogRecords.of(parse_catalog(text, path=Path("x.po"))))
    fast = _fast_pofile(text, WRAP_WIDTH)
    if fast is None:
        return
    slow = polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False, klass=Catalog)
    slow.msgid_lines = fast.msgid_lines  # polib does not know them
    slow.has_header = fast.has_header
    assert _state(fast) == _state(slow)
    tolerant = tolerant_catalog(text, Path("x.po"))
    assert tolerant.metadata == fast.metadata and tolerant.header == fast.header
    assert tolerant.has_header == fast.has_header

    def without_start(catalog: Catalog) -> list[Entry]:
        return [replace(e, first_line=None) for e in catalog.records(obsolete=True)]

    assert without_start(tolerant) == without_start(fast)


_SETTINGS = settings(max_examples=300, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_catalogs(), st.booleans())
def test_fast_reader_reads_what_diglot_writes_as_polib_does(catalog: polib.POFile,
                                                            polib_writer: bool) -> None:
    """Every catalog diglot (or polib) writes is read by the fast path, identically to polib."""
    text = str(catalog) + "\n" if polib_writer else render_catalog(catalog)
    if "\r" not in text and not (polib_writer and "#~|" in text):
        assert _fast_pofile(text, WRAP_WIDTH) is not None
    _assert_same_as_polib(text)


def _after_string(line: str, added: str) -> str:
    """``line``, and ``added`` after it if it is a string's (comments added among the header's
    own read differently by the line machine and polib, as before the whole-entry scan)."""
    return f"{line}\n{added}" if line.startswith(("msgstr", '"')) else line


_EDITS = st.sampled_from([
    lambda s: " " + s, lambda s: s + "  ", lambda s: s.replace(" ", "  ", 1),
    lambda s: s.replace(" ", "\t", 1), lambda s: s[:-1], lambda s: s + '"', lambda s: '"' + s,
    lambda s: s.replace('"', "", 1), lambda s: "#~ " + s, lambda s: "#| " + s, lambda s: "#" + s,
    lambda s: s[1:], lambda s: s.replace("msgstr", "msgstr[0]"), lambda s: "",
    lambda s: s.replace("#.", "#"), lambda s: s.replace("#:", "#,"), lambda s: s + "\r",
    lambda s: s.replace('"', '\\"', 1), lambda s: s.replace("\\", "\\\\", 1),
    lambda s: s + "\n", lambda s: s + "\n\n", lambda s: s.replace("#: ", "#:  "),
    lambda s: s.replace("#: ", "#: x.md:1 y\tz "), lambda s: _after_string(s, "# "),
    lambda s: _after_string(s, "#"), lambda s: s.replace("#. ", "#. #: "), lambda s: "# " + s,
    lambda s: _after_string(s, '#| msgid "q"'),
    lambda s: s and s + ' "\\n"', lambda s: s.replace("#, ", "#,  "),
])


@_SETTINGS
@given(_catalogs(), st.lists(st.tuples(st.integers(0, 200), st.booleans(), _EDITS),
                             min_size=1, max_size=4))
def test_hand_edited_catalogs_read_as_polib_or_fall_back(catalog: polib.POFile,
                                                        edits: list[Any]) -> None:
    """A hand-edited catalog is either read exactly as polib reads it, or left to polib."""
    lines = render_catalog(catalog).split("\n")
    for at, strings_only, edit in edits:
        chosen = [i for i, line in enumerate(lines) if '"' in line] if strings_only else []
        index = chosen[at % len(chosen)] if chosen else at % len(lines)
        lines[index] = edit(lines[index])
    _assert_same_as_polib("\n".join(lines))


def test_read_catalog_reports_a_broken_line_as_before(tmp_path: Path) -> None:
    """A catalog outside the fast path's subset still gets the path:line report."""
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "a\nmsgstr "b"\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    assert caught.value.line == 5


def test_read_catalog_takes_the_fast_path_for_a_catalog_it_wrote(tmp_path: Path) -> None:
    """A catalog diglot wrote is read by the fast path with polib's line numbers."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Один.", msgstr="One.", occurrences=[("a.md", "3")]))
    po.append(polib.POEntry(msgid="Два.", msgstr="Two.", flags=["fuzzy"], previous_msgid="Дво."))
    text = render_catalog(po)
    path = tmp_path / "a.po"
    path.write_text(text, encoding="utf-8")
    fast = _fast_pofile(text, WRAP_WIDTH)
    assert fast is not None
    catalog = read_catalog(path)
    assert [e.linenum for e in catalog] == [e.linenum for e in fast]
    assert [e.line for e in catalog.records()] == [5, 10]  # the msgid lines


_WORDS = st.lists(st.sampled_from(["a", "слово", "x" * 20, "y" * 90, " ", "  ", " " * 85, "-",
                                   "г-н", "Пресс-служба", "«цитата»,", "(", ")", "/", "12",
                                   ":", "!", "?", "\"", "\\", "\t", "—", "–", "…", "%", "$",
                                   "\u02c8", "\uff70"]),
                  max_size=60).map("".join)


@_SETTINGS
@given(_WORDS, st.integers(1, 100))
@example("слово " * 10 + "(  " + "слово" * 4, 40)  # no break after an opening bracket's spaces
@example("x" * 70 + " (  " + "слово" * 5, 77)
def test_fast_wrap_matches_the_general_line_breaker(text: str, width: int) -> None:
    """The fast wrap cuts a PO string where libunistring's algorithm, transcribed, cuts it."""
    portion = escape(text)
    assert wrap_portion(portion, width) == _cut(portion, _breaks_general(portion, width))


def test_a_stress_mark_is_a_break_opportunity_as_in_gnu() -> None:
    """A string of words with IPA stress marks (class BB: a break before them) is cut before
    a mark, as msgcat 0.21 cuts it (the fast path used to take the mark for a letter)."""
    word, mark = "словословослово", "\u02c8"
    assert string_lines("", "msgid", (word + mark) * 8) == [
        'msgid ""', '"' + (word + mark) * 3 + word + '"', '"' + (mark + word) * 4 + mark + '"']


def test_plain_letters_and_digits_never_break_apart() -> None:
    """Every letter and digit the fast wrap takes is of a class that never breaks from
    another such (what its shortcut between two of them relies on)."""
    taken = {line_class(c) for c in map(chr, range(0x20, 0x10000))
             if c.isalnum() and is_plain(c)}
    assert taken <= set(_ALNUM)


def test_read_records_reads_what_read_catalog_reads(tmp_path: Path) -> None:
    """Records read without polib objects are the records of the polib catalog: on the fast
    path, after a fallback (CRLF), and for a broken file (the same error at the same line)."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = "English translation."
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    po.append(polib.POEntry(msgid="Один.", msgstr="One.", occurrences=[("a.md", "3")],
                            comment="paragraph", tcomment="diglot-draft: deepl 2026-01-01",
                            flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Два «x».", msgstr='Two "x".', flags=["fuzy"],
                            previous_msgid="Дво."))
    po.append(polib.POEntry(msgid="Три.", msgstr="Three.", msgctxt="c"))
    po.append(polib.POEntry(msgid="Четыре.", msgstr="Four.", obsolete=True))
    text = render_catalog(po)
    for name, content in (("lf.po", text), ("crlf.po", text.replace("\n", "\r\n")),
                          ("dup.po", text + '\nmsgid "Три."\nmsgstr "x"\n'),
                          ("cut.po", text + '\nmsgid "Пять."\n')):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8"))
        expected = _read_or_error(partial(lambda p: CatalogRecords.of(read_catalog(p)), path))
        assert _read_or_error(partial(read_records, path)) == expected
    fast = read_records(tmp_path / "lf.po")
    assert [e.line for e in fast.records(obsolete=True)] == [11, 16, 20, 23]
    assert fast.warnings == ((16, "unknown flag 'fuzy' (read as 'fuzzy') — write '#, fuzzy' "
                                  "for a translation to review"),)
    assert fast.header == "English translation." and fast.metadata["Language"] == "en"
    assert "Четыре." not in fast.by_msgid() and fast.by_msgid()["Один."].origin is not None


@_SETTINGS
@given(st.lists(st.sampled_from(["a", "я", "\\n", "\\t", "\\r", '\\"', "\\\\", "\\", '"', "n",
                                 "\\a", "\\v", "\\b", "\\f", "\\0"]), max_size=12).map("".join))
def test_fast_strings_decode_as_polib_decodes(inner: str) -> None:
    """A string the fast path takes has the value polib's unescape gives (the read-only path
    decodes it without importing polib)."""
    value = _string(f'"{inner}"')
    if value is not None:
        assert value == polib.unescape(inner)


def test_not_plain_table_is_the_computed_one() -> None:
    """The written-out table of characters the fast wrap leaves alone is what unicodedata
    gives on this Python (a Python of another Unicode version computes it instead)."""
    import unicodedata

    from diglot.pofile import linebreak

    table = linebreak.NOT_PLAIN.get(unicodedata.unidata_version)
    if table is None:
        pytest.skip(f"no table written for Unicode {unicodedata.unidata_version}")
    written = [(int(a, 16), int(b or a, 16))
               for a, _, b in (item.partition("-") for item in table.split())]
    assert written == linebreak.odd_ranges()
