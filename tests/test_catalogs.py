"""Templates and catalogs: extraction, creation, update, safe reading, validity."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest

from diglot.catalogs import entry_state, read_catalog
from diglot.errors import CatalogError
from diglot.model import EntryState

Run = Callable[..., int]
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext missing")


def gold(data_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (data_dir / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
    return data


def test_extract_gives_the_fifteen_gold_sentences_in_order(project: Path, run: Run,
                                                           data_dir: Path) -> None:
    """kpk-2015.txt extracts to exactly the 15 Russian sentences of alignment.json, in order."""
    assert run(project, "extract") == 0
    pot = polib.pofile(str(project / "locales" / "kpk-2015.pot"))
    expected = [s for b in gold(data_dir)["blocks"] for s in b["ru"]]
    assert [e.msgid for e in pot] == expected
    assert pot[0].occurrences == [("source/ru/kpk-2015.txt", "1")]
    assert pot[2].comment == "paragraph, block 3, sentence 1 of 3"


def test_extract_twice_gives_the_same_bytes(project: Path, run: Run,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A second extract changes no file, not even the creation date."""
    run(project, "extract")
    pot = project / "locales" / "kpk-2015.pot"
    first = pot.read_bytes()
    stamp = pot.stat().st_mtime_ns
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    run(project, "extract")
    assert pot.read_bytes() == first
    assert pot.stat().st_mtime_ns == stamp


def test_duplicate_sentences_share_one_entry(tmp_path: Path, run: Run,
                                            new_project: Callable[..., Path]) -> None:
    """A sentence that occurs twice is one entry with two references."""
    new_project(tmp_path, docs={"a.txt": "Да здравствует мир! Нет войне.\n\nДа здравствует мир!\n"})
    run(tmp_path, "extract")
    pot = polib.pofile(str(tmp_path / "locales" / "a.pot"))
    assert [e.msgid for e in pot] == ["Да здравствует мир!", "Нет войне."]
    assert pot[0].occurrences == [("source/ru/a.txt", "1"), ("source/ru/a.txt", "3")]


