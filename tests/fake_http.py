"""What the fake DeepL and OpenAI servers share: serving one fake on 127.0.0.1 in a thread.

A fake is any object with a ``url`` to fill in and a ``_released`` event that
its handler's stalled answers wait on (set when the server stops, so a test
never hangs on a stalled request).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar


class Fake(Protocol):
    url: str
    _released: threading.Event


F = TypeVar("F", bound=Fake)


class FakeServer(ThreadingHTTPServer, Generic[F]):
    """An HTTP server on a free port of 127.0.0.1; handlers reach the fake as ``server.fake``."""

    daemon_threads = True

    def __init__(self, fake: F, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.fake = fake


class Serving(Generic[F]):
    """Serve ``fake`` in a thread for the ``with`` body; ``fake.url`` is its address + ``path``."""

    def __init__(self, fake: F, handler: type[BaseHTTPRequestHandler], *, path: str = "") -> None:
        self.fake = fake
        self.path = path
        self.server: FakeServer[F] = FakeServer(fake, handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def __enter__(self) -> F:
        host, port = self.server.server_address[:2]
        self.fake.url = f"http://{host!s}:{port}{self.path}"
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: Any) -> None:
        self.fake._released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class Counting(Protocol):
    def received(self) -> int: ...


def signal_midway(fake: Counting, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str],
                  sig: signal.Signals, requests: int = 3) -> int:
    """Run ``diglot argv`` in a child process, send it ``sig`` once ``fake`` has received
    ``requests`` requests (the last one held by the fake), and return its exit code."""
    code = f"import sys; from diglot.cli import main; sys.exit(main({list(argv)!r}))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=cwd, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while fake.received() < requests and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fake.received() == requests, proc.stderr.read() if proc.stderr else ""
        proc.send_signal(sig)
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        if proc.stderr:
            proc.stderr.close()
