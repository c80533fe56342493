"""An edition published below 100 % (``[build] threshold``) with a check error in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib

from diglot.editions.html import BLOCKED_LABEL


def test_a_blocked_translation_below_the_threshold_shows_the_source(
        tmp_path: Path, new_project: Callable[..., Path], run: Callable[..., int]) -> None:
    """A reviewed translation with an unbalanced quote is kept out; at threshold 50 the
    language is still published, the source sentence standing in, marked as a check error
    (this was a KeyError in the page's tooltip)."""
    new_project(tmp_path, docs={"a.txt": "Первое. Второе. Третье.\n"},
                extra="[build]\nthreshold = 50\n")
    assert run(tmp_path, "extract") == 0
    assert run(tmp_path, "update") == 0
    path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "a.po"
    po = polib.pofile(str(path))
    for entry, text in zip(po, ("First.", "Second «.", "Third."), strict=True):
        entry.msgstr = text
    po.save(str(path))
    assert run(tmp_path, "build") == 0
    page = (tmp_path / "editions" / "en" / "a.html").read_text(encoding="utf-8")
    assert f'lang="ru" title="{BLOCKED_LABEL}">Второе.</span>' in page
    assert ">First.</span>" in page and "Second «." not in page
    text = (tmp_path / "editions" / "en" / "a.txt").read_text(encoding="utf-8")
    assert text == "First. Второе. Third.\n"
