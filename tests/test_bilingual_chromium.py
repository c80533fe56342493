"""The bilingual edition in a real browser: Playwright driving Debian's headless Chromium.

The harness is ``tests/browser.py`` (shared with the report test).  Screenshots of kpk-2015
(desktop and phone widths) and its A4 PDF go to the ``artifacts`` folder: ``--artifacts DIR``
to keep them for a human to look at, a temporary folder otherwise.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from browser import Tab, needs_chromium
from test_editions import fill_catalog, gold_pairs, md_pairs

DATA = Path(__file__).parent / "data"

pytestmark = needs_chromium

Run = Callable[..., int]


def center(tab: Tab, element_id: str) -> tuple[float, float]:
    """Viewport coordinates of the middle of an element's first line box, scrolled into view."""
    box = tab.page.evaluate(
        """id => { const e = document.getElementById(id); e.scrollIntoView({block: 'center'});
           const r = e.getClientRects()[0];
           return [r.left + Math.min(r.width, 40) / 2, r.top + r.height / 2]; }""",
        element_id)
    return float(box[0]), float(box[1])


def has_class(tab: Tab, element_id: str, css: str) -> bool:
    return bool(tab.page.evaluate(
        "([id, css]) => document.getElementById(id).classList.contains(css)", [element_id, css]))


@pytest.fixture
def built(tmp_path: Path, run: Run, new_project: Callable[..., Path]) -> Path:
    """The sample project's published editions (kpk-2015 and strike-2024, ru → en)."""
    (tmp_path / "project").mkdir()
    root = new_project(tmp_path / "project", docs={
        "kpk-2015.txt": (DATA / "kpk-2015" / "ru.txt").read_text(encoding="utf-8"),
        "strike-2024.md": (DATA / "strike-2024" / "ru.md").read_text(encoding="utf-8"),
    })
    for command in ("extract", "update"):
        assert run(root, command) == 0
    fill_catalog(root / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs())
    fill_catalog(root / "locales/en/LC_MESSAGES/strike-2024.po", md_pairs())
    assert run(root, "build") == 0
    return root / "editions"


CELL_TOPS = """
Array.from(document.querySelectorAll('section.pair')).map(s => {
  const cells = s.querySelectorAll(':scope > .cell');
  const first = c => c.querySelector('.s').getBoundingClientRect().top;
  return {id: s.id, cells: Array.from(cells).map(c => c.getBoundingClientRect().top),
          text: Array.from(cells).map(first),
          bottoms: Array.from(cells).map(c => c.getBoundingClientRect().bottom),
          top: s.getBoundingClientRect().top, bottom: s.getBoundingClientRect().bottom};
})
"""


@pytest.mark.parametrize("doc", ["kpk-2015", "strike-2024"])
def test_cells_of_each_block_start_at_the_same_height(tab: Tab, built: Path, doc: str) -> None:
    """On a desktop-width page both cells of every block, and their first lines, start level."""
    tab.open(built / "ru-en" / f"{doc}.html")
    rows = tab.page.evaluate(CELL_TOPS)
    assert len(rows) == {"kpk-2015": 8, "strike-2024": 14}[doc]
    for row in rows:
        assert len(row["cells"]) == 2
        assert abs(row["cells"][0] - row["cells"][1]) < 0.5, row
        assert abs(row["text"][0] - row["text"][1]) < 0.5, row
    assert tab.errors == []


def test_hover_focus_and_click_highlight_the_counterpart(tab: Tab, built: Path) -> None:
    """Pointing at, focusing or clicking a sentence highlights its translation (and back)."""
    tab.open(built / "ru-en" / "kpk-2015.html")
    mouse = tab.page.mouse
    assert not has_class(tab, "s3-2-en", "hl")
    mouse.move(*center(tab, "s3-2-ru"))
    assert has_class(tab, "s3-2-en", "hl")
    assert not has_class(tab, "s3-1-en", "hl")
    mouse.move(2, 2)
    assert not has_class(tab, "s3-2-en", "hl")

    tab.page.evaluate("document.getElementById('s5-3-en').focus()")
    assert has_class(tab, "s5-3-ru", "hl")
    tab.page.evaluate("document.getElementById('s5-3-en').blur()")
    assert not has_class(tab, "s5-3-ru", "hl")

    mouse.click(*center(tab, "s6-2-en"))
    assert has_class(tab, "s6-2-ru", "pin") and has_class(tab, "s6-2-en", "pin")
    mouse.move(2, 2)
    assert has_class(tab, "s6-2-ru", "pin")
    assert tab.errors == []


