"""The pofile module: GNU msgcat's bytes, frozen records with msgid lines, review states."""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project
from diglot.catalogs import update_catalog
from diglot.model import EntryState
from diglot.pofile import (
    WRAP_WIDTH,
    Catalog,
    Origin,
    parse_catalog,
    read_catalog,
    records,
    render_catalog,
)
from diglot.project import Project
from diglot.publish import build
from diglot.status import project_status

ROOT = Path(__file__).resolve().parents[1]


def msgcat(text: str) -> str:
    """What GNU msgcat writes for ``text`` (even a catalog with a header only)."""
    done = subprocess.run(["msgcat", "--force-po", "-"], input=text.encode("utf-8"),
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _catalog(entries: list[polib.POEntry]) -> Catalog:
    po = Catalog(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    po.header = "English translation of 'x'.\n\nEdit with Poedit."
    po.metadata = {"Project-Id-Version": "x", "Language": "en", "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);",
                   "X-Generator": "diglot 0.1 with a header line long enough to need wrapping "
                                  "at seventy-nine columns"}
    po.extend(entries)
    return po


# ------------------------------------------------------------------ GNU bytes

@pytest.mark.parametrize("path", sorted((ROOT / "locales").rglob("*.po*")),
                         ids=lambda p: p.name)
@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_sample_catalogs_are_what_msgcat_writes(path: Path) -> None:
    """Every committed PO/POT of the sample is byte-identical to msgcat's output, and diglot
    writes back the same bytes it read."""
    text = path.read_text(encoding="utf-8")
    assert msgcat(text) == text
    assert render_catalog(read_catalog(path)) == text


_PIECES = ["слово", "word", "Пресс-служба", "«цитата»", "“quoted”", '"q"', "a\\b", "\t", "—",
           "–", "…", "9,5", "3.14", "12:30", "50%", "$5", "(см.", "п.)", "[1]", "a/b", "e-mail",
           "http://example.com/a-b?c=d", "!", "?", ";", "x" * 90, "Ёлка", "日本語", "é", "ß"]


def _sentence(rnd: random.Random) -> str:
    words = [rnd.choice(_PIECES) for _ in range(rnd.randint(1, 45))]
    text = ""
    for word in words:
        text += word + rnd.choice([" ", " ", " ", " ", "  ", "", "\n"] if rnd.random() < 0.3
                                  else [" "])
    return text.strip(" \n") or "x"


def _generated_entries(count: int, seed: int) -> list[polib.POEntry]:
    """A catalog's worth of sentences: long lines, quotes, escapes, #|, #~ and #~| entries."""
    rnd = random.Random(seed)
    entries: list[polib.POEntry] = []
    seen: set[str] = set()
    while len(entries) < count:
        msgid = _sentence(rnd)
        if msgid in seen:
            continue
        seen.add(msgid)
        kind = rnd.random()
        entry = polib.POEntry(msgid=msgid, occurrences=[("source/ru/doc.md", str(len(entries)))],
                              comment=f"paragraph, block {len(entries)}")
        if kind < 0.5:
            entry.msgstr = _sentence(rnd)
        elif kind < 0.7:
            entry.msgstr = _sentence(rnd)
            entry.flags = ["fuzzy"]
            entry.previous_msgid = _sentence(rnd)
            entry.tcomment = "diglot-draft: deepl 2026-11-27" if rnd.random() < 0.5 else ""
        elif kind < 0.8:
            entry.msgstr = _sentence(rnd)
            entry.obsolete = True
            if rnd.random() < 0.5:
                entry.flags = ["fuzzy"]
                entry.previous_msgid = _sentence(rnd)
        entries.append(entry)
    return entries


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_generated_5000_sentence_catalog_is_what_msgcat_writes(tmp_path: Path) -> None:
    """5,000 generated sentences of varied lengths and characters: msgcat changes no byte, and
    the file reads back to the same text (the fast reader takes it, #~| included)."""
    text = render_catalog(_catalog(_generated_entries(5000, seed=7)))
    assert "#~| msgid" in text and "#| msgid" in text and '\\"' in text and "\\t" in text
    assert msgcat(text) == text
    catalog = parse_catalog(text, path=Path("x.po"))
    assert render_catalog(catalog) == text
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), "-"],
                   input=text.encode("utf-8"), check=True)


