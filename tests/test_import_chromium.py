"""The import's review page in headless Chromium (the bilingual edition's harness)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from test_bilingual_chromium import CHROMIUM, DevTools, browser, open_page
from test_import import MERGES_EN, MERGES_RU, FakeAlignment, _gold_merges, fixed_aligner

pytestmark = [pytest.mark.chromium,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]
__all__ = ["browser", "fixed_aligner"]  # fixtures used below

Run = Callable[..., int]


def test_review_page_loads_cleanly_and_marks_doubtful_pairs(
        browser: DevTools, tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment]) -> None:
    """The review page loads without console errors; pairs below the threshold are marked."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    path = root / "published" / "en" / "st.txt"
    path.parent.mkdir(parents=True)
    path.write_text(MERGES_EN, encoding="utf-8")
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align") == 0
    open_page(browser, root / "reports" / "align" / "en" / "st.html", width=1280)
    assert browser.evaluate("document.querySelectorAll('.cell.target .s').length") == 6
    marked = browser.evaluate(
        "[...document.querySelectorAll('.cell.target .st-aligned')].map(e => e.title)")
    assert len(marked) == 2 and all("aligned 0." in t for t in marked), marked
    badge = browser.evaluate(
        "getComputedStyle(document.querySelector('.st-aligned'), '::before').content")
    assert badge == '"ALIGNED, CHECK"'
    assert browser.errors() == []