def test_phone_width_stacks_each_pair_together(phone_tab: Tab, built: Path,
                                               artifacts: Path) -> None:
    """At phone width the translation sits under its source, and blocks never interleave."""
    phone_tab.open(built / "ru-en" / "kpk-2015.html", width=390, height=844)
    rows = phone_tab.page.evaluate(CELL_TOPS)
    for row in rows:
        assert row["cells"][1] >= row["bottoms"][0] - 0.5, row
    for above, below in itertools.pairwise(rows):
        assert above["bottom"] <= below["top"] + 0.5
    assert phone_tab.page.evaluate("document.documentElement.scrollWidth") <= 390
    shot = phone_tab.page.screenshot(full_page=True,
                                     path=artifacts / "kpk-2015-bilingual-phone.png")
    assert shot.startswith(b"\x89PNG")
    assert phone_tab.errors == []


def test_screenshot_and_a4_print_of_kpk(tab: Tab, built: Path, artifacts: Path) -> None:
    """kpk-2015 renders (screenshot kept in the artifacts folder) and prints on A4 pages."""
    tab.open(built / "ru-en" / "kpk-2015.html")
    shot = tab.page.screenshot(full_page=True, path=artifacts / "kpk-2015-bilingual.png")
    assert shot.startswith(b"\x89PNG")
    pdf = tab.page.pdf(prefer_css_page_size=True, print_background=True,
                       path=artifacts / "kpk-2015-bilingual.pdf")
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert boxes, "no page in the PDF"
    for w, h in boxes:
        assert abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2  # A4 in points
    assert tab.errors == []


def test_draft_page_shows_its_banner_and_marks(tab: Tab, run: Run, built: Path) -> None:
    """A draft bilingual page shows the banner on screen and marks unreviewed sentences."""
    root = built.parent
    fill_catalog(root / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs(), draft=2, empty=4)
    assert run(root, "build", "--draft") == 0
    tab.open(root / "editions-draft" / "ru-en" / "kpk-2015.html")
    banner = tab.page.evaluate("document.querySelector('.draft-banner').innerText")
    assert "2 of 15 sentences unreviewed" in banner
    badge = tab.page.evaluate(
        "getComputedStyle(document.querySelector('.st-machine'), '::before').content")
    assert badge == '"MACHINE DRAFT"'
    assert tab.page.evaluate("document.title").startswith("DRAFT")
    assert tab.errors == []


def test_every_html_edition_opens_without_errors(tab: Tab, built: Path) -> None:
    """Each monolingual and bilingual HTML edition loads with no console error or exception."""
    pages = sorted(built.rglob("*.html"))
    assert len(pages) == 6  # ru, en and ru-en for two documents
    for page in pages:
        tab.open(page)
        assert tab.page.evaluate("document.querySelectorAll('.s').length") > 0, page
        assert tab.errors == [], page


def test_a_script_in_a_statement_is_shown_not_run(tab: Tab, tmp_path: Path, run: Run,
                                                  new_project: Callable[..., Path]) -> None:
    """A <script> in a source or a translation shows as text in every page and never runs."""
    root = new_project(tmp_path, docs={
        "x.md": "Текст <script>window.pwned = 1</script> с *разметкой* и <b>жирным</b>.\n",
        "y.txt": "Абзац <img src=x onerror=\"window.pwned = 2\">.\n"})
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    x_text = "Text <script>window.pwned = 3</script> with *markup* and <b>bold</b>."
    for doc, text in (("x", x_text),
                      ("y", "Paragraph <img src=x onerror=\"window.pwned = 4\">.")):
        po_path = root / "locales" / "en" / "LC_MESSAGES" / f"{doc}.po"
        po = polib.pofile(str(po_path))
        po[0].msgstr = text
        po.save()
    assert run(root, "build") == 0
    for page in sorted((root / "editions").rglob("*.html")):
        tab.open(page)
        assert tab.page.evaluate("typeof window.pwned") == "undefined", page
        assert tab.page.evaluate("document.querySelectorAll('main script, main img').length") == 0
        shown = tab.page.evaluate("document.body.innerText")
        assert "<script>" in shown or "<img" in shown, page
