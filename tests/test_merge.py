"""Merging a new template into a catalog: msgmerge semantics, local guesses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diglot.merge import merge_entries
from diglot.pofile import POEntry, POFile, render_catalog

KPK = Path(__file__).parent / "data" / "kpk-2015"
PATH = "source/ru/kpk-2015.txt"


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _entries(blocks: list[list[str]], translations: dict[str, str] | None = None
             ) -> list[POEntry]:
    """One entry per sentence, referenced by block (line = block number), document order."""
    out: list[POEntry] = []
    for number, sentences in enumerate(blocks, 1):
        for position, msgid in enumerate(sentences, 1):
            out.append(POEntry(
                msgid=msgid, msgstr=(translations or {}).get(msgid, ""),
                occurrences=[(PATH, str(number))],
                comment=f"block {number}, sentence {position} of {len(sentences)}"))
    return out


@pytest.fixture(scope="module")
def kpk() -> dict[str, object]:
    """The sample's old sentences with their English, and the revised sentences."""
    alignment = json.loads((KPK / "alignment.json").read_text(encoding="utf-8"))
    old = [list(b["ru"]) for b in alignment["blocks"]]
    english = {ru: en for b in alignment["blocks"] for ru, en in zip(b["ru"], b["en"], strict=True)}
    revised_blocks = _blocks((KPK / "ru-revised.txt").read_text(encoding="utf-8"))
    assert len(revised_blocks) == len(old)
    new = [list(s) for s in old]
    b3, b4, b6 = revised_blocks[2], revised_blocks[3], revised_blocks[5]
    reworded = b3.removesuffix(" " + old[2][2])
    one_letter = b4.removesuffix(" " + " ".join(old[3][1:]))
    # The corpus README says "end of block 6"; the file has it between the block's two sentences.
    added = b6.removeprefix(old[5][0] + " ").removesuffix(" " + old[5][1])
    new[2] = [reworded, old[2][2]]
    new[3] = [one_letter, *old[3][1:]]
    new[5] = [old[5][0], added, old[5][1]]
    for block, sentences in zip(revised_blocks, new, strict=True):
        assert " ".join(sentences) == block
    return {"old": old, "new": new, "english": english, "reworded": reworded,
            "one_letter": one_letter, "added": added}


def test_kpk_sample_update(kpk: dict[str, object]) -> None:
    """The sample edit keeps 12 translations, guesses for the two edits, retires the deleted."""
    old_blocks, new_blocks = kpk["old"], kpk["new"]
    english = kpk["english"]
    assert isinstance(old_blocks, list) and isinstance(new_blocks, list)
    assert isinstance(english, dict)
    old = _entries(old_blocks, english)
    result = merge_entries(_entries(new_blocks), old)
    live = {e.msgid: e for e in result.entries if not e.obsolete}
    unchanged = [s for b in new_blocks for s in b if s in english]
    assert len(result.kept) == len(unchanged) == 12
    for msgid in unchanged:
        assert live[msgid].msgstr == english[msgid]
        assert "fuzzy" not in live[msgid].flags
    pairs = {(g.msgid, g.old_msgid) for g in result.fuzzy}
    assert pairs == {(kpk["reworded"], old_blocks[2][0]), (kpk["one_letter"], old_blocks[3][0])}
    for new_msgid, old_msgid in pairs:
        assert live[new_msgid].msgstr == english[old_msgid]
        assert live[new_msgid].flags == ["fuzzy"]
        assert live[new_msgid].previous_msgid == old_msgid
        assert f'#| msgid "{old_msgid[:20]}' in str(live[new_msgid]).replace('"\n#| "', "")
    assert live[kpk["added"]].msgstr == ""
    assert result.new == (kpk["added"],)
    obsolete = {e.msgid: e for e in result.entries if e.obsolete}
    assert obsolete[old_blocks[2][1]].msgstr == english[old_blocks[2][1]]
    # As msgmerge: the sources of the two guesses live on in them, not as obsolete entries.
    assert set(result.obsoleted) == set(obsolete) == {old_blocks[2][1]}
    assert [e.msgid for e in result.entries if not e.obsolete] == [s for b in new_blocks for s in b]


