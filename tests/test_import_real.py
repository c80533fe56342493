"""``diglot align`` with the real aligner on the sample's published pairs: gold, round trip."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from test_editions import blocks_of, gold_pairs, md_pairs

Run = Callable[..., int]
DATA = Path(__file__).parent / "data"


def _pairs(po: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(po)) if not e.obsolete}


def _msgfmt(po: Path) -> None:
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_kpk_gives_the_fifteen_gold_pairs_and_builds_back(project: Path, run: Run) -> None:
    """The real pair: exactly the 15 pairs of alignment.json, none fuzzy; build gives en.txt."""
    assert run(project, "align", "--lang", "en", str(DATA / "kpk-2015" / "en.txt")) == 0
    po = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    _msgfmt(po)
    assert _pairs(po) == gold_pairs()
    assert not [e for e in polib.pofile(str(po)) if "fuzzy" in e.flags]
    assert run(project, "check") == 0
    assert run(project, "build", "--lang", "en") == 0
    built = (project / "editions" / "en" / "kpk-2015.txt").read_text(encoding="utf-8")
    assert blocks_of(built) == blocks_of((DATA / "kpk-2015" / "en.txt").read_text("utf-8"))


def test_strike_markdown_pairs_and_builds_back(tmp_path: Path, run: Run,
                                               new_project: Callable[..., Path]) -> None:
    """Markdown with links and emphasis: every pair as published; build gives en.md back."""
    root = new_project(tmp_path, docs={
        "strike-2024.md": (DATA / "strike-2024" / "ru.md").read_text(encoding="utf-8")})
    published = root / "published" / "en" / "strike-2024.md"
    published.parent.mkdir(parents=True)
    shutil.copy(DATA / "strike-2024" / "en.md", published)
    assert run(root, "align") == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "strike-2024.po"
    _msgfmt(po)
    assert _pairs(po) == md_pairs()
    assert not [e for e in polib.pofile(str(po)) if "fuzzy" in e.flags]
    assert run(root, "check") == 0
    assert run(root, "build", "--lang", "en") == 0
    built = (root / "editions" / "en" / "strike-2024.md").read_text(encoding="utf-8")
    assert built == (DATA / "strike-2024" / "en.md").read_text(encoding="utf-8")


def test_a_translation_of_another_document_is_refused(
        tmp_path: Path, run: Run, new_project: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    """kpk's English offered as the strike statement's translation: refused, nothing written."""
    root = new_project(tmp_path, docs={
        "strike-2024.md": (DATA / "strike-2024" / "ru.md").read_text(encoding="utf-8")})
    assert run(root, "align", "--lang", "en", "--doc", "strike-2024",
               str(DATA / "kpk-2015" / "en.txt")) == 5
    assert "does not look like a translation" in capsys.readouterr().out
    assert not (root / "locales" / "en" / "LC_MESSAGES" / "strike-2024.po").exists()


def test_merged_split_and_missing_paragraphs(project: Path, run: Run,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Paragraphs merged, one split, one missing: every other pair still right, the gap listed."""
    en = (DATA / "kpk-2015" / "en.txt").read_text(encoding="utf-8")
    blocks = blocks_of(en)
    first, second = blocks[3].split(" Another reason", 1)
    changed = [*blocks[:2], blocks[2] + " " + first, "Another reason" + second, *blocks[4:6],
               blocks[7]]  # 3rd paragraph merged into the 4th's start; "Hands off" missing
    published = project / "published" / "en" / "kpk-2015.txt"
    published.parent.mkdir(parents=True)
    published.write_text("\n\n".join(changed) + "\n", encoding="utf-8")
    assert run(project, "align") == 0
    out = capsys.readouterr().out
    po = project / "locales" / "en" / "LC_MESSAGES" / "kpk-2015.po"
    _msgfmt(po)
    pairs = _pairs(po)
    gold = gold_pairs()
    missing = "Руки прочь от Коммунистической партии Казахстана!"
    assert pairs[missing] == ""
    assert {k: v for k, v in pairs.items() if k != missing} == \
        {k: v for k, v in gold.items() if k != missing}
    line = next(n for n, text in enumerate(po.read_text(encoding="utf-8").split("\n"), 1)
                if text == f'msgid "{missing}"')
    assert f"nothing published for: locales/en/LC_MESSAGES/kpk-2015.po:{line}" in out
