"""The engine settings of ``[translate]``, checked when ``diglot.toml`` is read.

Every value an engine takes from the configuration is checked here, before
any engine is built and anything is billed: :func:`translate_problems` returns
``(key, what is wrong, the valid choices)`` for :mod:`diglot.project` to report
at the key's line.  This module imports nothing of diglot's but the engine
kinds and the error family, so the project module can use it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from diglot.errors import EngineError
from diglot.names import EngineKind

FORMALITIES = ("default", "more", "less", "prefer_more", "prefer_less")
ENGLISH_VARIANTS = ("EN-GB", "EN-US")
PORTUGUESE_VARIANTS = ("PT-PT", "PT-BR")
FORMALITY_TARGETS = frozenset({"de", "fr", "it", "es", "nl", "pl", "pt", "ja", "ru"})
"""Target languages (base codes) DeepL documents ``formality = more|less`` for."""


def check_key(key: str, variable: str, hint: str) -> None:
    """Refuse a key with a control character (a pasted newline), without ever showing it."""
    bad = [c for c in key if unicodedata.category(c).startswith("C")]
    if bad:
        raise EngineError(f"{variable} contains a control character "
                          f"(U+{ord(bad[0]):04X}); it is not shown here",
                          hint=f"set it again without line breaks or tabs; {hint}")


@dataclass(frozen=True)
class SettingProblem:
    key: str
    message: str
    choices: tuple[str, ...] = ()
    hint: str = ""


def _url_problem(key: str, url: str) -> SettingProblem | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return SettingProblem(key, f"'{key}' must be an http:// or https:// URL, not '{url}'",
                              hint="for example \"http://127.0.0.1:8080/v1\"")
    return None


def translate_problems(*, engine: str, memory_similarity: int, english_variant: str,
                       portuguese_variant: str, formality: str, deepl_server_url: str,
                       llm_base_url: str, llm_model: str, request_timeout: int,
                       targets: tuple[str, ...]) -> list[SettingProblem]:
    """What is wrong with the engine settings of ``[translate]`` (empty: nothing)."""
    out: list[SettingProblem] = []
    kinds = tuple(k.value for k in EngineKind)
    if engine not in kinds:
        out.append(SettingProblem("engine", f"unknown engine '{engine}'", kinds))
    if not 0 <= memory_similarity <= 100:
        out.append(SettingProblem("memory_similarity",
                                  f"memory_similarity must be 0 to 100, not {memory_similarity}"))
    if english_variant.upper() not in ENGLISH_VARIANTS:
        out.append(SettingProblem("english_variant", "english_variant must be EN-GB or EN-US, "
                                  f"not '{english_variant}'", ENGLISH_VARIANTS))
    if portuguese_variant.upper() not in PORTUGUESE_VARIANTS:
        out.append(SettingProblem("portuguese_variant", "portuguese_variant must be PT-PT or "
                                  f"PT-BR, not '{portuguese_variant}'", PORTUGUESE_VARIANTS))
    if formality not in FORMALITIES:
        out.append(SettingProblem("formality", f"unknown formality '{formality}'", FORMALITIES))
    elif formality in ("more", "less"):
        without = [t for t in targets if t.replace("_", "-").split("-")[0].lower()
                   not in FORMALITY_TARGETS]
        if without:
            out.append(SettingProblem(
                "formality", f"DeepL has no formality for {', '.join(without)}: "
                f"formality = \"{formality}\" cannot be sent",
                hint=f"use formality = \"prefer_{formality}\", which DeepL applies where it "
                "can, or \"default\""))
    for key, url in (("deepl_server_url", deepl_server_url), ("llm_base_url", llm_base_url)):
        problem = _url_problem(key, url)
        if problem is not None:
            out.append(problem)
    if llm_model != llm_model.strip() or any(c.isspace() for c in llm_model):
        out.append(SettingProblem("llm_model", f"llm_model '{llm_model}' contains spaces",
                                  hint="write the model's name as the server lists it"))
    if engine == EngineKind.LLM and not llm_model:
        out.append(SettingProblem("llm_model", "engine = \"llm\" needs llm_model",
                                  hint="add for example llm_model = \"qwen2.5:7b-instruct\""))
    if request_timeout <= 0:
        out.append(SettingProblem("request_timeout", "request_timeout must be a positive "
                                  f"number of seconds, not {request_timeout}"))
    return out
