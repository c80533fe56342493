"""The translation memory: reviewed entries, TMX files and PO compendia offered as drafts."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from diglot.catalogs import draft_origin, read_catalog
from diglot.engines.base import Batch, Draft
from diglot.engines.memory import MemoryEngine, MemoryUnit, TranslationMemory, same_language
from diglot.errors import ConfigError
from diglot.model import EntryState
from diglot.pofile import parse_catalog
from diglot.project import Project
from fake_deepl import FakeDeepL

Run = Callable[..., int]
REVIEWED = {
    "Рабочие продолжают забастовку.": "Die Arbeiter setzen den Streik fort.",
    "Администрация отказывается вести переговоры.": "Die Verwaltung verweigert Verhandlungen.",
}


@pytest.fixture
def memory_project(new_project: Callable[..., Path], tmp_path: Path, run: Run) -> Path:
    """Document a.txt reviewed in German; b.txt repeats one sentence and nearly repeats another."""
    root = new_project(tmp_path, targets=("de",), docs={
        "a.txt": "Рабочие продолжают забастовку. Администрация отказывается вести переговоры.\n",
        "b.txt": "Рабочие продолжают забастовку.\n\n"
                 "Администрация отказывается вести переговоры!\n\n"
                 "Совсем другое предложение.\n",
    })
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    path = root / "locales" / "de" / "LC_MESSAGES" / "a.po"
    po = read_catalog(path)
    for entry in po:
        entry.msgstr = REVIEWED[entry.msgid]
    path.write_text(str(po), encoding="utf-8")
    return root


def entries(root: Path, doc: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in read_catalog(root / "locales" / "de" / "LC_MESSAGES" /
                                             f"{doc}.po")}


def test_exact_and_close_matches_become_marked_drafts(memory_project: Path, run: Run) -> None:
    """An identical sentence is offered at 100 %, a close one with its score and its old source."""
    assert run(memory_project, "translate") == 0
    b = entries(memory_project, "b")
    exact = b["Рабочие продолжают забастовку."]
    assert exact.msgstr == "Die Arbeiter setzen den Streik fort."
    assert "fuzzy" in exact.flags
    assert draft_origin(exact) == "memory 2025-11-27 100%"
    close = b["Администрация отказывается вести переговоры!"]
    assert close.msgstr == "Die Verwaltung verweigert Verhandlungen."
    assert "fuzzy" in close.flags
    origin = draft_origin(close)
    assert origin is not None and origin.startswith("memory 2025-11-27 9")
    assert close.previous_msgid == "Администрация отказывается вести переговоры."
    other = b["Совсем другое предложение."]
    assert other.msgstr == "" and draft_origin(other) is None
    a = entries(memory_project, "a")
    assert all("fuzzy" not in e.flags and not draft_origin(e) for e in a.values())
    if shutil.which("msgfmt"):
        for doc in ("a", "b"):
            path = memory_project / "locales" / "de" / "LC_MESSAGES" / f"{doc}.po"
            done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)],
                                  capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stderr


def test_a_deleted_sentences_reviewed_translation_stays_in_memory(memory_project: Path,
                                                                  run: Run) -> None:
    """A reviewed entry made obsolete (its sentence deleted from the source) is still offered,
    after the live ones, as the module promises."""
    (memory_project / "source" / "ru" / "a.txt").write_text("Рабочие продолжают забастовку.\n",
                                                             encoding="utf-8")
    assert run(memory_project, "extract") == 0
    assert run(memory_project, "update") == 0
    a = read_catalog(memory_project / "locales" / "de" / "LC_MESSAGES" / "a.po")
    gone = [e for e in a if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in gone] == [("Администрация отказывается вести переговоры.",
                                                    "Die Verwaltung verweigert Verhandlungen.")]
    assert run(memory_project, "translate") == 0
    close = entries(memory_project, "b")["Администрация отказывается вести переговоры!"]
    assert close.msgstr == "Die Verwaltung verweigert Verhandlungen."
    assert close.previous_msgid == "Администрация отказывается вести переговоры."


def test_similarity_threshold_is_configurable(memory_project: Path, run: Run) -> None:
    """With memory_similarity = 99 only the identical sentence gets a draft."""
    config = memory_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "\n[translate]\nmemory_similarity = 99\n", encoding="utf-8")
    assert run(memory_project, "translate", "--engine", "memory") == 0
    b = entries(memory_project, "b")
    assert b["Рабочие продолжают забастовку."].msgstr
    assert b["Администрация отказывается вести переговоры!"].msgstr == ""


def test_memory_needs_no_key_and_no_network(memory_project: Path, run: Run,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The memory engine runs with no DEEPL_AUTH_KEY and DEEPL_SERVER_URL pointing nowhere."""
    os.environ.pop("DEEPL_AUTH_KEY", None)
    with socket.socket() as s:  # a port nothing listens on: any connection would be refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ["DEEPL_SERVER_URL"] = f"http://127.0.0.1:{port}"
    try:
        assert run(memory_project, "translate", "--engine", "memory") == 0
    finally:
        os.environ.pop("DEEPL_SERVER_URL", None)
    assert "drafts: 2 memory" in capsys.readouterr().out




