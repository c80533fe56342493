"""An OpenAI-compatible chat-completions server of our own on 127.0.0.1, for the ``llm`` engine.

It answers ``POST /v1/chat/completions`` (with ``response_format`` JSON
schema) and ``GET /v1/models``.  Its "model" reads the numbered sentences of
diglot's prompt and answers ``{"translations": [...]}``: the sentence from
:attr:`FakeOpenAI.answers` (keyed by the sentence as sent, placeholders
included) or else the sentence transliterated to Latin with its tags kept.

Fault knobs, consumed one per request in :attr:`FakeOpenAI.faults`:
``400`` ``401`` ``404`` ``429`` ``500`` (error answers as the API gives them),
``context`` (a 400 context-length error), ``slow`` (wait :attr:`delay` seconds
first), ``count`` (one translation too few), ``markup`` (tags dropped),
``number`` (every digit changed), ``notjson`` (prose instead of JSON).
Every request is logged with its parsed body and Authorization header.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_deepl import fake_translation
from fake_http import FakeServer, Serving

_HEADER = re.compile(r"^Translate these \d+ sentence\(s\)")
_NUMBERED = re.compile(r"^(\d+)\. (.*)$")
TAG = re.compile(r"<[^>]*>")
_NEGATIONS = {"не": "not", "нет": "no", "ни": "nor", "никогда": "never", "ничего": "nothing"}


def sentences_of(prompt: str) -> list[str]:
    """The numbered sentences of diglot's user message."""
    out: list[str] = []
    inside = False
    for line in prompt.splitlines():
        if _HEADER.match(line):
            inside = True
            continue
        if inside:
            m = _NUMBERED.match(line)
            if m is None:
                if out:
                    break
                continue
            out.append(m.group(2))
    return out


@dataclass
class Logged:
    path: str
    body: Any
    auth: str
    status: int = 0

    @property
    def user(self) -> str:
        return str(self.body["messages"][-1]["content"])

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])


@dataclass
class FakeOpenAI:
    """The server's state and knobs.  Use :func:`running` to start and stop it."""

    models: tuple[str, ...] = ("fake-7b",)
    api_key: str = ""
    """When set, requests must carry ``Authorization: Bearer <api_key>`` (else 401)."""
    answers: dict[str, str] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    delay: float = 0.0
    hold_after: int | None = None
    """Hold completions once this many have been answered, until :meth:`release`."""
    log: list[Logged] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)

    @property
    def completions(self) -> list[Logged]:
        """Completion requests answered 200."""
        return [r for r in self.log if r.path.endswith("/chat/completions") and r.status == 200]

    def received(self) -> int:
        return sum(1 for r in self.log if r.path.endswith("/chat/completions"))

    def release(self) -> None:
        self.hold_after = None
        self._released.set()

    def translate(self, sentence: str) -> str:
        """The known answer, else a transliteration that keeps tags, numbers and negations."""
        if sentence in self.answers:
            return self.answers[sentence]
        for word, english in _NEGATIONS.items():
            sentence = re.sub(rf"(?<!\w){word}(?!\w)", english, sentence, flags=re.IGNORECASE)
        return fake_translation(sentence, "EN")[len("[EN] "):]

    def complete(self, body: dict[str, Any], fault: str) -> tuple[int, Any]:
        model = body.get("model")
        if model not in self.models or fault == "404":
            return 404, _error(f"The model `{model}` does not exist", "model_not_found")
        if fault == "context":
            return 400, _error("This model's maximum context length is 4096 tokens. However, "
                               "your messages resulted in 9000 tokens.",
                               "context_length_exceeded")
        if fault == "400":
            return 400, _error("Invalid request", "invalid_request_error")
        if fault in ("429", "500"):
            return int(fault), _error(f"fake status {fault}", "server_error")
        prompt = str(body["messages"][-1]["content"])
        out = [self.translate(s) for s in sentences_of(prompt)]
        if fault == "count":
            out = out[:-1] if len(out) > 1 else [*out, out[0]]
        elif fault == "markup":
            out = [TAG.sub("", t) for t in out]
        elif fault == "number":
            out = [re.sub(r"\d", lambda m: str((int(m.group(0)) + 1) % 10), t) for t in out]
        content = (f"Sure! Here are the translations: {out}" if fault == "notjson"
                   else json.dumps({"translations": out}, ensure_ascii=False))
        prompt_tokens = sum(len(str(m["content"])) for m in body["messages"]) // 4
        completion_tokens = len(content) // 4
        return 200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is in :attr:`FakeOpenAI.log`."""

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        entry = Logged(self.path, body, self.headers.get("Authorization", ""))
        with fake._lock:
            fake.log.append(entry)
        if fake.api_key and entry.auth != f"Bearer {fake.api_key}":
            entry.status = 401
            self._send(401, _error("Incorrect API key provided", "invalid_api_key"))
            return
        if self.path.endswith("/models"):
            entry.status = 200
            self._send(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in fake.models]})
            return
        if not self.path.endswith("/chat/completions"):
            entry.status = 404
            self._send(404, _error("Not found", "not_found"))
            return
        answered = len(fake.completions)
        if fake.hold_after is not None and answered >= fake.hold_after:
            fake._released.wait(timeout=60)
        with fake._lock:
            fault = fake.faults.pop(0) if fake.faults else ""
        if fault == "401":
            entry.status = 401
            self._send(401, _error("Incorrect API key provided", "invalid_api_key"))
            return
        if fault == "slow" or fake.delay:
            time.sleep(fake.delay)
        status, payload = fake.complete(body, fault)  # type: ignore[arg-type]  # None: no body
        entry.status = status
        try:
            self._send(status, payload)
        except (BrokenPipeError, ConnectionResetError):
            entry.status = -1

    do_GET = do_POST = _handle


_Server = FakeServer[FakeOpenAI]


def running(fake: FakeOpenAI) -> Serving[FakeOpenAI]:
    """Serve ``fake`` on 127.0.0.1 (a free port) in a thread for the ``with`` body."""
    return Serving(fake, _Handler, path="/v1")
