"""The bilingual edition in a real browser: Debian's headless Chromium over the DevTools protocol.

Chromium is driven through a minimal WebSocket client (standard library only)
on 127.0.0.1.  Screenshots of kpk-2015 (desktop and phone widths) and its A4
PDF are saved under ``test-artifacts/`` (git-ignored) for a human to look at.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from test_editions import fill_catalog, gold_pairs, md_pairs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
DATA = Path(__file__).parent / "data"

pytestmark = [pytest.mark.chromium,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]

Run = Callable[..., int]


class DevTools:
    """Just enough of a WebSocket client to speak the Chrome DevTools protocol to one page."""

    def __init__(self, url: str) -> None:
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        self.sock.close()

    def _exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, payload: bytes, opcode: int = 1) -> None:
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        key = (mask * (n // 4 + 1))[:n]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
        self.sock.sendall(header + mask + masked)

    def _message(self) -> dict[str, Any]:
        data = b""
        while True:
            b0, b1 = self._exact(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._exact(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._exact(8))
            payload = self._exact(length)
            if opcode == 8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode == 9:
                self._send(payload, opcode=10)
                continue
            data += payload
            if b0 & 0x80:
                message: dict[str, Any] = json.loads(data)
                return message

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}).encode())
        while True:
            message = self._message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        for message in self.events:
            if message.get("method") == event:
                self.events.remove(message)
                return message
        while True:
            message = self._message()
            if message.get("method") == event:
                return message
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (CSP, loading) so far."""
        out = []
        for m in self.events:
            params = m.get("params", {})
            if m.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(params["exceptionDetails"])[:300])
            elif m.get("method") == "Runtime.consoleAPICalled" and params.get("type") in (
                    "error", "assert"):
                out.append(json.dumps(params.get("args"))[:300])
            elif m.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(params["entry"].get("text", "")[:300])
        return out


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    """A headless Chromium with one page, over DevTools; stopped (by its pid) afterwards."""
    assert CHROMIUM is not None
    profile = tmp_path / "chromium-profile"
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", "--hide-scrollbars", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.is_file() and port_file.read_text().count("\n") >= 1:
                break
            if proc.poll() is not None:
                pytest.fail(f"chromium exited with {proc.returncode}")
            time.sleep(0.1)
        port = int(port_file.read_text().split("\n")[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page"):
            tools.call(f"{domain}.enable")
        yield tools
        tools.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def open_page(tools: DevTools, path: Path, *, width: int, height: int = 900,
              mobile: bool = False) -> None:
    tools.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
               deviceScaleFactor=2 if mobile else 1, mobile=mobile)
    tools.call("Page.navigate", url=path.as_uri())
    tools.wait_for("Page.loadEventFired")


def center(tools: DevTools, element_id: str) -> tuple[float, float]:
    """Viewport coordinates of the middle of an element's first line box, scrolled into view."""
    box = tools.evaluate(
        f"(() => {{ const e = document.getElementById({json.dumps(element_id)});"
        " e.scrollIntoView({block: 'center'});"
        " const r = e.getClientRects()[0]; return [r.left + Math.min(r.width, 40) / 2,"
        " r.top + r.height / 2]; })()")
    return float(box[0]), float(box[1])


def has_class(tools: DevTools, element_id: str, css: str) -> bool:
    return bool(tools.evaluate(
        f"document.getElementById({json.dumps(element_id)}).classList.contains({css!r})"))


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
def test_cells_of_each_block_start_at_the_same_height(browser: DevTools, built: Path,
                                                      doc: str) -> None:
    """On a desktop-width page both cells of every block, and their first lines, start level."""
    open_page(browser, built / "ru-en" / f"{doc}.html", width=1280)
    rows = browser.evaluate(CELL_TOPS)
    assert len(rows) == {"kpk-2015": 8, "strike-2024": 14}[doc]
    for row in rows:
        assert len(row["cells"]) == 2
        assert abs(row["cells"][0] - row["cells"][1]) < 0.5, row
        assert abs(row["text"][0] - row["text"][1]) < 0.5, row
    assert browser.errors() == []


def test_hover_focus_and_click_highlight_the_counterpart(browser: DevTools, built: Path) -> None:
    """Pointing at, focusing or clicking a sentence highlights its translation (and back)."""
    open_page(browser, built / "ru-en" / "kpk-2015.html", width=1280)
    assert not has_class(browser, "s3-2-en", "hl")
    x, y = center(browser, "s3-2-ru")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    assert has_class(browser, "s3-2-en", "hl")
    assert not has_class(browser, "s3-1-en", "hl")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=2, y=2)
    assert not has_class(browser, "s3-2-en", "hl")

    browser.evaluate("document.getElementById('s5-3-en').focus()")
    assert has_class(browser, "s5-3-ru", "hl")
    browser.evaluate("document.getElementById('s5-3-en').blur()")
    assert not has_class(browser, "s5-3-ru", "hl")

    x, y = center(browser, "s6-2-en")
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                     clickCount=1)
    assert has_class(browser, "s6-2-ru", "pin") and has_class(browser, "s6-2-en", "pin")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=2, y=2)
    assert has_class(browser, "s6-2-ru", "pin")
    assert browser.errors() == []