def test_deepl_is_asked_only_what_memory_lacks(memory_project: Path, run: Run,
                                               fake_deepl: FakeDeepL) -> None:
    """With the DeepL engine, memory drafts come first and only the rest is sent."""
    assert run(memory_project, "translate", "--engine", "deepl") == 0
    assert fake_deepl.texts_sent == ["Совсем другое предложение."]
    b = entries(memory_project, "b")
    assert draft_origin(b["Совсем другое предложение."]) == "deepl 2025-11-27"
    assert draft_origin(b["Рабочие продолжают забастовку."]) == "memory 2025-11-27 100%"


def write_tmx(path: Path) -> None:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ru-RU" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" '
        'creationtool="x" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="ru-RU"><seg>Совсем другое предложение.</seg></tuv>'
        '<tuv xml:lang="de-DE"><seg>Ein ganz <ph>*</ph>anderer Satz.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Quite another sentence.</seg></tuv></tu>'
        "</body></tmx>\n", encoding="utf-8")


def test_tmx_and_compendium_from_config(memory_project: Path, run: Run) -> None:
    """TMX units and reviewed compendium entries for the target language are in the memory."""
    write_tmx(memory_project / "old.tmx")
    compendium = polib.POFile()
    compendium.metadata = {"Language": "de", "Content-Type": "text/plain; charset=UTF-8"}
    compendium.append(polib.POEntry(msgid="Совсем другое предложение.", msgstr="Verloren."))
    compendium.save(str(memory_project / "compendium.po"))
    config = memory_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[translate]\nmemory_files = '
                      '["old.tmx", "compendium.po"]\n', encoding="utf-8")
    assert run(memory_project, "translate") == 0
    b = entries(memory_project, "b")
    assert b["Совсем другое предложение."].msgstr == "Ein ganz *anderer Satz."


