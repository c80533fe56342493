"""``diglot translate``: choosing, caching, marking and saving drafts, on the fake_deepl DeepL."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check
from diglot.catalogs import DRAFT_MARK, draft_origin, entry_state, read_catalog
from diglot.drafts import Progress, TranslateOptions, Where, document_contexts, translate
from diglot.drafts.plan import collect, requests, within_budget
from diglot.drafts.slots import Slot, open_slot
from diglot.engines.deepl import DeepLEngine, DeepLOptions
from diglot.errors import ConfigError
from diglot.model import EntryState, SourceFormat
from diglot.project import Project
from diglot.status import project_status
from diglot.workflow import load_documents
from fake_deepl import FakeDeepL, billed_length
from fake_http import signal_midway

FAST = DeepLOptions(max_retries=1, backoff_initial=0.01, timeout=5.0)
Run = Callable[..., int]




@pytest.fixture
def de_project(sample_project: Path, run: Run) -> Path:
    """The sample project with German added as a new target language, templates extracted."""
    config = sample_project / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('target_languages = ["en"]', 'target_languages = ["en", "de"]'),
                      encoding="utf-8")
    assert run(sample_project, "extract") == 0
    return sample_project


def catalog(root: Path, lang: str, doc: str) -> polib.POFile:
    return read_catalog(root / "locales" / lang / "LC_MESSAGES" / f"{doc}.po")


def template_msgids(root: Path, doc: str) -> list[str]:
    return [e.msgid for e in read_catalog(root / "locales" / f"{doc}.pot")]


def expected_billing(msgids: list[str], fmt: str) -> int:
    """What DeepL bills for these sentences: the text of their XML, tags not counted."""
    from diglot import inline
    from diglot.model import SourceFormat

    return sum(billed_length(inline.to_xml(m, SourceFormat(fmt))) for m in set(msgids))


def test_new_language_gets_a_draft_for_every_entry(de_project: Path, fake_deepl: FakeDeepL,
                                                   run: Run) -> None:
    """strike-2024 in a new language: a fuzzy, marked draft per entry; a rerun sends nothing."""
    msgids = template_msgids(de_project, "strike-2024")
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de",
               "--doc", "strike-2024") == 0
    po = catalog(de_project, "de", "strike-2024")
    entries = [e for e in po if not e.obsolete]
    assert len(entries) == len(msgids)
    for entry in entries:
        assert entry.msgstr and "fuzzy" in entry.flags
        assert draft_origin(entry) == "deepl 2025-11-27"
        assert entry_state(entry) is EntryState.MACHINE
    (document,) = [d for d in load_documents(Project.load(de_project)) if d.name == "strike-2024"]
    paragraphs = len([b for b in document.blocks if b.segments])
    assert 0 < len(fake_deepl.translate_requests) <= paragraphs
    assert fake_deepl.billed == expected_billing(msgids, "md")
    assert sorted(fake_deepl.texts_sent) == sorted(set(fake_deepl.texts_sent))
    requests = len(fake_deepl.translate_requests)
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de",
               "--doc", "strike-2024") == 0
    assert len(fake_deepl.translate_requests) == requests
    assert fake_deepl.received() == requests
    msgfmt_check(de_project)
    rows = {(r.doc, r.lang): r for r in project_status(Project.load(de_project))}
    assert rows[("strike-2024", "de")].segments == {EntryState.MACHINE: len(msgids)}
    assert rows[("strike-2024", "en")].segments == {EntryState.TRANSLATED: len(msgids)}


def test_plain_text_bills_exactly_its_characters(de_project: Path, fake_deepl: FakeDeepL) -> None:
    """For plain text the characters billed are exactly those of the distinct sentences."""
    summary = translate(Project.load(de_project), TranslateOptions(
        engine="deepl", languages=("de",), documents=("kpk-2015",)), deepl_options=FAST)
    msgids = template_msgids(de_project, "kpk-2015")
    assert summary.billed == fake_deepl.billed == sum(len(m) for m in set(msgids))
    assert summary.requests == len(fake_deepl.translate_requests)
    assert summary.drafts == {"deepl": len(msgids)}
    assert summary.error is None and not summary.rejected


def test_identical_sentences_are_sent_once(new_project: Callable[..., Path], tmp_path: Path,
                                          fake_deepl: FakeDeepL, run: Run) -> None:
    """A sentence that occurs in two documents is sent and billed once, and fills both."""
    shared = "Солидарность — наше оружие!"
    root = new_project(tmp_path, docs={"a.txt": f"{shared}\n\nПервый текст.\n",
                                       "b.txt": f"Второй текст.\n\n{shared}\n"}, targets=("de",))
    assert run(root, "extract") == 0
    assert run(root, "translate", "--engine", "deepl") == 0
    assert fake_deepl.texts_sent.count(shared) == 1
    for doc in ("a", "b"):
        entries = {e.msgid: e for e in catalog(root, "de", doc)}
        assert entries[shared].msgstr and "fuzzy" in entries[shared].flags


def test_lost_drafts_come_back_from_the_cache(de_project: Path, fake_deepl: FakeDeepL) -> None:
    """A catalog that lost its drafts gets them back from the cache without a request."""
    project = Project.load(de_project)
    options = TranslateOptions(engine="deepl", languages=("de",))
    first = translate(project, options, deepl_options=FAST)
    requests = len(fake_deepl.translate_requests)
    for path in (de_project / "locales" / "de").rglob("*.po"):
        path.unlink()
    again = translate(project, options, deepl_options=FAST)
    assert len(fake_deepl.translate_requests) == requests
    assert again.billed == 0 and again.requests == 0
    assert again.drafts == {"cache": first.drafts["deepl"]}
    po = catalog(de_project, "de", "kpk-2015")
    assert all(e.msgstr and draft_origin(e) for e in po if not e.obsolete)
    assert (de_project / ".diglot" / ".gitignore").read_text(encoding="utf-8").strip()\
        .endswith("*")


def test_edited_paragraph_reuses_the_other_sentences(new_project: Callable[..., Path],
                                                    tmp_path: Path, fake_deepl: FakeDeepL,
                                                    run: Run) -> None:
    """When one sentence of a paragraph changes, only it is billed, though the context changed."""
    root = new_project(tmp_path, docs={"a.txt": "Первое предложение. Второе предложение.\n"},
                       targets=("de",))
    assert run(root, "extract") == 0
    assert run(root, "translate", "--engine", "deepl") == 0
    (root / "locales" / "de" / "LC_MESSAGES" / "a.po").unlink()
    (root / "source" / "ru" / "a.txt").write_text("Первое предложение. Другое предложение.\n",
                                                  encoding="utf-8")
    assert run(root, "extract") == 0
    before = fake_deepl.billed
    assert run(root, "translate", "--engine", "deepl") == 0
    assert fake_deepl.billed - before == len("Другое предложение.")
    assert (fake_deepl.translate_requests[-1].body["context"]
            == "Первое предложение. Другое предложение.")


def test_dropped_network_midrun_keeps_every_draft(de_project: Path, fake_deepl: FakeDeepL) -> None:
    """The network gone after two requests: drafts received are saved; the rerun bills the rest."""
    project = Project.load(de_project)
    options = TranslateOptions(engine="deepl", languages=("de",), documents=("kpk-2015",))
    fake_deepl.drop_after = 2
    summary = translate(project, options, deepl_options=FAST)
    assert summary.error is not None and "cannot reach DeepL" in str(summary.error)
    assert summary.error.exit_code == 4
    first = fake_deepl.billed
    assert len(fake_deepl.translate_requests) == 2 and first > 0
    po = catalog(de_project, "de", "kpk-2015")
    drafted = [e for e in po if draft_origin(e)]
    assert len(drafted) == len(fake_deepl.texts_sent)
    fake_deepl.drop_after = None
    rest = translate(project, options, deepl_options=FAST)
    assert rest.error is None
    total = sum(len(m) for m in set(template_msgids(de_project, "kpk-2015")))
    assert rest.billed == total - first
    assert rest.drafts == {"deepl": len(set(template_msgids(de_project, "kpk-2015")))
                           - len(drafted)}


def test_quota_exhausted_midrun(de_project: Path, fake_deepl: FakeDeepL, run: Run,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """A 456 stops the run with exit 4 and a quota message; what came before is saved."""
    fake_deepl.quota_after = 3
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de") == 4
    err = capsys.readouterr().err
    assert "quota" in err and "456" in err and fake_deepl.auth_key not in err
    first = fake_deepl.billed
    saved = sum(1 for p in (de_project / "locales" / "de").rglob("*.po")
                for e in read_catalog(p) if draft_origin(e))
    assert saved == len(fake_deepl.texts_sent) > 0
    fake_deepl.quota_after = None
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de") == 0
    total = sum(expected_billing(template_msgids(de_project, d), f)
                for d, f in (("kpk-2015", "txt"), ("strike-2024", "md")))
    assert fake_deepl.billed - first == total - first
    assert len(set(fake_deepl.texts_sent)) == len(fake_deepl.texts_sent)
    msgfmt_check(de_project)


def test_killed_process_loses_nothing_it_paid_for(de_project: Path, fake_deepl: FakeDeepL) -> None:
    """A run killed with SIGKILL mid-way: the rerun pays only for what was not received."""
    fake_deepl.hold_after = 2
    env = {"DEEPL_AUTH_KEY": fake_deepl.auth_key, "DEEPL_SERVER_URL": fake_deepl.url}
    signal_midway(fake_deepl, ["translate", "--engine", "deepl", "--lang", "de"],
                  cwd=de_project, env=env, sig=signal.SIGKILL)
    fake_deepl.drop_after = 0  # the held request never reaches the killed client
    fake_deepl.release()
    paid = fake_deepl.billed
    assert len(fake_deepl.translate_requests) == 2
    fake_deepl.drop_after = None
    summary = translate(Project.load(de_project), TranslateOptions(engine="deepl",
                                                                   languages=("de",)),
                        deepl_options=FAST)
    total = sum(expected_billing(template_msgids(de_project, d), f)
                for d, f in (("kpk-2015", "txt"), ("strike-2024", "md")))
    assert summary.billed == total - paid
    assert summary.drafts.get("cache", 0) + summary.drafts.get("deepl", 0) == sum(
        len(set(template_msgids(de_project, d))) for d in ("kpk-2015", "strike-2024"))
    msgfmt_check(de_project)


def test_ctrl_c_saves_what_was_received(de_project: Path, fake_deepl: FakeDeepL) -> None:
    """Ctrl-C after the first answer leaves that answer's drafts written in the catalog."""

    def interrupt(progress: Progress) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate(Project.load(de_project), TranslateOptions(
            engine="deepl", languages=("de",), documents=("kpk-2015",), save_every=3600),
            deepl_options=FAST, progress=interrupt)
    po = catalog(de_project, "de", "kpk-2015")
    assert len([e for e in po if draft_origin(e)]) == len(fake_deepl.texts_sent) > 0


