"""Inline markup as data: signatures, and XML for machine translation."""

from __future__ import annotations

import re
from html import escape, unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot.errors import DiglotError
from diglot.inline import MarkupMismatch, from_xml, markup_signature, to_xml
from diglot.model import SourceFormat

MD = SourceFormat.MD
TXT = SourceFormat.TXT
SAMPLE = ("Вместо этого она обратилась в суд с иском о признании забастовки незаконной "
          "(см. [решение суда](https://example.org/court/2024-17)).")


def test_link_becomes_indexed_tag_without_url() -> None:
    """A link's text is translatable XML, its URL stays out of the XML."""
    xml = to_xml(SAMPLE, MD)
    assert xml.endswith('(см. <a i="0">решение суда</a>).')
    assert "example.org" not in xml


def test_markup_to_xml() -> None:
    """Emphasis, strong, code, autolinks, images, HTML and line breaks become tags."""
    text = "**Жирный** и *курсив* `код & <b>` <https://x.org> ![схема](s.png) <b>html</b>\nдалее"
    assert to_xml(text, MD) == (
        '<strong>Жирный</strong> и <em>курсив</em> <x i="0"/> <x i="1"/> <x i="2"/> '
        '<x i="3"/>html<x i="4"/><br/>далее')


def test_text_escaped() -> None:
    """&, < and > in plain text are escaped; Markdown escapes stay as written."""
    assert to_xml("a < b & c > d \\* e", MD) == "a &lt; b &amp; c &gt; d \\* e"


def test_translated_link_restored() -> None:
    """A translated link text gets the source's URL (and title) back."""
    source = 'См. [решение *суда*](https://e.org/1 "Решение").'
    xml = 'See the <a i="0">court <em>decision</em></a>.'
    expected = 'See the [court *decision*](https://e.org/1 "Решение").'
    assert from_xml(xml, MD, source=source) == expected


def test_placeholders_restored_verbatim_in_any_order() -> None:
    """<x/> placeholders put back the source's code and autolinks, wherever they moved."""
    source = "Команда `make check` и адрес <https://x.org>."
    xml = 'Address <x i="1"/> and command <x i="0"/>.'
    assert from_xml(xml, MD, source=source) == "Address <https://x.org> and command `make check`."


def test_delimiters_remembered() -> None:
    """Underscore emphasis comes back with underscores, in order of appearance."""
    source = "__Сильно__ и _слабо_."
    assert from_xml("<strong>Strong</strong> and <em>weak</em>.", MD,
                    source=source) == "__Strong__ and _weak_."


def test_underscore_inside_word_becomes_asterisk() -> None:
    """An underscore delimiter glued to a word is written with asterisks (it would not parse)."""
    assert from_xml("un<em>believ</em>able", MD, source="_очень_") == "un*believ*able"


def test_blanks_moved_outside_emphasis() -> None:
    """Blanks just inside a translated <em> go outside the delimiters."""
    assert from_xml("a<em> b </em>c", MD, source="*б*") == "a *b* c"


def test_line_break_restored() -> None:
    """<br/> gives back the msgid's line break."""
    assert from_xml("Lenin Street,<br/>no. 5", MD, source="Улица Ленина,\nдом 5") == (
        "Lenin Street,\nno. 5")


@pytest.mark.parametrize(("xml", "message"), [
    ('<x i="0"/><x i="0"/> <em>e</em>', "appears twice"),
    ("<em>e</em>", "the source has 1 <x> tag(s), the translation has 0"),
    ('<x i="0"/> e', "the source has 1 <em> tag(s), the translation has 0"),
    ('<x i="0"/> <em>e</em> <em>f</em>', "the source has 1 <em> tag(s), the translation has 2"),
    ('<x i="1"/> <em>e</em>', "unknown index '1'"),
    ('<x/> <em>e</em>', "unknown index ''"),
    ('<x i="0">code</x> <em>e</em>', "must stay empty"),
    ('<x i="0"/> <q>e</q>', "unknown tag <q>"),
    ('<x i="0"/> <em>e', "unbalanced or malformed"),
    ('<x i="0"/> <em> </em>', "empty emphasis"),
])
def test_mismatch(xml: str, message: str) -> None:
    """Missing, duplicated, unknown, non-empty or unbalanced tags raise MarkupMismatch."""
    with pytest.raises(MarkupMismatch, match=re.escape(message)) as err:
        from_xml(xml, MD, source="`c` *e*")
    assert isinstance(err.value, DiglotError)


