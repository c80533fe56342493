"""Inline markup, links, URLs and inline code must come through translation intact.

For Markdown documents the comparison is between the inline signatures of
source and translation (:func:`diglot.inline.markup_signature`: link URLs,
inline code, emphasis…); every field of the signature is compared, sequences
as multisets (a translation may reorder two links).  For every format, bare
URLs and e-mail addresses written in the prose must be kept as written.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from diglot.checks.base import EntryContext, Problem
from diglot.inline import MarkupSignature, markup_signature
from diglot.model import SourceFormat
from diglot.patterns import URL

NAME = "markup"


def _label(name: str) -> str:
    return name.replace("_", " ").replace("urls", "URLs").replace("url", "URL")


def _items(value: Any) -> Counter[Any] | None:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        return None
    return Counter(value)


def _fields(signature: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(signature) and not isinstance(signature, type):
        return {f.name: getattr(signature, f.name) for f in dataclasses.fields(signature)}
    if isinstance(signature, Mapping):
        return dict(signature)
    if hasattr(signature, "_asdict"):
        return dict(signature._asdict())
    return {"markup": signature}


def compare_signatures(source: Any, translation: Any) -> list[tuple[bool, str, set[str]]]:
    """``(is_error, message, strings named)`` for each difference between two signatures.

    Sequences (URLs, code) are compared as multisets and differences are errors;
    counts (emphasis, line breaks) differing are warnings.
    """
    out: list[tuple[bool, str, set[str]]] = []
    src, tgt = _fields(source), _fields(translation)
    for name in src:
        a, b = src[name], tgt.get(name)
        label = _label(name)
        ca, cb = _items(a), _items(b)
        if ca is not None and cb is not None:
            for item in sorted(map(str, (ca - cb).elements())):
                out.append((True, f"{label}: '{item}' of the source is missing from the "
                                  "translation", {item}))
            for item in sorted(map(str, (cb - ca).elements())):
                out.append((True, f"{label}: '{item}' is in the translation but not in the "
                                  "source", {item}))
        elif a != b:
            # a count (emphasis, line breaks) may rightly change a little in translation
            out.append((not isinstance(a, int), f"{label}: the source has {a}, the translation "
                                                f"has {b}", set()))
    return out


def _may_have_url(text: str) -> bool:
    return "@" in text or "://" in text or "www." in text  # what URL can match needs one


def bare_urls(text: str) -> Counter[str]:
    """URLs and e-mail addresses written in the text (Markdown link targets included)."""
    if not _may_have_url(text):
        return Counter()
    return Counter(m.group(0) for m in URL.finditer(text))


_INLINE = re.compile(r"[\n\\`*_\[<]")
"""The characters that can start inline Markdown markup (CommonMark's inline rules)."""


def _signature(text: str, fmt: SourceFormat) -> MarkupSignature:
    if fmt is SourceFormat.MD and not _INLINE.search(text):
        return _PLAIN  # plain prose: no markup to find, no parse
    return markup_signature(text, fmt)


_PLAIN = MarkupSignature()


def check_markup(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Links, URLs, inline code and emphasis that differ between source and translation."""
    problems = []
    named: set[str] = set()
    src_sig, tgt_sig = _signature(source, ctx.format), _signature(translation, ctx.format)
    differences = [] if src_sig == tgt_sig else compare_signatures(src_sig, tgt_sig)
    for is_error, message, strings in differences:
        named |= strings
        problems.append(ctx.error(NAME, message) if is_error else ctx.warning(NAME, message))
    if not _may_have_url(source) and not _may_have_url(translation):
        return problems
    src_urls, tgt_urls = bare_urls(source), bare_urls(translation)
    if not src_urls and not tgt_urls:
        return problems
    for url in sorted((src_urls - tgt_urls).keys() - named):
        problems.append(ctx.error(NAME, f"URL '{url}' of the source is missing from the "
                                        "translation (keep it exactly as written)"))
    for url in sorted((tgt_urls - src_urls).keys() - named):
        problems.append(ctx.warning(NAME, f"URL '{url}' is in the translation but not in "
                                          "the source"))
    return problems
