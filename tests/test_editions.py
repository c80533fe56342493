"""Editions: monolingual and bilingual pages, TMX/TSV, the publication rule, ``diglot build``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diglot import fileio
from diglot.catalogs import build_template, read_catalog, render_catalog
from diglot.editions import (
    identity_index,
    source_edition,
    translated_edition,
)
from diglot.editions.bilingual import render_bilingual
from diglot.editions.html import inline_markdown, script_hash
from diglot.editions.monolingual import render_html, render_text
from diglot.editions.tmx import render_tmx, render_tsv
from diglot.errors import CatalogError
from diglot.model import Document, EntryState, SourceFormat
from diglot.pofile import Entry, origin_of
from diglot.project import Project
from diglot.publish import build
from diglot.sources import make_splitter, read_document
from diglot.sources.markdown import parse_markdown
from diglot.sources.text import parse_text

Run = Callable[..., int]
DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------- helpers


def blocks_of(text: str) -> list[str]:
    """A plain-text document's blocks: separated by blank lines, surrounding space dropped."""
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def gold_pairs() -> dict[str, str]:
    data = json.loads((DATA / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
    return {ru: en for block in data["blocks"] for ru, en in zip(block["ru"], block["en"],
                                                                 strict=True)}


def md_pairs() -> dict[str, str]:
    ru = read_document(DATA / "strike-2024" / "ru.md", name="ru", lang="ru",
                       splitter=make_splitter("ru"))
    en = read_document(DATA / "strike-2024" / "en.md", name="en", lang="en",
                       splitter=make_splitter("en"))
    return {r: e for rb, eb in zip(ru.blocks, en.blocks, strict=True)
            for r, e in zip(rb.msgids, eb.msgids, strict=True)}


def fill_catalog(path: Path, pairs: dict[str, str], *, fuzzy: int | None = None,
                 empty: int | None = None, draft: int | None = None) -> None:
    """Translate every entry of a catalog from ``pairs``; optionally spoil entry number n."""
    catalog = read_catalog(path)
    live = [e for e in catalog if not e.obsolete]
    for entry in live:
        entry.msgstr = pairs[entry.msgid]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    if fuzzy is not None:
        live[fuzzy].flags.append("fuzzy")
    if draft is not None:
        live[draft].flags.append("fuzzy")
        live[draft].tcomment = "diglot-draft: deepl 2026-11-27"
    if empty is not None:
        live[empty].msgstr = ""
    path.write_text(render_catalog(catalog), encoding="utf-8")


@pytest.fixture
def reviewed(tmp_path: Path, run: Run, new_project: Callable[..., Path]) -> Path:
    """A project with kpk-2015.txt and strike-2024.md whose English catalogs are fully reviewed."""
    root = new_project(tmp_path, docs={
        "kpk-2015.txt": (DATA / "kpk-2015" / "ru.txt").read_text(encoding="utf-8"),
        "strike-2024.md": (DATA / "strike-2024" / "ru.md").read_text(encoding="utf-8"),
    })
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    fill_catalog(root / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs())
    fill_catalog(root / "locales/en/LC_MESSAGES/strike-2024.po", md_pairs())
    return root


def kpk_document() -> Document:
    return read_document(DATA / "kpk-2015" / "ru.txt", name="kpk-2015", lang="ru",
                         splitter=make_splitter("ru"))


def md_document(text: str, name: str = "doc") -> Document:
    parts, front = parse_markdown(text, splitter=make_splitter("en"), path=Path(f"{name}.md"))
    return Document(name=name, lang="en", path=Path(f"source/en/{name}.md"),
                    format=SourceFormat.MD, parts=parts, front_matter=front)


def txt_document(text: str, lang: str = "ru") -> Document:
    parts = parse_text(text, splitter=make_splitter(lang))
    return Document(name="doc", lang=lang, path=Path("source/ru/doc.txt"),
                    format=SourceFormat.TXT, parts=parts)


def entry(msgstr: str, state: EntryState, line: int, mark: str | None = None) -> Entry:
    """A catalog entry as an edition sees it (``mark``: a ``diglot-draft:`` origin line)."""
    return Entry(msgid="", msgstr=msgstr, state=state, line=line,
                 origin=origin_of(f"diglot-draft: {mark}") if mark else None)


def reviewed_index(document: Document, pairs: dict[str, str]) -> dict[str, Entry]:
    return {m: entry(pairs[m], EntryState.TRANSLATED, n)
            for n, m in enumerate(document_msgids(document), 1)}


def document_msgids(document: Document) -> list[str]:
    return list(dict.fromkeys(s.msgid for s in document.segments))


class TagChecker(HTMLParser):
    """Collects start tags and fails on a closing tag that does not match the open one."""

    VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def check_tags(html: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


# ---------------------------------------------------------------- the key checks


def test_english_kpk_edition_reproduces_the_published_text(reviewed: Path, run: Run) -> None:
    """English kpk-2015 from ru.txt and the reviewed catalog is en.txt, block for block."""
    assert run(reviewed, "build") == 0
    built = (reviewed / "editions/en/kpk-2015.txt").read_text(encoding="utf-8")
    expected = (DATA / "kpk-2015" / "en.txt").read_text(encoding="utf-8")
    assert blocks_of(built) == blocks_of(expected)
    assert len(blocks_of(built)) == 8


def test_english_markdown_edition_keeps_the_markup_in_place(reviewed: Path, run: Run) -> None:
    """The English strike-2024.md keeps headings, lists, quote, emphasis and link: it is en.md."""
    assert run(reviewed, "build") == 0
    built = (reviewed / "editions/en/strike-2024.md").read_text(encoding="utf-8")
    assert built == (DATA / "strike-2024" / "en.md").read_text(encoding="utf-8")


def test_repository_sample_builds_the_corpus_english(sample_project: Path, run: Run) -> None:
    """The repository's own sample catalogs build en.txt block for block and en.md exactly."""
    assert run(sample_project, "build") == 0
    built = (sample_project / "editions/en/kpk-2015.txt").read_text(encoding="utf-8")
    expected = (DATA / "kpk-2015" / "en.txt").read_text(encoding="utf-8")
    assert blocks_of(built) == blocks_of(expected)
    assert (sample_project / "editions/en/strike-2024.md").read_text(encoding="utf-8") == \
        (DATA / "strike-2024" / "en.md").read_text(encoding="utf-8")


def test_source_edition_is_the_source_file(reviewed: Path, run: Run) -> None:
    """The source language's editions in the source format are the source files, byte for byte."""
    assert run(reviewed, "build") == 0
    for name in ("kpk-2015.txt", "strike-2024.md"):
        assert (reviewed / "editions/ru" / name).read_bytes() == \
            (reviewed / "source/ru" / name).read_bytes()


@pytest.mark.parametrize("path", ["kpk-2015/ru.txt", "strike-2024/ru.md", "strike-2024/en.md"])
def test_edition_from_the_template_alone_gives_back_the_source(path: str) -> None:
    """Each msgid of the document's POT taken as its own translation rebuilds the source."""
    lang = path.split("/")[1][:2]
    document = read_document(DATA / path, name="doc", lang=lang, splitter=make_splitter(lang))
    template = build_template(document, reference_path=path, created=_epoch())
    edition = translated_edition(document, lang, identity_index(e.msgid for e in template),
                                 catalog=Path("doc.pot"))
    assert not edition.missing
    assert render_text(edition) == (DATA / path).read_text(encoding="utf-8")


def _epoch() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------- property tests

_WORDS = st.sampled_from(["партия", "суд", "закон", "рабочие", "власти", "г.", "т. д.", "2015",
                          "«Правда»", "КПК", "и", "в", "<script>", "a&b", "—"])
_SENTENCE = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    _WORDS, st.lists(_WORDS, max_size=6), st.sampled_from([".", "!", "?", "…", ""]))


def _paragraph(sentences: list[str], width: int) -> str:
    """Sentences wrapped at ``width`` columns (soft line breaks inside the block)."""
    words = " ".join(sentences).split(" ")
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


_BLOCK = st.one_of(
    st.builds(_paragraph, st.lists(_SENTENCE, min_size=1, max_size=4),
              st.integers(min_value=30, max_value=120)),
    st.lists(_SENTENCE.map(lambda s: s[:40]), min_size=2, max_size=4).map("\n".join),
)
_GAP = st.sampled_from(["\n\n", "\n\n\n", "\n\n\n\n", "\n \n", "\n\t\n\n"])


@st.composite
def text_documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(_BLOCK, min_size=1, max_size=6))
    gaps = draw(st.lists(_GAP, min_size=len(blocks) - 1, max_size=len(blocks) - 1))
    text = blocks[0] + "".join(g + b for g, b in zip(gaps, blocks[1:], strict=True))
    return draw(st.sampled_from(["", "\n", "\n\n", "  \n"])) + text + draw(
        st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text_documents())
def test_property_text_source_edition_is_the_source(text: str) -> None:
    """For generated plain-text documents the edition built from the template is the source."""
    document = txt_document(text)
    edition = translated_edition(document, "ru", identity_index(document_msgids(document)),
                                 catalog=Path("doc.pot"))
    assert render_text(edition) == text
    assert render_text(source_edition(document)) == text


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text_documents())
def test_property_translated_text_keeps_one_block_per_block(text: str) -> None:
    """A translated plain-text edition has the source's blocks in order, each one translation."""
    document = txt_document(text)
    pairs = {m: f"[{i}] {m.upper()}" for i, m in enumerate(document_msgids(document))}
    edition = translated_edition(document, "en", reviewed_index(document, pairs),
                                 catalog=Path("doc.po"))
    out = render_text(edition)
    assert blocks_of(out) == [b.text(edition.texts(b)).strip() for b in document.blocks]
    check_tags(render_html(edition))