_STRINGS = st.lists(st.sampled_from([*_PIECES, " ", "  ", "\n", "\\", '"', "-", "x" * 20]),
                    max_size=40).map("".join)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_STRINGS.filter(bool), _STRINGS, st.sampled_from(range(6)),
                          st.none() | _STRINGS, st.none() | st.sampled_from(["menu", "a\nb"])),
                min_size=1, max_size=12))
@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_msgcat_changes_nothing_diglot_writes(rows: list[tuple[str, str, int, str | None,
                                                                str | None]]) -> None:
    """Any catalog diglot writes (contexts, plurals, no-wrap, #|, #~, #~|) is msgcat's bytes."""
    entries: list[polib.POEntry] = []
    keys: set[tuple[str | None, str]] = set()
    for msgid, msgstr, kind, previous, context in rows:
        if (context, msgid) in keys:
            continue
        keys.add((context, msgid))
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=context,
                              occurrences=[("source/ru/a-very-long-document-name.md", "12")] * 4)
        if kind == 1:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = previous
        elif kind == 2:
            entry.obsolete = True
            entry.flags = ["fuzzy"]
            entry.previous_msgid = previous
        elif kind == 3:
            entry.flags = ["no-wrap"]
        elif kind == 4:
            entry.msgid_plural = msgid + " (plural)"
            entry.msgstr_plural = {0: msgstr, 1: msgstr[::-1]}
        entries.append(entry)
    text = render_catalog(_catalog(entries))
    assert msgcat(text) == text


# ------------------------------------------------------------------ records

def test_records_carry_state_origin_and_msgid_line() -> None:
    """One frozen record per entry: the state from flags and marks, the origin, the msgid line."""
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. block 1\n#: a.md:1\nmsgid "reviewed"\nmsgstr "R"\n\n'
        '# diglot-draft: memory 2026-11-27 92%\n#, fuzzy\nmsgid "memory"\nmsgstr "M"\n\n'
        '# diglot-draft: deepl 2026-11-27\n#, fuzzy\nmsgid "machine"\nmsgstr "D"\n\n'
        '# diglot-draft: llm gpt 2026-11-27\n#, fuzzy\nmsgid "llm"\nmsgstr "L"\n\n'
        '# diglot-aligned: 0.83\n#, fuzzy\nmsgid "aligned"\nmsgstr "A"\n\n'
        '# diglot-aligned: 0.97\nmsgid "imported"\nmsgstr "I"\n\n'
        '#, fuzzy\n#| msgid "old"\nmsgid "fuzzy"\nmsgstr "F"\n\n'
        'msgid "untranslated"\nmsgstr ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "G"\n'
    )
    catalog = parse_catalog(text, path=Path("x.po"))
    got = {e.msgid: e for e in records(catalog, obsolete=True)}
    assert {m: e.state for m, e in got.items()} == {
        "reviewed": EntryState.TRANSLATED, "memory": EntryState.MEMORY,
        "machine": EntryState.MACHINE, "llm": EntryState.MACHINE,
        "aligned": EntryState.ALIGNED, "imported": EntryState.TRANSLATED,
        "fuzzy": EntryState.FUZZY, "untranslated": EntryState.UNTRANSLATED,
        "gone": EntryState.OBSOLETE}
    lines = text.split("\n")
    for msgid, entry in got.items():
        assert entry.line is not None
        assert lines[entry.line - 1].removeprefix("#~ ") == f'msgid "{msgid}"'
    assert got["memory"].origin == Origin("memory", "memory 2026-11-27 92%")
    assert got["memory"].origin is not None and not got["memory"].origin.machine
    assert got["machine"].origin is not None and got["machine"].origin.machine
    assert got["imported"].origin == Origin("aligned", "0.97")
    assert got["fuzzy"].previous_msgid == "old" and got["fuzzy"].origin is None
    assert got["reviewed"].occurrences == (("a.md", "1"),) and got["reviewed"].comment == "block 1"
    assert [e.msgid for e in catalog.records()][-1] == "untranslated"  # live ones by default


def test_fallback_reader_records_msgid_lines_too() -> None:
    """A catalog outside the fast path (CRLF line ends) still gives every msgid's line."""
    text = ('msgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=UTF-8\\n"\r\n\r\n'
            '# note\r\n#. block\r\nmsgid "a"\r\nmsgstr "b"\r\n\r\nmsgid "c"\r\nmsgstr ""\r\n')
    catalog = parse_catalog(text, path=Path("x.po"))
    assert [(e.msgid, e.line) for e in catalog.records()] == [("a", 7), ("c", 10)]
    assert catalog.header_line == 1