def test_no_translation_is_lost(kpk: dict[str, object]) -> None:
    """Every old translation is in the result, live, obsolete or as a guess's translation."""
    english = kpk["english"]
    assert isinstance(english, dict)
    result = merge_entries(_entries(kpk["new"]), _entries(kpk["old"], english))  # type: ignore[arg-type]
    texts = {e.msgstr for e in result.entries}
    assert set(english.values()) <= texts
    previous = {e.previous_msgid for e in result.entries if "fuzzy" in e.flags}
    assert kpk["old"][2][0] in previous  # type: ignore[index]


def _old(msgid: str, msgstr: str, line: int, **fields: object) -> POEntry:
    return POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("a.md", str(line))], **fields)


def _new(msgid: str, line: int, **fields: object) -> POEntry:
    return POEntry(msgid=msgid, occurrences=[("a.md", str(line))],
                         comment=f"paragraph, block {line}", **fields)


def test_translator_comments_flags_and_previous_survive() -> None:
    """Exact matches keep msgstr, flags, #| msgid, translator comments; refs come from the POT."""
    old = [_old("One sentence here.", "Eins.", 1, tcomment="diglot-draft: deepl 2026-11-27",
                flags=["fuzzy", "mt-deepl"], previous_msgid="One sentence hear."),
           _old("Two sentences here.", "Zwei.", 2, tcomment="checked by A.", comment="old #.")]
    new = [_new("One sentence here.", 10), _new("Two sentences here.", 11)]
    result = merge_entries(new, old)
    one, two = result.entries
    assert one.msgstr == "Eins." and one.flags == ["fuzzy", "mt-deepl"]
    assert one.previous_msgid == "One sentence hear."
    assert one.tcomment == "diglot-draft: deepl 2026-11-27"
    assert two.flags == [] and two.previous_msgid is None and two.tcomment == "checked by A."
    assert two.occurrences == [("a.md", "11")] and two.comment == "paragraph, block 11"
    assert result.kept == ("One sentence here.", "Two sentences here.")


def test_obsolete_entry_revives() -> None:
    """An obsolete entry whose msgid returns comes back live with its translation."""
    old = [_old("Kept.", "Behalten.", 1),
           POEntry(msgid="It returns.", msgstr="Es kehrt zurück.", obsolete=True,
                         tcomment="note")]
    result = merge_entries([_new("Kept.", 1), _new("It returns.", 2)], old)
    back = result.entries[1]
    assert not back.obsolete and back.msgstr == "Es kehrt zurück." and back.tcomment == "note"
    assert result.revived == ("It returns.",)
    assert not any(e.obsolete for e in result.entries)


def test_msgctxt_is_part_of_the_key() -> None:
    """The same msgid under another msgctxt is not an exact match: it gets at most a fuzzy guess."""
    old = [_old("Open", "Öffnen", 1, msgctxt="menu")]
    result = merge_entries([_new("Open", 1, msgctxt="verb")], old, threshold=0.9,
                           local_threshold=0.9)
    entry = result.entries[0]
    assert entry.msgctxt == "verb" and "fuzzy" in entry.flags
    assert entry.previous_msgctxt == "menu" and entry.previous_msgid == "Open"
    same = merge_entries([_new("Open", 1, msgctxt="menu")], old)
    assert same.entries[0].msgstr == "Öffnen" and "fuzzy" not in same.entries[0].flags


def test_new_sentence_gets_no_guess_from_unrelated_deleted_one() -> None:
    """An added sentence replacing a deleted, unrelated one at the same place stays untranslated."""
    old = [_old("The party condemns the decision of the court.", "A.", 1),
           _old("The strike began on Monday in the port.", "B.", 2),
           _old("We call on all unions to join us.", "C.", 3)]
    new = [_new("The party condemns the decision of the court.", 1),
           _new("Pensions were cut again by the new government.", 2),
           _new("We call on all unions to join us.", 3)]
    result = merge_entries(new, old)
    assert result.entries[1].msgstr == "" and result.fuzzy == ()
    assert result.obsoleted == ("The strike began on Monday in the port.",)


def test_untranslated_vanished_entries_are_dropped() -> None:
    """An old entry with no translation that leaves the template is dropped, as msgmerge does."""
    old = [_old("Gone and untranslated.", "", 1),
           POEntry(msgid="Obsolete, untranslated.", msgstr="", obsolete=True)]
    result = merge_entries([_new("Something else entirely.", 1)], old)
    assert [e.msgid for e in result.entries] == ["Something else entirely."]
    assert set(result.dropped) == {"Gone and untranslated.", "Obsolete, untranslated."}