_INLINE = st.sampled_from(["*важно*", "**очень**", "`код`", "[ссылка](https://example.org/a)",
                           "слово", "партия", "<b>", "A & B", "30 %"])
_MD_SENTENCE = st.builds(lambda ws, end: " ".join(ws).capitalize() + end,
                         st.lists(_INLINE, min_size=1, max_size=5),
                         st.sampled_from([".", "!", "?"]))
_MD_BLOCK = st.one_of(
    st.builds(lambda s: "# " + s, _MD_SENTENCE),
    st.builds(lambda s: "## " + s, _MD_SENTENCE),
    st.lists(_MD_SENTENCE, min_size=1, max_size=3).map(" ".join),
    st.lists(_MD_SENTENCE, min_size=1, max_size=3).map(lambda ss: "\n".join(ss)),
    st.lists(_MD_SENTENCE, min_size=1, max_size=3).map(
        lambda ss: "\n".join(f"{i}. {s}" for i, s in enumerate(ss, 1))),
    st.lists(_MD_SENTENCE, min_size=1, max_size=3).map(lambda ss: "\n".join(f"- {s}" for s in ss)),
    st.lists(_MD_SENTENCE, min_size=1, max_size=2).map(lambda ss: "> " + "\n> ".join(ss)),
    st.just("```\ncode <x>\n```"),
    st.just("---"),
)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MD_BLOCK, min_size=1, max_size=6), st.sampled_from(["", "\n"]))
def test_property_markdown_source_edition_is_the_source(blocks: list[str], end: str) -> None:
    """For generated Markdown documents the edition from the template is the source, and its
    HTML is well formed with one sentence span per segment."""
    text = "\n\n".join(blocks) + end
    document = md_document(text)
    edition = translated_edition(document, "en", identity_index(document_msgids(document)),
                                 catalog=Path("doc.pot"))
    assert render_text(edition) == text
    html = render_html(edition)
    spans = [a for tag, a in check_tags(html).starts if tag == "span" and a.get("data-s")]
    assert len(spans) == len(document.segments)
    assert "<b>" not in html


