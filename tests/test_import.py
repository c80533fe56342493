"""Importing published translations: n:m links into msgstrs, the catalog writer, ``diglot align``.

The writer is tested with hand-made alignments (a fixed aligner installed for
the test), so what is checked is the representation, whatever the aligner
decides; ``test_import_real.py`` runs the real aligner on the sample pairs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from diglot import importing
from diglot.importing.placement import place, split_text
from diglot.model import Document, SourceFormat
from diglot.sources import make_splitter, parse_source

Run = Callable[..., int]
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                   reason="GNU gettext missing")


@dataclass(frozen=True)
class FakeLink:
    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class FakeAlignment:
    links: tuple[FakeLink, ...]
    blocks: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()


def doc(text: str, lang: str, fmt: SourceFormat = SourceFormat.TXT, name: str = "d") -> Document:
    parts, front = parse_source(text, fmt, splitter=make_splitter(lang), path=Path(f"{name}.txt"))
    return Document(name=name, lang=lang, path=Path(f"{name}.{fmt.value}"), format=fmt,
                    parts=parts, front_matter=front)


def links(*spec: tuple[Sequence[int], Sequence[int], float]) -> FakeAlignment:
    return FakeAlignment(tuple(FakeLink(tuple(s), tuple(t), score) for s, t, score in spec))


# ---------------------------------------------------------------- placement


def test_two_source_sentences_sharing_one_published_sentence_split_at_a_clause() -> None:
    """2:1: the published sentence is cut at the clause boundary nearest the length ratio."""
    ru = doc("Рабочие бастуют уже вторую неделю. Они требуют повышения зарплаты.", "ru")
    en = doc("The workers have been on strike for two weeks, demanding a pay rise.", "en")
    placed = place(ru, en, links(([0, 1], [0], 0.8)))
    assert [p.text for p in placed] == ["The workers have been on strike for two weeks,",
                                        "demanding a pay rise."]
    assert " ".join(p.text for p in placed) == en.segments[0].msgid
    assert placed[0].comment == ("0.80 2:1 (shares one English sentence with the next entry)")
    # "English" left out where the line would be longer than a PO writer keeps unwrapped
    assert placed[1].comment == "0.80 2:1 (shares one sentence with the previous entry)"


def test_one_source_sentence_holding_two_published_sentences() -> None:
    """1:2: both published sentences go into the one msgstr, with their joiner."""
    ru = doc("Завод стоит, потому что администрация отказывается от переговоров.", "ru")
    en = doc("The plant stands still. The management refuses to negotiate.", "en")
    placed = place(ru, en, links(([0], [0, 1], 0.9)))
    assert [p.text for p in placed] == [en.blocks[0].text()]
    assert placed[0].comment == "0.90 1:2 (holds 2 English sentences)"


def test_an_unmatched_published_sentence_joins_its_neighbour_in_the_same_block() -> None:
    """0:1: a published sentence without a source counterpart is attached, never lost."""
    ru = doc("Первое. Второе.", "ru")
    en = doc("First. An addition. Second.", "en")
    placed = place(ru, en, links(([0], [0], 0.9), ([], [1], 0.4), ([1], [2], 0.95)))
    assert [p.text for p in placed] == ["First. An addition.", "Second."]
    assert placed[0].score == 0.4
    assert "with no source counterpart" in placed[0].note


def test_an_unmatched_published_sentence_at_a_block_start_joins_the_next() -> None:
    """0:1 at the start of a published block goes to the following entry of that block."""
    ru = doc("Первое.\n\nВторое.", "ru")
    en = doc("First.\n\nAn addition. Second.", "en")
    placed = place(ru, en, links(([0], [0], 0.9), ([], [1], 0.6), ([1], [2], 0.9)))
    assert [p.text for p in placed] == ["First.", "An addition. Second."]


def test_a_source_sentence_with_nothing_published_is_left_empty() -> None:
    """1:0: no text, and the note says so."""
    ru = doc("Первое. Второе.", "ru")
    en = doc("First.", "en")
    placed = place(ru, en, links(([0], [0], 0.9), ([1], [], 0.5)))
    assert [p.text for p in placed] == ["First.", ""]
    assert placed[1].shape == "1:0"
    assert "no English counterpart" in placed[1].note


def test_an_alignment_that_skips_a_sentence_is_refused() -> None:
    """The writer refuses an alignment that does not cover both documents exactly once."""
    ru = doc("Первое. Второе.", "ru")
    en = doc("First. Second.", "en")
    with pytest.raises(ValueError, match="cover"):
        place(ru, en, links(([0], [0], 0.9)))


def test_a_split_follows_the_numbers() -> None:
    """Among clause boundaries, the cut that keeps each sentence's numbers with it wins."""
    sources = ["В 2011 году рабочие бастовали, требуя выплат, и их поддержали.",
               "В 2015 году партию запретили."]
    text = "In 2011 the workers struck, demanding payment, and in 2015 the party was banned."
    pieces = split_text(text, sources)
    assert pieces == ["In 2011 the workers struck, demanding payment,",
                      "and in 2015 the party was banned."]