def test_phone_width_stacks_each_pair_together(browser: DevTools, built: Path) -> None:
    """At phone width the translation sits under its source, and blocks never interleave."""
    open_page(browser, built / "ru-en" / "kpk-2015.html", width=390, height=844, mobile=True)
    rows = browser.evaluate(CELL_TOPS)
    for row in rows:
        assert row["cells"][1] >= row["bottoms"][0] - 0.5, row
    for above, below in itertools.pairwise(rows):
        assert above["bottom"] <= below["top"] + 0.5
    width = browser.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "kpk-2015-bilingual-phone.png").write_bytes(base64.b64decode(shot["data"]))
    assert browser.errors() == []


def test_screenshot_and_a4_print_of_kpk(browser: DevTools, built: Path) -> None:
    """kpk-2015 renders (screenshot saved as a test artifact) and prints on A4 pages."""
    open_page(browser, built / "ru-en" / "kpk-2015.html", width=1280)
    height = browser.evaluate("document.documentElement.scrollHeight")
    browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=int(height),
                 deviceScaleFactor=1, mobile=False)
    shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    assert shot.startswith(b"\x89PNG")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "kpk-2015-bilingual.png").write_bytes(shot)
    pdf = base64.b64decode(browser.call("Page.printToPDF", preferCSSPageSize=True,
                                        printBackground=True)["data"])
    (ARTIFACTS / "kpk-2015-bilingual.pdf").write_bytes(pdf)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert boxes, "no page in the PDF"
    for w, h in boxes:
        assert abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2  # A4 in points
    assert browser.errors() == []


def test_draft_page_shows_its_banner_and_marks(browser: DevTools, tmp_path: Path, run: Run,
                                               built: Path) -> None:
    """A draft bilingual page shows the banner on screen and marks unreviewed sentences."""
    root = built.parent
    fill_catalog(root / "locales/en/LC_MESSAGES/kpk-2015.po", gold_pairs(), draft=2, empty=4)
    assert run(root, "build", "--draft") == 0
    open_page(browser, root / "editions-draft" / "ru-en" / "kpk-2015.html", width=1280)
    banner = browser.evaluate("document.querySelector('.draft-banner').innerText")
    assert "2 of 15 sentences unreviewed" in banner
    badge = browser.evaluate(
        "getComputedStyle(document.querySelector('.st-machine'), '::before').content")
    assert badge == '"MACHINE DRAFT"'
    assert browser.evaluate("document.title").startswith("DRAFT")
    assert browser.errors() == []


def test_every_html_edition_opens_without_errors(browser: DevTools, built: Path) -> None:
    """Each monolingual and bilingual HTML edition loads with no console error or exception."""
    pages = sorted(built.rglob("*.html"))
    assert len(pages) == 6  # ru, en and ru-en for two documents
    for page in pages:
        open_page(browser, page, width=1280)
        assert browser.evaluate("document.querySelectorAll('.s').length") > 0, page
        assert browser.errors() == [], page


def test_a_script_in_a_statement_is_shown_not_run(browser: DevTools, tmp_path: Path, run: Run,
                                                  new_project: Callable[..., Path]) -> None:
    """A <script> in a source or a translation shows as text in every page and never runs."""
    import polib

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
        open_page(browser, page, width=1280)
        assert browser.evaluate("typeof window.pwned") == "undefined", page
        assert browser.evaluate("document.querySelectorAll('main script, main img').length") == 0
        shown = browser.evaluate("document.body.innerText")
        assert "<script>" in shown or "<img" in shown, page