# ---------------------------------------------------------------- HTML


def test_script_in_a_statement_or_translation_is_shown_not_run() -> None:
    """A <script> in the source or a translation reaches every page as text."""
    document = txt_document("Заголовок\n\nТекст <script>alert('ru')</script> здесь.\n")
    pairs = {"Заголовок": "Title <script>alert('t')</script>",
             "Текст <script>alert('ru')</script> здесь.": "Text <script>alert(1)</script>."}
    en = translated_edition(document, "en", reviewed_index(document, pairs), catalog=Path("x.po"))
    pages = [render_html(en), render_html(source_edition(document)),
             render_bilingual(source_edition(document), en)]
    for page in pages:
        assert "<script>alert" not in page
        assert "alert(" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]
    assert "<title>Title &lt;script&gt;" in pages[0]


def test_markdown_inline_markup_is_rendered_and_raw_html_is_not() -> None:
    """Emphasis and links become markup; raw HTML and javascript: links stay inert."""
    document = md_document("Some *emphasis* and [a link](https://example.org). "
                           "Raw <img src=x onerror=alert(1)> and [bad](javascript:alert(1)).\n")
    html = render_html(source_edition(document))
    assert "<em>emphasis</em>" in html
    assert '<a href="https://example.org">a link</a>' in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_markup_across_a_sentence_boundary_is_closed_and_reopened() -> None:
    """Markup spanning two sentences (**One. Two.**) gives two well-formed spans, each bold."""
    out = inline_markdown(["**First one.", "Second one.**", "*Third*."], [" ", "\n"])
    assert out == [("", "<strong>First one.</strong>"),
                   (" ", "<strong>Second one.</strong>"),
                   ("<br />\n", "<em>Third</em>.")]