def test_one_old_entry_gives_one_guess() -> None:
    """Two new variants of one old sentence: only the closer one takes its translation."""
    old = [_old("The workers of the plant went on strike.", "X.", 1)]
    new = [_new("The workers of the plant went on strikes.", 1),
           _new("The workers of the plant went on a long strike.", 1)]
    result = merge_entries(new, old)
    assert [g.msgid for g in result.fuzzy] == ["The workers of the plant went on strikes."]


def test_moved_and_edited_sentence_found_by_global_pass() -> None:
    """A sentence moved far away and lightly edited still gets its old translation."""
    filler = [f"Filler sentence number {n} says something different." for n in range(6)]
    moved = "The Political Council of the party protests against the court ruling of 3 August."
    old = [_old(moved, "Moved.", 1)] + [_old(f, f"F{n}", n + 2) for n, f in enumerate(filler)]
    new = [_new(f, n + 1) for n, f in enumerate(filler)] + [_new(moved.replace("3", "4"), 9)]
    result = merge_entries(new, old)
    assert [(g.old_msgid, g.local) for g in result.fuzzy] == [(moved, False)]
    assert result.entries[-1].msgstr == "Moved."
    assert not any(e.obsolete for e in result.entries)  # the source lives on in the guess


def _catalog(entries: tuple[POEntry, ...]) -> POFile:
    po = POFile(wrapwidth=79, check_for_duplicates=False)
    po.metadata = {"Project-Id-Version": "kpk-2015", "Language": "en",
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.extend(entries)
    return po


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_result_passes_msgfmt_and_msgcat_leaves_it_alone(kpk: dict[str, object],
                                                         tmp_path: Path) -> None:
    """The merged sample (wrapped Russian, #| lines, obsolete entries) passes msgfmt --check,
    and msgcat writes it back byte for byte."""
    english = kpk["english"]
    assert isinstance(english, dict)
    result = merge_entries(_entries(kpk["new"]), _entries(kpk["old"], english))  # type: ignore[arg-type]
    path = tmp_path / "en.po"
    text = render_catalog(_catalog(result.entries))
    assert "#~ msgid" in text and "#| msgid" in text
    path.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "en.mo"), str(path)], check=True)
    again = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
    assert again.decode("utf-8") == text


def test_new_entry_makes_entries_as_polib_does() -> None:
    """The fast constructor (templates and merges) sets exactly the attributes, in the same
    order, that ``POEntry(**fields)`` sets."""
    from diglot.pofile import new_entry

    made = new_entry("a", "c", "as", "", {0: "x", 1: "y"}, occurrences=[("f.md", "3")],
                     comment="block 1", tcomment="note", flags=["fuzzy"], previous_msgctxt="d",
                     previous_msgid="b", previous_msgid_plural="bs", obsolete=True)
    polib_made = POEntry(
        msgid="a", msgctxt="c", msgid_plural="as", msgstr="", msgstr_plural={0: "x", 1: "y"},
        occurrences=[("f.md", "3")], comment="block 1", tcomment="note", flags=["fuzzy"],
        previous_msgctxt="d", previous_msgid="b", previous_msgid_plural="bs", obsolete=True)
    assert list(vars(made).items()) == list(vars(polib_made).items())
    bare = new_entry("a")
    assert list(vars(bare).items()) == list(vars(POEntry(msgid="a")).items())
    assert bare.occurrences is not new_entry("b").occurrences
    assert bare.msgstr_plural is not new_entry("b").msgstr_plural


@pytest.mark.parametrize("plural", ["", "files"])
@pytest.mark.parametrize("flags", [[], ["no-wrap"], ["fuzzy", "c-format", "c-format"]])
def test_a_new_entry_is_the_template_entry_untranslated(plural: str, flags: list[str]) -> None:
    """A template entry with nothing to merge comes out as matching an empty old entry would
    make it: its fields, no translation, the template's flags but fuzzy."""
    from diglot.merge import _exact, _fresh
    from diglot.pofile import new_entry

    template = new_entry("a file", "ctx", plural, occurrences=[("a.md", "3")],
                         comment="paragraph, block 1", flags=flags)
    made = _fresh(template)
    assert list(vars(made).items()) == list(vars(_exact(template, new_entry("a file"))).items())
    assert made.occurrences is not template.occurrences and made.flags is not template.flags