# ------------------------------------------------------------------ update

def _po(text: str) -> Catalog:
    head = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    return parse_catalog(head + text, path=Path("x.po"))


def test_update_keeps_obsolete_previous_msgid_and_drops_stale_draft_marks() -> None:
    """``#~|`` lines (msgmerge --previous) survive an update; a reviewed entry loses its
    ``diglot-draft:`` mark, a draft keeps it."""
    catalog = _po('# diglot-draft: deepl 2026-11-27\n# keep me\nmsgid "a"\nmsgstr "A"\n\n'
                  '# diglot-draft: deepl 2026-11-27\n#, fuzzy\nmsgid "b"\nmsgstr "B"\n\n'
                  '#, fuzzy\n#~| msgid "old c"\n#~ msgid "c"\n#~ msgstr "C"\n')
    template = _po('msgid "a"\nmsgstr ""\n\nmsgid "b"\nmsgstr ""\n')
    update_catalog(catalog, template, "en")
    text = render_catalog(catalog)
    assert '#, fuzzy\n#~| msgid "old c"\n#~ msgid "c"\n#~ msgstr "C"\n' in text
    assert '# keep me\nmsgid "a"' in text and text.count("diglot-draft:") == 1
    assert '# diglot-draft: deepl 2026-11-27\n#, fuzzy\nmsgid "b"' in text


# ------------------------------------------------------------------ one figure, publication

def _fill(po_path: Path, translations: dict[str, str], *, fuzzy: tuple[str, ...] = ()) -> None:
    catalog = read_catalog(po_path)
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags = ["fuzzy"] if entry.msgid in fuzzy else []
    po_path.write_text(render_catalog(catalog), encoding="utf-8")


def test_status_and_build_give_one_figure(tmp_path: Path,
                                          run: Callable[..., int]) -> None:
    """A document whose unreviewed sentence appears twice: status and build both say 50 %
    (entries, not occurrences)."""
    root = make_project(tmp_path, docs={"d.txt": "Один.\n\nДва.\n\nДва.\n"},
                        extra="[build]\nthreshold = 40\n")
    assert run(root, "extract") == 0 and run(root, "update") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "d.po"
    _fill(po, {"Один.": "One.", "Два.": "Two."}, fuzzy=("Два.",))
    project = Project.load(root)
    (row,) = project_status(project)
    assert row.percent == 50.0 and row.coverage.count(EntryState.FUZZY) == 1
    result = build(project)
    assert not result.refused and result.fallbacks
    project = Project.load(make_project(tmp_path, docs={}, extra="[build]\nthreshold = 60\n"))
    (refusal,) = build(project).refused
    assert (refusal.reviewed, refusal.total, refusal.percent) == (1, 2, 50.0)