def test_markdown_sentences_keep_markup_inside_them() -> None:
    """In a Markdown document each sentence span holds its own inline markup."""
    document = md_document("**Bold words here.** Then *this one*. And `code` too.\n")
    html = render_html(source_edition(document))
    check_tags(html)
    spans = re.findall(r'<span class="s"[^>]*>(.*?)</span>', html)
    assert spans == ["<strong>Bold words here.</strong>", "Then <em>this one</em>.",
                     "And <code>code</code> too."]


def test_reference_links_resolve_inside_sentences() -> None:
    """A [text][ref] link whose definition is elsewhere in the document becomes a link."""
    document = md_document("See [the court][c].\n\n[c]: https://example.org/court\n")
    assert '<a href="https://example.org/court">the court</a>' in \
        render_html(source_edition(document))


def test_lists_quotes_and_code_get_their_html_structure() -> None:
    """Numbered lists keep their start, nested lists sit in their item, code is kept."""
    document = md_document("3. Third item.\n4. Fourth item.\n   - Nested point.\n\n"
                           "> Quoted words.\n\n```\nx < y\n```\n")
    html = render_html(source_edition(document))
    check_tags(html)
    body = html[html.index("<article"):]
    assert '<ol start="3">' in body
    assert re.search(r'<li id="b2"[^>]*value="4">.*?</a>\s*<ul>\s*<li id="b3"', body, re.S)
    assert re.search(r"<blockquote>\s*<p id=\"b4\"", body)
    assert "<pre><code>x &lt; y\n</code></pre>" in body


def test_bilingual_page_pairs_every_block_and_sentence(reviewed: Path, run: Run) -> None:
    """Each block is one row with an anchor; both cells carry lang; sentence keys match up."""
    assert run(reviewed, "build") == 0
    html = (reviewed / "editions/ru-en/kpk-2015.html").read_text(encoding="utf-8")
    checker = check_tags(html)
    rows = [a for tag, a in checker.starts if tag == "section"]
    assert [r["id"] for r in rows] == [f"b{n}" for n in range(1, 9)]
    assert all(f'href="#b{n}"' in html for n in range(1, 9))
    cells = [a for tag, a in checker.starts if tag == "div" and "cell" in (a.get("class") or "")]
    assert [c["lang"] for c in cells] == ["ru", "en"] * 8
    keys = [a for tag, a in checker.starts if tag == "span" and "data-s" in a]
    ru = [k["data-s"] for k in keys if (k["id"] or "").endswith("-ru")]
    en = [k["data-s"] for k in keys if (k["id"] or "").endswith("-en")]
    assert ru == en and len(ru) == 15
    assert '<html lang="en"' in html
    assert "http://" not in html.replace("https://example.org", "") and "src=" not in html


def test_bilingual_page_allows_only_its_own_script() -> None:
    """The Content-Security-Policy names the hash of exactly the inline script on the page."""
    document = kpk_document()
    page = render_bilingual(source_edition(document), source_edition(document))
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None
    assert script_hash(script.group(1)).replace("'", "&#39;") in page
    assert "default-src &#39;none&#39;" in page
    assert "@page { size: A4" in page and "@media (max-width" in page


def test_fallback_sentences_carry_the_source_language() -> None:
    """A sentence shown in the source language inside a translation says so with lang."""
    document = txt_document("Первое предложение. Второе предложение.\n")
    index = {"Первое предложение.": entry("First sentence.", EntryState.TRANSLATED, 3)}
    draft = translated_edition(document, "en", index, catalog=Path("x.po"), draft=True)
    html = render_html(draft)
    assert re.search(r'<span class="s st-untranslated"[^>]*lang="ru"[^>]*>Второе', html)