def test_a_split_never_cuts_a_markdown_link_or_quotes() -> None:
    """Brackets, quotes and link text are kept whole, even when the length ratio points inside."""
    sources = ["Суд вынес решение.", "Смотрите решение суда по делу номер семнадцать."]
    text = "The court ruled, see [the decision of the court](https://example.org/c)."
    pieces = split_text(text, sources, fmt=SourceFormat.MD)
    assert pieces == ["The court ruled,", "see [the decision of the court](https://example.org/c)."]


def test_three_source_sentences_over_two_published_ones_cut_between_sentences_first() -> None:
    """3:2: the boundary between the published sentences is used, then a clause."""
    ru = doc("Раз. Два, три. Четыре.", "ru")
    en = doc("One, two. Three, four.", "en")
    placed = place(ru, en, links(([0, 1, 2], [0, 1], 0.7)))
    assert " ".join(p.text for p in placed) == "One, two. Three, four."
    assert all(p.text for p in placed)
    assert placed[0].shape == "3:2"


@st.composite
def _alignment_case(draw: st.DrawFn) -> tuple[Document, Document, FakeAlignment]:
    """Two documents and a random monotone alignment covering both (n:m steps up to 3)."""
    steps = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(
        lambda s: s != (0, 0)), min_size=1, max_size=12))
    if not any(n for n, _ in steps):
        steps.append((1, 0))
    if not any(m for _, m in steps):
        steps.append((0, 1))
    words = st.sampled_from(["alpha", "beta", "gamma, delta", "eps (zeta eta)", "theta;", "iota"])
    ru: list[str] = []
    en: list[str] = []
    spec: list[tuple[list[int], list[int], float]] = []
    for n, m in steps:
        spec.append((list(range(len(ru), len(ru) + n)), list(range(len(en), len(en) + m)),
                     draw(st.floats(0, 1))))
        ru += [f"Предложение номер {len(ru) + k} здесь." for k in range(n)]
        en += [" ".join(draw(st.lists(words, min_size=1, max_size=5))).capitalize() + "."
               for _ in range(m)]
    cut = draw(st.integers(1, len(en)))  # one paragraph break on the published side
    en_text = " ".join(en[:cut]) + ("\n\n" + " ".join(en[cut:]) if en[cut:] else "")
    source, target = doc(" ".join(ru), "ru"), doc(en_text, "en")
    if len(source.segments) != len(ru) or len(target.segments) != len(en):
        reject()
    return source, target, links(*spec)


@settings(max_examples=60)
@given(_alignment_case())
def test_every_published_word_is_placed_once_in_order(
        case: tuple[Document, Document, FakeAlignment]) -> None:
    """Whatever the alignment, the placed texts in source order give back the published words."""
    source, target, alignment = case
    placed = place(source, target, alignment)
    assert [p.index for p in placed] == list(range(len(source.segments)))
    published = " ".join(s.msgid for s in target.segments).split()
    assert " ".join(p.text for p in placed).split() == published


