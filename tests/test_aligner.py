"""The sentence aligner: n:m links, paragraph merges and gaps, anchors, linear work."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from diglot.align import Alignment, Lexicon, Link, align_documents, align_many
from diglot.align.dp import banded_path, max_width
from diglot.model import Document, SourceFormat
from diglot.sources import make_splitter, parse_source, read_document


def doc(text: str, lang: str, fmt: SourceFormat = SourceFormat.TXT) -> Document:
    parts, front = parse_source(text, fmt, splitter=make_splitter(lang), path=Path(f"x.{fmt}"))
    return Document(name="x", lang=lang, path=Path(f"x.{fmt}"), format=fmt, parts=parts,
                    front_matter=front)


def pairs(alignment: Alignment, src: Document, tgt: Document) -> list[tuple[str, str]]:
    """Each link as (source sentences joined, target sentences joined)."""
    s, t = src.segments, tgt.segments
    return [(" ".join(s[k].msgid for k in link.source), " ".join(t[k].msgid for k in link.target))
            for link in alignment.links]


def assert_partition(alignment: Alignment, src: Document, tgt: Document) -> None:
    """Every segment of both sides is in exactly one link, in document order."""
    src_seen = [k for link in alignment.links for k in link.source]
    tgt_seen = [k for link in alignment.links for k in link.target]
    assert src_seen == list(range(len(src.segments)))
    assert tgt_seen == list(range(len(tgt.segments)))
    assert all(0.0 <= link.score <= 1.0 for link in alignment.links)


RU = [
    "Рабочие завода в Самаре бастуют уже вторую неделю подряд.",
    "Они требуют повысить зарплату на 30 % и выплатить долги за январь.",
    "Администрация уже 14 дней отказывается вести переговоры.",
    "Вместо этого она обратилась в суд.",
    "Профсоюз заявил, что забастовка продолжится до победы.",
    "Мы призываем всех поддержать бастующих!",
    "Сбор средств в фонд забастовки открыт до конца месяца.",
    "Реквизиты фонда опубликованы на сайте профсоюза.",
    "Следующее собрание состоится в пятницу вечером.",
    "Приходите и приводите товарищей по работе.",
]
EN = [
    "The workers of the plant in Samara have been on strike for the second week running.",
    "They demand a 30% pay rise and payment of the arrears for January.",
    "For 14 days the management has refused to negotiate.",
    "Instead, it has gone to court.",
    "The union said that the strike would continue until victory.",
    "We call on everyone to support the strikers!",
    "The collection for the strike fund is open until the end of the month.",
    "The fund's details are published on the union's website.",
    "The next meeting will be held on Friday evening.",
    "Come and bring your workmates.",
]


def test_one_to_one_paragraphs() -> None:
    """A faithful translation pairs sentence with sentence, confidently."""
    src = doc(" ".join(RU[:3]) + "\n\n" + " ".join(RU[3:6]) + "\n", "ru")
    tgt = doc(" ".join(EN[:3]) + "\n\n" + " ".join(EN[3:6]) + "\n", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert pairs(alignment, src, tgt) == list(zip(RU[:6], EN[:6], strict=True))
    assert alignment.blocks == (((0,), (0,)), ((1,), (1,)))
    assert min(link.score for link in alignment.links) >= 0.5


def test_two_sentences_translated_as_one_and_one_as_two() -> None:
    """2:1 and 1:2 links come out as such."""
    ru = [RU[0], RU[1], "Администрация Петрова отказывается вести переговоры.",
          "Вместо этого она 5 мая обратилась в суд.", RU[4], RU[5]]
    en = [EN[0], EN[1], "Petrov's management refuses to negotiate and on 5 May went to court "
          "instead.", "The union said that the strike would go on.", "It will last until victory.",
          EN[5]]
    src = doc(" ".join(ru) + "\n", "ru")
    tgt = doc(" ".join(en) + "\n", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    shapes = [(len(link.source), len(link.target)) for link in alignment.links]
    assert shapes == [(1, 1), (1, 1), (2, 1), (1, 2), (1, 1)]


def test_merged_and_split_paragraphs() -> None:
    """A translation that merges two paragraphs and splits another is followed block by block."""
    src = doc(f"{RU[0]} {RU[1]}\n\n{RU[2]}\n\n{RU[3]} {RU[4]} {RU[5]}\n", "ru")
    tgt = doc(f"{EN[0]} {EN[1]} {EN[2]}\n\n{EN[3]} {EN[4]}\n\n{EN[5]}\n", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert alignment.blocks == (((0, 1), (0,)), ((2,), (1, 2)))
    assert pairs(alignment, src, tgt) == list(zip(RU[:6], EN[:6], strict=True))


def test_missing_paragraph() -> None:
    """A paragraph the translation left out becomes 1:0 links; the rest still pair up."""
    paragraphs = [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    src = doc("\n\n".join(" ".join(RU[a:b]) for a, b in paragraphs) + "\n", "ru")
    tgt = doc("\n\n".join(" ".join(EN[a:b]) for a, b in paragraphs if a != 2) + "\n", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert alignment.blocks[-3:] == (((2,), (1,)), ((3,), (2,)), ((4,), (3,)))
    assert pairs(alignment, src, tgt) == [
        (r, "" if k in (2, 3) else EN[k]) for k, r in enumerate(RU)]
    dropped = [link for link in alignment.links if not link.target]
    assert all(link.score == 0.0 for link in dropped)


def test_markdown_two_to_one_keeps_markup_together() -> None:
    """Two Markdown sentences translated as one, links and emphasis inside, form one 2:1 link."""
    src = doc("## Наши требования\n\nМы требуем **немедленно** прекратить давление. "
              "Подробности в [решении суда](https://example.org/court). "
              "Мы будем бастовать дальше.\n", "ru", SourceFormat.MD)
    tgt = doc("## Our demands\n\nWe demand an **immediate** end to the pressure, as the "
              "[court decision](https://example.org/court) shows. We will strike on.\n",
              "en", SourceFormat.MD)
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    shapes = [(link.source, link.target) for link in alignment.links]
    assert shapes == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_numbers_are_anchors() -> None:
    """Sentences of equal length are told apart by the numbers and dates they carry."""
    ru = ["Собрание прошло 3 мая 2021 года.", "Голосовали 120 человек.",
          "Против были 45 человек.", "Решение принято 12.06.2022."]
    en = ["The meeting took place on 3 May 2021.", "45 people were against.",
          "The decision was taken on 12 June 2022."]
    src = doc(" ".join(ru) + "\n", "ru")
    tgt = doc(" ".join(en) + "\n", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert pairs(alignment, src, tgt) == [(ru[0], en[0]), (ru[1], ""), (ru[2], en[1]),
                                          (ru[3], en[2])]


def test_work_grows_linearly() -> None:
    """The dynamic programming visits a number of cells proportional to the document's length."""
    unit_ru = "\n\n".join(" ".join(RU[k:k + 2]) for k in range(0, 6, 2))
    unit_en = "\n\n".join(" ".join(EN[k:k + 2]) for k in range(0, 6, 2))
    cells = []
    for times in (5, 40):
        src = doc("\n\n".join([unit_ru] * times) + "\n", "ru")
        tgt = doc("\n\n".join([unit_en] * times) + "\n", "en")
        alignment = align_documents(src, tgt)
        assert_partition(alignment, src, tgt)
        cells.append(alignment.cells / len(src.segments))
    assert cells[1] < 1.3 * cells[0]