def test_only_a_published_edition_lists_what_it_withholds() -> None:
    """Published: every unreviewed or absent sentence is a Missing record naming its catalog
    line; a draft withholds nothing, so it lists nothing."""
    document = txt_document("Первое предложение. Второе предложение. Третье предложение.\n")
    index = {"Первое предложение.": entry("First sentence.", EntryState.TRANSLATED, 3),
             "Второе предложение.": entry("Second sentence.", EntryState.MACHINE, 7, "deepl x")}
    published = translated_edition(document, "en", index, catalog=Path("x.po"))
    assert [(m.line, m.state, m.absent) for m in published.missing] == [
        (7, EntryState.MACHINE, False), (None, EntryState.UNTRANSLATED, True)]
    draft = translated_edition(document, "en", index, catalog=Path("x.po"), draft=True)
    assert draft.missing == ()
    assert [s.text for s in draft.sentences] == [
        "First sentence.", "Second sentence.", "Третье предложение."]


# ---------------------------------------------------------------- drafts


def test_draft_text_edition_is_marked_and_counted() -> None:
    """A draft text edition opens with a banner counting unreviewed sentences and marks each."""
    document = kpk_document()
    pairs = gold_pairs()
    msgids = document_msgids(document)
    index = reviewed_index(document, pairs)
    index[msgids[3]] = entry("Machine text.", EntryState.MACHINE, 40, "deepl 2026-11-27")
    index[msgids[4]] = entry("Old text.", EntryState.FUZZY, 50)
    del index[msgids[5]]
    edition = translated_edition(document, "en", index, catalog=Path("x.po"), draft=True)
    text = render_text(edition)
    assert text.startswith("DRAFT — not for publication. 3 of 15 sentences unreviewed: "
                           "1 machine draft, 1 fuzzy translation, 1 untranslated "
                           "(shown in Russian).\n\n")
    assert "⟦machine draft⟧ Machine text." in text
    assert "⟦fuzzy, needs review⟧ Old text." in text
    assert f"⟦untranslated⟧ {msgids[5]}" in text
    html = render_html(edition)
    assert 'class="draft-banner"' in html and "<title>DRAFT — " in html
    assert 'class="s st-machine"' in html and 'title="machine draft (deepl 2026-11-27)"' in html
    assert 'name="robots" content="noindex' in html


def test_draft_markdown_banner_goes_after_front_matter() -> None:
    """In a Markdown draft the banner is a quote after the front matter, which stays first."""
    document = md_document("---\ntitle: x\n---\n# Title here\n\nBody text.\n")
    edition = translated_edition(document, "de", {}, catalog=Path("x.po"), draft=True)
    text = render_text(edition)
    assert text.startswith("---\ntitle: x\n---\n> **DRAFT — not for publication. 2 of 2")
    assert "# ⟦untranslated⟧ Title here" in text


# ---------------------------------------------------------------- TMX and TSV


def test_tmx_is_valid_and_reads_back_with_translate_toolkit(reviewed: Path, run: Run) -> None:
    """The TMX validates against the TMX 1.4b DTD and translate-toolkit reads 15 sentence pairs."""
    from lxml import etree
    from translate.storage import tmx

    assert run(reviewed, "build") == 0
    path = reviewed / "editions/ru-en/kpk-2015.tmx"
    tree = etree.parse(str(path))
    dtd = etree.DTD(str(DATA / "tmx" / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    store = tmx.tmxfile.parsefile(str(path))  # type: ignore[no-untyped-call]
    units = [u for u in store.units if not u.isheader()]
    pairs = gold_pairs()
    assert [(u.source, u.target) for u in units] == list(pairs.items())
    assert store.getsourcelanguage() == "ru"
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tree.iter("tuv")}
    assert langs == {"ru", "en"}


def test_tmx_and_tsv_hold_only_reviewed_pairs_and_escape() -> None:
    """Unreviewed pairs stay out of TMX and TSV; XML and TSV special characters survive."""
    document = txt_document("Первое <b> & «x».\tВторое?\n\nТретье.\n")
    msgids = document_msgids(document)
    index = {msgids[0]: entry("First <b> & \"x\".\tTab", EntryState.TRANSLATED, 1),
             msgids[1]: entry("Second?", EntryState.MACHINE, 2)}
    source = source_edition(document)
    target = translated_edition(document, "en", index, catalog=Path("x.po"), draft=True)
    from lxml import etree

    root = etree.fromstring(render_tmx(source, target).encode())
    segs = [s.text for s in root.iter("seg")]
    assert segs == [msgids[0], "First <b> & \"x\".\tTab"]
    tsv = render_tsv(source, target).splitlines()
    assert tsv[0] == "id\tru\ten"
    escaped = msgids[0].replace("\t", "\\t")
    assert tsv[1:] == [f"doc#1-1\t{escaped}\tFirst <b> & \"x\".\\tTab"]


# ---------------------------------------------------------------- the publication rule


def test_fuzzy_entry_stops_publication_naming_it(reviewed: Path, run: Run,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """With one fuzzy entry, build exits 5 naming path:line of its msgid; English is not built."""
    po = reviewed / "locales/en/LC_MESSAGES/kpk-2015.po"
    fill_catalog(po, gold_pairs(), fuzzy=3)
    capsys.readouterr()
    assert run(reviewed, "build") == 5
    err = capsys.readouterr().err
    lines = po.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1)
                if text.startswith("msgid ") and "Это решение суда" in text + lines[n])
    assert f"locales/en/LC_MESSAGES/kpk-2015.po:{line}: fuzzy: 'Это решение суда" in err
    assert "1 entry is not reviewed" in err
    assert not (reviewed / "editions/en/kpk-2015.txt").exists()
    assert not (reviewed / "editions/ru-en/kpk-2015.html").exists()
    assert (reviewed / "editions/ru/kpk-2015.txt").is_file()
    assert (reviewed / "editions/en/strike-2024.md").is_file()


