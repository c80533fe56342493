"""The ``llm`` engine: drafts from a language model behind an OpenAI-compatible API.

Ollama, llama.cpp's server, vLLM and hosted services all speak the chat
completions API; diglot talks to them through the official ``openai`` package.

- **Where**: ``OPENAI_BASE_URL`` or ``[translate] llm_base_url``; the model is
  ``[translate] llm_model``.  The key comes from ``OPENAI_API_KEY`` only and may
  be absent (a local server); it lives only in the client's headers, never in a
  message, a log line or a file.
- **One request per paragraph**: the untranslated sentences of a paragraph,
  the whole paragraph and the paragraphs around it as context, the glossary
  terms that occur in it, a few reviewed sentence pairs from the translation
  memory closest to its sentences as examples, and ``glossary/style-<lang>.md``
  if there is one.  The prompt is one versioned template,
  ``templates/llm-v1.j2``; its digest is part of the cache key.
- **Structured output**: a JSON schema asks for ``{"translations": [...]}`` with
  one string per sentence.  Inline markup travels as the same XML placeholders
  DeepL gets (:mod:`diglot.inline`).
- **Checks**: the number of sentences, the markup, and the ``numbers``,
  ``negation`` and ``identical`` QA checks on each draft.  An answer with a
  problem is asked again once, the problem named; what is still wrong is then
  rejected (sentence count, markup, a copy of the source) or written with the
  problem in its origin comment (numbers, negation).
- **Failures**: 429, 5xx, timeouts and dropped connections are retried with
  backoff, one request never taking longer than ``deadline`` seconds; a refused
  key, an unknown model, a context-length error and an unreachable server are
  :class:`~diglot.errors.EngineError` with a clear message (exit 4).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import openai

from diglot import inline, templating
from diglot.checks.base import EntryContext
from diglot.checks.glossary import contains_term
from diglot.checks.negation import check_negation
from diglot.checks.numbers import check_numbers
from diglot.checks.text import check_identical
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
from diglot.engines.memory import TranslationMemory
from diglot.engines.settings import check_key
from diglot.errors import EngineError
from diglot.model import SourceFormat
from diglot.project import language_name

PROMPT_FILE = "llm-v1.j2"
CHARS_PER_TOKEN = 3
"""Rough estimate for ``--dry-run`` and ``--max-tokens``: Cyrillic text runs about 3 characters
a token in common tokenizers (Latin text about 4); what the server reports is what is counted."""
_KEY_HINT = ("set OPENAI_API_KEY to the key of the model server if it needs one "
             "(a local server usually does not); diglot never stores it")
_SAVED = "drafts received so far are saved; run again to continue"

T = TypeVar("T")


def api_key_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``OPENAI_API_KEY``, or ``""`` for a server that needs none."""
    env = os.environ if environ is None else environ
    key = env.get("OPENAI_API_KEY", "").strip()
    if key:
        check_key(key, "OPENAI_API_KEY", _KEY_HINT)
    return key


def base_url_from(environ: Mapping[str, str] | None, configured: str) -> str:
    """``OPENAI_BASE_URL``, else ``[translate] llm_base_url``; empty when neither is set."""
    env = os.environ if environ is None else environ
    return env.get("OPENAI_BASE_URL", "").strip() or configured.strip()


def prompt_template() -> str:
    """The text of the prompt template (``templates/llm-v1.j2``)."""
    return templating.template_source(PROMPT_FILE)


def _retryable(exc: Exception) -> bool:
    """A dropped connection, 429 or a server error."""
    return isinstance(exc, openai.APIConnectionError | openai.RateLimitError
                      | openai.InternalServerError)


@dataclass(frozen=True)
class LLMOptions:
    """How diglot talks to the model server."""

    base_url: str
    model: str
    timeout: float = 60.0
    """Seconds to wait for one answer."""
    deadline: float = 120.0
    """Seconds one request may take in all, retries and waits included."""
    max_retries: int = 3
    backoff_initial: float = 1.0
    backoff_factor: float = 2.0
    backoff_max: float = 30.0
    max_examples: int = 3
    """Reviewed sentence pairs from the memory given as examples."""
    example_similarity: int = 50


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str

    @property
    def characters(self) -> int:
        return len(self.system) + len(self.user)


