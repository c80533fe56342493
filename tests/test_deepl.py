"""The DeepL engine, driven through the official client against the fake server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import deepl
import pytest
from deepl import http_client

from diglot.engines.base import Batch, Draft, Rejected
from diglot.engines.cache import DraftCache
from diglot.engines.deepl import (
    DeepLEngine,
    DeepLOptions,
    auth_key_from_env,
    formality_for,
    source_code,
    target_code,
)
from diglot.engines.glossary import Glossary, read_glossary
from diglot.errors import ConfigError, EngineError
from diglot.model import SourceFormat
from fake_deepl import FakeDeepL, fake_translation

RU = "Рабочие литейного цеха завода уже вторую неделю продолжают забастовку."




def engine_for(fake_deepl: FakeDeepL, **options: object) -> DeepLEngine:
    """An engine with fast retries (no test waits seconds for a backoff)."""
    settings: dict[str, object] = {"server_url": fake_deepl.url, "max_retries": 2,
                                   "backoff_initial": 0.01, "timeout": 2.0}
    settings.update(options)
    return DeepLEngine(auth_key=fake_deepl.auth_key, options=DeepLOptions(**settings),  # type: ignore[arg-type]
                       date="2026-11-27", sleep=lambda s: None)


def batch(*texts: str, target: str = "de", context: str = "") -> Batch:
    return Batch("ru", target, texts, context, SourceFormat.TXT)


def test_language_codes() -> None:
    """Targets get DeepL's regional codes (en → EN-GB by default), sources their base code."""
    assert target_code("en") == "EN-GB"
    assert target_code("en", english_variant="EN-US") == "EN-US"
    assert target_code("pt") == "PT-PT"
    assert target_code("pt", portuguese_variant="PT-BR") == "PT-BR"
    assert target_code("pt-BR") == "PT-BR"
    assert target_code("de") == "DE"
    assert target_code("de-AT") == "DE"
    assert target_code("zh-TW") == "ZH-HANT"
    assert source_code("pt-BR") == "PT"
    assert source_code("ru") == "RU"


def test_formality_rules() -> None:
    """``more``/``less`` only where supported; ``prefer_*`` everywhere; default sends nothing."""
    assert formality_for("default", "EN-GB") is None
    assert formality_for("prefer_more", "EN-GB") == "prefer_more"
    assert formality_for("more", "DE") == "more"
    with pytest.raises(ConfigError, match="prefer_more"):
        formality_for("more", "EN-GB")
    with pytest.raises(ConfigError, match="formality"):
        DeepLOptions(formality="polite").check()
    with pytest.raises(ConfigError, match="EN-GB or EN-US"):
        DeepLOptions(english_variant="EN-AU").check()


def test_missing_key_names_the_variable() -> None:
    """Without DEEPL_AUTH_KEY the error names it and offers the memory engine."""
    with pytest.raises(EngineError) as caught:
        auth_key_from_env({})
    assert "DEEPL_AUTH_KEY" in str(caught.value)
    assert "--engine memory" in str(caught.value)


def test_translates_with_context_and_tags(fake_deepl: FakeDeepL) -> None:
    """One request per batch, with the context, XML tag handling and the target's code."""
    with engine_for(fake_deepl) as engine:
        results = engine.translate(batch(RU, "Они требуют:", context="абзац", target="en"))
    assert [r.text for r in results if isinstance(r, Draft)] == [
        fake_translation(RU, "EN-GB"), fake_translation("Они требуют:", "EN-GB")]
    (request,) = fake_deepl.translate_requests
    assert request.body["context"] == "абзац"
    assert request.body["target_lang"] == "EN-GB"
    assert request.body["source_lang"] == "RU"
    assert request.body["tag_handling"] == "xml"
    assert "formality" not in request.body
    assert engine.stats.billed == len(RU) + len("Они требуют:")
    first = results[0]
    assert isinstance(first, Draft) and first.origin.mark() == "deepl 2026-11-27"


def test_measured_size_is_the_body_sent(fake_deepl: FakeDeepL) -> None:
    """The size diglot measures for a request is exactly the JSON body the client sends."""
    b = batch(RU, "«Кавычки» & <угловые> скобки", context="Контекст " * 20)
    with engine_for(fake_deepl) as engine:
        expected = engine.request_bytes(b, glossary_id=None)
        engine.translate(b)
    assert fake_deepl.translate_requests[0].content_length == expected
    assert expected > 6 * len(RU)  # ensure_ascii: Cyrillic costs six bytes