def test_work_grows_linearly_in_one_long_paragraph() -> None:
    """A document with no paragraph breaks is aligned in a band too, not over all sentence pairs."""
    split = ["The next meeting will be held on Friday.", "It starts in the evening."]
    en = [*EN[:8], *split, *EN[9:]]  # one sentence translated as two: not a plain 1:1 run
    cells = []
    for times in (5, 40):
        src = doc(" ".join(RU * times) + "\n", "ru")
        tgt = doc(" ".join(en * times) + "\n", "en")
        alignment = align_documents(src, tgt)
        assert_partition(alignment, src, tgt)
        assert [len(link.source) for link in alignment.links] == [1] * 10 * times
        cells.append(alignment.cells / len(src.segments))
    assert cells[0] > 5
    assert cells[1] < 1.3 * cells[0]


def test_band_widens_when_the_path_reaches_its_edge() -> None:
    """A long run of units with no partner (a dropped page) is still found, by widening the band."""
    src_lengths = [10.0] * 60
    tgt_lengths = [10.0] * 30

    def cost(i: int, j: int, di: int, dj: int) -> float:
        if di and dj:
            return 0.0 if i >= 30 and j == i - 30 else 5.0
        return 1.0

    path = banded_path(src_lengths, tgt_lengths, cost, width=2)
    assert [s for s in path.steps if s[2] and s[3]] == [(30 + k, k, 1, 1) for k in range(30)]


