"""One browser harness for the HTML tests: Playwright for Python driving Debian's Chromium.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (Debian's package,
installed by ``.ci/run``) through ``executable_path``, headless, with ``--no-sandbox`` (CI runs
as root) and with background networking, component updates, sync and first-run work off, so a
test never reaches the internet.  Tests are skipped where Chromium or Playwright is missing.

Fixtures (imported by ``conftest.py``):

``chromium``
    one browser for the whole session.
``tab``
    a fresh page in its own context (its own viewport), with every console error, uncaught
    exception and browser log error (CSP, failed loads) collected in ``tab.errors``.
``artifacts``
    the folder for screenshots and PDFs a human may look at: ``--artifacts DIR`` on the
    pytest command line, otherwise the test's temporary folder.  Never the repository.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars"]

needs_chromium = [
    pytest.mark.chromium,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]


@dataclass
class Tab:
    """A page and the errors it reported."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path, *, width: int = 1280, height: int = 900) -> None:
        """Load a local file at the given viewport size and wait for its load event."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.goto(path.as_uri(), wait_until="load")


def add_option(parser: pytest.Parser) -> None:
    parser.addoption("--artifacts", metavar="DIR", default=None,
                     help="keep browser screenshots and PDFs in DIR (default: a temporary "
                     "folder per test); never point it into the repository's tracked files")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole session (closed at its end)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _new_tab(browser: Browser, *, mobile: bool) -> Tab:
    if mobile:
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      device_scale_factor=2, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(page=context.new_page())
    tab.page.on("console", lambda m: tab.errors.append(m.text)
                if m.type in ("error", "assert") else None)
    tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    return tab


@pytest.fixture
def tab(chromium: Browser) -> Iterator[Tab]:
    """A desktop-sized page of its own."""
    opened = _new_tab(chromium, mobile=False)
    yield opened
    opened.page.context.close()


@pytest.fixture
def phone_tab(chromium: Browser) -> Iterator[Tab]:
    """A phone-sized page (390 × 844, touch, device scale 2)."""
    opened = _new_tab(chromium, mobile=True)
    yield opened
    opened.page.context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where a test keeps screenshots and PDFs: ``--artifacts DIR`` or its temporary folder."""
    chosen = request.config.getoption("--artifacts")
    folder = Path(chosen) if chosen else tmp_path / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