def test_split_respects_count_and_bytes(fake_deepl: FakeDeepL) -> None:
    """A batch is cut into requests of at most 50 texts, each strictly under the byte limit."""
    texts = tuple(f"{RU} {i}" for i in range(120))
    with engine_for(fake_deepl) as engine:
        parts = engine.split(batch(*texts))
        assert [len(p.texts) for p in parts] == [50, 50, 20]
    with engine_for(fake_deepl, max_request_bytes=10_000) as engine:
        parts = engine.split(batch(*texts, context="К" * 100))
        assert sum(len(p.texts) for p in parts) == 120
        assert all(engine.request_bytes(p) < 10_000 for p in parts)
        assert len(parts) > 3
        for part in parts:
            engine.translate(part)
    assert all(r.content_length < 10_000 for r in fake_deepl.translate_requests)
    assert len(fake_deepl.texts_sent) == 120


def test_413_halves_the_request(fake_deepl: FakeDeepL) -> None:
    """A 413 from the server splits the request in halves until it passes; no text is lost."""
    fake_deepl.max_body_bytes = 3_000
    texts = tuple(f"{RU} {i}" for i in range(8))
    with engine_for(fake_deepl) as engine:
        results = engine.translate(batch(*texts))
    assert all(isinstance(r, Draft) for r in results)
    assert sorted(fake_deepl.texts_sent) == sorted(texts)
    assert any(r.status == 413 for r in fake_deepl.log)


def test_429_and_5xx_are_retried(fake_deepl: FakeDeepL) -> None:
    """429, 500 and 503 are retried with backoff and the drafts still arrive."""
    fake_deepl.statuses = [429, 500, 503]
    sleeps: list[float] = []
    engine = engine_for(fake_deepl, max_retries=3, backoff_initial=0.5, backoff_factor=2.0)
    engine.sleep = sleeps.append
    with engine:
        (result,) = engine.translate(batch(RU))
    assert isinstance(result, Draft)
    assert sleeps == [0.5, 1.0, 2.0]
    assert engine.stats.retries == 3


def test_retries_are_bounded(fake_deepl: FakeDeepL) -> None:
    """After the last retry a persistent 429 is a clear EngineError, not a traceback."""
    fake_deepl.statuses = [429] * 5
    with engine_for(fake_deepl, max_retries=2) as engine, pytest.raises(EngineError, match="429"):
        engine.translate(batch(RU))
    assert fake_deepl.received() == 3


def test_quota_and_key_errors_are_clear(fake_deepl: FakeDeepL) -> None:
    """456 says the quota is used up; 403 names DEEPL_AUTH_KEY; neither shows the key."""
    fake_deepl.statuses = [456]
    with engine_for(fake_deepl) as engine, pytest.raises(EngineError) as quota:
        engine.translate(batch(RU))
    assert "quota" in str(quota.value) and "456" in str(quota.value)
    bad = DeepLEngine(auth_key="wrong-secret-key:fx",
                      options=DeepLOptions(server_url=fake_deepl.url))
    with bad, pytest.raises(EngineError) as refused:
        bad.translate(batch(RU))
    assert "DEEPL_AUTH_KEY" in str(refused.value)
    assert "wrong-secret-key" not in str(refused.value)
    assert "wrong-secret-key" not in repr(bad)
    assert fake_deepl.auth_key not in str(quota.value)