def test_max_chars_stops_before_spending_more(de_project: Path, fake_deepl: FakeDeepL,
                                              run: Run, capsys: pytest.CaptureFixture[str]
                                              ) -> None:
    """``--max-chars`` is never exceeded; the run says it stopped; a later run does the rest."""
    total = sum(len(m) for m in set(template_msgids(de_project, "kpk-2015")))
    limit = total // 2
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de", "--doc", "kpk-2015",
               "--max-chars", str(limit)) == 0
    assert 0 < fake_deepl.billed <= limit
    assert "--max-chars" in capsys.readouterr().out
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de",
               "--doc", "kpk-2015") == 0
    assert fake_deepl.billed == total


def test_dry_run_sends_and_writes_nothing(de_project: Path, fake_deepl: FakeDeepL, run: Run,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``--dry-run`` asks only for the usage, writes no file, and reports characters and quota."""
    fake_deepl.character_count = 1000
    before = {p: p.read_bytes() for p in (de_project / "locales").rglob("*.po")}
    assert run(de_project, "translate", "--engine", "deepl", "--dry-run") == 0
    out = capsys.readouterr().out
    assert fake_deepl.received() == 0
    assert not (de_project / ".diglot" / "cache.sqlite3").exists()
    assert {p: p.read_bytes() for p in (de_project / "locales").rglob("*.po")} == before
    total = sum(expected_billing(template_msgids(de_project, d), f)
                for d, f in (("kpk-2015", "txt"), ("strike-2024", "md")))
    assert f"would bill {total:,} characters" in out
    assert "999,000 characters left" in out


def test_reviewed_and_fuzzy_entries_are_never_overwritten(de_project: Path, fake_deepl: FakeDeepL,
                                                          run: Run) -> None:
    """A reviewed translation and a fuzzy entry a translator touched stay as they are."""
    assert run(de_project, "update", "--lang", "de") == 0
    path = de_project / "locales" / "de" / "LC_MESSAGES" / "kpk-2015.po"
    po = read_catalog(path)
    first, second = [e for e in po if not e.obsolete][:2]
    first.msgstr = "Von Hand übersetzt"
    second.msgstr = "Halb fertig"
    second.flags.append("fuzzy")
    path.write_text(str(po), encoding="utf-8")
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de") == 0
    after = {e.msgid: e for e in read_catalog(path)}
    assert after[first.msgid].msgstr == "Von Hand übersetzt"
    assert "fuzzy" not in after[first.msgid].flags and not draft_origin(after[first.msgid])
    assert after[second.msgid].msgstr == "Halb fertig" and not draft_origin(after[second.msgid])
    assert first.msgid not in fake_deepl.texts_sent and second.msgid not in fake_deepl.texts_sent


def test_translator_edit_during_the_run_is_kept(de_project: Path, fake_deepl: FakeDeepL,
                                                run: Run) -> None:
    """A translation saved into the catalog while the run goes on is kept, not overwritten."""
    assert run(de_project, "update", "--lang", "de") == 0
    path = de_project / "locales" / "de" / "LC_MESSAGES" / "kpk-2015.po"
    last = [e for e in read_catalog(path) if not e.obsolete][-1]
    edited = False

    def translator_saves(progress: Progress) -> None:
        nonlocal edited
        if not edited:
            po = read_catalog(path)
            for entry in po:
                if entry.msgid == last.msgid:
                    entry.msgstr = "Vom Übersetzer"
            path.write_text(str(po), encoding="utf-8")
            edited = True

    translate(Project.load(de_project), TranslateOptions(
        engine="deepl", languages=("de",), documents=("kpk-2015",), save_every=3600),
        deepl_options=FAST, progress=translator_saves)
    after = {e.msgid: e for e in read_catalog(path)}
    assert after[last.msgid].msgstr == "Vom Übersetzer"
    assert "fuzzy" not in after[last.msgid].flags
    assert sum(1 for e in after.values() if draft_origin(e)) == len(after) - 1


def test_unknown_language_and_document(de_project: Path, run: Run,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped language or document is a usage error with a suggestion."""
    assert run(de_project, "translate", "--lang", "dee") == 2
    assert "did you mean 'de'?" in capsys.readouterr().err
    assert run(de_project, "translate", "--doc", "strike-2042") == 2
    assert "did you mean 'strike-2024'?" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        translate(Project.load(de_project), TranslateOptions(engine="google"))


@pytest.mark.gettext
def test_origin_mark_survives_msgmerge(de_project: Path, fake_deepl: FakeDeepL, run: Run) -> None:
    """GNU msgmerge keeps the origin comment; status still counts the entries as machine drafts."""
    if shutil.which("msgmerge") is None:
        pytest.skip("GNU msgmerge is not installed")
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de") == 0
    path = de_project / "locales" / "de" / "LC_MESSAGES" / "strike-2024.po"
    drafts = sum(1 for e in read_catalog(path) if draft_origin(e))
    merged = subprocess.run(
        ["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", "-", str(path),
         str(de_project / "locales" / "strike-2024.pot")],
        capture_output=True, text=True, check=True).stdout
    assert merged.count(f"# {DRAFT_MARK}") == drafts
    path.write_text(merged, encoding="utf-8")
    rows = {(r.doc, r.lang): r for r in project_status(Project.load(de_project), languages=["de"])}
    assert rows[("strike-2024", "de")].segments.get(EntryState.MACHINE) == drafts


def test_unknown_target_found_before_billing(de_project: Path, fake_deepl: FakeDeepL, run: Run,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A target DeepL lacks stops the run before any text is sent, in a dry run too."""
    config = de_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"en", "de"', '"en", "de", "ka"'), encoding="utf-8")
    assert run(de_project, "translate", "--engine", "deepl") == 2
    assert "does not translate into 'ka'" in capsys.readouterr().err
    assert fake_deepl.received() == 0
    assert not (de_project / "locales" / "de").exists()
    assert run(de_project, "translate", "--engine", "deepl", "--dry-run") == 2
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    assert run(de_project, "translate", "--engine", "deepl", "--dry-run") == 2
    assert "does not translate into 'ka'" in capsys.readouterr().err
    assert fake_deepl.received() == 0


def test_negative_max_chars_is_a_usage_error(de_project: Path, run: Run) -> None:
    """--max-chars -1 is refused by the argument parser (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        run(de_project, "translate", "--engine", "deepl", "--max-chars", "-1")
    assert caught.value.code == 2


def test_key_with_a_newline_is_refused_not_echoed(de_project: Path, fake_deepl: FakeDeepL,
                                                  run: Run, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A key pasted with a line break inside: exit 4, the key not shown, nothing sent."""
    monkeypatch.setenv("DEEPL_AUTH_KEY", "abc-secret\nxyz:fx")
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de") == 4
    err = capsys.readouterr().err
    assert "control character" in err and "abc-secret" not in err
    assert fake_deepl.received() == 0


def test_context_has_no_link_targets(de_project: Path, fake_deepl: FakeDeepL, run: Run) -> None:
    """The paragraph sent as context has Markdown link targets removed, as the texts do."""
    assert "](http" in (de_project / "source" / "ru" / "strike-2024.md").read_text(
        encoding="utf-8")
    assert run(de_project, "translate", "--engine", "deepl", "--lang", "de",
               "--doc", "strike-2024") == 0
    contexts = [str(r.body.get("context", "")) for r in fake_deepl.translate_requests]
    assert contexts and not any("http" in c or "](" in c for c in contexts)


def test_request_timeout_is_read_from_the_config(de_project: Path) -> None:
    """[translate] request_timeout bounds one DeepL request, retries included."""
    from diglot.engines.base import EngineKind
    from diglot.engines.factory import build_engine

    config = de_project / "diglot.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[translate]\n', '[translate]\nrequest_timeout = 7\n'), encoding="utf-8")
    engine = build_engine(EngineKind.DEEPL, Project.load(de_project), langs=["de"], date="",
                          environ={}, dry_run=True)
    assert isinstance(engine, DeepLEngine) and engine.options.deadline == 7.0
    config.write_text(config.read_text(encoding="utf-8").replace(
        "request_timeout = 7", "request_timeout = 0"), encoding="utf-8")
    with pytest.raises(ConfigError, match="request_timeout"):
        Project.load(de_project)


# --- the planner, without any server ----------------------------------------------------------


def planner_inputs(root: Path, lang: str) -> tuple[list[Slot], dict[str, dict[str, Where]],
                                                   dict[str, SourceFormat]]:
    project = Project.load(root)
    documents = load_documents(project)
    slots = [open_slot(project, lang, d.name) for d in documents]
    return (slots, {d.name: document_contexts(d) for d in documents},
            {d.name: d.format for d in documents})


def test_planner_groups_paragraphs_and_costs_them(de_project: Path) -> None:
    """Distinct untranslated sentences, one batch per paragraph, DeepL's cost: no server asked."""
    slots, contexts, formats = planner_inputs(de_project, "de")
    work = collect("de", slots, contexts, formats)
    msgids = {m for d in ("kpk-2015", "strike-2024") for m in template_msgids(de_project, d)}
    assert set(work.pending) == msgids
    assert work.untranslated == sum(len(template_msgids(de_project, d))
                                    for d in ("kpk-2015", "strike-2024"))
    engine = DeepLEngine(auth_key="", options=DeepLOptions(server_url="http://127.0.0.1:9"))
    batches = requests(work, engine, "ru")
    assert sorted(t for b in batches for t in b.texts) == sorted(msgids)
    groups = {work.pending[b.texts[0]].group for b in batches}
    assert len(groups) == len(batches)  # the sample's paragraphs each fit one request
    for b in batches:
        assert {work.pending[t].group for t in b.texts} == {work.pending[b.texts[0]].group}
    assert sum(engine.estimate(b) for b in batches) == (
        expected_billing(template_msgids(de_project, "kpk-2015"), "txt")
        + expected_billing(template_msgids(de_project, "strike-2024"), "md"))
    first = batches[0]
    cost = engine.estimate(first)
    assert within_budget(engine, first, cost) == first
    assert within_budget(engine, first, 0) is None
    assert within_budget(engine, first, None) == first


def test_planner_leaves_reviewed_and_fuzzy_entries(de_project: Path, run: Run) -> None:
    """Only untranslated entries are planned; a reviewed or fuzzy one never is."""
    assert run(de_project, "update") == 0
    path = de_project / "locales" / "de" / "LC_MESSAGES" / "kpk-2015.po"
    po = read_catalog(path)
    live = [e for e in po if not e.obsolete]
    live[0].msgstr = "Übersetzt."
    live[1].msgstr = "Unsicher."
    live[1].flags.append("fuzzy")
    path.write_text(str(po), encoding="utf-8")
    slots, contexts, formats = planner_inputs(de_project, "de")
    work = collect("de", slots, contexts, formats)
    assert live[0].msgid not in work.pending and live[1].msgid not in work.pending
    assert live[2].msgid in work.pending
