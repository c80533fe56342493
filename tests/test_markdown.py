"""The Markdown source reader: skeleton, segments, line numbers, rendering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from diglot.errors import SourceError
from diglot.model import Block, BlockKind
from diglot.sources import make_splitter, read_document
from diglot.sources.markdown import parse_markdown, split_front_matter

DATA = Path(__file__).parent / "data"
PATH = Path("source/ru/doc.md")


def naive_split(text: str) -> list[tuple[int, int]]:
    """A splitter that cuts after every . ! ? followed by a blank, abbreviations or not."""
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*(m.end() for m in re.finditer(r"[.!?](?=\s)", text)), len(text)]:
        chunk = text[prev:cut]
        if chunk.strip():
            start = prev + len(chunk) - len(chunk.lstrip())
            spans.append((start, start + len(chunk.strip())))
        prev = cut
    return spans


def parse(text: str) -> tuple[tuple[str | Block, ...], str]:
    return parse_markdown(text, splitter=naive_split, path=PATH)


def blocks(text: str) -> list[Block]:
    return [p for p in parse(text)[0] if isinstance(p, Block)]


def rebuild(parts: tuple[str | Block, ...]) -> str:
    return "".join(p if isinstance(p, str) else p.raw for p in parts)


# The project's sample statement, read with the real Russian splitter.

@pytest.fixture(scope="module")
def strike() -> list[Block]:
    path = DATA / "strike-2024" / "ru.md"
    doc = read_document(path, name="strike-2024", lang="ru", splitter=make_splitter("ru"))
    assert doc.source_text() == path.read_text(encoding="utf-8")
    return list(doc.blocks)


def test_sample_heading(strike: list[Block]) -> None:
    """The title is a level-1 heading of one segment, without its # marker."""
    title = strike[0]
    assert (title.kind, title.level, title.marker, title.line) == (BlockKind.HEADING, 1, "#", 1)
    assert title.msgids == ("Заявление о солидарности с бастующими рабочими",)


def test_sample_emphasis_line_is_one_segment(strike: list[Block]) -> None:
    """The italic line ending in "г." stays one segment with its asterisks."""
    assert strike[1].msgids == ("*Принято на заседании Политсовета 12 марта 2024 г.*",)


def test_sample_two_sentences(strike: list[Block]) -> None:
    """A paragraph of two sentences gives two segments joined by a space."""
    assert strike[2].msgids == (
        "Рабочие литейного цеха завода уже вторую неделю продолжают забастовку.",
        "Они требуют:",
    )
    assert strike[2].joiners == (" ",)


def test_sample_ordered_list(strike: list[Block]) -> None:
    """Ordered list items are LIST_ITEM blocks with their markers and source lines."""
    items = strike[3:6]
    assert [b.kind for b in items] == [BlockKind.LIST_ITEM] * 3
    assert [b.marker for b in items] == ["1.", "2.", "3."]
    assert [b.line for b in items] == [7, 8, 9]
    assert all(b.ordered and b.level == 1 and b.containers == ("ol",) for b in items)
    assert items[0].msgids == ("повышения заработной платы на 30 %;",)
    assert items[0].line_prefix == "   "


def test_sample_link_kept_whole(strike: list[Block]) -> None:
    """"см." before a link does not end a sentence and the link stays intact."""
    assert strike[6].msgids == (
        "Администрация завода отказывается вести переговоры.",
        "Вместо этого она обратилась в суд с иском о признании забастовки незаконной "
        "(см. [решение суда](https://example.org/court/2024-17)).",
    )


def test_sample_quote_with_initials(strike: list[Block]) -> None:
    """The quote is one sentence despite the initials "А. В." and keeps no "> " in its msgid."""
    quote = strike[7]
    assert (quote.kind, quote.level, quote.containers, quote.line_prefix) == (
        BlockKind.QUOTE, 1, ("quote",), "> ")
    assert len(quote.segments) == 1
    assert quote.msgids[0].endswith("комитета А. В. Петров.")
    assert quote.line == 13


def test_sample_bullets_and_abbreviation(strike: list[Block]) -> None:
    """Bullet items keep "ст. 37 Конституции" in one segment."""
    items = [b for b in strike if b.kind is BlockKind.LIST_ITEM and not b.ordered]
    assert [b.marker for b in items] == ["-", "-"]
    assert items[1].msgids == (
        "гарантировать право рабочих на забастовку, закреплённое в ст. 37 Конституции.",)
    assert items[1].line == 20


def test_sample_strong_paragraph(strike: list[Block]) -> None:
    """Bold text keeps its ** delimiters in the msgid."""
    assert strike[-2].msgids == ("**Солидарность — наше оружие!**",)