def test_no_network_is_a_clear_message() -> None:
    """A server that cannot be reached gives 'cannot reach DeepL', after bounded retries."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = DeepLEngine(auth_key="k:fx", options=DeepLOptions(
        server_url=f"http://127.0.0.1:{port}", max_retries=1, backoff_initial=0.01, timeout=1))
    with engine, pytest.raises(EngineError) as caught:
        engine.translate(batch(RU))
    assert "cannot reach DeepL" in str(caught.value)
    assert "connection refused" in str(caught.value)


def test_dropped_and_slow_answers_are_retried(fake_deepl: FakeDeepL) -> None:
    """A dropped connection and an answer slower than the timeout are retried."""
    fake_deepl.drops = 1
    with engine_for(fake_deepl, max_retries=2) as engine:
        assert isinstance(engine.translate(batch(RU))[0], Draft)
        assert engine.stats.retries == 1
    assert fake_deepl.received() == 2
    fake_deepl.delay = 0.5
    with engine_for(fake_deepl, max_retries=1, timeout=0.1) as engine, \
            pytest.raises(EngineError, match="no answer in time"):
        engine.translate(batch(RU))
    assert engine.stats.retries == 1
    assert fake_deepl.received() == 2 + 2


def test_a_server_that_never_answers_fails_by_the_deadline(fake_deepl: FakeDeepL) -> None:
    """Retries stop when the request's deadline is used up, not after max_retries timeouts."""
    fake_deepl.delay = 2.0
    with engine_for(fake_deepl, max_retries=5, timeout=0.2, deadline=0.25,
                    backoff_initial=0.1) as engine, \
            pytest.raises(EngineError, match="no answer in time"):
        engine.translate(batch(RU))
    assert fake_deepl.received() == 1  # the deadline leaves less than the wait: no retry


def test_non_json_answer_is_named(fake_deepl: FakeDeepL) -> None:
    """A 200 answer that is not JSON (a proxy's page) is an EngineError that says so."""
    fake_deepl.garbage = True
    with engine_for(fake_deepl) as engine, pytest.raises(EngineError, match="not DeepL's JSON"):
        engine.translate(batch(RU))


def test_key_with_a_control_character_is_refused() -> None:
    """A key with a newline inside is refused before any request and never shown."""
    with pytest.raises(EngineError) as caught:
        auth_key_from_env({"DEEPL_AUTH_KEY": "secret-part\nmore:fx"})
    assert "control character" in str(caught.value)
    assert "secret-part" not in str(caught.value) + str(caught.value.hint)
    assert auth_key_from_env({"DEEPL_AUTH_KEY": " key:fx\n"}) == "key:fx"


def test_norwegian_goes_as_nb() -> None:
    """``no`` and ``nb`` are DeepL's ``NB``."""
    assert target_code("no") == "NB" and target_code("nb") == "NB"


def test_library_globals_are_restored(fake_deepl: FakeDeepL) -> None:
    """The client's module-global retry settings are only changed during a call."""
    def settings() -> tuple[float, ...]:
        return (http_client.max_network_retries, http_client.min_connection_timeout,
                http_client._BackoffTimer.BACKOFF_INITIAL)

    before = settings()
    with engine_for(fake_deepl, timeout=3.5) as engine:
        engine.translate(batch(RU))
    assert settings() == before


def test_key_is_never_logged(fake_deepl: FakeDeepL, caplog: pytest.LogCaptureFixture) -> None:
    """Even with the deepl logger at DEBUG, the key appears in no log record."""
    caplog.set_level(logging.DEBUG)
    with engine_for(fake_deepl) as engine:
        engine.translate(batch(RU))
        engine.usage()
    assert caplog.records
    assert fake_deepl.auth_key not in caplog.text


def test_unknown_target_language(fake_deepl: FakeDeepL) -> None:
    """A target DeepL does not offer is a configuration error with a suggestion."""
    with engine_for(fake_deepl) as engine, pytest.raises(ConfigError, match="does not translate"):
        engine.translate(batch(RU, target="tlh"))
    assert fake_deepl.received() == 0


def test_formality_sent_only_where_supported(fake_deepl: FakeDeepL) -> None:
    """``prefer_more`` is sent to English; ``more`` is refused for English before any request."""
    with engine_for(fake_deepl, formality="prefer_more") as engine:
        engine.translate(batch(RU, target="en"))
    assert fake_deepl.translate_requests[0].body["formality"] == "prefer_more"
    with engine_for(fake_deepl, formality="more") as engine:
        engine.translate(batch(RU, target="de"))
        with pytest.raises(ConfigError, match="no formality for EN-GB"):
            engine.translate(batch(RU, target="en"))
    assert fake_deepl.translate_requests[-1].body["formality"] == "more"
    assert fake_deepl.received() == 2


def test_mismatched_markup_is_rejected(fake_deepl: FakeDeepL) -> None:
    """An answer whose tags differ from the source's is rejected, and its cost still counted."""
    fake_deepl.mangle = lambda text: text + "<x/>"
    with engine_for(fake_deepl) as engine:
        (result,) = engine.translate(batch(RU))
    assert isinstance(result, Rejected)
    assert result.billed == len(RU)


