"""Post-edit effort: every draft kept as written, compared with what reviewers made of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import polib
import pytest

from diglot.effort import engine_effort, log_path, read_log
from diglot.errors import CatalogError
from diglot.project import Project
from fake_openai import FakeOpenAI, running

Run = Callable[..., int]
TEXT = ("Рабочие продолжают забастовку. Администрация молчит.\n\n"
        "Мы требуем повышения зарплаты. Мы победим!\n")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with running(FakeOpenAI()) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        yield server


@pytest.fixture
def drafted(tmp_path: Path, new_project: Callable[..., Path], fake: FakeOpenAI,
            run: Run) -> Path:
    """Four sentences drafted by the llm engine (the fake transliterates)."""
    (tmp_path / "p").mkdir()
    root: Path = new_project(tmp_path / "p", docs={"a.txt": TEXT},
                             extra='[translate]\nengine = "llm"\nllm_model = "fake-7b"\n')
    assert run(root, "extract") == 0
    assert run(root, "translate") == 0
    return root


def review(root: Path, edits: dict[str, str | None]) -> None:
    """Review entries: a new text, or None to accept the draft as it is."""
    path = root / "locales" / "en" / "LC_MESSAGES" / "a.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in edits:
            text = edits[entry.msgid]
            if text is not None:
                entry.msgstr = text
            entry.flags.remove("fuzzy")
    po.save(str(path))


def test_every_draft_is_logged_as_written(drafted: Path) -> None:
    """drafts/en/a.jsonl holds each draft with engine, model and date."""
    project = Project.load(drafted)
    records = read_log(log_path(project, "en", "a"))
    assert [r.msgid for r in records] == ["Рабочие продолжают забастовку.", "Администрация молчит.",
                                          "Мы требуем повышения зарплаты.", "Мы победим!"]
    assert {(r.engine, r.model, r.date) for r in records} == {("llm", "fake-7b", "2025-11-27")}
    assert records[0].draft == "Rabochie prodolzhayut zabastovku."


def test_figures_for_edits_of_known_distance(drafted: Path, run: Run,
                                             new_project: Callable[..., Path],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Accepted as is (0), two letters changed (2/n), rewritten (1), one left unreviewed."""
    project = Project.load(drafted)
    drafts = {r.msgid: r.draft for r in read_log(log_path(project, "en", "a"))}
    second = drafts["Администрация молчит."]
    two_changed = "XY" + second[2:]
    third = drafts["Мы требуем повышения зарплаты."]
    rewritten = "#" * len(third)
    review(drafted, {"Рабочие продолжают забастовку.": None, "Администрация молчит.": two_changed,
                     "Мы требуем повышения зарплаты.": rewritten})
    (row,) = engine_effort(project)
    assert (row.engine, row.lang, row.written, row.reviewed, row.unchanged) == (
        "llm", "en", 4, 3, 1)
    assert row.share_unchanged == pytest.approx(1 / 3)
    assert row.distance == pytest.approx((0 + 2 / len(second) + 1) / 3)
    # the memory's drafts are counted apart: a second document repeats a reviewed sentence
    (drafted / "source" / "ru" / "b.txt").write_text("Рабочие продолжают забастовку.\n",
                                                      encoding="utf-8")
    assert run(drafted, "extract") == 0
    assert run(drafted, "translate", "--engine", "memory") == 0
    rows = {r.engine: r for r in engine_effort(project)}
    assert (rows["memory"].written, rows["memory"].reviewed) == (1, 0)
    assert rows["llm"].written == 4
    capsys.readouterr()
    assert run(drafted, "status", "--engines") == 0
    out = capsys.readouterr().out
    assert "llm" in out and "memory" in out and f"{row.distance:.3f}" in out


def test_figures_survive_a_fresh_clone(drafted: Path, run: Run, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The draft log is committed with the project: a clone shows the same figures."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    review(drafted, {"Мы победим!": "We shall win!"})

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                        *args], cwd=cwd, check=True, capture_output=True)

    git("init", "-q", cwd=drafted)
    git("add", "-A", cwd=drafted)
    git("commit", "-q", "-m", "drafts", cwd=drafted)
    clone = tmp_path / "clone"
    git("clone", "-q", str(drafted), str(clone), cwd=tmp_path)
    assert not (clone / ".diglot").exists()
    capsys.readouterr()
    assert run(drafted, "status", "--engines", "--json") == 0
    here = json.loads(capsys.readouterr().out)
    assert run(clone, "status", "--engines", "--json") == 0
    there = json.loads(capsys.readouterr().out)
    assert here == there and here[0]["reviewed"] == 1 and here[0]["written"] == 4


def test_report_has_an_engine_section(drafted: Path, run: Run) -> None:
    """The HTML report shows the same figures per engine."""
    review(drafted, {"Мы победим!": None})
    assert run(drafted, "status", "--html") == 0
    html = (drafted / "reports" / "status.html").read_text(encoding="utf-8")
    assert 'id="engines"' in html and "<td>llm</td>" in html and "1 (100 %)" in html


def test_a_run_killed_while_logging_loses_no_record_and_the_next_resumes(
        drafted: Path, run: Run) -> None:
    """A last line cut short is passed over, then cut off by the next run's append; every
    earlier byte of the log stays as it was (appended to, never rewritten)."""
    project = Project.load(drafted)
    path = log_path(project, "en", "a")
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"date": "2025-11-27", "draft": "My pob')
    assert len(read_log(path)) == 4
    catalog = drafted / "locales" / "en" / "LC_MESSAGES" / "a.po"
    po = polib.pofile(str(catalog))
    for entry in po:
        if entry.msgid == "Мы победим!":
            entry.msgstr = ""
            entry.flags.remove("fuzzy")
    po.save(str(catalog))
    inode = path.stat().st_ino
    assert run(drafted, "translate") == 0
    data = path.read_bytes()
    assert data.startswith(whole) and path.stat().st_ino == inode
    assert data.count(b"\n") == 5 and data.endswith(b"\n")
    assert [r.msgid for r in read_log(path)][-2:] == ["Мы победим!", "Мы победим!"]
    path.write_bytes(whole.replace(b"\n", b"\n{broken\n", 1))  # not the last line: an error
    with pytest.raises(CatalogError, match="not a draft record") as caught:
        read_log(path)
    assert caught.value.line == 2


def test_effort_reads_catalogs_as_records_without_polib(drafted: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures come from the catalogs read as records: polib's parse is never asked."""
    review(drafted, {"Рабочие продолжают забастовку.": None})
    project = Project.load(drafted)
    from diglot.pofile import reader

    def no_polib(*_: object, **__: object) -> None:
        raise AssertionError("parsed with polib")

    monkeypatch.setattr(reader, "parse_catalog", no_polib)
    (row,) = engine_effort(project)
    assert (row.written, row.reviewed, row.unchanged) == (4, 1, 1)