# Sentence boundaries and inline markup.

@pytest.mark.parametrize(("text", "expected"), [
    ("Run `make. Now` here. Next.", ["Run `make. Now` here.", "Next."]),
    ('See [the. Text](https://x.org/a.b "A. Title") end. Next.',
     ['See [the. Text](https://x.org/a.b "A. Title") end.', "Next."]),
    ("See [the. Text](https://x.org/a.b). Next.",
     ["See [the. Text](https://x.org/a.b).", "Next."]),
    ("Mail <https://x.org/a. b> now. Next.", ["Mail <https://x.org/a.", "b> now.", "Next."]),
    ("Mail <https://x.org/a.b> now. Next.", ["Mail <https://x.org/a.b> now.", "Next."]),
    ("Raw <span title='a. B'>x</span> here. Next.",
     ["Raw <span title='a. B'>x</span> here.", "Next."]),
    ("*One. Two.* Three.", ["*One. Two.*", "Three."]),
    ("One. **Two.** Three.", ["One.", "**Two.**", "Three."]),
    ("One. _Two._ Three.", ["One.", "_Two._", "Three."]),
    ("Start [one. *two*](u). Three.", ["Start [one. *two*](u).", "Three."]),
    ("Alt ![a. B](x.png) here. Next.", ["Alt ![a. B](x.png) here.", "Next."]),
])
def test_no_boundary_inside_markup(text: str, expected: list[str]) -> None:
    """Candidate boundaries inside code, links, autolinks, HTML, images or emphasis are dropped."""
    (block,) = blocks(text + "\n")
    assert list(block.msgids) == expected


def test_reference_link_protected() -> None:
    """A reference link's text is protected like an inline link's."""
    text = "Read [the. Report][r] today. Next.\n\n[r]: https://x.org\n"
    parts, _ = parse(text)
    (block,) = [p for p in parts if isinstance(p, Block)]
    assert block.msgids == ("Read [the. Report][r] today.", "Next.")
    assert parts[-1] == "\n\n[r]: https://x.org\n"


def test_soft_break_becomes_space() -> None:
    """A soft line break is a space in the msgid; the raw text keeps the line break."""
    (block,) = blocks("First line\nsecond line. Third\n")
    assert block.msgids == ("First line second line.", "Third")
    assert block.segments[0].raw == "First line\nsecond line."
    assert [s.line for s in block.segments] == [1, 2]


def test_hard_break_between_sentences() -> None:
    """A backslash hard break between sentences is a "\\n" joiner and the block's mark."""
    (block,) = blocks("Один.\\\nДва.\n")
    assert block.msgids == ("Один.", "Два.")
    assert block.joiners == ("\n",)
    assert block.hard_break == "\\"
    assert block.text() == "Один.\nДва."


def test_hard_break_inside_sentence() -> None:
    """Two trailing spaces inside a sentence become "\\n" in the msgid, marked "  "."""
    (block,) = blocks("Улица Ленина,  \nдом 5.\n")
    assert block.msgids == ("Улица Ленина,\nдом 5.",)
    assert block.hard_break == "  "
    assert block.render(["Lenin Street,\nno. 5."]) == "Lenin Street,  \nno. 5."


def test_default_hard_break_mark() -> None:
    """A block without hard breaks renders new ones with a backslash."""
    (block,) = blocks("Text.\n")
    assert block.hard_break == "\\"


def test_quote_continuation_lines() -> None:
    """A multi-line quote keeps "> " inside its raw text and on rendered continuation lines."""
    text = "> Первая строка.\\\n> Вторая строка.\n"
    parts, _ = parse(text)
    (block,) = [p for p in parts if isinstance(p, Block)]
    assert parts[0] == "> "
    assert block.raw == "Первая строка.\\\n> Вторая строка."
    assert [s.line for s in block.segments] == [1, 2]
    assert block.render(["First line.", "Second line."]) == "First line.\\\n> Second line."


def test_nested_containers() -> None:
    """Nested lists and quotes record their containers, depth and continuation prefix."""
    text = "- outer\n  1. inner\n\n> - quoted item\n>   more\n\n> > deep\n"
    outer, inner, quoted, deep = blocks(text)
    assert (outer.level, outer.containers, outer.marker, outer.line_prefix) == (
        1, ("ul",), "-", "  ")
    assert (inner.level, inner.containers, inner.marker, inner.ordered) == (
        2, ("ul", "ol"), "1.", True)
    assert inner.line_prefix == "     "
    assert (quoted.kind, quoted.containers, quoted.line_prefix) == (
        BlockKind.LIST_ITEM, ("quote", "ul"), ">   ")
    assert quoted.raw == "quoted item\n>   more"
    assert (deep.kind, deep.level, deep.line_prefix) == (BlockKind.QUOTE, 2, "> > ")