def test_glossary_created_once_reused_and_replaced(fake_deepl: FakeDeepL, tmp_path: Path) -> None:
    """The glossary is made once per content, reused later, and replaced when the file changes."""
    path = tmp_path / "ru-de.tsv"
    path.write_text("забастовку\tStreik\n", encoding="utf-8")
    cache = DraftCache(tmp_path / ".diglot" / "cache.sqlite3")

    def run() -> str:
        glossary = read_glossary(path, source_lang="ru", target_lang="de")
        engine = engine_for(fake_deepl)
        engine.glossaries = {"de": glossary}
        engine.records = cache
        with engine:
            (result,) = engine.translate(batch(RU))
        assert isinstance(result, Draft)
        return result.text

    assert "Streik" in run()
    assert "Streik" in run()
    creations = [r for r in fake_deepl.log if r.path == "/v2/glossaries" and r.method == "POST"]
    assert len(creations) == 1
    assert len(fake_deepl.glossaries) == 1
    path.write_text("забастовку\tArbeitsniederlegung\n", encoding="utf-8")
    assert "Arbeitsniederlegung" in run()
    creations = [r for r in fake_deepl.log if r.path == "/v2/glossaries" and r.method == "POST"]
    assert len(creations) == 2
    assert len(fake_deepl.glossaries) == 1  # the old one was deleted
    ids = {r.body.get("glossary_id") for r in fake_deepl.translate_requests}
    assert len(ids) == 2
    cache.close()


def test_glossary_file_is_read_like_diglot_check(tmp_path: Path) -> None:
    """Comments, the language header and notes are skipped; the first alternative is sent."""
    path = tmp_path / "ru-en.tsv"
    path.write_text("# agreed terms\nru\ten\nпартия\tparty\tnote\nпрофсоюз\tunion | trade union\n",
                    encoding="utf-8")
    glossary = read_glossary(path, source_lang="ru", target_lang="en")
    assert glossary == Glossary(path, (("партия", "party"), ("профсоюз", "union")))
    path.write_text("партия\tparty\nсовет\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_glossary(path, source_lang="ru", target_lang="en")
    assert str(caught.value).startswith(f"{path}:2: ")


def test_usage(fake_deepl: FakeDeepL) -> None:
    """The account's usage comes from /v2/usage."""
    fake_deepl.character_count = 1200
    with engine_for(fake_deepl) as engine:
        usage = engine.usage()
    assert (usage.count, usage.limit, usage.remaining) == (1200, 1_000_000, 998_800)


def test_payload_matches_what_the_client_builds(fake_deepl: FakeDeepL) -> None:
    """Every key diglot measures is a key the client sends, with the same value."""
    b = batch(RU, context="контекст")
    with engine_for(fake_deepl, formality="prefer_less") as engine:
        engine.translate(b)
        measured = json.loads(json.dumps(engine._payload(
            engine._xml(b.texts, b.fmt), engine._kwargs(b, b.context, None))))
    assert measured == fake_deepl.translate_requests[0].body


def test_deepl_exceptions_are_the_documented_ones() -> None:
    """The client still raises the exception classes the engine maps (a pin on the library)."""
    assert issubclass(deepl.QuotaExceededException, deepl.DeepLException)
    assert issubclass(deepl.AuthorizationException, deepl.DeepLException)
    assert issubclass(deepl.TooManyRequestsException, deepl.DeepLException)


@pytest.mark.parametrize(("setting", "message"), [
    ('formality = "more"', "DeepL has no formality for en"),
    ('formality = "mroe"', "unknown formality 'mroe'"),
    ('english_variant = "EN-AU"', "english_variant must be EN-GB or EN-US"),
    ('deepl_server_url = "api.deepl.com"', "must be an http:// or https:// URL"),
    ('engine = "deeepl"', "unknown engine 'deeepl'"),
])
def test_engine_settings_checked_when_the_config_is_read(tmp_path: Path, setting: str,
                                                         message: str) -> None:
    """A DeepL setting that cannot work is an error at its line of diglot.toml, up front."""
    from diglot.project import parse_config

    path = tmp_path / "diglot.toml"
    text = f'source_language = "ru"\ntarget_languages = ["de", "en"]\n[translate]\n{setting}\n'
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config(text, path)
    assert caught.value.line == 4
