"""The DeepL engine, through the official ``deepl`` package.

What it takes care of (see the DeepL section of the project's TRAPS guide):

- **The key** comes from ``DEEPL_AUTH_KEY`` (read by the caller with
  :func:`auth_key_from_env`) and lives only in the client's headers: it is
  never in a ``repr``, a log line, a file or an error message.
- **Languages**: ``en`` → ``EN-GB`` or ``EN-US`` and ``pt`` → ``PT-PT`` or
  ``PT-BR`` (configurable); a source language is its base code (``RU``).  The
  target is checked once against ``/v2/languages`` with a "did you mean".
- **Formality** ``less``/``more`` is sent only to targets that support it
  (otherwise a configuration error); ``prefer_less``/``prefer_more`` are
  safe everywhere; ``default`` sends nothing.
- **Inline markup** goes through :mod:`diglot.inline` as XML with
  ``tag_handling="xml"``; an answer whose markup does not match the source is
  :class:`~diglot.engines.base.Rejected`, never written.
- **Requests**: one :class:`~diglot.engines.base.Batch` (one context) is split
  by :meth:`DeepLEngine.split` into requests of at most 50 texts whose JSON
  body, measured exactly as the client encodes it (``ensure_ascii``: six
  bytes per Cyrillic letter), is under 128 KiB; a 413 halves the request.
- **Retries** of 429, 5xx and dropped connections are diglot's own, bounded
  and configurable (:class:`DeepLOptions`), and one request with its retries
  never takes longer than ``deadline`` seconds; the library's module-global
  retries are switched off only for the duration of each call and restored
  (this touches the library's private ``_BackoffTimer``: ``pyproject.toml``
  pins ``deepl`` to the 1.x series it was written for).
- **Answers that are not JSON** (a proxy's error page) are named as such.
- **Glossary** ``glossary/<src>-<tgt>.tsv|csv`` becomes a DeepL glossary named
  after its content digest, created once, reused while the file is unchanged,
  replaced (and the old one deleted) when it changes.

Its settings and language codes live in :mod:`diglot.engines.deepl_config`; what stays
here (a little over 500 lines) is the client's life cycle, and each item above needs
the client's state, so it is not split further.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import deepl
from deepl import http_client

from diglot import __version__, inline
from diglot.engines.base import (
    Batch,
    CostUnit,
    Draft,
    EngineKind,
    EngineStats,
    Origin,
    Quota,
    Rejected,
    Result,
    call_with_retries,
)
from diglot.engines.deepl_config import (
    KEY_HINT,
    KNOWN_TARGETS,
    MAX_REQUEST_BYTES,
    MAX_TEXTS,
    DeepLOptions,
    auth_key_from_env,
    formality_for,
    server_url_from,
    source_code,
    target_code,
)
from diglot.engines.glossary import Glossary, GlossaryRecords
from diglot.engines.settings import check_key
from diglot.errors import ConfigError, EngineError
from diglot.model import SourceFormat
from diglot.project import did_you_mean

__all__ = ["KNOWN_TARGETS", "MAX_REQUEST_BYTES", "MAX_TEXTS", "DeepLEngine", "DeepLOptions",
           "Usage", "auth_key_from_env", "check_key", "formality_for", "server_url_from",
           "source_code", "target_code"]

T = TypeVar("T")

# --- the engine ----------------------------------------------------------------------------


class _TooLarge(Exception):
    """DeepL answered 413: the request body is too large."""


@dataclass(frozen=True)
class Usage:
    """Characters used and allowed in the account's billing period (``None`` when unknown)."""

    count: int | None
    limit: int | None

    @property
    def remaining(self) -> int | None:
        if self.count is None or self.limit is None:
            return None
        return max(0, self.limit - self.count)


DeepLStats = EngineStats


