"""The build's batch escapes give what escaping one text at a time gives.

Editions escape a block's sentences (and the TMX and TSV their pairs) joined into one
string and split again; these properties pin that to the one-at-a-time escapes, with the
separators themselves, line breaks and every special character in the alphabet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from diglot.editions import content, html, monolingual, tmx
from diglot.editions.content import translated_edition
from diglot.editions.monolingual import render_text
from diglot.inline import markup_signature
from diglot.model import Document, EntryState, SourceFormat
from diglot.patterns import URL
from diglot.pofile import Entry
from diglot.sources import make_splitter
from diglot.sources.markdown import parse_markdown
from diglot.sources.text import parse_text

TEXT = st.text(alphabet='ab ф"\'&<>\n\r\t\\\x00\x01\x0b\ufffe\xa4\u2028:/@w.', max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_block_escape_is_each_text_escaped(texts: list[str]) -> None:
    """A block's texts escaped together equal each escaped alone, breaks as ``<br>``."""
    expected = [str(escape(t)).replace("\n", "<br>\n") for t in texts]
    assert html._escape_lines(texts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_tmx_and_tsv_escapes_together_equal_one_at_a_time(texts: list[str]) -> None:
    """TMX and TSV fields escaped in one pass equal the per-field escapes."""
    from xml.sax.saxutils import escape as xml_escape
    for text in texts:  # the fast path of _xml is the full escape
        assert tmx._xml(text) == xml_escape(tmx._XML_ILLEGAL.sub("\ufffd", text)).replace(
            "\r", "&#13;")
    assert tmx._each(tmx._xml, texts) == [tmx._xml(t) for t in texts]
    assert tmx._each(tmx._tsv_field, texts) == [tmx._tsv_field(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_plain_text_signature_without_url_marks_is_the_scan(text: str) -> None:
    """A plain-text signature skips the URL scan only when the scan finds nothing."""
    urls = tuple(sorted(m.group(0) for m in URL.finditer(text)))
    assert markup_signature(text, SourceFormat.TXT).urls == urls


def test_focusable_spans_differ_only_by_tabindex() -> None:
    """Every sentence span of a block is focusable on the bilingual page, none elsewhere."""
    text = "Первое. Второе <b>жирное</b>! Третье & последнее."
    document = Document(name="t", lang="ru", path=Path("t.txt"), format=SourceFormat.TXT,
                        parts=parse_text(text, splitter=make_splitter("ru")))
    (block,) = document.blocks
    index = {block.msgids[0]: Entry(msgid=block.msgids[0], msgstr="First.",
                                    state=EntryState.TRANSLATED, line=3),
             block.msgids[1]: Entry(msgid=block.msgids[1], msgstr="Second <b>!",
                                    state=EntryState.FUZZY, line=7)}
    edition = translated_edition(document, "en", index, catalog=Path("x.po"), draft=True)
    (spans,) = html.edition_spans(edition)
    plain, focusable = spans.html(), spans.html(focusable=True)
    assert plain.count("<span ") == focusable.count(' tabindex="0"') == 3
    assert focusable.replace(' tabindex="0"', "") == plain
    assert plain == (
        '<span class="s" id="s1-1-en" data-s="1-1">First.</span> '
        '<span class="s st-fuzzy" id="s1-2-en" data-s="1-2" title="fuzzy, needs review">'
        "Second &lt;b&gt;!</span> "
        '<span class="s st-untranslated" id="s1-3-en" data-s="1-3" lang="ru" '
        'title="untranslated">Третье &amp; последнее.</span>')


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_xml_escapes_are_saxutils(text: str) -> None:
    """The TMX writer's escapes give what xml.sax.saxutils gives (not imported by a build)."""
    from xml.sax import saxutils
    assert tmx.escape(text) == saxutils.escape(text)
    assert tmx.quoteattr(text) == saxutils.quoteattr(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
                        "\u061c\n", max_size=12))
def test_balanced_text_is_what_the_bidi_check_accepts(text: str) -> None:
    """What an edition prints (balance_bidi) is nested as the bidi check wants; a text the
    check accepts is printed as it is; balancing drops only closers and adds only closers."""
    from diglot.bidi import CONTROLS, balance_bidi, unbalanced
    assert not any(c.isprintable() for c in CONTROLS)  # what the printable shortcut relies on
    balanced = balance_bidi(text)
    assert unbalanced(balanced) == []
    if not unbalanced(text):
        assert balanced == text
    openers = [c for c in text if c in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"]
    assert [c for c in balanced if c in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"] == openers


def test_a_pdi_without_an_open_isolate_closes_no_embedding() -> None:
    """UAX #9: a PDI matching no isolate is ignored, so an embedding before it stays open (the
    check once let the PDI close it and reported only the PDI)."""
    from diglot.bidi import balance_bidi, unbalanced
    assert unbalanced("\u202bx\u2069") == ["U+2069 POP DIRECTIONAL ISOLATE closes nothing",
                                            "U+202B RIGHT-TO-LEFT EMBEDDING is never closed"]
    assert balance_bidi("\u202bx\u2069") == "\u202bx\u202c"


@pytest.mark.parametrize("text", [
    "---\ntitle: x\n---\n\n\n# Heading\n\nOne. Two.\n",
    "---\ntitle: x\n---\n# Heading\n",
    "\n\nOne. Two.\n\nThree.\n",
    "One.",
    "```\ncode\n```\n\nOne.\n",
])
def test_draft_text_banner_after_front_matter_and_blank_lines(text: str) -> None:
    """A draft's text puts its banner after the front matter and the blank lines after it."""
    parts, front = parse_markdown(text, splitter=make_splitter("en"), path=Path("d.md"))
    document = Document(name="d", lang="en", path=Path("d.md"), format=SourceFormat.MD,
                        parts=parts, front_matter=front)
    edition = translated_edition(document, "de", {}, catalog=Path("x.po"), draft=True)
    whole = "".join(p if isinstance(p, str) else p.render(
        [f"⟦untranslated⟧ {m}" for m in p.msgids]) for p in parts)
    head = front if whole.startswith(front) else ""
    rest = whole[len(head):]
    lead = rest[: len(rest) - len(rest.lstrip("\n"))]
    banner = monolingual._banner_text(edition)
    assert render_text(edition) == head + lead + banner + rest[len(lead):]


def test_a_build_makes_each_editions_spans_once(new_project: Callable[..., Path], tmp_path: Path,
                                                run: Callable[..., int],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With many targets, each edition's sentence spans are made once per build and shared by
    its page and every bilingual page it is in (a cache of the last few once made them twice)."""
    targets = ("de", "fr", "es", "it", "uk")
    root = new_project(tmp_path, targets=targets,
                       docs={"a.txt": "Первое предложение. Второе.\n\nТретье предложение.\n"})
    assert run(root, "extract") == 0 and run(root, "update") == 0
    made: list[tuple[str, int]] = []
    real = html.block_spans

    def counted(edition: content.Edition, block: object, env: object) -> html.BlockSpans:
        made.append((edition.lang, block.index))  # type: ignore[attr-defined]
        return real(edition, block, env)  # type: ignore[arg-type]

    monkeypatch.setattr(html, "block_spans", counted)
    assert run(root, "build", "--draft") == 0
    assert sorted(made) == sorted({(lang, i) for lang in ("ru", *targets) for i in (0, 1)})
    assert len((root / "editions-draft" / "ru-uk" / "a.html").read_text(encoding="utf-8")) > 0
