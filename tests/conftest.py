"""Shared fixtures: sample data, a throw-away project, the CLI driven in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from browser import add_option, artifacts, chromium, phone_tab, tab
from diglot.cli import main
from fake_deepl import FakeDeepL, running

# the browser harness's fixtures (tests/browser.py), for the HTML tests
__all__ = ["artifacts", "chromium", "phone_tab", "tab"]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_option(parser)
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (review the diff)")


# Property tests keep no example database: tests never write into the repository.
settings.register_profile("diglot", database=None, deadline=None)
settings.load_profile("diglot")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _no_deepl_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a real DeepL or model-server key or server."""
    for name in ("DEEPL_AUTH_KEY", "DEEPL_SERVER_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")


@pytest.fixture
def fake_deepl(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDeepL]:
    """The fake DeepL on 127.0.0.1, with DEEPL_AUTH_KEY and DEEPL_SERVER_URL pointing at it."""
    with running(FakeDeepL()) as server:
        monkeypatch.setenv("DEEPL_AUTH_KEY", server.auth_key)
        monkeypatch.setenv("DEEPL_SERVER_URL", server.url)
        yield server


@pytest.fixture
def catalog_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the catalogs the record reader parses (not taken from the cache of parsed
    catalogs) while a test runs."""
    from diglot.pofile import readonly

    seen: list[str] = []
    real = readonly._parse_records

    def counting(data: bytes, path: Path) -> tuple[readonly.CatalogRecords, str]:
        seen.append(path.name)
        return real(data, path)

    monkeypatch.setattr(readonly, "_parse_records", counting)
    return seen


def make_project(root: Path, *, docs: dict[str, str], targets: tuple[str, ...] = ("en",),
                 extra: str = "") -> Path:
    """A project in ``root`` with ``docs`` (file name → text) under source/ru/."""
    target_list = ", ".join(f'"{t}"' for t in targets)
    (root / "diglot.toml").write_text(
        f'source_language = "ru"\ntarget_languages = [{target_list}]\n{extra}', encoding="utf-8")
    for name, text in docs.items():
        path = root / "source" / "ru" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def new_project() -> Callable[..., Path]:
    """The :func:`make_project` factory, for tests that need their own documents."""
    return make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project holding kpk-2015.txt, with no catalogs yet."""
    return make_project(tmp_path, docs={"kpk-2015.txt": (DATA / "kpk-2015" / "ru.txt").read_text(
        encoding="utf-8")})


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's sample project (sources and reviewed catalogs)."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(REPO / "diglot.toml", root)
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "locales", root / "locales")
    if (REPO / "glossary").is_dir():
        shutil.copytree(REPO / "glossary", root / "glossary")
    return root


Run = Callable[..., int]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run the CLI in-process in a project folder: ``run(root, "extract")``."""

    def _run(root: Path, *argv: str) -> int:
        monkeypatch.chdir(root)
        return main(list(argv))

    return _run


def msgfmt_check(root: Path) -> None:
    """Every catalog under ``root/locales`` passes ``msgfmt --check`` (if gettext is there)."""
    if shutil.which("msgfmt") is None:
        return
    for path in sorted((root / "locales").rglob("*.po")):
        done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{path}: {done.stderr}"