def test_draft_build_goes_to_its_own_folder_marked(reviewed: Path, run: Run,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """build --draft writes editions-draft/ with a banner and marks, and never editions/."""
    fill_catalog(reviewed / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs(), draft=0,
                 empty=2)
    assert run(reviewed, "build", "--draft") == 0
    assert "2 unreviewed sentences" in capsys.readouterr().out
    assert not (reviewed / "editions").exists()
    page = (reviewed / "editions-draft/ru-en/kpk-2015.html").read_text(encoding="utf-8")
    assert "2 of 15 sentences unreviewed: 1 machine draft, 1 untranslated" in page
    assert 'class="s st-machine"' in page and 'class="s st-untranslated"' in page
    text = (reviewed / "editions-draft/en/kpk-2015.txt").read_text(encoding="utf-8")
    assert text.startswith("DRAFT — not for publication.")
    tmx_text = (reviewed / "editions-draft/ru-en/kpk-2015.tmx").read_text(encoding="utf-8")
    assert tmx_text.count("<tu ") == 13


def test_threshold_lets_a_partial_language_through(reviewed: Path, run: Run,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """At threshold 80 a language 93 % reviewed is published, the missing sentence in Russian."""
    toml = reviewed / "diglot.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[build]\nthreshold = 80\n",
                    encoding="utf-8")
    fill_catalog(reviewed / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs(), empty=3)
    assert run(reviewed, "build") == 0
    assert "published with 1 sentences left in the source language" in capsys.readouterr().out
    text = (reviewed / "editions/en/kpk-2015.txt").read_text(encoding="utf-8")
    assert "Это решение суда означает" in text and "DRAFT" not in text


def test_a_refused_language_loses_its_old_editions(reviewed: Path, run: Run) -> None:
    """Editions from an earlier build are removed when the language stops being publishable."""
    assert run(reviewed, "build") == 0
    assert (reviewed / "editions/ru-en/kpk-2015.tmx").is_file()
    fill_catalog(reviewed / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs(), empty=0)
    assert run(reviewed, "build") == 5
    assert not (reviewed / "editions/ru-en/kpk-2015.tmx").exists()
    assert not (reviewed / "editions/en/kpk-2015.html").exists()
    assert (reviewed / "editions/en/strike-2024.html").is_file()


def test_missing_catalog_is_refused_with_a_hint(project: Path, run: Run,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Without a catalog for a language the build names it and says to run update."""
    assert run(project, "build") == 5
    err = capsys.readouterr().err
    assert "locales/en/LC_MESSAGES/kpk-2015.po: no entry (run 'diglot update')" in err


def test_catalog_older_than_the_source_is_refused(reviewed: Path, run: Run,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A sentence added to the source after the last update has no entry: not published."""
    src = reviewed / "source/ru/kpk-2015.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\nНовое предложение.\n", encoding="utf-8")
    assert run(reviewed, "build") == 5
    assert "no entry (run 'diglot update'): 'Новое предложение.'" in capsys.readouterr().err


def test_build_again_changes_nothing(reviewed: Path, run: Run,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A second build with nothing changed rewrites no file."""
    assert run(reviewed, "build") == 0
    capsys.readouterr()
    assert run(reviewed, "build") == 0
    out = capsys.readouterr().out
    assert "wrote" not in out and out.count("unchanged") == 14


def test_build_syncs_once_and_an_unreadable_catalog_changes_no_edition(
        reviewed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edition of a build is staged, made durable with one sync, then renamed; a catalog
    that cannot be read (after other documents' editions were staged) changes no edition."""
    syncs: list[int] = []
    real_sync = fileio._sync_data

    def sync(pending: list[tuple[Path, Path]]) -> None:
        syncs.append(1)
        real_sync(pending)

    monkeypatch.setattr(fileio, "_sync_data", sync)
    first = build(Project.load(reviewed))
    assert len(first.written) == 14 and syncs == [1]
    before = {p: p.read_bytes() for p in (reviewed / "editions").rglob("*") if p.is_file()}
    kpk = reviewed / "locales/en/LC_MESSAGES/kpk-2015.po"
    head, sep, rest = kpk.read_text(encoding="utf-8").partition("\n\n")
    kpk.write_text(head + sep + rest.replace('msgstr "', 'msgstr "X', 3), encoding="utf-8")
    changed = build(Project.load(reviewed), documents=["kpk-2015"]).written
    assert any(w.changed for w in changed)  # kpk-2015 readable, its editions differ
    syncs.clear()
    for path, data in before.items():  # the first build's editions again
        path.write_bytes(data)
    (reviewed / "locales/en/LC_MESSAGES/strike-2024.po").write_text(
        'msgid "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="strike-2024"):
        build(Project.load(reviewed))  # kpk-2015's new editions staged, then the error
    after = {p: p.read_bytes() for p in (reviewed / "editions").rglob("*") if p.is_file()}
    assert after == before  # nothing renamed, no temporary file left
    assert syncs == []


def test_unknown_language_or_document_is_a_usage_error(reviewed: Path, run: Run,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped --lang or --doc exits 2 with a suggestion and writes nothing."""
    assert run(reviewed, "build", "--doc", "kpk-2105") == 2
    assert "did you mean 'kpk-2015'?" in capsys.readouterr().err
    assert run(reviewed, "build", "--lang", "eng") == 2
    assert not (reviewed / "editions").exists()


def test_build_can_be_limited_to_a_language_and_document(reviewed: Path) -> None:
    """--lang en --doc kpk-2015 writes only the English and bilingual files of kpk-2015."""
    result = build(Project.load(reviewed), languages=["en"], documents=["kpk-2015"])
    written = sorted(w.path.relative_to(reviewed).as_posix() for w in result.written)
    assert written == ["editions/en/kpk-2015.html", "editions/en/kpk-2015.txt",
                       "editions/ru-en/kpk-2015.html", "editions/ru-en/kpk-2015.tmx",
                       "editions/ru-en/kpk-2015.tsv"]


def test_index_catalog_points_at_msgid_lines(tmp_path: Path) -> None:
    """Catalog entries are located at their msgid line, below their comments."""
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '#. paragraph\n#: a.txt:1\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    index = read_catalog(po).by_msgid()
    assert index["a"].line == 8 and index["a"].state is EntryState.FUZZY


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet='ab фЖ"\'-#:%=@^{}~+$.,«»—\t\u00a0\\`*_[]!<>&\n\r\x00\u2000',
                        max_size=12), min_size=1, max_size=4),
       st.lists(st.sampled_from([" ", "  ", "", "\n", "\t"]), min_size=3, max_size=3))
def test_plain_sentences_skip_markdown_it_with_the_same_html(
        texts: list[str], joiners: list[str]) -> None:
    """A block with no inline syntax is escaped directly; the result is markdown-it's."""
    from diglot.editions import html
    joiners = joiners[: len(texts) - 1]
    direct = inline_markdown(texts, joiners)
    saved = html._INLINE_SYNTAX
    html._INLINE_SYNTAX = re.compile("")  # matches everything: markdown-it renders every block
    try:
        assert direct == inline_markdown(texts, joiners)
    finally:
        html._INLINE_SYNTAX = saved
