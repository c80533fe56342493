"""``diglot translate --engine llm`` against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import logging
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check
from diglot import inline
from diglot.catalogs import draft_origin, entry_state, read_catalog
from diglot.drafts import TranslateOptions, document_contexts, translate
from diglot.engines.base import Batch, Draft, Rejected
from diglot.engines.llm import LLMEngine, LLMOptions
from diglot.engines.memory import MemoryUnit, TranslationMemory
from diglot.errors import EngineError
from diglot.model import EntryState, SourceFormat
from diglot.project import Project
from diglot.workflow import load_documents
from fake_http import signal_midway
from fake_openai import FakeOpenAI, running

REPO = Path(__file__).parent.parent
Run = Callable[..., int]
DOCS = ("kpk-2015", "strike-2024")
FAST = LLMOptions(base_url="", model="fake-7b", max_retries=2, backoff_initial=0.01,
                  timeout=5.0, deadline=10.0)


def reference_answers() -> dict[str, str]:
    """Source sentence as sent (placeholders) → the sample's reviewed English, placeholders too."""
    out: dict[str, str] = {}
    for doc, fmt in (("kpk-2015", SourceFormat.TXT), ("strike-2024", SourceFormat.MD)):
        for entry in read_catalog(REPO / "locales" / "en" / "LC_MESSAGES" / f"{doc}.po"):
            if entry.msgstr:
                out[inline.to_xml(entry.msgid, fmt)] = inline.to_xml(entry.msgstr, fmt)
    return out


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """The fake model server, answering with the sample's reviewed English; OPENAI_BASE_URL set."""
    with running(FakeOpenAI(answers=reference_answers())) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        yield server


@pytest.fixture
def fresh(sample_project: Path, run: Run) -> Path:
    """The sample project with its English catalogs gone: English is a new language."""
    shutil.rmtree(sample_project / "locales" / "en")
    config = sample_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'engine = "memory"', 'engine = "llm"\nllm_model = "fake-7b"'), encoding="utf-8")
    assert run(sample_project, "extract") == 0
    return sample_project


def paragraphs_to_send(root: Path) -> set[tuple[str, int]]:
    """(document, block) of the first occurrence of every distinct sentence."""
    seen: dict[str, tuple[str, int]] = {}
    for document in load_documents(Project.load(root)):
        for msgid, where in document_contexts(document).items():
            seen.setdefault(msgid, (document.name, where.block))
    return set(seen.values())


def entries(root: Path, doc: str, lang: str = "en") -> list[polib.POEntry]:
    return [e for e in read_catalog(root / "locales" / lang / "LC_MESSAGES" / f"{doc}.po")
            if not e.obsolete]


