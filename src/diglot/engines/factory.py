"""Engines built from the project's configuration, in one place.

:func:`build_engine` turns ``[translate]`` and the environment into the engine
``--engine`` names (the memory engine, always asked first, is built per
language by :func:`memory_engine`).  The settings themselves were checked
when ``diglot.toml`` was read (:mod:`diglot.engines.settings`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from diglot.engines.base import Engine, EngineKind
from diglot.engines.memory import MemoryEngine, TranslationMemory, load_memory
from diglot.errors import EngineError
from diglot.project import CONFIG_NAME, Project

if TYPE_CHECKING:  # the clients (deepl, openai, jinja2) are imported only for their engine
    from diglot.engines.deepl import DeepLOptions
    from diglot.engines.glossary import Glossary, GlossaryRecords
    from diglot.engines.llm import LLMOptions


def memory_engine(project: Project, lang: str, *, date: str,
                  memory: TranslationMemory | None = None) -> MemoryEngine:
    """The translation-memory engine for ``lang``."""
    return MemoryEngine(memory if memory is not None else load_memory(project, lang),
                        similarity=project.config.translate.memory_similarity, date=date)


def glossaries(project: Project, langs: Sequence[str]) -> dict[str, Glossary]:
    from diglot.engines.glossary import read_glossary

    out: dict[str, Glossary] = {}
    for lang in langs:
        path = project.glossary_path(lang)
        if path is not None:
            out[lang] = read_glossary(path, source_lang=project.config.source_language,
                                      target_lang=lang)
    return out


def style_notes(project: Project, langs: Sequence[str]) -> dict[str, str]:
    """``glossary/style-<lang>.md`` per language, where there is one."""
    out: dict[str, str] = {}
    for lang in langs:
        path = project.root / "glossary" / f"style-{lang}.md"
        if path.is_file():
            out[lang] = path.read_text(encoding="utf-8-sig")
    return out


def build_engine(kind: EngineKind, project: Project, *, langs: Sequence[str], date: str,
                 environ: Mapping[str, str] | None, dry_run: bool,
                 records: GlossaryRecords | None = None,
                 memories: Mapping[str, TranslationMemory] | None = None,
                 deepl_options: DeepLOptions | None = None,
                 llm_options: LLMOptions | None = None) -> Engine | None:
    """The engine ``kind`` after the memory; None for the memory alone.

    A missing key is an :class:`EngineError` except in a dry run.
    """
    config = project.config.translate
    config_path = project.root / CONFIG_NAME
    if kind is EngineKind.MEMORY:
        return None
    if kind is EngineKind.DEEPL:
        from diglot.engines.deepl import (
            DeepLEngine,
            DeepLOptions,
            auth_key_from_env,
            server_url_from,
        )

        options = deepl_options or DeepLOptions(
            english_variant=config.english_variant, portuguese_variant=config.portuguese_variant,
            formality=config.formality, deadline=float(config.request_timeout))
        if options.server_url is None:
            options = replace(options, server_url=server_url_from(environ,
                                                                  config.deepl_server_url))
        key = ""
        try:
            key = auth_key_from_env(environ)
        except EngineError:
            if not dry_run:
                raise
        return DeepLEngine(auth_key=key, options=options, glossaries=glossaries(project, langs),
                           records=records, date=date, config_path=config_path)
    if kind is EngineKind.LLM:
        from diglot.engines.llm import LLMEngine, LLMOptions, api_key_from_env, base_url_from

        options_llm = llm_options or LLMOptions(
            base_url=base_url_from(environ, config.llm_base_url), model=config.llm_model,
            timeout=float(config.request_timeout), deadline=float(config.request_timeout))
        terms = {lang: g.entries for lang, g in glossaries(project, langs).items()}
        llm = LLMEngine(api_key=api_key_from_env(environ), options=options_llm, date=date,
                        glossaries=terms, memories=dict(memories or {}),
                        styles=style_notes(project, langs))
        if not dry_run:  # a dry run only estimates: it needs no server
            llm.check()
        return llm
    raise AssertionError(kind)