# ---------------------------------------------------------------- the command, fixed aligner


@pytest.fixture
def fixed_aligner(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, FakeAlignment]]:
    """Make the importer's aligner return the alignment given per document name."""
    table: dict[str, FakeAlignment] = {}

    class Lexicon:
        def __init__(self, pairs: list[tuple[str, str]]) -> None:
            self.pairs = pairs

        @classmethod
        def from_pairs(cls, pairs: Iterable[tuple[str, str]], *, source_lang: str,
                       target_lang: str) -> Lexicon:
            return cls(list(pairs))

    def align_many(pairs: Sequence[tuple[Document, Document]], *,
                   lexicon: object = None) -> list[FakeAlignment]:
        return [table[source.name] for source, _ in pairs]

    monkeypatch.setattr(importing, "Lexicon", Lexicon)
    monkeypatch.setattr(importing, "align_many", align_many)
    yield table


MERGES_RU = """\
Заявление

Рабочие бастуют уже вторую неделю. Они требуют повышения зарплаты.

Администрация отказывается от переговоров. Она обратилась в суд.

Мы поддерживаем бастующих и требуем прекратить давление, закреплённое в ст. 37 Конституции.
"""
MERGES_EN = """\
Statement

The workers have been on strike for two weeks, demanding a pay rise. The management refuses \
to negotiate.

It has gone to court. This is a sentence added by the translator.

We support the strikers. We demand an end to the pressure, against Art. 37 of the Constitution.
"""


def _gold_merges() -> FakeAlignment:
    # ru: 0 Заявление | 1 Рабочие… 2 Они… | 3 Администрация… 4 Она… | 5 Мы…
    # en: 0 Statement | 1 The workers… 2 The management… | 3 It has… 4 This is… | 5 We… 6 We…
    return links(([0], [0], 0.99), ([1, 2], [1], 0.9), ([3], [2], 0.92), ([4], [3], 0.88),
                 ([], [4], 0.3), ([5], [5, 6], 0.4))


def _published(root: Path, lang: str, name: str, text: str) -> Path:
    path = root / "published" / lang / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _words(text: str) -> list[str]:
    return re.sub(r"[#*>\-]|\d+\.", " ", text).split()


@needs_gettext
def test_round_trip_with_merges_and_splits(tmp_path: Path, run: Run,
                                           new_project: Callable[..., Path],
                                           fixed_aligner: dict[str, FakeAlignment]) -> None:
    """Import then build gives back the published text word for word, every sentence once."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU}, extra="[align]\nthreshold = 0.25\n")
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "st.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    catalog = polib.pofile(str(po))
    by_id = {e.msgid: e for e in catalog}
    assert by_id["Рабочие бастуют уже вторую неделю."].msgstr == \
        "The workers have been on strike for two weeks,"
    assert "diglot-aligned: 0.90 2:1 (shares one English sentence with the next entry)" in \
        by_id["Рабочие бастуют уже вторую неделю."].tcomment
    assert run(root, "check") == 0
    assert run(root, "build", "--lang", "en") == 0
    built = (root / "editions" / "en" / "st.txt").read_text(encoding="utf-8")
    assert _words(built) == _words(MERGES_EN)
    assert (root / "reports" / "align" / "en" / "st.html").is_file()


def test_below_the_threshold_entries_are_fuzzy_and_listed(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """An entry under ``[align] threshold`` is written fuzzy and printed as path:line."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU}, extra="[align]\nthreshold = 0.5\n")
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align") == 0
    out = capsys.readouterr().out
    po = root / "locales" / "en" / "LC_MESSAGES" / "st.po"
    catalog = polib.pofile(str(po))
    fuzzy = [e for e in catalog if "fuzzy" in e.flags]
    assert [e.msgid for e in fuzzy] == ["Она обратилась в суд.", MERGES_RU.splitlines()[6]]
    lines = [n for n, line in enumerate(po.read_text(encoding="utf-8").split("\n"), 1)
             if line.startswith('msgid "Она обратилась')]
    assert f"low confidence: locales/en/LC_MESSAGES/st.po:{lines[0]}" in out
    assert "1 1:1" not in out and "2 2:1" in out
    page = (root / "reports" / "align" / "en" / "st.html").read_text(encoding="utf-8")
    assert "IMPORT REVIEW — not an edition." in page and "2 doubtful (written fuzzy)" in page
    assert "DRAFT — not for publication" not in page