def test_plain_text_xml() -> None:
    """A plain-text segment is only escaped, and a tag in its translation is refused."""
    assert to_xml("a < b & *c*", TXT) == "a &lt; b &amp; *c*"
    assert from_xml("x &lt; y &amp; *z*", TXT, source="a < b & *c*") == "x < y & *z*"
    with pytest.raises(MarkupMismatch, match="unexpected tag <b>"):
        from_xml("<b>x</b>", TXT, source="x")


def test_signature_of_sample() -> None:
    """The sample sentence's signature holds its link URL and nothing else."""
    signature = markup_signature(SAMPLE, MD)
    assert signature.link_urls == ("https://example.org/court/2024-17",)
    assert (signature.emphasis, signature.strong, signature.inline_code) == (0, 0, ())


def test_signature_counts() -> None:
    """Code, autolinks, images, HTML, emphasis, strong and line breaks are all counted."""
    signature = markup_signature(
        "*a* **b** _c_ `d` <https://x.org> ![i](p.png) <span>e</span>\nf", MD)
    assert (signature.emphasis, signature.strong, signature.line_breaks) == (2, 1, 1)
    assert signature.inline_code == ("d",)
    assert signature.autolinks == ("https://x.org",)
    assert signature.images == ("p.png",)
    assert signature.html == ("</span>", "<span>")


@pytest.mark.parametrize("translation", [
    "The [court decision](https://example.org/court/2024-18).",
    "The court decision.",
    "The *court* [decision](https://example.org/court/2024-17).",
    "The `court` [decision](https://example.org/court/2024-17).",
])
def test_signature_differs(translation: str) -> None:
    """A changed URL, a lost link, added emphasis or code change the signature."""
    assert markup_signature(translation, MD) != markup_signature(SAMPLE, MD)


def test_signature_ignores_order_and_wording() -> None:
    """Reordered links with translated text keep the signature."""
    source = "[один](https://a.org) и [два](https://b.org)"
    assert markup_signature("[two](https://b.org) and [one](https://a.org)", MD) == (
        markup_signature(source, MD))


def test_plain_text_signature() -> None:
    """A plain-text signature lists the URLs and e-mail addresses, not sentence punctuation."""
    signature = markup_signature("См. https://x.org/a, пишите на info@x.org.", TXT)
    assert signature.urls == ("https://x.org/a", "info@x.org")
    assert signature.link_urls == ()


# Properties.

WORDS = ["забастовка", "рабочие", "г.", "ст. 37", "strike", "a & b", "x < y", "\\*", "50 %",
         "«цитата»", "co_op"]


@st.composite
def segments(draw: st.DrawFn, depth: int = 0) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        kinds = ["plain", "code", "auto", "image", "html", "br"]
        if depth < 2:
            kinds += ["em", "under", "strong", "link", "titled"]
        kind = draw(st.sampled_from(kinds))
        inner = draw(segments(depth + 1)) if kind in ("em", "under", "strong", "link",
                                                      "titled") else words
        parts.append({
            "plain": words, "code": f"`{words}`", "auto": "<https://example.org/a?b=1>",
            "image": f"![{words}](img.png)", "html": f"<b>{words}</b>", "br": f"{words}\n",
            "em": f"*{inner}*", "under": f"_{inner}_", "strong": f"**{inner}**",
            "link": f"[{inner}](https://example.org/{len(parts)})",
            "titled": f'[{inner}](<https://example.org/a b> "Title. Here")',
        }[kind])
    return " ".join(parts).strip()


@settings(max_examples=400, deadline=None)
@given(segments())
def test_xml_round_trip(text: str) -> None:
    """A segment comes back exactly from its own XML."""
    assert from_xml(to_xml(text, MD), MD, source=text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab Ж.\n-*_`[]()<>!#\\&;:/\"'", "http://x.y", "](u)", "<a>",
                                 "</a>", "**", "__", "&amp;", "<http://a.b>", "![i](p)"]),
                max_size=40))
def test_xml_round_trip_any_text(pieces: list[str]) -> None:
    """Any text, however broken as Markdown, comes back exactly from its own XML."""
    text = "".join(pieces)
    assert from_xml(to_xml(text, MD), MD, source=text) == text


_TEXT_NODE = re.compile(r"(?<=>)[^<]+|^[^<]+")


@settings(max_examples=300, deadline=None)
@given(segments())
def test_tag_preserving_translation_keeps_signature(text: str) -> None:
    """A translation that changes only the text between tags has the source's signature."""
    translated = _TEXT_NODE.sub(lambda m: escape(unescape(m.group(0)).upper(), quote=False),
                                to_xml(text, MD))
    result = from_xml(translated, MD, source=text)
    assert markup_signature(result, MD) == markup_signature(text, MD)