def test_compendium_language_is_checked(memory_project: Path) -> None:
    """A compendium for another language is skipped; one without Language is an error."""
    from diglot.engines.memory import load_memory

    compendium = polib.POFile()
    compendium.metadata = {"Language": "fr"}
    compendium.append(polib.POEntry(msgid="Совсем другое предложение.", msgstr="Autre."))
    compendium.save(str(memory_project / "fr.po"))
    config = memory_project / "diglot.toml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + '\n[translate]\nmemory_files = ["fr.po"]\n', encoding="utf-8")
    memory = load_memory(Project.load(memory_project), "de")
    assert memory.exact("Совсем другое предложение.") is None
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8"}  # a header, no Language
    compendium.save(str(memory_project / "fr.po"))
    with pytest.raises(ConfigError, match="no Language header"):
        load_memory(Project.load(memory_project), "de")
    config.write_text(base + '\n[translate]\nmemory_files = ["missing.tmx"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'missing\.tmx' not found") as caught:
        load_memory(Project.load(memory_project), "de")
    assert caught.value.path == memory_project / "diglot.toml"


def test_closest_match_scores() -> None:
    """Only an identical sentence scores 100; a close one is capped at 99; a distant one is none."""
    memory = TranslationMemory([MemoryUnit("Мы требуем от властей:", "We demand:", "x"),
                                MemoryUnit("Мы требуем от властей:", "ignored", "y")])
    assert memory.closest("Мы требуем от властей:", similarity=85) == (
        MemoryUnit("Мы требуем от властей:", "We demand:", "x"), 100)
    found = memory.closest("Мы требуем от властей!", similarity=85)
    assert found is not None and 85 <= found[1] <= 99
    assert memory.closest("Совсем другое.", similarity=85) is None
    engine = MemoryEngine(memory, similarity=85, date="2026-01-01")
    results = engine.translate(Batch("ru", "en", ("Мы требуем от властей!", "Нет.")))
    assert isinstance(results[0], Draft) and results[0].match == "Мы требуем от властей:"
    assert results[1] is None


def test_language_tags_match_by_base() -> None:
    """``pt`` matches ``pt-BR`` and ``de_DE`` matches ``de``; ``pt-PT`` does not match ``pt-BR``."""
    assert same_language("de_DE", "de")
    assert same_language("pt", "pt-BR")
    assert not same_language("pt-PT", "pt-BR")
    assert not same_language("", "de")


# -- the candidate index against a scan of every source

_WORDS = ["рабочие", "завод", "забастовка", "профсоюз", "требует", "повышения", "зарплаты",
          "администрация", "отказывается", "переговоры", "в", "и", "на", "городе", "Самаре",
          "Омске", "1997", "2015", "25", "%", "митинг", "пикет", "суд", "решение", "против"]


def _sentence(draw: st.DrawFn, min_size: int = 1) -> list[str]:
    return draw(st.lists(st.sampled_from(_WORDS), min_size=min_size, max_size=16))


@st.composite
def _memory_and_queries(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    sources = [" ".join(_sentence(draw, draw(st.sampled_from((1, 10))))) + "."
               for _ in range(draw(st.integers(1, 25)))]
    queries = []
    for _ in range(draw(st.integers(1, 6))):
        words = draw(st.sampled_from(sources)).rstrip(".").split(" ")
        edits = draw(st.integers(0, 1 if len(words) >= 10 or len(words) < 5 else 0))
        for _ in range(edits):  # replace, insert or delete one word
            at = draw(st.integers(0, len(words) - 1))
            kind = draw(st.sampled_from(("replace", "insert", "delete")))
            if kind == "replace":
                words[at] = draw(st.sampled_from(_WORDS))
            elif kind == "insert":
                words.insert(at, draw(st.sampled_from(_WORDS)))
            elif len(words) > 1:
                del words[at]
        queries.append(" ".join(words) + ".")
    queries.append(" ".join(_sentence(draw)) + ".")  # and an unrelated sentence
    queries.append(" ".join(_sentence(draw)[:5]) + ".")  # and a short one
    return sources, queries


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_memory_and_queries(), st.sampled_from((75, 85, 95)))
def test_index_offers_what_a_full_scan_offers(case: tuple[list[str], list[str]],
                                             similarity: int) -> None:
    """A sentence with one word edited, or a short one, gets the match a full scan gets."""
    sources, queries = case
    memory = TranslationMemory(MemoryUnit(s, f"T:{s}", "m") for s in sources)
    *edited, unrelated, short = queries
    for query in [*edited, short]:
        assert memory.closest(query, similarity=similarity) == \
            memory.closest_exhaustive(query, similarity=similarity)
    found = memory.closest(unrelated, similarity=similarity)
    if found is not None:  # an unrelated sentence may get a match, never a wrong score
        assert memory.closest_exhaustive(unrelated, similarity=similarity) is not None
        assert found[1] == fuzz_score(unrelated, found[0].source)


def fuzz_score(a: str, b: str) -> int:
    return min(99, int(fuzz.ratio(a, b))) if a != b else 100


def test_index_ties_go_to_the_earlier_unit() -> None:
    """Two sources equally close: the one first in the memory is offered, as a full scan does."""
    memory = TranslationMemory([
        MemoryUnit("Рабочие завода требуют повышения зарплаты в Омск.", "first", "a.po"),
        MemoryUnit("Рабочие завода требуют повышения зарплаты в Туле.", "second", "b.po"),
    ])
    query = "Рабочие завода требуют повышения зарплаты в Баня."
    found = memory.closest(query, similarity=80)
    assert found is not None and found[0].target == "first"
    assert found == memory.closest_exhaustive(query, similarity=80)


def _one_tier(memory: TranslationMemory, text: str, similarity: int) -> float | None:
    """The best score the index found before its tiers: every source sharing one of the six
    rarest runs (then of the next six) at once, and the short sources that fit the length."""
    from diglot.engines import memory_search as m

    if memory.exact(text) is not None:
        return 100.0
    low, high = m.length_bounds(len(text), similarity)
    fits = [i for i, s in enumerate(memory._sources) if low <= len(s) <= high]
    if len(m.WORD.findall(text)) < m.FEW:
        rounds = [fits]
    else:
        index = memory._postings(m.cut_words(text))
        assert set(index) == set(m.index_keys(text)) & set(index)
        keys = sorted(index, key=lambda k: (len(index[k]), k))
        short = [i for i in fits if len(m.WORD.findall(memory._sources[i])) < m.FEW]
        rounds = [sorted({*short, *(i for k in keys[:6] for i in index[k])}),
                  sorted({i for k in keys[6:12] for i in index[k]})]
    for rows in rounds:
        scores = [fuzz.ratio(text, memory._sources[i]) for i in rows]
        if any(score >= similarity for score in scores):
            return max(scores)
    return None


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_memory_and_queries(), st.sampled_from((75, 85, 95)))
def test_tiers_offer_a_draft_exactly_where_one_tier_did(case: tuple[list[str], list[str]],
                                                       similarity: int) -> None:
    """Comparing the sources that share the most runs first changes at most which close
    source a draft comes from, never whether a sentence gets one."""
    sources, queries = case
    memory = TranslationMemory(MemoryUnit(s, f"T:{s}", "m") for s in sources)
    for query in queries:
        found = memory.closest(query, similarity=similarity)
        before = _one_tier(memory, query, similarity)
        assert (found is None) == (before is None)
        if found is not None and before is not None:
            assert similarity <= found[1] <= max(99, int(before))


