"""The import's review page in headless Chromium (the shared harness, tests/browser.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from browser import Tab, needs_chromium
from test_import import MERGES_EN, MERGES_RU, FakeAlignment, _gold_merges, fixed_aligner

pytestmark = needs_chromium
__all__ = ["fixed_aligner"]  # fixtures used below

Run = Callable[..., int]


def test_review_page_loads_cleanly_and_marks_doubtful_pairs(
        tab: Tab, tmp_path: Path, run: Run, new_project: Callable[..., Path],
        fixed_aligner: dict[str, FakeAlignment]) -> None:
    """The review page loads without console errors; pairs below the threshold are marked."""
    root = new_project(tmp_path, docs={"st.txt": MERGES_RU})
    path = root / "published" / "en" / "st.txt"
    path.parent.mkdir(parents=True)
    path.write_text(MERGES_EN, encoding="utf-8")
    fixed_aligner["st"] = _gold_merges()
    assert run(root, "align") == 0
    tab.open(root / "reports" / "align" / "en" / "st.html")
    assert tab.page.evaluate("document.querySelectorAll('.cell.target .s').length") == 6
    marked = tab.page.evaluate(
        "[...document.querySelectorAll('.cell.target .st-aligned')].map(e => e.title)")
    assert len(marked) == 2 and all("aligned 0." in t for t in marked), marked
    badge = tab.page.evaluate(
        "getComputedStyle(document.querySelector('.st-aligned'), '::before').content")
    assert badge == '"ALIGNED, CHECK"'
    assert tab.errors == []