@dataclass
class _Answer:
    """One sentence's answer after the checks: the draft, or what is wrong with it."""

    text: str = ""
    fatal: str = ""
    """A problem that makes the draft unusable (count, markup, a copy of the source)."""
    warning: str = ""
    """A problem the reviewer must look at (numbers, negation)."""


@dataclass
class LLMEngine:
    """Translate paragraphs with a chat model.  ``close()`` it when done."""

    api_key: str = field(repr=False)
    options: LLMOptions
    date: str = ""
    glossaries: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    """Agreed terms per target language."""
    memories: Mapping[str, TranslationMemory] = field(default_factory=dict)
    styles: Mapping[str, str] = field(default_factory=dict)
    """``glossary/style-<lang>.md`` per target language."""
    sleep: Callable[[float], None] = time.sleep
    stats: EngineStats = field(default_factory=EngineStats)
    kind: EngineKind = EngineKind.LLM
    cost_unit: CostUnit = CostUnit.TOKENS
    paid: bool = True
    _client: openai.OpenAI | None = field(default=None, repr=False)
    _template: jinja2.Template | None = field(default=None, repr=False)

    def check(self) -> None:
        """Raise :class:`EngineError` when the server or the model is not configured."""
        if not self.options.base_url:
            raise EngineError("no model server: set OPENAI_BASE_URL or [translate] llm_base_url",
                              hint="for example http://127.0.0.1:11434/v1 (Ollama) or "
                              "http://127.0.0.1:8080/v1 (llama.cpp's server)")
        if not self.options.model:
            raise EngineError("no model: set [translate] llm_model in diglot.toml",
                              hint="use the name the server lists under /v1/models")

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            self.check()
            self._client = openai.OpenAI(api_key=self.api_key or "none",
                                         base_url=self.options.base_url, max_retries=0,
                                         timeout=self.options.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- the prompt

    @property
    def template(self) -> jinja2.Template:
        if self._template is None:
            self._template = templating.text_environment().get_template(PROMPT_FILE)
        return self._template

    def _terms(self, batch: Batch) -> list[tuple[str, str]]:
        text = batch.paragraph or " ".join(batch.texts)
        return [(s, t) for s, t in self.glossaries.get(batch.target, ())
                if contains_term(text, s, batch.source)]

    def _examples(self, batch: Batch) -> list[tuple[str, str]]:
        memory = self.memories.get(batch.target)
        if memory is None or not len(memory) or self.options.max_examples <= 0:
            return []
        found: dict[str, str] = {}
        for text in batch.texts:
            hit = memory.closest(text, similarity=self.options.example_similarity)
            if hit is not None and hit[0].source not in batch.texts:
                found.setdefault(hit[0].source, hit[0].target)
            if len(found) >= self.options.max_examples:
                break
        return list(found.items())

    def prompt(self, batch: Batch, *, problem: str = "") -> Prompt:
        """The two messages for ``batch``, sentences as XML placeholders (:mod:`diglot.inline`)."""
        rendered = self.template.render(
            source_name=language_name(batch.source), target_name=language_name(batch.target),
            glossary=self._terms(batch), style=self.styles.get(batch.target, "").strip(),
            examples=self._examples(batch),
            before=batch.before, after=batch.after,
            paragraph=batch.paragraph or batch.context or " ".join(batch.texts),
            sentences=[_placeholders(t, batch.fmt) for t in batch.texts], problem=problem)
        system, _, user = rendered.partition("=== user ===")
        return Prompt(system.strip(), user.strip())

    # -- the engine protocol

    def plan(self, batch: Batch) -> list[Batch]:
        """One request per paragraph."""
        return [batch]

    def estimate(self, batch: Batch) -> int:
        """Tokens for one request: the prompt, and an answer as long as the sentences."""
        answer = sum(len(t) for t in batch.texts) + 30
        return math.ceil((self.prompt(batch).characters + answer) / CHARS_PER_TOKEN)

    def cache_options(self, source: str, target: str) -> str:
        """Model, prompt template, glossary and style note: what shapes an answer."""
        def digest(text: str) -> str:
            return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

        terms = "\n".join(f"{s}\t{t}" for s, t in self.glossaries.get(target, ()))
        return json.dumps({"model": self.options.model, "prompt": digest(prompt_template()),
                           "source": source, "target": target, "glossary": digest(terms),
                           "style": digest(self.styles.get(target, ""))}, sort_keys=True)

    def check_target(self, lang: str) -> str:
        """Any language babel names; whether the model knows it, only a draft shows."""
        return lang

    def quota(self) -> Quota:
        return Quota(note="an OpenAI-compatible server does not report a quota")

    # -- asking

    def _error(self, exc: openai.OpenAIError) -> EngineError:
        where = self.options.base_url
        if isinstance(exc, openai.APITimeoutError):
            return EngineError(f"no answer in time from the model server at {where}",
                               hint=f"raise [translate] request_timeout or use a faster model; "
                               f"{_SAVED}")
        if isinstance(exc, openai.APIConnectionError):
            return EngineError(f"cannot reach the model server at {where}",
                               hint=f"start the server, or check OPENAI_BASE_URL / "
                               f"[translate] llm_base_url; {_SAVED}")
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return EngineError(f"the model server refused the key ({exc.status_code})",
                               hint=_KEY_HINT)
        if isinstance(exc, openai.NotFoundError):
            return EngineError(f"the model server at {where} has no model "
                               f"'{self.options.model}' (404)",
                               hint="set [translate] llm_model to a model the server lists "
                               "under /v1/models")
        if isinstance(exc, openai.RateLimitError):
            return EngineError(f"the model server is overloaded (429) after "
                               f"{self.options.max_retries} retries",
                               hint=f"wait a few minutes; {_SAVED}")
        if isinstance(exc, openai.APIStatusError):
            detail = self._scrub(_message(exc))
            if exc.status_code == 400 and "context" in detail.lower():
                return EngineError(f"a paragraph is too long for the model's context window: "
                                   f"{detail}",
                                   hint=f"use a model with a longer context, or raise the "
                                   f"server's context size; {_SAVED}")
            if exc.status_code >= 500:
                return EngineError(f"the model server failed ({exc.status_code}) after "
                                   f"{self.options.max_retries} retries: {detail}",
                                   hint=f"try again later; {_SAVED}")
            return EngineError(f"the model server rejected the request ({exc.status_code}): "
                               f"{detail}", hint="if this persists, please report it")
        return EngineError(f"the model server failed: {self._scrub(str(exc))}",
                           hint=_SAVED)

    def _scrub(self, text: str) -> str:
        return text.replace(self.api_key, "<OPENAI_API_KEY>") if self.api_key else text

    def _call(self, func: Callable[[float], T]) -> T:
        try:
            return call_with_retries(func, self.options, retryable=_retryable,
                                     stats=self.stats, sleep=self.sleep)
        except openai.OpenAIError as exc:
            raise self._error(exc) from None

    def _ask(self, prompt: Prompt, count: int) -> tuple[list[str] | None, str]:
        """The model's translations, or None and why the answer cannot be read."""
        schema = {"type": "object", "additionalProperties": False, "required": ["translations"],
                  "properties": {"translations": {"type": "array", "items": {"type": "string"},
                                                  "minItems": count, "maxItems": count}}}

        def send(timeout: float) -> Any:
            return self.client.chat.completions.create(
                model=self.options.model, temperature=0, timeout=timeout,
                messages=[{"role": "system", "content": prompt.system},
                          {"role": "user", "content": prompt.user}],
                response_format={"type": "json_schema", "json_schema": {
                    "name": "translations", "strict": True, "schema": schema}})

        response = self._call(send)
        self.stats.requests += 1
        usage = getattr(response, "usage", None)
        tokens = getattr(usage, "total_tokens", None) if usage is not None else None
        self.stats.billed += int(tokens) if tokens else math.ceil(
            prompt.characters / CHARS_PER_TOKEN)
        choices = getattr(response, "choices", None) or []
        content = choices[0].message.content if choices else None
        if not content:
            return None, "the answer was empty"
        try:
            data = json.loads(content)
        except json.JSONDecodeError:
            return None, 'the answer was not JSON; answer only with {"translations": [...]}'
        found = data.get("translations") if isinstance(data, dict) else None
        if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
            return None, 'the answer was not {"translations": [strings]}'
        if len(found) != count:
            return None, (f"the answer had {len(found)} translations for {count} sentences; "
                          "give exactly one per numbered sentence")
        return found, ""

    def _check(self, batch: Batch, xml: str, source: str) -> _Answer:
        # the source's own line breaks travel as <br/>: a bare one in the answer is spurious,
        # and one at either end would fail msgfmt --check
        xml = " ".join(xml.split()) if "\n" in xml or xml != xml.strip() else xml
        if batch.fmt is not SourceFormat.MD:
            breaks = len(_BR.findall(xml))
            if breaks != source.count("\n"):
                return _Answer(fatal=f"line breaks differ from the source ({breaks} <br/> for "
                               f"{source.count(chr(10))} line breaks)")
            xml = _BR.sub("\n", xml)
        try:
            text = inline.from_xml(xml, batch.fmt, source=source)
        except inline.MarkupMismatch as exc:
            return _Answer(fatal=f"markup differs from the source: {exc}")
        ctx = EntryContext(path=Path("<llm>"), line=0, source_lang=batch.source,
                           target_lang=batch.target, format=batch.fmt)
        if check_identical(source, text, ctx):
            return _Answer(text, fatal="the draft is a copy of the source")
        problems = check_numbers(source, text, ctx) + check_negation(source, text, ctx)
        warning = "; ".join(f"{p.check}: {p.message}" for p in problems)
        return _Answer(text, warning=warning)

    def translate(self, batch: Batch) -> list[Result]:
        """One request for the paragraph's sentences; asked once more if an answer is wrong."""
        if not batch.texts:
            return []
        count = len(batch.texts)
        found, problem = self._ask(self.prompt(batch), count)
        answers = ([self._check(batch, x, s) for x, s in zip(found, batch.texts, strict=True)]
                   if found is not None else None)
        if answers is None or any(a.fatal or a.warning for a in answers):
            if answers is not None:
                problem = "; ".join(f"sentence {i}: {a.fatal or a.warning}"
                                    for i, a in enumerate(answers, 1) if a.fatal or a.warning)
            self.stats.repairs += 1
            again, problem2 = self._ask(self.prompt(batch, problem=problem), count)
            if again is not None:
                second = [self._check(batch, x, s) for x, s in zip(again, batch.texts,
                                                                   strict=True)]
                answers = second if answers is None else [
                    b if (a.fatal or a.warning) and _better(b, a) else a
                    for a, b in zip(answers, second, strict=True)]
            elif answers is None:
                return [Rejected(f"the model's answer could not be used: {problem2}")
                        for _ in batch.texts]
        origin = Origin(engine=self.name, date=self.date, model=self.options.model)
        results: list[Result] = []
        for answer in answers:
            if answer.fatal:
                results.append(Rejected(answer.fatal))
            else:
                results.append(Draft(text=answer.text, origin=origin, problem=answer.warning))
        return results


_BR = re.compile(r"\s*<br\s*/?>\s*")


def _placeholders(text: str, fmt: SourceFormat) -> str:
    """A sentence as the model gets it: DeepL's XML, line breaks as ``<br/>`` in every format."""
    xml = inline.to_xml(text, fmt)
    return xml if fmt is SourceFormat.MD else xml.replace("\n", "<br/>")


def _better(new: _Answer, old: _Answer) -> bool:
    """Whether the second answer is at least as good as the first."""
    if new.fatal:
        return bool(old.fatal)
    return not new.warning or bool(old.fatal) or bool(old.warning)


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(exc.message)