def test_second_paragraph_of_item_is_a_paragraph() -> None:
    """Only the first paragraph of a list item is a LIST_ITEM block."""
    first, second = blocks("1. First.\n\n   Second.\n")
    assert first.kind is BlockKind.LIST_ITEM
    assert (second.kind, second.containers, second.line) == (BlockKind.PARAGRAPH, ("ol",), 3)


def test_setext_heading() -> None:
    """A setext heading is a heading of its level; the underline stays literal."""
    parts, _ = parse("Title\nline two\n===\n\nSub\n---\n")
    h1, h2 = [p for p in parts if isinstance(p, Block)]
    assert (h1.kind, h1.level, h1.msgids, h1.marker) == (
        BlockKind.HEADING, 1, ("Title line two",), "=")
    assert h2.level == 2
    assert parts[1] == "\n===\n\n"


def test_atx_heading_closing_sequence_is_literal() -> None:
    """The closing #s of an ATX heading stay outside the block; translation stays one line."""
    parts, _ = parse("## Title. Two ##\n")
    assert parts[0] == "## "
    block = parts[1]
    assert isinstance(block, Block)
    assert block.msgids == ("Title.", "Two")
    assert parts[2] == " ##\n"
    assert "\n" not in block.render(["Заголовок.", "Два"])


def test_literal_blocks() -> None:
    """Code, HTML blocks, thematic breaks and reference definitions are carried through."""
    text = ("Para.\n\n    indented. Code.\n\n```\nfence. Code.\n```\n\n<div>\nhtml. Block.\n"
            "</div>\n\n***\n\n[x]: https://x.org\n")
    parts, _ = parse(text)
    assert [p.msgids for p in parts if isinstance(p, Block)] == [("Para.",)]
    assert parts[-1] == text[len("Para."):]


@pytest.mark.parametrize("front", [
    "---\ntitle: \"Заявление\"\ndate: 2024-03-12\n---\n",
    "---\ntitle: x\n...\n",
    "+++\ntitle = \"x\"\n+++\n",
])
def test_front_matter(front: str) -> None:
    """Front matter at the top is its own literal part and later lines are counted after it."""
    text = front + "\n# Heading\n\nBody. Text.\n"
    parts, found = parse(text)
    assert found == front
    assert parts[0] == front
    heading, body = [p for p in parts if isinstance(p, Block)]
    assert heading.line == front.count("\n") + 2
    assert body.line == front.count("\n") + 4
    assert rebuild(parts) == text


def test_unclosed_front_matter_is_a_thematic_break() -> None:
    """A --- line with no closing line is no front matter."""
    assert split_front_matter("---\ntitle: x\n") == ""
    parts, found = parse("---\nText here.\n")
    assert found == ""
    assert [p.msgids for p in parts if isinstance(p, Block)] == [("Text here.",)]


def test_segment_lines_in_nested_container() -> None:
    """Segment lines count source lines through quotes and list indentation."""
    text = "Intro.\n\n> - one\n>   two. Three\n>   four.\n"
    _, item = blocks(text)
    assert [s.line for s in item.segments] == [3, 4]
    assert item.segments[1].raw == "Three\n>   four."


def test_leading_hard_break_stays_literal() -> None:
    """A hard break before any text stays in the literal; the msgid starts with text."""
    parts, _ = parse("\\\nText.\n")
    assert parts[0] == "\\\n"
    assert [p.msgids for p in parts if isinstance(p, Block)] == [("Text.",)]


def test_no_text_no_block() -> None:
    """A paragraph with nothing to translate (an empty link) stays literal."""
    parts, _ = parse("[](https://x.org)\n")
    assert parts == ("[](https://x.org)\n",)


def test_carriage_return_rejected() -> None:
    """Text with CR line ends (not decoded by read_document) is refused with its line."""
    with pytest.raises(SourceError) as err:
        parse("One.\nTwo.\r\n")
    assert str(err.value).startswith(f"{PATH}:2: contains a carriage return")


# Properties over generated documents.