def test_new_language_one_request_per_paragraph(fresh: Path, fake: FakeOpenAI, run: Run,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Both sample documents into a new language: one request per paragraph; a rerun sends none."""
    assert run(fresh, "translate") == 0
    out = capsys.readouterr().out
    expected = paragraphs_to_send(fresh)
    assert len(fake.completions) == fake.received() == len(expected)
    for request in fake.completions:
        assert "Paragraph (context):" in request.user
        assert request.body["response_format"]["type"] == "json_schema"
        assert request.body["model"] == "fake-7b"
    for doc in DOCS:
        for entry in entries(fresh, doc):
            assert entry_state(entry) is EntryState.MACHINE, entry.msgid
            assert draft_origin(entry) == "llm fake-7b 2025-11-27"
    assert "model server:" in out and "tokens billed" in out
    assert run(fresh, "translate") == 0
    assert fake.received() == len(expected)
    msgfmt_check(fresh)


def test_link_targets_never_reach_the_model(fresh: Path, fake: FakeOpenAI, run: Run) -> None:
    """The paragraph context has Markdown link targets removed, like the sentences themselves."""
    source = (fresh / "source" / "ru" / "strike-2024.md").read_text(encoding="utf-8")
    assert "](http" in source
    assert run(fresh, "translate", "--doc", "strike-2024") == 0
    assert fake.completions
    assert not any("http" in r.user for r in fake.completions)


def engine(fake: FakeOpenAI, **options: object) -> LLMEngine:
    settings = replace(FAST, base_url=fake.url, **options)  # type: ignore[arg-type]
    return LLMEngine(api_key=fake.api_key, date="2026-12-02", sleep=lambda s: None,
                     options=settings)


PARAGRAPH = ("Рабочие *продолжают* забастовку.", "В 2015 году выборов не было.")


def batch(*texts: str) -> Batch:
    return Batch("ru", "en", texts or PARAGRAPH, " ".join(texts or PARAGRAPH), SourceFormat.MD,
                 paragraph=" ".join(texts or PARAGRAPH))


@pytest.mark.parametrize("fault", ["count", "markup", "number", "notjson"])
def test_faulty_answer_asked_again_once(fault: str) -> None:
    """A wrong count, dropped markup, a changed number or prose: asked again, naming it."""
    with running(FakeOpenAI(faults=[fault])) as fake:
        llm = engine(fake)
        results = llm.translate(batch())
    assert all(isinstance(r, Draft) and not r.problem for r in results)
    assert len(fake.completions) == 2 and llm.stats.repairs == 1
    assert "Your previous answer had a problem" in fake.completions[1].user
    assert "previous answer" not in fake.completions[0].user


def test_persistently_faulty_answers_end_marked_or_rejected() -> None:
    """Still wrong after the second request: markup and count rejected, numbers marked."""
    with running(FakeOpenAI(faults=["number", "number"])) as fake:
        first, second = engine(fake).translate(batch())
    assert isinstance(first, Draft) and not first.problem
    assert isinstance(second, Draft) and "numbers" in second.problem and "2015" in second.problem
    with running(FakeOpenAI(faults=["markup", "markup"])) as fake:
        first, second = engine(fake).translate(batch())
    assert isinstance(first, Rejected) and "markup" in first.reason
    assert isinstance(second, Draft)  # no markup in it to lose
    for fault in ("count", "notjson"):
        with running(FakeOpenAI(faults=[fault, fault])) as fake:
            results = engine(fake).translate(batch())
        assert all(isinstance(r, Rejected) for r in results), fault
        assert len(fake.completions) == 2


def test_marked_draft_and_rejection_reach_the_catalog(fresh: Path, fake: FakeOpenAI,
                                                      run: Run,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A persistent changed number is written with the problem in its origin comment."""
    fake.faults = ["number", "number"] * 50
    assert run(fresh, "translate", "--doc", "kpk-2015") == 0
    out = capsys.readouterr().out
    marked = [e for e in entries(fresh, "kpk-2015") if "— check: numbers" in (e.tcomment or "")]
    assert marked and all(entry_state(e) is EntryState.MACHINE for e in marked)
    assert "drafts written with a problem" in out
    msgfmt_check(fresh)


@pytest.mark.parametrize(("fault", "message"), [
    ("401", "refused the key (401)"),
    ("404", "has no model 'fake-7b' (404)"),
    ("context", "too long for the model's context window"),
    ("400", "rejected the request (400)"),
])
def test_errors_exit_4_with_every_draft_saved(fresh: Path, fake: FakeOpenAI, run: Run,
                                              capsys: pytest.CaptureFixture[str], fault: str,
                                              message: str) -> None:
    """After two good answers a failure ends the run with exit 4, a clear message, drafts saved."""
    fake.faults = ["", "", fault]
    assert run(fresh, "translate", "--doc", "kpk-2015") == 4
    err = capsys.readouterr().err
    assert message in err
    drafted = [e for e in entries(fresh, "kpk-2015") if draft_origin(e)]
    assert drafted and len(drafted) < len(entries(fresh, "kpk-2015"))
    assert fake.received() == 3


def test_429_and_500_are_retried_with_backoff() -> None:
    """429 and 500 are retried with growing waits and the drafts arrive; a lasting 429 stops."""
    with running(FakeOpenAI(faults=["429", "500"])) as fake:
        sleeps: list[float] = []
        llm = engine(fake, max_retries=3, backoff_initial=0.5, backoff_factor=2.0)
        llm.sleep = sleeps.append
        results = llm.translate(batch())
        assert all(isinstance(r, Draft) for r in results)
        assert sleeps == [0.5, 1.0] and llm.stats.retries == 2
        assert fake.received() == 3
        fake.faults = ["429"] * 10
        with pytest.raises(EngineError, match="overloaded \\(429\\) after 3 retries"):
            llm.translate(batch())
        assert fake.received() == 3 + 4


def test_slow_and_unreachable_servers_fail_in_time() -> None:
    """An answer slower than the deadline, and a closed port, are clear EngineErrors."""
    with running(FakeOpenAI(delay=1.0)) as fake:
        llm = engine(fake, timeout=0.2, deadline=60.0, max_retries=1)
        with pytest.raises(EngineError, match="no answer in time"):
            llm.translate(batch())
        assert llm.stats.retries == 1 and fake.received() == 2
        # the deadline leaves less than the next wait: no retry however many are allowed
        llm = engine(fake, timeout=0.2, deadline=0.25, max_retries=5, backoff_initial=0.1)
        with pytest.raises(EngineError, match="no answer in time"):
            llm.translate(batch())
        assert llm.stats.retries == 0 and fake.received() == 3
        url = fake.url
    llm = LLMEngine(api_key="", options=LLMOptions(base_url=url, model="fake-7b", max_retries=1,
                                                   backoff_initial=0.01), sleep=lambda s: None)
    with pytest.raises(EngineError, match="cannot reach the model server"):
        llm.translate(batch())
    assert llm.stats.retries == 1


def test_key_is_sent_but_never_written(fresh: Path, fake: FakeOpenAI, run: Run,
                                       monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """OPENAI_API_KEY goes in the header only: not in logs at DEBUG, output or any file."""
    key = "sk-test-very-secret-0123456789"
    fake.api_key = key
    monkeypatch.setenv("OPENAI_API_KEY", key)
    caplog.set_level(logging.DEBUG)
    assert run(fresh, "translate", "--doc", "kpk-2015") == 0
    assert fake.completions and all(r.auth == f"Bearer {key}" for r in fake.completions)
    monkeypatch.setenv("OPENAI_API_KEY", key + "-wrong")
    shutil.rmtree(fresh / ".diglot")
    shutil.rmtree(fresh / "locales" / "en")
    assert run(fresh, "translate", "--doc", "kpk-2015") == 4
    captured = capsys.readouterr()
    assert caplog.records
    assert key not in caplog.text and key not in captured.out + captured.err
    for path in fresh.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_key_with_a_control_character_is_refused(fresh: Path, fake: FakeOpenAI, run: Run,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A key with a newline inside is refused before any request, and not shown."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc\nsk-def")
    assert run(fresh, "translate") == 4
    err = capsys.readouterr().err
    assert "control character" in err and "sk-abc" not in err
    assert fake.received() == 0


def test_dry_run_estimates_tokens_and_budget_stops(fresh: Path, fake: FakeOpenAI, run: Run,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """--dry-run sends nothing and estimates tokens; --max-tokens stops before spending more."""
    assert run(fresh, "translate", "--dry-run") == 0
    out = capsys.readouterr().out
    assert fake.received() == 0 and "would bill about" in out and "tokens" in out
    assert not (fresh / "locales" / "en").exists()
    assert run(fresh, "translate", "--max-tokens", "1500") == 0
    out = capsys.readouterr().out
    assert "--max-tokens 1500 reached" in out
    sent = fake.received()
    assert 0 < sent < len(paragraphs_to_send(fresh))
    billed = int(out.split("model server: ")[1].split(" tokens")[0].replace(",", ""))
    assert billed <= 1500


def test_cache_is_keyed_by_model(fresh: Path, fake: FakeOpenAI, run: Run) -> None:
    """Another model is asked again; the same model after a lost catalog costs nothing."""
    assert run(fresh, "translate", "--doc", "strike-2024") == 0
    first = fake.received()
    shutil.rmtree(fresh / "locales" / "en")
    assert run(fresh, "translate", "--doc", "strike-2024") == 0
    assert fake.received() == first
    fake.models = ("fake-7b", "other-3b")
    config = fresh / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("fake-7b", "other-3b"),
                      encoding="utf-8")
    shutil.rmtree(fresh / "locales" / "en")
    assert run(fresh, "translate", "--doc", "strike-2024") == 0
    assert fake.received() == 2 * first


def test_prompt_has_terms_examples_and_style(tmp_path: Path) -> None:
    """The prompt names the glossary terms in the paragraph, close reviewed pairs and the style."""
    memory = TranslationMemory([MemoryUnit("Рабочие продолжают стачку.", "Workers go on strike.",
                                           "x"),
                                MemoryUnit("Совсем другое.", "Something else.", "x")])
    llm = LLMEngine(api_key="", options=LLMOptions(base_url="http://127.0.0.1:9/v1",
                                                   model="m"),
                    glossaries={"en": (("забастовка", "strike"), ("партия", "party"))},
                    memories={"en": memory}, styles={"en": "Use British spelling."})
    prompt = llm.prompt(batch())
    assert "забастовка → strike" in prompt.system and "партия" not in prompt.system
    assert "Workers go on strike." in prompt.system and "Something else." not in prompt.system
    assert "Use British spelling." in prompt.system
    assert "1. Рабочие <em>продолжают</em> забастовку." in prompt.user


def test_engine_settings_are_checked_when_the_config_is_read(fresh: Path, run: Run,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    """A bad llm_base_url or a missing llm_model is a configuration error (exit 2) up front."""
    config = fresh / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('llm_model = "fake-7b"', 'llm_base_url = "localhost:8080"'),
                      encoding="utf-8")
    assert run(fresh, "status") == 2
    err = capsys.readouterr().err
    assert "llm_base_url" in err and "diglot.toml:" in err
    config.write_text(text.replace('llm_model = "fake-7b"', ""), encoding="utf-8")
    assert run(fresh, "translate", "--dry-run") == 2
    assert "needs llm_model" in capsys.readouterr().err


def test_killed_halfway_loses_nothing(fresh: Path, fake: FakeOpenAI) -> None:
    """SIGKILL after two answers: the rerun asks only for the paragraphs not yet received."""
    fake.hold_after = 2
    signal_midway(fake, ["translate"], cwd=fresh, env={"OPENAI_BASE_URL": fake.url},
                  sig=signal.SIGKILL)
    fake.release()
    deadline = time.monotonic() + 10
    while len([r for r in fake.log if r.status]) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    answered = 2
    summary = translate(Project.load(fresh), TranslateOptions(engine="llm"))
    assert summary.error is None
    assert summary.requests == len(paragraphs_to_send(fresh)) - answered
    assert summary.drafts.get("cache", 0) > 0
    for doc in DOCS:
        assert all(entry_state(e) is EntryState.MACHINE for e in entries(fresh, doc))


def test_dry_run_needs_no_server(fresh: Path, run: Run, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Without any server configured a dry run still plans one request per paragraph."""
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert run(fresh, "translate", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would bill about" in out
    assert f" {len(paragraphs_to_send(fresh))} " in out.replace("│", " ")
    assert run(fresh, "translate") == 4
    assert "no model server: set OPENAI_BASE_URL" in capsys.readouterr().err


def test_interrupted_run_saves_drafts_and_their_log(fresh: Path, fake: FakeOpenAI) -> None:
    """Ctrl-C (SIGTERM arrives the same way from the CLI) after one answer: it is saved."""
    from diglot.drafts import Progress
    from diglot.effort import log_path, read_log

    def interrupt(progress: Progress) -> None:
        raise KeyboardInterrupt

    project = Project.load(fresh)
    with pytest.raises(KeyboardInterrupt):
        translate(project, TranslateOptions(engine="llm", documents=("kpk-2015",),
                                            save_every=3600), progress=interrupt)
    assert fake.received() == 1
    drafted = [e.msgid for e in entries(fresh, "kpk-2015") if draft_origin(e)]
    assert drafted
    logged = read_log(log_path(project, "en", "kpk-2015"))
    assert [r.msgid for r in logged] == drafted


@pytest.mark.parametrize(("fault", "doc"), [("count", "kpk-2015"), ("notjson", "kpk-2015"),
                                            ("markup", "strike-2024"), ("number", "kpk-2015")])
def test_no_faulty_answer_becomes_a_silent_draft(fresh: Path, fake: FakeOpenAI, run: Run,
                                                 capsys: pytest.CaptureFixture[str], fault: str,
                                                 doc: str) -> None:
    """Through the CLI, an answer that stays faulty ends as a rejection or a marked draft."""
    fake.faults = [fault] * 200
    assert run(fresh, "translate", "--doc", doc) == 0
    out = capsys.readouterr().out
    assert "answers asked again" in out
    good = reference_answers()
    for entry in entries(fresh, doc):
        if not entry.msgstr:
            continue  # rejected: reported below
        fmt = SourceFormat.MD if doc.endswith("2024") else SourceFormat.TXT
        expected = good[inline.to_xml(entry.msgid, fmt)]
        if inline.to_xml(entry.msgstr, fmt) != expected:
            assert "— check:" in (entry.tcomment or ""), entry.msgid
    if fault in ("count", "notjson"):
        assert not any(e.msgstr for e in entries(fresh, doc))
        assert out.count("draft rejected") == len(entries(fresh, doc))
    if fault == "markup":
        assert "draft rejected — markup differs" in out
    if fault == "number":
        assert any("— check: numbers" in (e.tcomment or "") for e in entries(fresh, doc))


def test_stray_line_breaks_and_spaces_are_removed() -> None:
    """A model's answer with a line break or spaces around it is written as one clean line."""
    first, second = PARAGRAPH
    answers = {inline.to_xml(first, SourceFormat.MD): "\nWorkers <em>go on</em>\n strike. ",
               second: "There were no elections in 2015."}
    with running(FakeOpenAI(answers=answers)) as fake:
        results = engine(fake).translate(batch())
    assert [r.text for r in results if isinstance(r, Draft)] == [
        "Workers *go on* strike.", "There were no elections in 2015."]


def test_plain_text_line_breaks_travel_as_br() -> None:
    """A signature's line breaks go as <br/> and come back as line breaks; lost ones reject."""
    sentence = "С уважением,\nЦК КПК"
    with running(FakeOpenAI()) as fake:
        plain = Batch("ru", "en", (sentence,), sentence, SourceFormat.TXT, paragraph=sentence)
        (result,) = engine(fake).translate(plain)
        assert "1. С уважением,<br/>ЦК КПК" in fake.completions[0].user
        assert isinstance(result, Draft) and result.text == "S uvazheniem,\nTsK KPK"
        fake.faults = ["markup", "markup"]
        (result,) = engine(fake).translate(plain)
        assert isinstance(result, Rejected) and "line breaks differ" in result.reason


def test_sigterm_saves_every_draft_received(fresh: Path, fake: FakeOpenAI) -> None:
    """SIGTERM mid-run (the CLI turns it into an interruption): exit 143, the answers received
    are in the catalogs and the draft log, and the rerun asks only for the rest."""
    fake.hold_after = 2
    # SIGTERM while the third request waits for its answer
    assert signal_midway(fake, ["translate"], cwd=fresh, env={"OPENAI_BASE_URL": fake.url},
                         sig=signal.SIGTERM) == 143
    from diglot.effort import log_path, read_log

    project = Project.load(fresh)
    drafted = {e.msgid for doc in DOCS for e in entries(fresh, doc) if draft_origin(e)}
    logged = {r.msgid for doc in DOCS if log_path(project, "en", doc).is_file()
              for r in read_log(log_path(project, "en", doc))}
    assert drafted and drafted == logged
    fake.release()
    summary = translate(project, TranslateOptions(engine="llm"))
    assert summary.requests == len(paragraphs_to_send(fresh)) - 2
    assert summary.drafts.get("cache", 0) == 0  # nothing received was left out of the catalogs