def test_new_catalog_is_empty_with_a_proper_header(project: Path, run: Run) -> None:
    """A new catalog has Language, Plural-Forms and UTF-8, and no msgstr pre-filled."""
    assert _sync(project, run) == 0
    po = polib.pofile(str(project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"))
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(po) == 15
    assert all(e.msgstr == "" for e in po)


def test_russian_target_gets_three_plural_forms(tmp_path: Path, run: Run,
                                               new_project: Callable[..., Path]) -> None:
    """Plural-Forms come from babel's CLDR data for the target language."""
    new_project(tmp_path, docs={"a.txt": "Один.\n"}, targets=("uk",))
    run(tmp_path, "extract")
    run(tmp_path, "update")
    po = polib.pofile(str(tmp_path / "locales" / "uk" / "LC_MESSAGES" / "a.po"))
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def _translate_all(path: Path, pairs: dict[str, str]) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = pairs[entry.msgid]
    po.save()


def _pairs(data_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in gold(data_dir)["blocks"]:
        out.update(zip(block["ru"], block["en"], strict=True))
    return out


def _sync(project: Path, run: Run) -> int:
    """Extract and update, as a coordinator does after editing a source; update's exit code."""
    assert run(project, "extract") == 0
    return run(project, "update")


def _translated_catalog(project: Path, run: Run, data_dir: Path) -> Path:
    """The project's English kpk-2015 catalog, created and filled with the gold translation."""
    _sync(project, run)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    _translate_all(po_path, _pairs(data_dir))
    return po_path


def test_revised_source_keeps_translations_and_guesses_edits(project: Path, run: Run,
                                                             data_dir: Path) -> None:
    """After ru-revised: 12 kept, 2 fuzzy with old msgids, 1 obsolete, 1 new untranslated."""
    _sync(project, run)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    pairs = _pairs(data_dir)
    _translate_all(po_path, pairs)
    revised = data_dir / "kpk-2015" / "ru-revised.txt"
    shutil.copy(revised, project / "source" / "ru" / "kpk-2015.txt")
    assert run(project, "extract") == 0
    assert run(project, "update") == 0
    po = read_catalog(po_path)
    live = [e for e in po if not e.obsolete]
    states = [entry_state(e) for e in live]
    assert states.count(EntryState.TRANSLATED) == 12
    for e in live:
        if entry_state(e) is EntryState.TRANSLATED:
            assert pairs[e.msgid] == e.msgstr
    fuzzy = [e for e in live if entry_state(e) is EntryState.FUZZY]
    assert len(fuzzy) == 2
    blocks = gold(data_dir)["blocks"]
    reworded_old, one_letter_old = blocks[2]["ru"][0], blocks[3]["ru"][0]
    assert {e.previous_msgid for e in fuzzy} == {reworded_old, one_letter_old}
    for e in fuzzy:
        assert e.msgstr == pairs[e.previous_msgid]
    obsolete = [e for e in po if e.obsolete]
    assert [e.msgid for e in obsolete] == [blocks[2]["ru"][1]]
    assert obsolete[0].msgstr == pairs[blocks[2]["ru"][1]]
    new = [e for e in live if entry_state(e) is EntryState.UNTRANSLATED]
    assert [e.msgid for e in new] == [
        "Мы призываем все коммунистические и рабочие партии выразить протест против этого решения."]


def test_deleted_sentence_comes_back_with_its_translation(project: Path, run: Run,
                                                          data_dir: Path) -> None:
    """A sentence deleted and then restored gets its old translation back."""
    po_path = _translated_catalog(project, run, data_dir)
    source = project / "source" / "ru" / "kpk-2015.txt"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace("Руки прочь от Коммунистической партии Казахстана!\n\n", ""),
                      encoding="utf-8")
    _sync(project, run)
    assert any(e.obsolete for e in read_catalog(po_path))
    source.write_text(original, encoding="utf-8")
    _sync(project, run)
    po = read_catalog(po_path)
    assert not any(e.obsolete for e in po)
    assert all(entry_state(e) is EntryState.TRANSLATED for e in po)


def test_translator_comments_and_flags_survive_an_update(project: Path, run: Run) -> None:
    """Translator comments and custom flags of kept entries are not lost."""
    _sync(project, run)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "Russian Communist Workers Party"
    po[0].tcomment = "checked with the party's English site"
    po[0].flags.append("no-wrap")
    po.save()
    source = project / "source" / "ru" / "kpk-2015.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nНовое предложение.\n",
                      encoding="utf-8")
    _sync(project, run)
    entry = read_catalog(po_path)[0]
    assert entry.tcomment == "checked with the party's English site"
    assert "no-wrap" in entry.flags


def test_broken_catalog_is_reported_and_nothing_touched(project: Path, run: Run,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """An unterminated string stops update with path:line and a hint; no file changes."""
    _sync(project, run)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    lines = po_path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[number] = 'msgstr "Broken'
    po_path.write_text("\n".join(lines), encoding="utf-8")
    before = po_path.read_bytes()
    (project / "source" / "ru" / "kpk-2015.txt").write_text("Совсем другое.\n", encoding="utf-8")
    run(project, "extract")
    assert run(project, "update") == 3
    err = capsys.readouterr().err
    assert f"locales/en/LC_MESSAGES/kpk-2015.po:{number + 1}: the string has no closing" in err
    assert po_path.read_bytes() == before


def test_duplicate_entry_is_reported_with_its_line(tmp_path: Path) -> None:
    """Two entries with the same msgid are an error naming the second one's line."""
    path = tmp_path / "a.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"a.po:8: duplicate entry"):
        read_catalog(path)


@needs_gettext
def test_written_files_pass_msgfmt_check_and_msgcat_round_trip(project: Path, run: Run,
                                                               data_dir: Path) -> None:
    """Every POT and PO written passes msgfmt --check and survives msgcat unchanged in content."""
    po_path = _translated_catalog(project, run, data_dir)
    revised = data_dir / "kpk-2015" / "ru-revised.txt"
    shutil.copy(revised, project / "source" / "ru" / "kpk-2015.txt")
    _sync(project, run)
    for path in (project / "locales" / "kpk-2015.pot", po_path):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True,
                       capture_output=True)
        out = subprocess.run(["msgcat", str(path)], check=True, capture_output=True, text=True)
        ours = polib.pofile(str(path))
        theirs = polib.pofile(out.stdout)
        assert [(e.msgid, e.msgstr, e.obsolete, sorted(e.flags), e.previous_msgid)
                for e in ours] == [(e.msgid, e.msgstr, e.obsolete, sorted(e.flags),
                                    e.previous_msgid) for e in theirs]
        assert ours.metadata == theirs.metadata


def test_a_guess_for_an_edited_sentence_is_not_a_machine_draft(project: Path, run: Run) -> None:
    """When a drafted sentence is edited, its fuzzy guess loses the machine-draft mark."""
    _sync(project, run)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    po = polib.pofile(str(po_path))
    po[2].msgstr = "Draft of the first sentence."
    po[2].flags.append("fuzzy")
    po[2].tcomment = "keep the party's name\ndiglot-draft: deepl 2026-11-27"
    po.save()
    source = project / "source" / "ru" / "kpk-2015.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("выражает протест",
                                                                 "решительно протестует"),
                      encoding="utf-8")
    _sync(project, run)
    entry = read_catalog(po_path)[2]
    assert entry.msgstr == "Draft of the first sentence."
    assert entry_state(entry) is EntryState.FUZZY
    assert entry.tcomment == "keep the party's name"


def test_a_deleted_fuzzy_sentence_can_be_merged_again(project: Path, run: Run,
                                                      data_dir: Path) -> None:
    """An obsolete entry with a previous msgid (#~|) is read back by the next update."""
    po_path = _translated_catalog(project, run, data_dir)
    source = project / "source" / "ru" / "kpk-2015.txt"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace("выражает протест", "решительно протестует"),
                      encoding="utf-8")
    _sync(project, run)
    source.write_text(original.replace(
        "Российская коммунистическая рабочая партия (РКРП-КПСС) выражает протест против решения "
        "суда г. Алма-Аты от 03.08.2015 г. о ликвидации Коммунистической партии Казахстана (КПК). ",
        ""), encoding="utf-8")
    assert _sync(project, run) == 0
    text = po_path.read_text(encoding="utf-8")
    assert "#~| msgid" in text
    source.write_text(original + "\nЕщё одно предложение.\n", encoding="utf-8")
    assert _sync(project, run) == 0
