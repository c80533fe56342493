"""Reading plain-text statements into blocks and segments."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diglot.errors import SourceError
from diglot.model import BlockKind
from diglot.sources import decode_source, make_splitter, read_document
from diglot.sources.text import parse_text

RU = make_splitter("ru")


def test_blocks_are_separated_by_blank_lines_and_soft_breaks_become_spaces() -> None:
    """Line breaks inside a prose block are soft: the segment reads as one line."""
    text = ("Заголовок\n\nПервое предложение идёт\nдальше по строке, которая длинная. Второе "
            "предложение.\n")
    parts = parse_text(text, splitter=RU)
    blocks = [p for p in parts if not isinstance(p, str)]
    assert [b.kind for b in blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH]
    assert blocks[1].msgids == (
        "Первое предложение идёт дальше по строке, которая длинная.", "Второе предложение.")
    assert [s.line for s in blocks[1].segments] == [3, 4]


def test_short_lines_keep_their_breaks() -> None:
    """A signature or address block keeps its line breaks inside the segment."""
    text = "Текст заявления длинный и важный.\n\nПолитсовет ЦК\nМосква\n"
    blocks = [p for p in parse_text(text, splitter=RU) if not isinstance(p, str)]
    assert blocks[1].kind is BlockKind.LINES
    assert blocks[1].msgids == ("Политсовет ЦК\nМосква",)
    assert blocks[1].render(["Political Council\nMoscow"]) == "Political Council\nMoscow"


def test_translated_block_is_joined_on_one_line() -> None:
    """A translated prose block is not rewrapped: its sentences join with a space."""
    text = "Первое предложение\nпродолжается здесь, на второй строке текста. Второе.\n"
    block = next(p for p in parse_text(text, splitter=RU) if not isinstance(p, str))
    assert block.render(["First.", "Second."]) == "First. Second."


def test_kpk_segments_match_the_gold_alignment(data_dir: Path) -> None:
    """kpk-2015.txt gives exactly the gold sentences of alignment.json, block by block."""
    import json

    gold = json.loads((data_dir / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
    doc = read_document(data_dir / "kpk-2015" / "ru.txt", name="kpk-2015", lang="ru",
                        splitter=RU)
    assert [list(b.msgids) for b in doc.blocks] == [b["ru"] for b in gold["blocks"]]


def test_bom_and_crlf_are_accepted() -> None:
    """A UTF-8 BOM is dropped and CRLF line ends read as LF."""
    assert decode_source("\ufeffА.\r\nБ.\r\n".encode(), Path("x.txt")) == "А.\nБ.\n"


def test_non_utf8_is_an_error_naming_the_line() -> None:
    """A cp1251 file is rejected with its file name, line and how to convert it."""
    data = "Строка один\nСтрока два\n".encode("cp1251")
    with pytest.raises(SourceError) as err:
        decode_source(data, Path("source/ru/a.txt"))
    assert str(err.value).startswith("source/ru/a.txt:1: not valid UTF-8")
    assert "iconv" in str(err.value)


def test_unsupported_extension_is_an_error(tmp_path: Path) -> None:
    """Only .txt and .md are sources."""
    path = tmp_path / "a.docx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match="unsupported source format"):
        read_document(path, name="a", lang="ru", splitter=RU)


_words = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяАБВГД0123456789", min_size=1,
                 max_size=8)
_sentence = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(_words, min_size=1, max_size=6),
                      st.sampled_from([".", "!", "?", "", "…"]))
_block = st.builds(lambda ss, sep: sep.join(ss), st.lists(_sentence, min_size=1, max_size=4),
                   st.sampled_from([" ", "\n", "  "]))
_document = st.builds(lambda bs, gap, end: gap.join(bs) + end,
                      st.lists(_block, min_size=1, max_size=5),
                      st.sampled_from(["\n\n", "\n\n\n", "\n \n"]), st.sampled_from(["", "\n"]))


@given(_document)
def test_skeleton_gives_back_the_source(text: str) -> None:
    """Joining the skeleton's literals and blocks gives back the text exactly."""
    parts = parse_text(text, splitter=RU)
    assert "".join(p if isinstance(p, str) else p.raw for p in parts) == text
    assert "".join(p if isinstance(p, str) else p.render(p.msgids) for p in parts) == text


@given(_document)
def test_segments_joined_give_back_the_text(text: str) -> None:
    """A document's segments, joined, hold every word of its text in order."""
    parts = parse_text(text, splitter=RU)
    joined = " ".join(s.msgid for p in parts if not isinstance(p, str) for s in p.segments)
    assert joined.split() == text.split()
