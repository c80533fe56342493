"""The status report: bars, words left, QA problems, edition links, and a clean page in Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from browser import CHROMIUM, Tab
from diglot.checks import CheckRun, Problem, Severity
from diglot.model import EntryState
from diglot.project import Project
from diglot.report import build_report, render_report, report_rows
from diglot.status import CatalogStatus, bar_parts, project_status, terminal_bar

DATA = Path(__file__).parent / "data" / "checks" / "project"
REPO = Path(__file__).parent.parent
KPK = "locales/en/LC_MESSAGES/kpk-2015.po"


@pytest.fixture
def qa_project(tmp_path: Path) -> Path:
    """A copy of the sample project's reviewed English catalogs, templates and glossary."""
    root = tmp_path / "sample"
    shutil.copytree(DATA, root)
    return root


def _unreview(root: Path) -> None:
    """Make kpk-2015 half done: one machine draft, one other fuzzy, one emptied, one changed."""
    path = root / KPK
    po = polib.pofile(str(path))
    entries = [e for e in po if not e.obsolete]
    entries[0].flags.append("fuzzy")
    entries[0].tcomment = "diglot-draft: deepl 2026-11-27"
    entries[1].flags.append("fuzzy")
    assert "03.08.2015" in entries[2].msgstr
    entries[2].msgstr = entries[2].msgstr.replace("03.08.2015", "04.08.2015")
    entries[3].msgstr = ""
    po.save(str(path))


def _status(**segments: int) -> CatalogStatus:
    counts = {EntryState(k.replace("_", " ")): v for k, v in segments.items()}
    return CatalogStatus(doc="d", lang="en", path=Path("d.po"), segments=counts,
                         msgids={s: ["три слова здесь"] * n for s, n in counts.items()})


def test_bar_parts_follow_the_counts() -> None:
    """The bar has a part per state, in order, sized by its share of the segments."""
    parts = bar_parts(_status(translated=2, machine_draft=1, fuzzy=0, untranslated=1))
    assert [(p.label, p.count, p.percent) for p in parts] == [
        ("reviewed", 2, 50.0), ("memory match", 0, 0.0), ("machine draft", 1, 25.0),
        ("aligned, to review", 0, 0.0), ("other fuzzy", 0, 0.0), ("untranslated", 1, 25.0)]


def test_terminal_bar_has_its_width_and_shows_every_state_present() -> None:
    """The terminal bar is exactly as wide as asked, with a character for each non-empty state."""
    bar = terminal_bar(_status(translated=97, machine_draft=1, untranslated=2), width=10)
    assert len(bar.plain) == 10
    assert "▓" in bar.plain and "░" in bar.plain and "▒" not in bar.plain


class _Page(HTMLParser):
    """Collects what the report tests look at: links, bar parts, problem lines, script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.parts: list[tuple[str, str]] = []
        self.scripts = 0
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "span" and a.get("style", "") and "width" in (a.get("style") or ""):
            self.parts.append((a.get("class") or "", a.get("style") or ""))
        if tag == "script":
            self.scripts += 1
        if tag in ("link", "img", "iframe") or (tag == "script" and a.get("src")):
            self.external.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_report_shows_progress_words_problems_and_editions(qa_project: Path) -> None:
    """The page has the bar parts, words left, each problem at path:line and existing editions."""
    _unreview(qa_project)
    edition = qa_project / "editions" / "en" / "kpk-2015.html"
    edition.parent.mkdir(parents=True)
    edition.write_text("<p>edition</p>", encoding="utf-8")
    project = Project.load(qa_project)
    html = build_report(project, report_path=qa_project / "reports" / "status.html")
    page = _parse(html)
    text = " ".join(" ".join(page.text).split())
    assert page.scripts == 0 and page.external == []
    assert "../editions/en/kpk-2015.html" in page.links
    assert not any("strike-2024.html" in link for link in page.links)
    assert {css for css, _ in page.parts} == {"reviewed", "machine", "fuzzy", "untranslated"}
    assert ("reviewed 12 · memory match 0 · machine draft 1 · aligned, to review 0 · "
            "other fuzzy 1 · untranslated 1") in text
    kpk = next(s for s in project_status(project) if s.doc == "kpk-2015")
    left = kpk.total_words - kpk.words[EntryState.TRANSLATED]
    assert re.search(rf"80\.0 % {left} ", text)
    assert re.search(rf"{KPK}:\d+ error \[numbers\]", text)


def test_report_escapes_what_it_shows(qa_project: Path) -> None:
    """A problem message with markup in it is shown as text (autoescape), never as markup."""
    project = Project.load(qa_project)
    statuses = project_status(project)
    bad = Problem(qa_project / KPK, 3, "numbers", Severity.ERROR, "<script>alert(1)</script>")
    run = CheckRun(problems=(bad,), catalogs=2, entries=31)
    rows = report_rows(project, statuses, run, report_dir=qa_project / "reports")
    html = render_report(rows, title="t & <b>", generated=datetime(2026, 11, 27, tzinfo=UTC))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "t &amp; &lt;b&gt;" in html


def test_status_html_writes_the_report_in_reports(qa_project: Path, run: Callable[..., int],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """'diglot status --html' writes reports/status.html and still prints the table."""
    assert run(qa_project, "status", "--html") == 0
    out = capsys.readouterr().out
    report = qa_project / "reports" / "status.html"
    assert "wrote reports/status.html" in out
    assert "kpk-2015" in out and "█" in out
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "strike-2024" in html
    assert run(qa_project, "status", "--html", "elsewhere.html") == 0
    assert (qa_project / "elsewhere.html").is_file()


@pytest.mark.chromium
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_console_messages_are_caught(tab: Tab, tmp_path: Path) -> None:
    """The harness sees a page's console errors and exceptions (so its silence means something)."""
    page = tmp_path / "noisy.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom')</script>"
                    "<script>undefined_function()</script>", encoding="utf-8")
    tab.open(page)
    assert any("boom" in e for e in tab.errors)
    assert any("undefined_function" in e for e in tab.errors)


@pytest.mark.chromium
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_report_opens_in_chromium_without_console_errors(qa_project: Path, tab: Tab,
                                                         artifacts: Path) -> None:
    """The report renders in headless Chromium with no console error; a screenshot is kept."""
    _unreview(qa_project)
    report = qa_project / "reports" / "status.html"
    report.parent.mkdir()
    report.write_text(build_report(Project.load(qa_project), report_path=report),
                      encoding="utf-8")
    tab.open(report, height=1000)
    shot = tab.page.screenshot(full_page=True, path=artifacts / "status-report.png")
    assert len(shot) > 10_000
    assert tab.page.locator(".bar").count() > 0
    assert tab.errors == []