WORDS = ["Рабочие", "завода", "требуют", "ст. 37", "г.", "А. В. Петров", "strike", "the",
         "см.", "30 %", "Art. 5", "«солидарность»", "—", "e.g.", "co-op"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    markup = draw(st.sampled_from(["", "em", "strong", "under", "code", "link", "auto", "ref"]))
    text = " ".join(words)
    text = {
        "": text,
        "em": f"*{text}*",
        "strong": f"**{text}**",
        "under": f"_{text}_",
        "code": f"`{text}`",
        "link": f"[{text}](https://example.org/a.b?x=1)",
        "auto": f"{text} <https://example.org/{len(words)}>",
        "ref": f"[{text}][r]",
    }[markup]
    return text + draw(st.sampled_from([".", "!", "?", ":", ""]))


@st.composite
def paragraphs(draw: st.DrawFn) -> list[str]:
    """A paragraph as lines (soft or hard breaks between sentences)."""
    lines = [draw(sentences())]
    for sentence in draw(st.lists(sentences(), max_size=3)):
        sep = draw(st.sampled_from([" ", "\n", "\\\n", "  \n"]))
        if sep == " ":
            lines[-1] += " " + sentence
        else:
            lines[-1] += sep[:-1]
            lines.append(sentence)
    return lines


def contain(lines: list[str], first: str, rest: str) -> list[str]:
    return [first + lines[0], *(rest + line if line else line for line in lines[1:])]


@st.composite
def leaf_or_container(draw: st.DrawFn, depth: int = 0) -> list[str]:
    choices = ["para", "heading", "setext", "fence"] + (["quote", "ul", "ol"] if depth < 3 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "para":
        return draw(paragraphs())
    if kind == "heading":
        return ["#" * draw(st.integers(1, 6)) + " " + draw(sentences())]
    if kind == "setext":
        return [*draw(paragraphs()), draw(st.sampled_from(["===", "---"]))]
    if kind == "fence":
        return ["```", "code. Not. Translated.", "```"]
    inner = draw(leaf_or_container(depth + 1))
    if kind == "quote":
        return contain(inner, "> ", "> ")
    marker = "- " if kind == "ul" else "1. "
    items = [contain(inner, marker, " " * len(marker))]
    items += [contain(draw(paragraphs()), marker, " " * len(marker))
              for _ in range(draw(st.integers(0, 2)))]
    return [line for item in items for line in item]


@st.composite
def documents(draw: st.DrawFn) -> str:
    front = draw(st.sampled_from(["", "---\ntitle: x\n---\n", "+++\na = 1\n+++\n"]))
    chunks = ["\n".join(draw(leaf_or_container())) for _ in range(draw(st.integers(1, 5)))]
    end = draw(st.sampled_from(["", "\n", "\n\n"]))
    return front + "\n\n".join(chunks) + end + "\n[r]: https://example.org/ref\n"


def structure(text: str) -> list[tuple[str, ...]]:
    """Block tokens and the inline markup in them (soft breaks and plain text left out)."""
    out: list[tuple[str, ...]] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            out.append(tuple(c.type for c in token.children or ()
                             if c.type not in ("text", "softbreak")))
        else:
            out.append((token.type, token.tag, token.markup))
    return out


SPLITTERS = {"naive": naive_split, "ru": make_splitter("ru")}


@settings(max_examples=300, deadline=None)
@given(documents(), st.sampled_from(sorted(SPLITTERS)))
def test_round_trip(text: str, splitter: str) -> None:
    """Joining the literals and the blocks' raw text gives back the document exactly."""
    parts, _ = parse_markdown(text, splitter=SPLITTERS[splitter], path=PATH)
    assert rebuild(parts) == text
    for block in (p for p in parts if isinstance(p, Block)):
        assert block.render(block.msgids) == block.raw
        assert all(s.msgid == s.msgid.strip() and s.raw in block.raw for s in block.segments)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_rendered_translation_keeps_structure(text: str) -> None:
    """Rendering every block with changed texts gives Markdown of the same structure."""
    parts, _ = parse_markdown(text, splitter=naive_split, path=PATH)
    changed = "".join(p if isinstance(p, str) else p.render([m.upper() for m in p.msgids])
                      for p in parts)
    assert structure(changed) == structure(text)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_segment_lines(text: str) -> None:
    """Each segment's line is the source line where its raw text starts."""
    parts, _ = parse_markdown(text, splitter=naive_split, path=PATH)
    offset = 0
    for part in parts:
        if isinstance(part, str):
            offset += len(part)
            continue
        for segment in part.segments:
            at = text.index(segment.raw, offset)
            assert text.count("\n", 0, at) + 1 == segment.line
            offset = at + len(segment.raw)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aЖ .\n>-*_`[]()<!#\\\t1+=:/\u00a0\u2028", "  \n", "](u)",
                                 "http://x.y", "<a>", "```", "---", "> ", "- ", "1. "]),
                max_size=60))
def test_round_trip_any_text(pieces: list[str]) -> None:
    """Any text, however broken as Markdown, is read back exactly and never raises."""
    text = "".join(pieces)
    parts, _ = parse_markdown(text, splitter=naive_split, path=PATH)
    assert rebuild(parts) == text
