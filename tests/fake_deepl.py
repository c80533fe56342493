"""A DeepL-compatible API server of our own on 127.0.0.1, for driving the real ``deepl`` client.

It answers ``/v2/translate``, ``/v2/usage``, ``/v2/languages``,
``/v2/glossary-language-pairs`` and ``/v2/glossaries`` (create, list, get,
entries, delete) the way DeepL does, and has knobs for the failures DeepL's
own test suite exercises: answers with a status (429, 456, 5xx, 403), dropped
connections, slow answers, requests held until released, a character limit,
a body-size limit (413), and mangled tags.  Every request is logged.

Its "translation" is deterministic and keeps XML tags intact: glossary terms
are replaced first, then Cyrillic is transliterated to Latin, and the result
starts with ``[DE] `` (the target code).  :func:`fake_translation` computes the
same thing for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_http import FakeServer, Serving

TAG = re.compile(r"(<[^>]*>)")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "A", "B", "V", "G", "D", "E", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P", "R",
     "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya"],
    strict=True))
TARGETS = [
    ("BG", "Bulgarian", False), ("CS", "Czech", False), ("DE", "German", True),
    ("EN-GB", "English (British)", False), ("EN-US", "English (American)", False),
    ("ES", "Spanish", True), ("FR", "French", True), ("IT", "Italian", True),
    ("JA", "Japanese", True), ("NL", "Dutch", True), ("PL", "Polish", True),
    ("PT-BR", "Portuguese (Brazilian)", True), ("PT-PT", "Portuguese (European)", True),
    ("RU", "Russian", True), ("UK", "Ukrainian", False), ("ZH-HANS", "Chinese (simplified)", False),
]
SOURCES = sorted({code.split("-")[0] for code, _, _ in TARGETS})


def billed_length(xml: str) -> int:
    """Characters DeepL bills for a text sent with tag handling: text outside tags."""
    return len(ENTITY.sub("_", TAG.sub("", xml)))


def fake_translation(xml: str, target: str, glossary: dict[str, str] | None = None,
                     ignore_tags: tuple[str, ...] = ()) -> str:
    """What the fake server answers for ``xml``: tags kept, text transliterated, prefixed."""
    out: list[str] = []
    ignoring: list[str] = []
    for part in TAG.split(xml):
        if TAG.fullmatch(part):
            name = re.match(r"</?\s*([\w:-]+)", part)
            if name and name.group(1) in ignore_tags and not part.endswith("/>"):
                if part.startswith("</"):
                    if ignoring:
                        ignoring.pop()
                else:
                    ignoring.append(name.group(1))
            out.append(part)
            continue
        if ignoring:
            out.append(part)
            continue
        for source, translated in (glossary or {}).items():
            part = part.replace(source, translated)
        out.append("".join(_TRANSLIT.get(c, c) for c in part))
    return f"[{target}] " + "".join(out)


@dataclass
class Logged:
    """One request the server saw."""

    method: str
    path: str
    body: Any
    content_length: int
    auth: str
    status: int = 0
    """0 while it is being answered; -1 when the connection was dropped."""


@dataclass
class FakeDeepL:
    """The server's state and knobs.  Use :func:`running` to start and stop it."""

    auth_key: str = "fake-key-0000:fx"
    character_limit: int = 1_000_000
    character_count: int = 0
    max_body_bytes: int = 128 * 1024
    delay: float = 0.0
    """Seconds to wait before answering a translate request."""
    statuses: list[int] = field(default_factory=list)
    """Statuses to answer the next translate requests with, one each (429, 500, 503, 456...)."""
    drops: int = 0
    """Drop the connection of this many next translate requests."""
    drop_after: int | None = None
    """Drop every translate request once this many have been answered (the network is gone)."""
    quota_after: int | None = None
    """Answer 456 to every translate request once this many have been answered."""
    hold_after: int | None = None
    """Hold translate requests once this many have been answered, until :meth:`release`."""
    garbage: bool = False
    """Answer translate requests 200 with an HTML page instead of JSON (a proxy's error page)."""
    mangle: Callable[[str], str] | None = None
    """Applied to each translated text (to test markup checks)."""
    log: list[Logged] = field(default_factory=list)
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)

    # -- what the tests read

    @property
    def translate_requests(self) -> list[Logged]:
        """Translate requests answered 200."""
        return [r for r in self.log if r.path == "/v2/translate" and r.status == 200]

    @property
    def texts_sent(self) -> list[str]:
        return [t for r in self.translate_requests for t in r.body["text"]]

    @property
    def billed(self) -> int:
        return sum(billed_length(t) for t in self.texts_sent)

    def received(self, path: str = "/v2/translate") -> int:
        return sum(1 for r in self.log if r.path == path)

    def release(self) -> None:
        self.hold_after = None
        self._released.set()

    # -- answering

    def answer_translate(self, body: dict[str, Any]) -> tuple[int, Any]:
        target = str(body.get("target_lang", "")).upper()
        if target in ("EN", "PT"):
            return 400, {"message": f"Value for 'target_lang' not supported: {target}"}
        codes = {code: formal for code, _, formal in TARGETS}
        if target not in codes:
            return 400, {"message": "Value for 'target_lang' not supported."}
        formality = body.get("formality")
        if formality in ("more", "less") and not codes[target]:
            return 400, {"message": "'formality' is not supported for given 'target_lang'."}
        texts = body.get("text")
        if not isinstance(texts, list) or not texts or len(texts) > 50:
            return 400, {"message": "Parameter 'text' must hold 1 to 50 texts."}
        glossary: dict[str, str] | None = None
        if body.get("glossary_id"):
            found = self.glossaries.get(body["glossary_id"])
            if found is None:
                return 404, {"message": "Glossary not found"}
            glossary = found["entries"]
        billed = sum(billed_length(t) for t in texts)
        with self._lock:
            if self.character_count + billed > self.character_limit:
                return 456, {"message": "Quota exceeded"}
            self.character_count += billed
        ignore = tuple(body.get("ignore_tags") or ())
        out = []
        for text in texts:
            translated = fake_translation(text, target, glossary, ignore)
            if self.mangle is not None:
                translated = self.mangle(translated)
            item: dict[str, Any] = {"detected_source_language": body.get("source_lang", "RU"),
                                    "text": translated, "billed_characters": billed_length(text)}
            if body.get("model_type"):
                item["model_type_used"] = "quality_optimized"
            out.append(item)
        return 200, {"translations": out}

    def create_glossary(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("entries_format") != "tsv":
            return 400, {"message": "only tsv in this fake"}
        entries = dict(line.split("\t", 1) for line in str(body["entries"]).splitlines() if line)
        info = {"glossary_id": str(uuid.uuid4()), "name": body["name"], "ready": True,
                "source_lang": str(body["source_lang"]).lower(),
                "target_lang": str(body["target_lang"]).lower(),
                "creation_time": datetime.now(tz=UTC).isoformat().replace("+00:00", "Z"),
                "entry_count": len(entries)}
        self.glossaries[info["glossary_id"]] = {"info": info, "entries": entries}
        return 201, info


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is in :attr:`FakeDeepL.log`."""

    def _body(self) -> tuple[Any, int]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if "json" in kind:
            return json.loads(raw or b"null"), length
        parsed = urllib.parse.parse_qs(raw.decode("utf-8"))
        query = urllib.parse.urlsplit(self.path).query
        parsed.update(urllib.parse.parse_qs(query))
        return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}, length

    def _send(self, status: int, payload: Any, *, kind: str = "application/json") -> None:
        data = b"" if payload is None else (
            payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode())
        self.send_response(status)
        if data:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        fake = self.server.fake
        body, length = self._body()
        path = urllib.parse.urlsplit(self.path).path
        entry = Logged(self.command, path, body, length, self.headers.get("Authorization", ""))
        with fake._lock:
            fake.log.append(entry)
        status, payload, kind = self._route(fake, entry)
        if status < 0:
            entry.status = -1
            self.close_connection = True
            return
        entry.status = status
        try:
            self._send(status, payload, kind=kind)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            entry.status = -1

    def _route(self, fake: FakeDeepL, entry: Logged) -> tuple[int, Any, str]:
        json_kind = "application/json"
        if entry.auth != f"DeepL-Auth-Key {fake.auth_key}":
            return 403, {"message": "Wrong endpoint or invalid key"}, json_kind
        path, method, body = entry.path, entry.method, entry.body
        if path == "/v2/translate" and method == "POST":
            answered = len(fake.translate_requests)
            if fake.hold_after is not None and answered >= fake.hold_after:
                fake._released.wait(timeout=60)
            if fake.drops > 0:
                fake.drops -= 1
                return -1, None, json_kind
            if fake.drop_after is not None and answered >= fake.drop_after:
                return -1, None, json_kind
            if fake.statuses:
                status = fake.statuses.pop(0)
                return status, {"message": f"fake status {status}"}, json_kind
            if fake.quota_after is not None and answered >= fake.quota_after:
                return 456, {"message": "Quota exceeded"}, json_kind
            if entry.content_length > fake.max_body_bytes:
                return 413, {"message": "Request Entity Too Large"}, json_kind
            if fake.delay:
                time.sleep(fake.delay)
            if fake.garbage:
                return 200, "<html><body>502 Bad Gateway</body></html>", "text/html"
            status, payload = fake.answer_translate(body)
            return status, payload, json_kind
        if path == "/v2/usage":
            return 200, {"character_count": fake.character_count,
                         "character_limit": fake.character_limit}, json_kind
        if path == "/v2/languages":
            if isinstance(body, dict) and body.get("type") == "target":
                return 200, [{"language": c, "name": n, "supports_formality": f}
                             for c, n, f in TARGETS], json_kind
            return 200, [{"language": c, "name": c} for c in SOURCES], json_kind
        if path == "/v2/glossary-language-pairs":
            pairs = [{"source_lang": s.lower(), "target_lang": t.split("-")[0].lower()}
                     for s in SOURCES for t, _, _ in TARGETS if t.split("-")[0] != s]
            return 200, {"supported_languages": pairs}, json_kind
        if path == "/v2/glossaries":
            if method == "POST":
                status, payload = fake.create_glossary(body)
                return status, payload, json_kind
            return 200, {"glossaries": [g["info"] for g in fake.glossaries.values()]}, json_kind
        match = re.fullmatch(r"/v2/glossaries/([\w-]+)(/entries)?", path)
        if match:
            found = fake.glossaries.get(match.group(1))
            if found is None:
                return 404, {"message": "Glossary not found"}, json_kind
            if match.group(2):
                tsv = "\n".join(f"{k}\t{v}" for k, v in found["entries"].items())
                return 200, tsv, "text/tab-separated-values"
            if method == "DELETE":
                del fake.glossaries[match.group(1)]
                return 204, None, json_kind
            return 200, found["info"], json_kind
        return 404, {"message": "Not found"}, json_kind

    do_GET = do_POST = do_DELETE = do_PATCH = _handle


_Server = FakeServer[FakeDeepL]


def running(fake: FakeDeepL) -> Serving[FakeDeepL]:
    """Serve ``fake`` on 127.0.0.1 (a free port) in a thread for the ``with`` body."""
    return Serving(fake, _Handler)