def test_build_refuses_a_reviewed_entry_with_a_check_error(tmp_path: Path,
                                                          run: Callable[..., int]) -> None:
    """A reviewed msgstr ending in a newline its msgid lacks is not published: build names its
    path:line; a draft build shows it."""
    root = make_project(tmp_path, docs={"d.txt": "Один.\n\nДва.\n"})
    assert run(root, "extract") == 0 and run(root, "update") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "d.po"
    _fill(po, {"Один.": "One.", "Два.": "Two.\n"})
    project = Project.load(root)
    result = build(project)
    (refusal,) = result.refused
    (missing,) = refusal.missing
    line = po.read_text(encoding="utf-8").split("\n").index('msgid "Два."') + 1
    assert missing.describe(project.relative).startswith(
        f"locales/en/LC_MESSAGES/d.po:{line}: check error [msgfmt]")
    assert result.error() is not None and f"d.po:{line}:" in str(result.error())
    assert not (root / "editions" / "en" / "d.txt").exists()
    draft = build(project, draft=True)
    assert not draft.refused
    assert "Two." in (root / "editions-draft" / "en" / "d.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------------ CI and new projects

def test_update_and_extract_check_write_nothing_and_name_what_is_out_of_date(
        tmp_path: Path, run: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    """--check exits 5 naming out-of-date templates and catalogs, touching no file; 0 once
    everything is up to date."""
    root = make_project(tmp_path, docs={"d.txt": "Один.\n\nДва.\n"})
    assert run(root, "extract", "--check") == 5
    assert not (root / "locales" / "d.pot").exists()
    assert "out of date locales/d.pot" in capsys.readouterr().out
    assert run(root, "extract") == 0 and run(root, "update") == 0
    assert run(root, "extract", "--check") == 0 and run(root, "update", "--check") == 0
    (root / "source" / "ru" / "d.txt").write_text("Один.\n\nТри.\n", encoding="utf-8")
    assert run(root, "extract") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "d.po"
    before = po.read_bytes()
    capsys.readouterr()
    assert run(root, "update", "--check") == 5
    captured = capsys.readouterr()
    assert "out of date locales/en/LC_MESSAGES/d.po (1 kept, 0 fuzzy, 1 new" in captured.out
    assert "run 'diglot update'" in captured.err
    assert po.read_bytes() == before


def test_init_writes_gitignore_and_readme(tmp_path: Path, run: Callable[..., int]) -> None:
    """A new project gets a .gitignore for what diglot generates and a short README."""
    assert run(tmp_path, "init", "--source", "ru", "--target", "en") == 0
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").split("\n")
    for pattern in ("editions/", "editions-draft/", ".diglot/", "reports/", "*.mo", ".*.tmp"):
        assert pattern in ignored
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "source/ru/" in readme and "diglot update --check" in readme
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    assert run(tmp_path, "init", "--source", "ru", "--target", "en", "--force") == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_draft_edition_names_memory_machine_and_aligned_apart(tmp_path: Path,
                                                              run: Callable[..., int]) -> None:
    """A memory match is never called a machine draft: in the draft banner, the text marks and
    the HTML classes each state has its own name."""
    root = make_project(tmp_path, docs={"d.txt": "Один.\n\nДва.\n\nТри.\n"})
    assert run(root, "extract") == 0 and run(root, "update") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "d.po"
    catalog = read_catalog(po)
    marks = {"Один.": "diglot-draft: memory 2026-11-27 92%",
             "Два.": "diglot-draft: deepl 2026-11-27", "Три.": "diglot-aligned: 0.41"}
    for entry in catalog:
        entry.msgstr, entry.flags, entry.tcomment = "X.", ["fuzzy"], marks[entry.msgid]
    po.write_text(render_catalog(catalog), encoding="utf-8")
    build(Project.load(root), draft=True)
    text = (root / "editions-draft" / "en" / "d.txt").read_text(encoding="utf-8")
    assert "1 memory match, 1 machine draft, 1 aligned translation" in text
    assert "⟦memory match⟧" in text and "⟦machine draft⟧" in text
    html = (root / "editions-draft" / "en" / "d.html").read_text(encoding="utf-8")
    assert "st-memory" in html and "st-machine" in html and "st-aligned" in html


def _sample_copy(tmp_path: Path) -> Path:
    for name in ("diglot.toml", "source", "locales"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_an_editor_save_then_update_changes_no_line(tmp_path: Path,
                                                    run: Callable[..., int]) -> None:
    """A translator's edit saved by translate-toolkit (Weblate's and Virtaal's PO writer, GNU
    wrapping), then 'diglot update': update changes no line of what the editor wrote."""
    from translate.storage import pypo

    root = _sample_copy(tmp_path)
    po = root / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    store = pypo.pofile.parsefile(str(po))  # type: ignore[no-untyped-call]
    unit = [u for u in store.units if not u.isheader()][3]
    unit.target = unit.target + " (edited, with a tail long enough to wrap the line otherwise)"
    po.write_bytes(bytes(store))
    saved = po.read_text(encoding="utf-8")
    assert "a tail long enough" in saved
    assert run(root, "update") == 0
    assert po.read_text(encoding="utf-8") == saved


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")
def test_msgmerge_previous_then_update_changes_no_line(tmp_path: Path,
                                                      run: Callable[..., int]) -> None:
    """A coordinator's 'msgmerge --previous' over a diglot catalog, then 'diglot update':
    neither changes a byte."""
    root = _sample_copy(tmp_path)
    po = root / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    before = po.read_text(encoding="utf-8")
    subprocess.run(["msgmerge", "--quiet", "--previous", "-U", "--backup=off", str(po),
                    str(root / "locales" / "kpk-2015.pot")], check=True)
    assert po.read_text(encoding="utf-8") == before
    assert run(root, "update") == 0
    assert po.read_text(encoding="utf-8") == before