def test_reviewed_translations_survive_an_import(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewed entry keeps its text; the ones that differ from the published text are counted."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    assert run(root, "extract") == 0 and run(root, "update") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "st.po"
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid == "Заявление":
            entry.msgstr = "Declaration"
        if entry.msgid == "Она обратилась в суд.":
            entry.msgstr = "Machine text."
            entry.flags = ["fuzzy"]
            entry.tcomment = "diglot-draft: deepl 2026-11-27"
    catalog.save()
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    capsys.readouterr()
    assert run(root, "align") == 0
    out = capsys.readouterr().out
    by_id = {e.msgid: e for e in polib.pofile(str(po))}
    assert by_id["Заявление"].msgstr == "Declaration"
    assert by_id["Она обратилась в суд."].msgstr == \
        "It has gone to court. This is a sentence added by the translator."
    assert "diglot-draft" not in by_id["Она обратилась в суд."].tcomment
    assert "1 reviewed entries kept, 1 of them differ from the published text" in out


def test_a_translation_of_another_document_is_refused_unless_forced(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """Most pairs below the threshold: nothing is written, exit 5; --force imports anyway."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = links(([0], [0], 0.2), ([1, 2], [1], 0.1), ([3], [2], 0.2),
                                ([4], [3, 4], 0.9), ([5], [5, 6], 0.1))
    assert run(root, "align") == 5
    assert "4 of 5 sentence pairs are below the threshold" in capsys.readouterr().out
    assert not (root / "locales" / "en" / "LC_MESSAGES" / "st.po").exists()
    assert run(root, "align", "--force") == 0
    assert (root / "locales" / "en" / "LC_MESSAGES" / "st.po").is_file()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "holds no text"),
    ("Рабочие бастуют уже вторую неделю.\n".encode(), "is not English text"),
    (b"The workers \xe9 strike.\n", "not valid UTF-8"),
])
def test_damaged_published_files_get_a_clear_answer(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str],
        content: bytes, message: str) -> None:
    """Empty, wrong-language and non-UTF-8 files are refused with path (and line), exit 3."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    path = root / "published" / "en" / "st.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert run(root, "align") == 3
    out = capsys.readouterr().out
    assert "refused: published/en/st.txt" in out and message in out
    assert not (root / "locales" / "en" / "LC_MESSAGES" / "st.po").exists()


def test_a_file_for_an_unknown_document_names_the_choices(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """``diglot align FILE`` infers the document from the name and says when there is none."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU, "other.txt": MERGES_RU})
    path = _published(root, "en", "sst.txt", MERGES_EN)
    assert run(root, "align", str(path)) == 2
    assert "did you mean 'st'?" in capsys.readouterr().err


def test_threshold_is_validated(tmp_path: Path, run: Run, new_project: Callable[..., Path],
                                capsys: pytest.CaptureFixture[str]) -> None:
    """``[align] threshold`` outside 0–1 is a configuration error naming the line."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU}, extra="[align]\nthreshold = 5\n")
    assert run(root, "align") == 2
    assert "diglot.toml:4: 'threshold' must be between 0 and 1" in capsys.readouterr().err


# ---------------------------------------------------------------- an archive into memory


def test_an_archive_becomes_a_memory_that_translate_reuses(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """``--tmx`` pairs files by name into a TMX 1.4b, touching no catalog; translate uses it."""
    etree = pytest.importorskip("lxml.etree")
    root = new_project(tmp_path, docs={"new.txt": "Заявление\n\nОна обратилась в суд.\n"},
                       extra='[translate]\nmemory_files = ["memory.tmx"]\n')
    for lang, text in (("ru", MERGES_RU), ("en", MERGES_EN)):
        (root / "archive" / lang).mkdir(parents=True)
        (root / "archive" / lang / "st.txt").write_text(text, encoding="utf-8")
    (root / "archive" / "ru" / "lonely.txt").write_text("Одно.\n", encoding="utf-8")
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align", "--lang", "en", "--tmx", "memory.tmx", "archive/ru",
               "archive/en") == 0
    out = capsys.readouterr().out
    assert "unpaired: archive/ru/lonely.txt" in out
    # 0.3 (the 1:1 with an added sentence) and 0.4 (1:2) are below the default 0.5
    assert "4 sentence pairs from 1 documents; 2 pairs below the threshold 0.50 left out" in out
    assert not (root / "locales" / "en").exists()
    tree = etree.parse(str(root / "memory.tmx"))
    dtd = etree.DTD(str(Path(__file__).parent / "data" / "tmx" / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    segs = [["".join(s.itertext()) for s in tu.iter("seg")] for tu in tree.iter("tu")]
    assert segs[0] == ["Заявление", "Statement"]
    assert ["Они требуют повышения зарплаты.", "demanding a pay rise."] in segs
    assert run(root, "extract") == 0 and run(root, "update") == 0
    assert run(root, "translate") == 0
    by_id = {e.msgid: e for e in polib.pofile(str(root / "locales/en/LC_MESSAGES/new.po"))}
    assert by_id["Заявление"].msgstr == "Statement"
    assert "diglot-draft: memory" in by_id["Заявление"].tcomment


MD_RU = """\
# Заявление

Администрация отказывается вести переговоры. Она обратилась в суд (см. [решение суда](https://example.org/c)).

- **Солидарность** — наше *оружие*! Мы победим!
"""
MD_EN = """\
# Statement

The management refuses to negotiate and has gone to court (see the [court decision](https://example.org/c)).

- **Solidarity** is our *weapon*, and we will win!
"""


@needs_gettext
def test_markdown_markup_across_a_two_to_one_merge(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment]) -> None:
    """Links and emphasis stay whole in one piece of a shared sentence; build gives them back."""
    root = new_project(tmp_path, docs={"st.md": MD_RU})
    _published(root, "en", "st.md", MD_EN)
    fixed_aligner["st"] = links(([0], [0], 0.99), ([1, 2], [1], 0.8), ([3, 4], [2], 0.8))
    assert run(root, "align") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "st.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    by_id = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    assert by_id["**Солидарность** — наше *оружие*!"] == "**Solidarity** is our *weapon*,"
    assert by_id["Мы победим!"] == "and we will win!"
    court = by_id["Она обратилась в суд (см. [решение суда](https://example.org/c))."]
    assert court.endswith("(see the [court decision](https://example.org/c)).")
    assert run(root, "check") == 0
    assert run(root, "build", "--lang", "en") == 0
    assert (root / "editions" / "en" / "st.md").read_text(encoding="utf-8") == MD_EN


@needs_gettext
def test_the_aligned_mark_survives_msgmerge_and_update(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment]) -> None:
    """``# diglot-aligned: …`` is a translator comment: GNU msgmerge and diglot update keep it."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align", "--no-review") == 0
    assert not (root / "reports").exists()
    po = root / "locales" / "en" / "LC_MESSAGES" / "st.po"
    merged = subprocess.run(["msgmerge", "--quiet", "-o", "-", str(po),
                             str(root / "locales" / "st.pot")],
                            check=True, capture_output=True, text=True).stdout
    comments = {e.msgid: e.tcomment for e in polib.pofile(merged)}
    assert comments["Заявление"] == "diglot-aligned: 0.99"
    assert comments["Она обратилась в суд."] == \
        "diglot-aligned: 0.30 1:2 (holds 2 sentences; 1 with no source counterpart)"
    assert run(root, "update") == 0
    assert po.read_text(encoding="utf-8").count("# diglot-aligned: ") == 6


def test_batch_mode_skips_published_files_without_a_source(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """``diglot align`` imports what has a source and names the published files that have none."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    _published(root, "en", "st.txt", MERGES_EN)
    _published(root, "en", "gone.md", "# Gone\n")
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align", "--no-review") == 0
    out = capsys.readouterr().out
    assert "skipped   published/en/gone.md: no source document 'gone' in source/ru/" in out
    assert "wrote     locales/en/LC_MESSAGES/st.po from published/en/st.txt" in out


def test_a_broken_glossary_stops_the_import_with_its_line_and_hint(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """The glossary the aligner learns from is read as 'diglot check' reads it: a line without
    a translation stops the import at that line, with the same hint, and nothing is written."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    _published(root, "en", "st.txt", MERGES_EN)
    (root / "glossary").mkdir()
    (root / "glossary" / "ru-en.tsv").write_text("суд\tcourt\nзабастовка\n", encoding="utf-8")
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align", "--no-review") == 2
    assert capsys.readouterr().err == (
        "error: glossary/ru-en.tsv:2: this line has no translation for 'забастовка' — write the "
        "term, a tab, then its translation\n")
    assert not (root / "locales" / "en").exists()


def test_status_counts_aligned_entries_apart(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """Entries imported below the threshold are their own column, not machine drafts."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    _published(root, "en", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align", "--no-review") == 0
    capsys.readouterr()
    assert run(root, "status", "--json") == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["segments"]["aligned"] == 2 and row["segments"].get("machine draft", 0) == 0


def test_a_catalog_that_cannot_be_written_stops_the_batch_with_nothing_written(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], capsys: pytest.CaptureFixture[str]) -> None:
    """The templates, catalogs and review pages of a batch are written together (one sync):
    a catalog that cannot be replaced stops the run before any file of the batch is."""
    root = new_project(tmp_path, docs={"a.txt": MERGES_RU, "b.txt": MERGES_RU})
    assert run(root, "extract") == 0 and run(root, "update") == 0
    for name in ("a", "b"):
        _published(root, "en", f"{name}.txt", MERGES_EN)
        fixed_aligner[name] = _gold_merges()
    folder = root / "locales" / "en" / "LC_MESSAGES"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "b.po").chmod(0o444)  # diglot leaves a read-only file alone, root or not
    assert run(root, "align") == 3  # a file diglot may not write
    assert "locales/en/LC_MESSAGES/b.po" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # a.po untouched too
    assert not [p for p in root.rglob("*") if p.is_file() and
                (p.suffix in (".html", ".tmp") or "reports" in p.parts)]


def test_a_document_imported_in_two_languages_stages_its_template_once(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment], monkeypatch: pytest.MonkeyPatch) -> None:
    """One batch, two languages, no template yet: the template is written once, not once per
    language (the second comparison used to read the file the batch had not yet written)."""
    from diglot.fileio import WriteBatch

    root = new_project(tmp_path, targets=("en", "de"), docs={"st.txt": MERGES_RU},
                       extra="[align]\nthreshold = 0.25\n")
    _published(root, "en", "st.txt", MERGES_EN)
    _published(root, "de", "st.txt", MERGES_EN)
    fixed_aligner["st"] = _gold_merges()
    staged: list[Path] = []
    real = WriteBatch.write_text

    def recorded(self: WriteBatch, path: Path, text: str) -> bool:
        staged.append(path)
        return real(self, path, text)

    monkeypatch.setattr(WriteBatch, "write_text", recorded)
    assert run(root, "align", "--no-review", "--force") == 0
    assert [p.name for p in staged].count("st.pot") == 1
    assert (root / "locales" / "de" / "LC_MESSAGES" / "st.po").is_file()
