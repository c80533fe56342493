"""DeepL's side of the configuration: language codes, formality, the key, the server.

What :class:`~diglot.engines.deepl.DeepLEngine` is configured with, kept apart
from the engine so that it can be checked and tested without the client.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from diglot.engines.settings import FORMALITIES, check_key
from diglot.errors import ConfigError, EngineError
from diglot.project import did_you_mean

MAX_TEXTS = 50
MAX_REQUEST_BYTES = 128 * 1024
_FORMALITY_TARGETS = frozenset({"DE", "FR", "IT", "ES", "ES-419", "NL", "PL", "PT-PT", "PT-BR",
                                "JA", "RU"})
"""Targets DeepL documents formality for; used when ``/v2/languages`` does not say."""
KNOWN_TARGETS = frozenset({
    "AR", "BG", "CS", "DA", "DE", "EL", "EN-GB", "EN-US", "ES", "ES-419", "ET", "FI", "FR", "HE",
    "HU", "ID", "IT", "JA", "KO", "LT", "LV", "NB", "NL", "PL", "PT-BR", "PT-PT", "RO", "RU", "SK",
    "SL", "SV", "TH", "TR", "UK", "VI", "ZH", "ZH-HANS", "ZH-HANT"})
"""DeepL's documented target codes: checked before anything is sent when ``/v2/languages``
cannot be asked (a dry run without a key)."""
KEY_HINT = ("set DEEPL_AUTH_KEY to the authentication key of your DeepL API account "
             "(Account → API keys); diglot never stores it")

def auth_key_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The DeepL key from ``DEEPL_AUTH_KEY``; a clear :class:`EngineError` when it is not set."""
    env = os.environ if environ is None else environ
    key = env.get("DEEPL_AUTH_KEY", "").strip()
    if not key:
        raise EngineError("DEEPL_AUTH_KEY is not set", hint=KEY_HINT
                          + ", or use '--engine memory', which needs no key")
    check_key(key, "DEEPL_AUTH_KEY", KEY_HINT)
    return key


def server_url_from(environ: Mapping[str, str] | None, configured: str) -> str | None:
    """``DEEPL_SERVER_URL``, else the config's ``deepl_server_url``, else the official server."""
    env = os.environ if environ is None else environ
    url = env.get("DEEPL_SERVER_URL", "").strip() or configured.strip()
    return url or None


def source_code(lang: str) -> str:
    """DeepL's code for a source language: the base code only (``pt-BR`` → ``PT``)."""
    return lang.replace("_", "-").split("-")[0].upper()


def target_code(lang: str, *, english_variant: str = "EN-GB",
                portuguese_variant: str = "PT-PT") -> str:
    """DeepL's code for a target: ``en`` → ``EN-GB``, ``pt-BR`` → ``PT-BR``, ``de`` → ``DE``."""
    code = lang.replace("_", "-").upper()
    if code in ("NO", "NB", "NB-NO", "NO-NO"):
        return "NB"
    if code == "EN":
        return english_variant.upper()
    if code == "PT":
        return portuguese_variant.upper()
    if code in ("ZH-CN", "ZH-SG"):
        return "ZH-HANS"
    if code in ("ZH-TW", "ZH-HK"):
        return "ZH-HANT"
    base, _, region = code.partition("-")
    if base in ("EN", "PT", "ZH") or (base == "ES" and region == "419"):
        return code
    return base


@dataclass(frozen=True)
class DeepLOptions:
    """How diglot talks to DeepL: language variants, formality, limits, retries."""

    server_url: str | None = None
    english_variant: str = "EN-GB"
    portuguese_variant: str = "PT-PT"
    formality: str = "default"
    max_retries: int = 5
    """Retries of one request after 429, 5xx, a timeout or a dropped connection."""
    backoff_initial: float = 1.0
    backoff_factor: float = 1.6
    backoff_max: float = 30.0
    timeout: float = 30.0
    """Seconds to wait for one answer."""
    deadline: float = 120.0
    """Seconds one request may take in all, retries and waits included."""
    max_texts: int = MAX_TEXTS
    max_request_bytes: int = MAX_REQUEST_BYTES
    """Requests are kept strictly under this many bytes of JSON body."""

    def check(self, config_path: Path | None = None) -> None:
        """Raise :class:`ConfigError` for a variant or formality DeepL does not know."""
        if self.english_variant.upper() not in ("EN-GB", "EN-US"):
            raise ConfigError(f"english_variant must be EN-GB or EN-US, not "
                              f"'{self.english_variant}'", path=config_path,
                              hint=did_you_mean(self.english_variant.upper(), ["EN-GB", "EN-US"]))
        if self.portuguese_variant.upper() not in ("PT-PT", "PT-BR"):
            raise ConfigError(f"portuguese_variant must be PT-PT or PT-BR, not "
                              f"'{self.portuguese_variant}'", path=config_path,
                              hint=did_you_mean(self.portuguese_variant.upper(),
                                                ["PT-PT", "PT-BR"]))
        if self.formality not in FORMALITIES:
            raise ConfigError(f"unknown formality '{self.formality}'", path=config_path,
                              hint=did_you_mean(self.formality, FORMALITIES))

    def target(self, lang: str) -> str:
        return target_code(lang, english_variant=self.english_variant,
                           portuguese_variant=self.portuguese_variant)


def formality_for(formality: str, target: str, *, supported: bool | None = None,
                  config_path: Path | None = None) -> str | None:
    """The ``formality`` to send for ``target`` (``None``: send nothing).

    ``less``/``more`` for a target without formality is a :class:`ConfigError`;
    ``supported`` is what ``/v2/languages`` said, ``None`` when unknown.
    """
    if formality == "default":
        return None
    if formality in ("prefer_more", "prefer_less"):
        return formality
    ok = supported if supported is not None else target in _FORMALITY_TARGETS
    if not ok:
        raise ConfigError(
            f"DeepL has no formality for {target}: formality = \"{formality}\" cannot be sent",
            path=config_path,
            hint=f"use formality = \"prefer_{formality}\", which DeepL applies where it can, "
            "or \"default\"")
    return formality