def test_lexicon_from_glossary_pairs() -> None:
    """A glossary term links its stems both ways."""
    lexicon = Lexicon.from_pairs([("забастовка", "strike"), ("профсоюз", "trade union")],
                                 source_lang="ru", target_lang="en")
    assert lexicon.translations("забас") == {"strik"}
    assert lexicon.target_image(frozenset({"профс", "xyz"})) == (
        frozenset({"union", "trade"}), frozenset({"профс"}))
    assert lexicon.source_image(frozenset({"union", "xyz"})) == (
        frozenset({"профс"}), frozenset({"union"}))


def test_align_many_matches_align_documents_for_small_batches() -> None:
    """A batch too small to learn from aligns each pair as align_documents does."""
    src = doc(" ".join(RU) + "\n", "ru")
    tgt = doc(" ".join(EN) + "\n", "en")
    assert align_many([(src, tgt)]) == [align_documents(src, tgt)]


def read_sample(data: Path, name: str, ext: str) -> tuple[Document, Document]:
    src = read_document(data / name / f"ru.{ext}", name=name, lang="ru",
                        splitter=make_splitter("ru"))
    tgt = read_document(data / name / f"en.{ext}", name=name, lang="en",
                        splitter=make_splitter("en"))
    return src, tgt


def test_kpk_2015_gives_the_published_pairs(data_dir: Path) -> None:
    """The sample's real pair gives exactly the 15 pairs of its alignment.json, all confident."""
    src, tgt = read_sample(data_dir, "kpk-2015", "txt")
    gold = json.loads((data_dir / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
    expected = [(" ".join(b["ru"]), " ".join(b["en"])) for b in gold["blocks"]]
    expected_pairs = [(r, e) for b in gold["blocks"]
                      for r, e in zip(b["ru"], b["en"], strict=True)]
    assert len(expected_pairs) == 15 and len(expected) == 8
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert pairs(alignment, src, tgt) == expected_pairs
    assert min(link.score for link in alignment.links) >= 0.5


def test_strike_2024_markdown_pairs(data_dir: Path) -> None:
    """The Markdown sample pairs every segment with its published counterpart, confidently."""
    src, tgt = read_sample(data_dir, "strike-2024", "md")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert [(link.source, link.target) for link in alignment.links] == [
        ((k,), (k,)) for k in range(len(src.segments))]
    assert min(link.score for link in alignment.links) >= 0.5


@pytest.mark.parametrize("with_memory", [False, True])
def test_translation_of_another_document_is_doubtful(data_dir: Path, with_memory: bool) -> None:
    """Pairing a statement with the translation of a different one gives mostly low scores.

    Also when the project's memory already holds the statement's own
    translation, whose topic words the other document shares.
    """
    src, _ = read_sample(data_dir, "kpk-2015", "txt")
    _, tgt = read_sample(data_dir, "strike-2024", "md")
    lexicon = None
    if with_memory:
        gold = json.loads((data_dir / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
        memory = [(r, e) for b in gold["blocks"] for r, e in zip(b["ru"], b["en"], strict=True)]
        lexicon = Lexicon.from_pairs(memory, source_lang="ru", target_lang="en")
        own = align_documents(src, read_sample(data_dir, "kpk-2015", "txt")[1], lexicon=lexicon)
        assert min(link.score for link in own.links) >= 0.5
    alignment = align_documents(src, tgt, lexicon=lexicon)
    assert_partition(alignment, src, tgt)
    low = sum(1 for link in alignment.links if link.score < 0.5)
    assert low > 0.8 * len(alignment.links)


def test_link_is_a_frozen_value() -> None:
    """Links compare by value and cannot be changed."""
    link = Link((0,), (0, 1), 0.9)
    assert link == Link((0,), (0, 1), 0.9)
    with pytest.raises(AttributeError):
        link.score = 0.1  # type: ignore[misc]


def test_text_in_the_source_language_is_doubtful(data_dir: Path) -> None:
    """A "translation" that is in the source's own language gets no confident link."""
    src, _ = read_sample(data_dir, "kpk-2015", "txt")
    wrong = read_document(data_dir / "kpk-2015" / "ru-revised.txt", name="kpk-2015", lang="en",
                          splitter=make_splitter("en"))
    alignment = align_documents(src, wrong)
    assert_partition(alignment, src, wrong)
    assert max(link.score for link in alignment.links) < 0.5


def test_lexicon_learned_from_translated_pairs() -> None:
    """Stems that keep occurring together in translated sentences become lexicon entries."""
    fillers_ru = ["город", "завод", "улица", "школа", "больница", "рынок"]
    fillers_en = ["city", "plant", "street", "school", "hospital", "market"]
    pairs = []
    for k in range(30):
        ru = {"забас", fillers_ru[k % 6][:5]} if k % 2 else {fillers_ru[k % 6][:5], "профс"}
        en = {"strik", fillers_en[k % 6][:5]} if k % 2 else {fillers_en[k % 6][:5], "union"}
        pairs.append((frozenset(ru), frozenset(en)))
    lexicon = Lexicon.learn(pairs, source_lang="ru", target_lang="en", max_share=0.6, per_stem=1)
    assert lexicon.translations("забас") == {"strik"}
    assert lexicon.translations("профс") == {"union"}
    assert lexicon.translations("город") == {"city"}


def test_markdown_list_item_left_out() -> None:
    """Headings pair with headings and list items with list items; a dropped item is 1:0."""
    src = doc("# Заявление\n\nРабочие требуют:\n\n- повышения зарплаты на 30 %;\n"
              "- выплаты долгов за 2023 год;\n- прекращения преследования профсоюза.\n\n"
              "Мы поддерживаем их требования.\n", "ru", SourceFormat.MD)
    tgt = doc("# Statement\n\nThe workers demand:\n\n- a 30% pay rise;\n"
              "- an end to the persecution of the union.\n\n"
              "We support their demands.\n", "en", SourceFormat.MD)
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert [(link.source, link.target) for link in alignment.links] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ()), ((4,), (3,)), ((5,), (4,))]
    assert alignment.blocks[3] == ((3,), ())


def test_empty_translation() -> None:
    """An empty translation leaves every source sentence unpaired, with score 0."""
    src = doc(" ".join(RU[:4]) + "\n", "ru")
    tgt = doc("", "en")
    alignment = align_documents(src, tgt)
    assert_partition(alignment, src, tgt)
    assert [(link.source, link.target, link.score) for link in alignment.links] == [
        ((k,), (), 0.0) for k in range(4)]
    assert align_documents(tgt, src).links == tuple(Link((), (k,), 0.0) for k in range(4))


def test_band_stops_widening_for_unrelated_texts() -> None:
    """Two unrelated texts of equal length are searched in a bounded band, not over all pairs."""
    n = 1000

    def cost(i: int, j: int, di: int, dj: int) -> float:
        return 0.0 if (di, dj) in ((1, 0), (0, 1)) else 1.0  # a path hugging the edges

    path = banded_path([10.0] * n, [10.0] * n, cost, width=2)
    assert path.cells < (n + 1) * (4 * max_width(n, n) + 1) * 2
    assert path.cells < (n + 1) ** 2 / 2


@pytest.mark.parametrize("enabled", [True, False])
def test_align_many_restores_the_garbage_collector(enabled: bool) -> None:
    """The batch pauses the cyclic collector and leaves it as it found it, also on an error."""
    src = doc("Первое предложение. Второе предложение.", "ru")
    tgt = doc("The first sentence. The second sentence.", "en")
    seen: list[bool] = []

    class Spy(Lexicon):
        def __len__(self) -> int:
            seen.append(gc.isenabled())
            return super().__len__()

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        spy = Spy({"перво": ["first"]}, source_lang="ru", target_lang="en")
        alignment = align_many([(src, tgt)], lexicon=spy)[0]
        assert [link.target for link in alignment.links] == [(0,), (1,)]
        assert seen and not any(seen)  # paused while aligning
        assert gc.isenabled() is enabled
        with pytest.raises(AttributeError):
            align_many([(src, None)])  # type: ignore[list-item]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