def test_memory_run_reads_each_catalog_once(memory_project: Path, run: Run,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The memory, the slots and the final status share one read of each catalog: polib
    entries for one that has entries to draft, records for one that has none.

    The status printed at the end counts the catalogs the run holds: it names
    what is still untranslated as ``diglot status`` reads it from disk after.
    """
    import diglot.drafts.slots
    import diglot.engines.memory
    from diglot.pofile import CatalogRecords, read_records
    from diglot.status import project_status

    read: list[Path] = []
    as_records: list[Path] = []

    def counting(path: Path) -> polib.POFile:
        read.append(path)
        return read_catalog(path)

    def counting_parse(text: str, *, path: Path) -> polib.POFile:
        read.append(path)
        return parse_catalog(text, path=path)

    def counting_records(path: Path, *, cache: Path | None = None) -> CatalogRecords:
        as_records.append(path)
        return read_records(path, cache=cache)

    monkeypatch.setattr(diglot.drafts.slots, "parse_catalog", counting_parse)
    monkeypatch.setattr(diglot.drafts.slots, "read_records", counting_records)
    monkeypatch.setattr(diglot.engines.memory, "read_catalog", counting)
    assert run(memory_project, "translate", "--engine", "memory") == 0
    folder = memory_project / "locales" / "de" / "LC_MESSAGES"
    assert read == [folder / "b.po"]  # a.po is reviewed: nothing to draft
    assert as_records == [folder / "a.po"]
    out = capsys.readouterr().out
    rows = project_status(Project.load(memory_project))
    left = [f"still untranslated: {r.doc} ({r.lang}) {r.segments[EntryState.UNTRANSLATED]}"
            for r in rows if r.segments.get(EntryState.UNTRANSLATED, 0)]
    assert left == ["still untranslated: b (de) 1"]
    assert [ln for ln in out.splitlines() if ln.startswith("still untranslated")] == left


def test_memory_loader_takes_catalogs_already_read(memory_project: Path) -> None:
    """A catalog passed in by path is used as given, not read from disk again."""
    from diglot.engines.memory import load_memory

    path = memory_project / "locales" / "de" / "LC_MESSAGES" / "a.po"
    held = read_catalog(path)
    for entry in held:
        entry.msgstr = "gehalten: " + entry.msgstr
    memory = load_memory(Project.load(memory_project), "de", catalogs={path: held})
    unit = memory.exact("Рабочие продолжают забастовку.")
    assert unit is not None and unit.target == "gehalten: Die Arbeiter setzen den Streik fort."
    unit = load_memory(Project.load(memory_project), "de").exact("Рабочие продолжают забастовку.")
    assert unit is not None and unit.target == "Die Arbeiter setzen den Streik fort."


def test_memory_engine_imports_no_client(tmp_path: Path) -> None:
    """Drafting from the memory loads neither the DeepL nor the OpenAI client library."""
    code = ("import sys, diglot.cli, diglot.drafts, diglot.engines.factory\n"
            "print(sorted(m for m in ('deepl', 'openai', 'jinja2') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert done.stdout.strip() == "[]"


def test_a_catalog_that_is_not_utf8_stops_translate_with_file_and_line(
        memory_project: Path, run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    """A catalog with bad bytes is named with its line (exit 3), no traceback; nothing written."""
    path = memory_project / "locales" / "de" / "LC_MESSAGES" / "b.po"
    data = path.read_bytes().replace("Совсем".encode(), b"\xff\xfe", 1)
    path.write_bytes(data)
    assert run(memory_project, "translate", "--engine", "memory") == 3
    err = capsys.readouterr().err
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    assert f"locales/de/LC_MESSAGES/b.po:{line}: not valid utf-8" in err
    assert path.read_bytes() == data


# -- the lazy tiers and the one-byte copies the index scores

def _tiers_counted_at_once(keys: list[str], index: dict[str, list[int]]) -> list[list[int]]:
    """The tiers of :func:`diglot.engines.memory_search.candidates` with every row counted first."""
    from collections import Counter

    first = keys[:6]
    shared = Counter(row for key in first for row in index[key])
    tiers = [sorted(r for r, c in shared.items() if c == count)
             for count in sorted(set(shared.values()), reverse=True)]
    seen = set(shared)
    if len(keys) > 6:
        fresh = {row for key in keys[6:12] for row in index[key]}
        tiers.append(sorted(fresh - seen))
    return tiers


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.integers(0, 120), max_size=90), min_size=0, max_size=14))
def test_lazy_tiers_are_the_tiers_counted_at_once(postings: list[list[int]]) -> None:
    """Counting the tiers rarest key first (looking rows up in the other lists, then counting
    every row once a list is long) gives the same tiers, in the same order, as counting all."""
    from diglot.engines import memory_search as m

    index = {f"k{i}": sorted(set(rows)) for i, rows in enumerate(postings) if rows}
    keys = sorted(index, key=lambda k: (len(index[k]), k))
    tiers = list(m.candidates([index[k] for k in keys]))
    assert [t if isinstance(t, list) else sorted(t) for t in tiers] == \
        _tiers_counted_at_once(keys, index)
    later = len(keys) > 6  # the second round: one set, last
    assert [isinstance(t, set) for t in tiers] == [False] * (len(tiers) - later) + [True] * later


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=12),
       st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=6))
def test_one_byte_copies_score_as_the_texts(sources: list[str], queries: list[str]) -> None:
    """Renumbering characters is a permutation: every pair scores as the original texts do,
    whatever the characters (NUL, Latin-1, astral, ones the sources never had)."""
    from diglot.engines.memory_search import Narrow

    narrow = Narrow([*sources, "Рабочие\0 ÿ é 😀", "".join(map(chr, range(300)))])
    for query in queries:
        coded = narrow.code(query)
        assert len(coded) == len(query)
        for source, copy in zip(sources, narrow.texts, strict=False):
            assert fuzz.ratio(coded, copy) == fuzz.ratio(query, source)
            assert (coded == copy) == (query == source)


def test_one_byte_copies_of_cyrillic_are_latin1() -> None:
    """Russian text with the usual punctuation becomes one-byte strings: rapidfuzz's fast path."""
    from diglot.engines.memory_search import Narrow

    narrow = Narrow(["Рабочие «Завода» требуют — 25 % к зарплате!", "Ёлка, щука; ЭХО…"])
    assert all(max(map(ord, text)) < 256 for text in narrow.texts)
    assert narrow.code("Завод требует") == narrow.code("Завод требует")
    assert max(map(ord, narrow.code("Завод требует"))) < 256


_EVERY_STATE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

msgid "Рабочие продолжают забастовку."
msgstr "Die Arbeiter setzen den Streik fort."

# diglot-draft: memory 2026-01-01 93%
#, fuzzy
msgid "Администрация отказывается вести переговоры!"
msgstr "Die Verwaltung verweigert Verhandlungen."

# diglot-draft: deepl 2026-01-01
#, fuzzy
msgid "КПК-2015 — это три слова, а не одно."
msgstr "KPK-2015 sind drei Wörter."

# diglot-aligned: 0.42
#, fuzzy
msgid "Профсоюз требует повышения зарплаты."
msgstr "Die Gewerkschaft fordert mehr Lohn."

#, fuzy
msgid "Суд отклонил иск."
msgstr "Das Gericht wies die Klage ab."

msgid "Совсем другое предложение."
msgstr ""

msgid "Один файл"
msgid_plural "%d файла"
msgstr[0] ""
msgstr[1] "%d Dateien"

#~ msgid "Старое предложение."
#~ msgstr "Ein alter Satz."
"""


def test_held_status_counts_as_status_reads_the_file(tmp_path: Path) -> None:
    """The status a run counts from its held catalogs is the one ``diglot status`` reads from
    the same file: every state, source words, obsolete entries."""
    from diglot.drafts.run import held_status
    from diglot.patterns import count_words
    from diglot.pofile import COVERAGE_STATES, read_records
    from diglot.status import catalog_status

    path = tmp_path / "x.po"
    path.write_text(_EVERY_STATE, encoding="utf-8")
    held = held_status(read_catalog(path), doc="x", lang="de", path=path)
    records = read_records(path)
    read = catalog_status(records, doc="x", lang="de", path=path)
    assert held == read
    assert list(held.segments) == list(read.segments) and list(held.words) == list(read.words)
    assert len(held.segments) == 6 and held.obsolete == 1
    live = records.records()  # the count, one entry at a time
    assert read.words == {s: sum(count_words(e.msgid) for e in live if e.state is s)
                          for s in dict.fromkeys(e.state for e in live)}
    assert list(read.words) == list(dict.fromkeys(e.state for e in live))
    assert read.segments == {s: n for s in COVERAGE_STATES
                             if (n := sum(e.state is s for e in live))}


def test_state_shortcuts_agree_with_entry_state(tmp_path: Path) -> None:
    """What a run asks of an entry without reading its marks (reviewed? needs a draft?) is
    what its full state says, for every state, obsolete and plural entries included."""
    from diglot.drafts.slots import needs_draft
    from diglot.engines.memory import _reviewed
    from diglot.pofile import entry_state, origin_of
    from diglot.pofile.record import state_of

    path = tmp_path / "x.po"
    path.write_text(_EVERY_STATE + '\n#~ msgid "Удалённое."\n#~ msgstr ""\n\nmsgid " "\n'
                    'msgstr ""\n', encoding="utf-8")
    catalog = read_catalog(path)
    assert len(catalog) == 10
    assert [e.msgid for e in catalog if e.obsolete and _reviewed(e)] == ["Старое предложение."]
    for entry in catalog:
        state = entry_state(entry)
        live = entry_state(polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr,
                                         msgid_plural=entry.msgid_plural,
                                         msgstr_plural=entry.msgstr_plural,
                                         flags=entry.flags, tcomment=entry.tcomment))
        assert _reviewed(entry) == (live is EntryState.TRANSLATED)
        if not entry.obsolete:
            assert live is state
            # entry_state reads the marks only for a flagged translation: the same as always
            assert state is state_of(entry, origin_of(entry.tcomment))
        assert needs_draft(entry) == (state is EntryState.UNTRANSLATED and not entry.msgid_plural
                                      and bool(entry.msgid.strip()))
    assert sum(map(needs_draft, catalog)) == 1


_COMPENDIUM_HEADER = """\
# A compendium.
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"
"X-Source-Language: ru\\n"

"""
_COMPENDIUM_ENTRIES = [
    '#: a.txt:1\nmsgid "Рабочие продолжают забастовку."\nmsgstr "Die Arbeiter streiken."\n',
    '#. note\n#: a.txt:2 b.txt:3\nmsgid "Он сказал: \\"нет\\"."\nmsgstr "Er sagte: \\"nein\\"."\n',
    'msgid ""\n"Длинное предложение, "\n"в двух строках."\nmsgstr ""\n"Ein langer Satz, "\n'
    '"in zwei Zeilen."\n',
    '#, fuzzy\nmsgid "Нечёткое."\nmsgstr "Unscharf."\n',
    '#, c-format, fuzzy\n#| msgid "Было."\nmsgid "Стало."\nmsgstr "Geworden."\n',
    '#, fuzy\nmsgid "Опечатка во флаге."\nmsgstr "Tippfehler."\n',
    '#, c-format\nmsgid "Формат %d."\nmsgstr "Format %d."\n',
    'msgid "Без перевода."\nmsgstr ""\n',
    'msgctxt "menu"\nmsgid "Рабочие продолжают забастовку."\nmsgstr "Streik (Menü)."\n',
    '# diglot-draft: memory 2026-01-01 90%\n#, fuzzy\nmsgid "Черновик."\nmsgstr "Entwurf."\n',
    'msgid "Табуляция\\tи строка\\n"\nmsgstr "Tab\\tund Zeile\\n"\n',
    'msgid "Один файл"\nmsgid_plural "%d файла"\nmsgstr[0] "Eine Datei"\nmsgstr[1] "%d Dateien"\n',
    '#~ msgid "Удалённое."\n#~ msgstr "Gelöscht."\n',
    'msgid "Странный \\a escape."\nmsgstr "Seltsam."\n',
    'msgctxt "x"\nmsgid ""\nmsgstr "Leer mit Kontext."\n',
    'msgid "Рабочие продолжают забастовку."\nmsgstr "Doppelt."\n',
    '#| msgctxt "old"\n#| msgid "Старое"\n#, fuzzy\nmsgid "Новое"\nmsgstr "Neu"\n',
    '#, fuzzy\n#| msgid "bad\nmsgid "Плохая строка."\nmsgstr "Schlecht."\n',
]


def _compendia() -> list[str]:
    """Compendia of every entry shape above: the common ones alone, then one other shape
    (plural, obsolete, a strange escape, a duplicate…) after them, and a few broken files."""
    common = _COMPENDIUM_ENTRIES[:11]
    texts = [_COMPENDIUM_HEADER + "\n".join(common)]
    texts += [_COMPENDIUM_HEADER + "\n".join([*common, other])
              for other in _COMPENDIUM_ENTRIES[11:]]
    texts += [_COMPENDIUM_HEADER + "\n".join([other, *common]) for other in _COMPENDIUM_ENTRIES]
    texts += ["\n".join(common),  # no header
              _COMPENDIUM_HEADER,  # a header alone
              _COMPENDIUM_HEADER.replace('msgid ""', 'msgctxt "c"\nmsgid ""'),
              _COMPENDIUM_HEADER + "\n".join(common).replace("\n", "\r\n"),
              _COMPENDIUM_HEADER + "\n".join(common) + 'msgid "Висит."\n']
    return texts


@pytest.mark.parametrize("number", range(len(_compendia())))
def test_compendium_translations_are_the_reviewed_records(tmp_path: Path, number: int) -> None:
    """The memory's lean read of a compendium gives the reviewed singular entries that the
    full read gives, in order, with the same metadata, and fails where it fails, the same way."""
    from diglot.errors import CatalogError
    from diglot.pofile import read_records
    from diglot.pofile.readonly import read_translations

    path = tmp_path / "c.po"
    path.write_text(_compendia()[number], encoding="utf-8")
    try:
        records = read_records(path)
    except CatalogError as exc:
        with pytest.raises(CatalogError) as lean:
            read_translations(path)
        assert str(lean.value) == str(exc)
        return
    metadata, pairs = read_translations(path)
    assert metadata == dict(records.metadata)
    assert pairs == [(e.msgid, e.msgstr) for e in records.records()
                     if not e.msgid_plural and e.state is EntryState.TRANSLATED]


def test_a_common_compendium_is_read_without_records(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A compendium of the shape msgcat writes is read by the lean scan, not the full reader."""
    import diglot.pofile.readonly as readonly

    path = tmp_path / "c.po"
    path.write_text(_compendia()[0], encoding="utf-8")
    expected = readonly.read_translations(path)
    monkeypatch.setattr(readonly, "_parse_records", None)  # would fail if called
    assert readonly.read_translations(path) == expected
    assert [msgid for msgid, _ in expected[1]] == [
        "Рабочие продолжают забастовку.", 'Он сказал: "нет".',
        "Длинное предложение, в двух строках.", "Формат %d.",
        "Рабочие продолжают забастовку.", "Табуляция\tи строка\n"]


def test_status_words_are_counted_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A status's source words are counted the first time they are read (a drafting run's
    summary is read for its untranslated segments), once, and equal the count entry by entry."""
    import diglot.status as status
    from diglot.patterns import count_words

    calls: list[str] = []

    def counting(text: str) -> int:
        calls.append(text)
        return count_words(text)

    monkeypatch.setattr(status, "count_words", counting)
    live = [(EntryState.TRANSLATED, "Рабочие продолжают забастовку."),
            (EntryState.UNTRANSLATED, "КПК-2015 — это три слова, а не одно."),
            (EntryState.TRANSLATED, "Суд отклонил иск.")]
    counted = status.counted_status(live, obsolete=0, doc="d", lang="de", path=Path("x.po"))
    assert counted.segments == {EntryState.TRANSLATED: 2, EntryState.UNTRANSLATED: 1}
    assert calls == []
    assert counted.words == {EntryState.TRANSLATED: 6, EntryState.UNTRANSLATED: 7}
    assert list(counted.words) == [EntryState.TRANSLATED, EntryState.UNTRANSLATED]
    assert counted.total_words == 13 and counted.words_left == 7
    assert len(calls) == 2


def test_catalogs_with_nothing_to_draft_read_as_records_give_the_same_run(
        memory_project: Path, run: Run, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A catalog with nothing to draft, read as records, gives the memory, the drafts, the
    draft log and the status that its polib entries give (obsolete and fuzzy entries too)."""
    import diglot.drafts.run
    from diglot.drafts.slots import Complete, open_catalog, open_slot

    path = memory_project / "locales" / "de" / "LC_MESSAGES" / "a.po"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\n#~ msgid "Совсем другое предложение!"\n#~ msgstr "Ein anderer Satz!"\n'
                    + '\n#, fuzzy\n#~ msgid "Совсем другое предложение?"\n#~ msgstr "Falsch?"\n',
                    encoding="utf-8")
    project = Project.load(memory_project)
    assert isinstance(open_catalog(project, "de", "a"), Complete)
    polib_side = tmp_path / "polib"
    shutil.copytree(memory_project, polib_side)
    outputs = []
    for root, patched in ((memory_project, False), (polib_side, True)):
        if patched:  # every catalog read as polib entries, as before records were read
            monkeypatch.setattr(diglot.drafts.run, "open_catalog", open_slot)
        assert run(root, "translate", "--engine", "memory") == 0
        out = [ln for ln in capsys.readouterr().out.splitlines() if not ln.startswith("time:")]
        files = {p.relative_to(root).as_posix(): p.read_bytes()
                 for folder in ("locales", "drafts") for p in sorted((root / folder).rglob("*"))
                 if p.is_file()}
        outputs.append((out, files))
    assert outputs[0] == outputs[1]
    drafted = entries(memory_project, "b")["Совсем другое предложение."]
    assert drafted.msgstr == "Ein anderer Satz!" and "fuzzy" in drafted.flags