@contextlib.contextmanager
def _library_settings(timeout: float) -> Iterator[None]:
    """Switch the library's own retries off (diglot retries) and set its timeout, then restore."""
    timer = http_client._BackoffTimer
    saved = (http_client.max_network_retries, http_client.min_connection_timeout,
             timer.BACKOFF_INITIAL)
    http_client.max_network_retries = 0
    http_client.min_connection_timeout = timeout
    timer.BACKOFF_INITIAL = 0.0  # else the first attempt's timeout is at least one second
    try:
        yield
    finally:
        (http_client.max_network_retries, http_client.min_connection_timeout,
         timer.BACKOFF_INITIAL) = saved


def _retryable(exc: Exception) -> bool:
    """A dropped connection the library would retry, 429 or a server error."""
    if not isinstance(exc, deepl.DeepLException):
        return False
    if isinstance(exc, deepl.ConnectionException):
        return exc.should_retry
    status = exc.http_status_code
    return isinstance(exc, deepl.TooManyRequestsException) or (
        status is not None and (status == 429 or status >= 500))


@dataclass
class DeepLEngine:
    """Translate batches with DeepL.  ``close()`` it (or use it in ``with``) when done."""

    auth_key: str = field(repr=False)
    options: DeepLOptions = field(default_factory=DeepLOptions)
    glossaries: Mapping[str, Glossary] = field(default_factory=dict)
    """Glossary per target language (as in the project: ``en``)."""
    records: GlossaryRecords | None = None
    date: str = ""
    config_path: Path | None = None
    sleep: Callable[[float], None] = time.sleep
    stats: EngineStats = field(default_factory=EngineStats)
    kind: EngineKind = EngineKind.DEEPL
    cost_unit: CostUnit = CostUnit.CHARACTERS
    paid: bool = True
    _client: deepl.Translator | None = field(default=None, repr=False)
    _targets: dict[str, bool | None] | None = field(default=None, repr=False)
    _glossary_ids: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.options.check(self.config_path)

    def __enter__(self) -> DeepLEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()  # type: ignore[no-untyped-call]
            self._client = None

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def server(self) -> str:
        return self.options.server_url or "https://api.deepl.com"

    @property
    def client(self) -> deepl.Translator:
        if self._client is None:
            self._client = deepl.Translator(self.auth_key, server_url=self.options.server_url)
            self._client.set_app_info("diglot", __version__)
        return self._client

    # -- errors and retries

    def _scrub(self, text: str) -> str:
        return text.replace(self.auth_key, "<DEEPL_AUTH_KEY>") if self.auth_key else text

    def _error(self, exc: deepl.DeepLException, what: str) -> EngineError:
        saved = "drafts received so far are saved; run again to continue"
        if isinstance(exc, deepl.AuthorizationException):
            return EngineError("DeepL refused the authentication key (403)", hint=KEY_HINT)
        if isinstance(exc, deepl.QuotaExceededException):
            return EngineError("DeepL quota for this billing period is used up (456)",
                               hint=f"{saved} once the quota is raised or renewed; "
                               "'--dry-run' shows what is left")
        if isinstance(exc, deepl.TooManyRequestsException) or exc.http_status_code == 429:
            return EngineError(f"DeepL is overloaded (429) after {self.options.max_retries} "
                               f"retries of {what}", hint=f"wait a few minutes; {saved}")
        if isinstance(exc, deepl.ConnectionException):
            reason = _connection_reason(exc)
            return EngineError(f"cannot reach DeepL at {self.server}: {reason}",
                               hint=f"check the network, or DEEPL_SERVER_URL; {saved}")
        status = exc.http_status_code
        if status is not None and status >= 500:
            return EngineError(f"DeepL failed ({status}) after {self.options.max_retries} "
                               f"retries of {what}", hint=f"try again later; {saved}")
        detail = self._scrub(str(exc)).split(", content:")[0]
        return EngineError(f"DeepL rejected {what}: {detail}",
                           hint="if this persists, please report it with the command you ran")

    def _call(self, what: str, func: Callable[[], T]) -> T:
        def attempt(timeout: float) -> T:
            with _library_settings(timeout):
                return func()

        try:
            return call_with_retries(attempt, self.options, retryable=_retryable,
                                     stats=self.stats, sleep=self.sleep)
        except (json.JSONDecodeError, AttributeError, TypeError, KeyError):
            # the library reads a non-JSON body as None and then fails on it
            raise self._not_json(what) from None
        except deepl.DeepLException as exc:
            if exc.http_status_code == 413:
                raise _TooLarge from exc
            raise self._error(exc, what) from None

    def _not_json(self, what: str) -> EngineError:
        return EngineError(f"{self.server} answered {what} with something that is not DeepL's "
                           "JSON (an HTML page from a proxy?)",
                           hint="check DEEPL_SERVER_URL or [translate] deepl_server_url; "
                           "drafts received so far are saved")

    # -- account and languages

    def usage(self) -> Usage:
        """Characters used and allowed this billing period (``/v2/usage``)."""
        u = self._call("the usage request", self.client.get_usage)
        return Usage(count=u.character.count, limit=u.character.limit)

    def quota(self) -> Quota:
        """Characters left this billing period, or why that is unknown."""
        if not self.auth_key:
            return Quota(note="DEEPL_AUTH_KEY is not set")
        try:
            return Quota(remaining=self.usage().remaining)
        except EngineError as exc:
            return Quota(note=str(exc))

    def check_target(self, lang: str) -> str:
        """DeepL's code for ``lang``, checked against ``/v2/languages`` with its formality.

        Without a key (a dry run) the code is checked against :data:`KNOWN_TARGETS`.
        """
        code = self.options.target(lang)
        if self._targets is None and not self.auth_key:
            if code not in KNOWN_TARGETS:
                raise ConfigError(f"DeepL does not translate into '{lang}' ({code})",
                                  path=self.config_path,
                                  hint=did_you_mean(code, sorted(KNOWN_TARGETS)))
            formality_for(self.options.formality, code, config_path=self.config_path)
            return code
        if self._targets is None:
            found = self._call("the languages request", self.client.get_target_languages)
            self._targets = {t.code.upper(): t.supports_formality for t in found}
        if code not in self._targets:
            raise ConfigError(f"DeepL does not translate into '{lang}' ({code})",
                              path=self.config_path,
                              hint=did_you_mean(code, sorted(self._targets)))
        formality_for(self.options.formality, code, supported=self._targets[code],
                      config_path=self.config_path)
        return code

    # -- glossaries

    def glossary_id(self, source: str, target: str) -> str | None:
        """The DeepL glossary of the pair: the recorded one if unchanged, else a new one."""
        if target in self._glossary_ids:
            return self._glossary_ids[target]
        glossary = self.glossaries.get(target)
        if glossary is None or not glossary.entries:
            self._glossary_ids[target] = None
            return None
        src, tgt = source_code(source), source_code(target)
        recorded = (self.records.glossary_id(self.server, src, tgt)
                    if self.records is not None else None)
        found: str | None = None
        if recorded is not None and recorded[0] == glossary.digest:
            found = self._existing_glossary(recorded[1])
        if found is None:
            found = self._create_glossary(glossary, src, tgt)
            if recorded is not None and recorded[1] != found:
                self._delete_glossary(recorded[1])
            if self.records is not None:
                self.records.record_glossary(self.server, src, tgt, glossary.digest, found)
        self._glossary_ids[target] = found
        return found

    def _existing_glossary(self, glossary_id: str) -> str | None:
        def lookup() -> Any:
            try:
                return self.client.get_glossary(glossary_id)
            except deepl.GlossaryNotFoundException:
                return None

        info = self._call("the glossary lookup", lookup)
        return glossary_id if info is not None and info.ready else None

    def _create_glossary(self, glossary: Glossary, src: str, tgt: str) -> str:
        name = f"diglot {src.lower()}-{tgt.lower()} {glossary.digest}"
        try:
            info = self._call("the glossary", lambda: self.client.create_glossary(
                name, src, tgt, dict(glossary.entries)))
        except ValueError as exc:
            raise ConfigError(f"DeepL cannot take this glossary: {exc}", path=glossary.path,
                              hint="remove control characters and leading or trailing spaces "
                              "from the terms") from exc
        except EngineError as exc:
            exc.message = f"{exc.message} (glossary {glossary.path.name})"
            exc.args = (exc.message,)
            raise
        self.stats.glossaries_created += 1
        return str(info.glossary_id)

    def _delete_glossary(self, glossary_id: str) -> None:
        def delete() -> None:
            with contextlib.suppress(deepl.GlossaryNotFoundException):
                self.client.delete_glossary(glossary_id)

        with contextlib.suppress(EngineError):
            self._call("the old glossary's deletion", delete)

    # -- requests

    def cache_options(self, source: str, target: str) -> str:
        """Everything besides the texts that changes DeepL's answer (part of the cache key)."""
        glossary = self.glossaries.get(target)
        return json.dumps({
            "source": source_code(source),
            "target": self.options.target(target),
            "formality": self.options.formality,
            "tags": "xml",
            "glossary": glossary.digest if glossary and glossary.entries else "",
        }, sort_keys=True)

    def _xml(self, texts: Sequence[str], fmt: SourceFormat) -> list[str]:
        return [inline.to_xml(t, fmt) for t in texts]

    def estimate_texts(self, texts: Sequence[str], fmt: SourceFormat) -> int:
        """Characters DeepL will bill for ``texts`` (tags are not billed with tag handling)."""
        return sum(_text_length(x) for x in self._xml(texts, fmt))

    def estimate(self, batch: Batch) -> int:
        """Characters DeepL will bill for ``batch``."""
        return self.estimate_texts(batch.texts, batch.fmt)

    def plan(self, batch: Batch) -> list[Batch]:
        """The requests for one paragraph: :meth:`split`."""
        return self.split(batch)

    def _formality(self, target: str) -> str | None:
        supported = (self._targets or {}).get(target)
        return formality_for(self.options.formality, target, supported=supported,
                             config_path=self.config_path)

    def _kwargs(self, batch: Batch, context: str, glossary_id: str | None) -> dict[str, Any]:
        """The keyword arguments of ``Translator.translate_text`` for a request."""
        target = self.options.target(batch.target)
        kwargs: dict[str, Any] = {
            "source_lang": source_code(batch.source),
            "target_lang": target,
            "preserve_formatting": True,
            "tag_handling": "xml",
        }
        formality = self._formality(target)
        if formality is not None:
            kwargs["formality"] = formality
        if glossary_id is not None:
            kwargs["glossary"] = glossary_id
        if context:
            kwargs["context"] = context
        ignore = _ignore_tags()
        if ignore:
            kwargs["ignore_tags"] = list(ignore)
        return kwargs

    @staticmethod
    def _payload(xml: Sequence[str], kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON body ``translate_text(xml, **kwargs)`` sends (same keys, same values)."""
        payload: dict[str, Any] = {"target_lang": kwargs["target_lang"],
                                   "source_lang": kwargs["source_lang"]}
        if "formality" in kwargs:
            payload["formality"] = str(kwargs["formality"]).lower()
        if "glossary" in kwargs:
            payload["glossary_id"] = kwargs["glossary"]
        payload["text"] = list(xml)
        payload["show_billed_characters"] = True
        for key in ("context", "preserve_formatting", "tag_handling", "ignore_tags"):
            if key in kwargs:
                payload[key] = kwargs[key]
        return payload

    def request_bytes(self, batch: Batch, *, context: str | None = None,
                      glossary_id: str | None = "x" * 36) -> int:
        """Bytes of the JSON body for ``batch`` (room for a glossary id is kept by default)."""
        xml = self._xml(batch.texts, batch.fmt)
        ctx = batch.context if context is None else context
        return len(json.dumps(self._payload(xml, self._kwargs(batch, ctx, glossary_id))))

    def split(self, batch: Batch) -> list[Batch]:
        """``batch`` cut into requests of at most ``max_texts`` texts and under the byte limit."""
        out: list[Batch] = []
        current: list[str] = []

        def fits(texts: list[str]) -> bool:
            if len(texts) > self.options.max_texts:
                return False
            probe = Batch(batch.source, batch.target, tuple(texts), batch.context, batch.fmt)
            return self.request_bytes(probe) < self.options.max_request_bytes

        for text in batch.texts:
            if current and not fits([*current, text]):
                out.append(Batch(batch.source, batch.target, tuple(current), batch.context,
                                 batch.fmt))
                current = []
            current.append(text)
        if current:
            out.append(Batch(batch.source, batch.target, tuple(current), batch.context, batch.fmt))
        return out

    def translate(self, batch: Batch) -> list[Result]:
        """Translate one request's worth of texts (use :meth:`split` first)."""
        if not batch.texts:
            return []
        self.check_target(batch.target)
        glossary_id = self.glossary_id(batch.source, batch.target)
        xml = self._xml(batch.texts, batch.fmt)
        answers = self._send(batch, xml, batch.context, glossary_id)
        results: list[Result] = []
        for text, answer in zip(batch.texts, answers, strict=True):
            if isinstance(answer, Rejected):
                results.append(answer)
                continue
            out, billed, model = answer
            try:
                draft = inline.from_xml(out, batch.fmt, source=text)
            except inline.MarkupMismatch as exc:
                results.append(Rejected(f"markup differs from the source: {exc}", billed=billed))
                continue
            origin = Origin(engine=self.name, date=self.date, model=model)
            results.append(Draft(text=draft, origin=origin, billed=billed))
        return results

    def _send(self, batch: Batch, xml: list[str], context: str,
              glossary_id: str | None) -> list[tuple[str, int, str] | Rejected]:
        """One request (halved on 413; a lone text that is still too large is rejected)."""
        kwargs = self._kwargs(batch, context, glossary_id)
        size = len(json.dumps(self._payload(xml, kwargs)))
        if size >= self.options.max_request_bytes:
            if context:
                return self._send(batch, xml, "", glossary_id)
            if len(xml) == 1:
                return [Rejected("too long for one DeepL request: split the sentence")]
        try:
            answer = self._call(f"{len(xml)} texts",
                                lambda: self.client.translate_text(xml, **kwargs))
        except _TooLarge:
            if len(xml) == 1:
                if context:
                    return self._send(batch, xml, "", glossary_id)
                return [Rejected("DeepL found the text too long for one request (413)")]
            half = len(xml) // 2
            return (self._send(batch, xml[:half], context, glossary_id)
                    + self._send(batch, xml[half:], context, glossary_id))
        results = answer if isinstance(answer, list) else [answer]
        if not results:
            raise self._not_json(f"{len(xml)} texts")
        self.stats.requests += 1
        if len(results) != len(xml):
            raise EngineError(f"DeepL answered {len(results)} translations for {len(xml)} texts",
                              hint="run again; if this persists, please report it")
        out: list[tuple[str, int, str] | Rejected] = []
        for r in results:
            billed = int(r.billed_characters or 0)
            self.stats.billed += billed
            out.append((r.text, billed, str(r.model_type_used or "")))
        return out


def _ignore_tags() -> tuple[str, ...]:
    return tuple(getattr(inline, "IGNORE_TAGS", ()))


def _text_length(xml: str) -> int:
    """Characters outside tags, entities counted as one (what DeepL bills with tag handling)."""
    text = re.sub(r"<[^>]*>", "", xml)
    return len(re.sub(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);", "_", text))


def _connection_reason(exc: deepl.DeepLException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return "no answer in time"
    if "refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "resolve" in lowered or "getaddrinfo" in lowered:
        return "the server name cannot be resolved (no network?)"
    if "remotedisconnected" in lowered or "aborted" in lowered or "reset" in lowered:
        return "the connection was dropped"
    return "the connection failed"
