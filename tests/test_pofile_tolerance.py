"""gettext's tolerance: what ``msgfmt --check`` accepts diglot reads, what it rejects diglot
rejects too, at the line of the real cause.

diglot's verdict on a catalog is "rejected" when reading it raises a
:class:`CatalogError`, or when ``diglot check`` finds a msgfmt-level error in
it (a msgstr that does not begin or end with a newline like its msgid, a
number of plural forms other than the header's): ``update`` still works on
such a catalog, ``build`` refuses the entry.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from diglot.checks import Severity, check_catalog
from diglot.errors import CatalogError
from diglot.model import EntryState
from diglot.pofile import read_catalog

H = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
     '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
"""A header of six lines: the first entry starts on line 7."""
PLURAL = 'msgid "a"\nmsgid_plural "as"\n'

# name: (file content, line of the cause if msgfmt rejects it, words the message must contain)
CASES: dict[str, tuple[bytes, int | None, str]] = {
    "plain": ((H + 'msgid "a"\nmsgstr "b"\n').encode(), None, ""),
    "flag without space": ((H + '#,fuzzy\nmsgid "a"\nmsgstr "b"\n').encode(), None, ""),
    "extracted without space": ((H + '#.note\nmsgid "a"\nmsgstr "b"\n').encode(), None, ""),
    "reference without space": ((H + '#:a.md:1\nmsgid "a"\nmsgstr "b"\n').encode(), None, ""),
    "previous without space": ((H + '#, fuzzy\n#|msgid "o"\nmsgid "a"\nmsgstr "b"\n').encode(),
                               None, ""),
    "U+2028 in strings": ((H + 'msgid "a\u2028b"\nmsgstr "c\u2028d"\n').encode(), None, ""),
    "NEL in strings": ((H + 'msgid "a\u0085b"\nmsgstr "c\u0085d"\n').encode(), None, ""),
    "VT in strings": ((H + 'msgid "a\x0bb"\nmsgstr "c\x0bd"\n').encode(), None, ""),
    "FF in strings": ((H + 'msgid "a\x0cb"\nmsgstr "c\x0cd"\n').encode(), None, ""),
    "raw tab": ((H + 'msgid "a\tb"\nmsgstr "c\td"\n').encode(), None, ""),
    "control character": ((H + 'msgid "a\x01b"\nmsgstr "c"\n').encode(), None, ""),
    "CRLF": ((H + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode(), None, ""),
    "msgctxt": ((H + 'msgctxt "m"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "v"\nmsgid "a"\n'
                 'msgstr "c"\n').encode(), None, ""),
    "KOI8-R declared": ((H.replace("UTF-8", "KOI8-R") + 'msgid "a"\nmsgstr "б"\n')
                        .encode("koi8-r"), None, ""),
    "unknown flag": ((H + '#, fuzy\nmsgid "a"\nmsgstr "b"\n').encode(), None, ""),
    "obsolete with #~|": ((H + 'msgid "x"\nmsgstr "y"\n\n#, fuzzy\n#~| msgid "o"\n#~ msgid "a"\n'
                           '#~ msgstr "b"\n').encode(), None, ""),
    "octal and hex escapes": ((H + 'msgid "a\\101\\x42"\nmsgstr "b"\n').encode(), None, ""),
    "C escapes": ((H + 'msgid "a\\a\\b\\v\\f"\nmsgstr "b\\a\\b\\v\\f"\n').encode(), None, ""),
    "keyword glued to string": ((H + 'msgid"a"\nmsgstr"b"\n').encode(), None, ""),
    "odd spacing": ((H + 'msgid    "a"\nmsgstr\t"b"\n').encode(), None, ""),
    "indented lines": ((H + '   msgid "a"\n   "c"\n  msgstr "b"\n').encode(), None, ""),
    "Babel '# |' comment": ((H + '#, fuzzy\n# | msgid "o"\nmsgid "a"\nmsgstr "b"\n').encode(),
                            None, ""),
    "empty plural forms": ((H + PLURAL + 'msgstr[0] ""\nmsgstr[1] ""\n').encode(), None, ""),
    "header only": (H.encode(), None, ""),
    "byte-order mark": (("\ufeff" + H + 'msgid "a"\nmsgstr "b"\n').encode(), 1, "BOM"),
    "empty file": (b"", 1, "empty"),
    "blank lines only": (b"\n\n\n", 1, "empty"),
    "no header": (b'msgid "a"\nmsgstr "b"\n', 1, "header"),
    "truncated entry": ((H + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n').encode(), 10, "no msgstr"),
    "plural index out of order": ((H + PLURAL + 'msgstr[0] "b"\nmsgstr[1] "bs"\n'
                                   'msgstr[5] "x"\n').encode(), 11, "msgstr[5]"),
    "more plural forms than nplurals": ((H + PLURAL + 'msgstr[0] "b"\nmsgstr[1] "bs"\n'
                                         'msgstr[2] "x"\n').encode(), 7, "nplurals=2"),
    "fewer plural forms than nplurals": ((H + PLURAL + 'msgstr[0] "b"\n').encode(), 7,
                                         "nplurals=2"),
    "plain msgstr in a plural entry": ((H + PLURAL + 'msgstr "b"\n').encode(), 9, "plural"),
    "conflict markers": ((H + '<<<<<<< HEAD\nmsgid "a"\nmsgstr "b"\n=======\nmsgid "a"\n'
                          'msgstr "c"\n>>>>>>> other\n').encode(), 7, "conflict"),
    "duplicate": ((H + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n').encode(), 10,
                  "duplicate"),
    "duplicate of an obsolete entry": ((H + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n'
                                        '#~ msgstr "c"\n').encode(), 10, "duplicate"),
    "second header": ((H + 'msgid ""\nmsgstr "x"\n').encode(), 7, "duplicate"),
    "unterminated string": ((H + 'msgid "a\nmsgstr "b"\n').encode(), 7, "closing quote"),
    "invalid escape": ((H + 'msgid "a\\q"\nmsgstr "b"\n').encode(), 7, "escape"),
    "msgstr before msgid": ((H + 'msgstr "b"\nmsgid "a"\n').encode(), 7, "msgstr"),
    "comment between msgid and msgstr": ((H + 'msgid "a"\n# note\nmsgstr "b"\n').encode(), 8,
                                         "comment"),
    "not PO": ((H + 'this is not po\nmsgid "a"\nmsgstr "b"\n').encode(), 7, "'this'"),
    "text after a string": ((H + 'msgid "a" x\nmsgstr "b"\n').encode(), 7, "'x'"),
    "Latin-1 bytes in UTF-8": ((H + 'msgid "a"\nmsgstr "').encode() + b'\xe9t\xe9"\n', 8,
                               "UTF-8"),
    "msgid ends with a newline, msgstr not": ((H + 'msgid "a\\n"\nmsgstr "b"\n').encode(), 7,
                                              "end with"),
    "msgstr begins with a newline, msgid not": ((H + 'msgid "a"\nmsgstr "\\nb"\n').encode(), 7,
                                                "begin with"),
}


def diglot_verdict(path: Path) -> tuple[int, str] | None:
    """``None`` if diglot accepts the catalog, else the (line, message) of the first error."""
    try:
        catalog = read_catalog(path)
    except CatalogError as exc:
        return exc.line or 0, str(exc)
    problems, _ = check_catalog(catalog, path=path, source_lang="ru", target_lang="en")
    errors = [p for p in problems if p.severity is Severity.ERROR and p.check == "msgfmt"]
    return (errors[0].line, errors[0].message) if errors else None


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert sum(line is not None for _, line, _ in CASES.values()) >= 15


@pytest.mark.parametrize("name", list(CASES))
def test_diglot_names_the_line_and_the_cause(name: str, tmp_path: Path) -> None:
    """Each catalog of the table is accepted, or rejected at the line of its cause."""
    content, line, words = CASES[name]
    path = tmp_path / "x.po"
    path.write_bytes(content)
    verdict = diglot_verdict(path)
    if line is None:
        assert verdict is None, verdict
    else:
        assert verdict is not None and verdict[0] == line, verdict
        assert words in verdict[1], verdict


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("name", list(CASES))
def test_diglot_agrees_with_msgfmt_check(name: str, tmp_path: Path) -> None:
    """diglot rejects a catalog exactly when GNU msgfmt --check does."""
    path = tmp_path / "x.po"
    path.write_bytes(CASES[name][0])
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(path)],
                          capture_output=True, text=True)
    assert (diglot_verdict(path) is None) == (done.returncode == 0), done.stderr


def test_unknown_flag_is_a_warning_and_keeps_a_draft_a_draft(tmp_path: Path) -> None:
    """'#, fuzy' on a machine draft: a warning naming the flag, and the entry stays a draft."""
    path = tmp_path / "x.po"
    path.write_text(H + '# diglot-draft: deepl 2026-11-27\n#, fuzy\nmsgid "a"\nmsgstr "b"\n',
                    encoding="utf-8")
    catalog = read_catalog(path)
    (entry,) = catalog.records()
    assert entry.state is EntryState.MACHINE
    problems, _ = check_catalog(catalog, path=path, source_lang="ru", target_lang="en",
                                include_drafts=True)
    assert [(p.line, p.severity) for p in problems if "fuzy" in p.message] == [
        (9, Severity.WARNING)]


def test_babel_previous_comment_is_reported(tmp_path: Path) -> None:
    """A Babel '# | msgid' comment is read as a comment and reported by check."""
    path = tmp_path / "x.po"
    path.write_bytes(CASES["Babel '# |' comment"][0])
    problems, _ = check_catalog(read_catalog(path), path=path, source_lang="ru",
                                target_lang="en", include_drafts=True)
    assert any("'# |'" in p.message and p.line == 9 for p in problems)


def test_tolerated_strings_keep_their_characters(tmp_path: Path) -> None:
    """U+2028, VT and the C escapes come through as the characters they are."""
    path = tmp_path / "x.po"
    path.write_bytes(CASES["U+2028 in strings"][0])
    assert read_catalog(path).records()[0].msgstr == "c\u2028d"
    path.write_bytes(CASES["C escapes"][0])
    assert read_catalog(path).records()[0].msgid == "a\a\b\v\f"
    path.write_bytes(CASES["KOI8-R declared"][0])
    assert read_catalog(path).records()[0].msgstr == "б"


def test_a_koi8r_catalog_is_rewritten_as_utf8_saying_so(tmp_path: Path) -> None:
    """A catalog read as its declared KOI8-R is written back UTF-8, and its header says so."""
    from diglot.catalogs import update_catalog
    from diglot.pofile import parse_catalog, render_catalog

    path = tmp_path / "x.po"
    path.write_bytes(CASES["KOI8-R declared"][0])
    catalog = read_catalog(path)
    template = parse_catalog(H + 'msgid "a"\nmsgstr ""\n', path=Path("x.pot"))
    update_catalog(catalog, template, "en")
    text = render_catalog(catalog)
    assert "charset=UTF-8" in text and "KOI8-R" not in text and 'msgstr "б"' in text
