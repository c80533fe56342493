"""What GNU ``msgfmt --check`` rejects, and a header that names the wrong language.

Entry checks (``msgfmt``):

- a ``msgid`` and ``msgstr`` that do not both begin, or both end, with a
  newline;
- entries flagged ``c-format``, ``python-format`` or ``python-brace-format``
  whose format directives differ (count, order of positional ones, names);
- plural entries with a number of forms other than the header's ``nplurals``.

The catalog check reads the header: ``Language`` must be the catalog's
language, ``Plural-Forms`` babel's (CLDR) rule for it, and the charset UTF-8.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.plurals import get_plural

from diglot.checks.base import EntryContext, Problem, Severity
from diglot.pofile import Entry

FORMAT = "msgfmt"
HEADER = "header"


def check_newlines(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """msgid and msgstr must both begin (and both end) with a newline, or neither."""
    problems = []
    if source.startswith("\n") != translation.startswith("\n"):
        problems.append(ctx.error(FORMAT, "'msgid' and 'msgstr' do not both begin with '\\n' "
                                          "(msgfmt rejects the catalog)"))
    if source.endswith("\n") != translation.endswith("\n"):
        problems.append(ctx.error(FORMAT, "'msgid' and 'msgstr' do not both end with '\\n' "
                                          "(msgfmt rejects the catalog)"))
    return problems


_C_FORMAT = re.compile(
    r"%(?:(?P<pos>\d+)\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?(?P<conv>[diouxXeEfFgGaAcspn%])")
_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACE_FORMAT = re.compile(r"(?<!\{)\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _directives(text: str, flag: str) -> list[str] | Counter[str]:
    if flag == "c-format":
        found = [(m.group("pos"), m.group("conv")) for m in _C_FORMAT.finditer(text)
                 if m.group("conv") != "%"]
        if any(pos for pos, _ in found):
            return Counter(f"{pos}${conv}" for pos, conv in found)
        return [conv.replace("i", "d") for _, conv in found]
    if flag == "python-format":
        found = [(m.group("name"), m.group("conv")) for m in _PYTHON_FORMAT.finditer(text)
                 if m.group("conv") != "%"]
        if any(name is not None for name, _ in found):
            return Counter(f"{name}:{conv}" for name, conv in found)
        return [conv for _, conv in found]
    return Counter(m.group("name") or "{}" for m in _BRACE_FORMAT.finditer(text))


_FORMAT_FLAGS = ("c-format", "python-format", "python-brace-format")


def check_format(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Format directives of ``*-format`` entries must match, as ``msgfmt --check`` demands."""
    problems = []
    for flag in _FORMAT_FLAGS:
        if flag not in ctx.flags:
            continue
        a, b = _directives(source, flag), _directives(translation, flag)
        if a != b:
            problems.append(ctx.error(FORMAT, f"{flag} directives differ: the source has "
                                              f"{_show(a)}, the translation {_show(b)}"))
    return problems


def _show(found: list[str] | Counter[str]) -> str:
    items = list(found.elements()) if isinstance(found, Counter) else found
    return ", ".join(items) if items else "none"


def _nplurals(plural_forms: str) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(match.group(1)) if match else None


def _normal(expression: str) -> str:
    return re.sub(r"\s+|[()]", "", expression).rstrip(";")


def check_header(meta: Mapping[str, str], entries: Iterable[Entry], *, path: Path, line: int,
                 lang: str) -> list[Problem]:
    """Language, Plural-Forms and charset of a catalog's header (its metadata ``meta``)."""

    def problem(severity: Severity, message: str) -> Problem:
        return Problem(path=path, line=line, check=HEADER, severity=severity, message=message)

    problems = []
    expected_lang = lang.replace("-", "_")
    written = meta.get("Language", "").strip()
    if not written:
        problems.append(problem(Severity.ERROR, f"the header has no Language: add "
                                                f"'Language: {expected_lang}'"))
    elif written.replace("-", "_").casefold() != expected_lang.casefold():
        problems.append(problem(Severity.ERROR, f"the header says 'Language: {written}' in a "
                                                f"catalog for '{lang}': write "
                                                f"'Language: {expected_lang}'"))
    try:
        rule = get_plural(expected_lang)
    except (ValueError, KeyError):
        rule = None
    forms = meta.get("Plural-Forms", "").strip()
    if rule is not None:
        if not forms:
            problems.append(problem(Severity.WARNING, f"the header has no Plural-Forms: add "
                                                      f"'Plural-Forms: {rule.plural_forms}'"))
        elif _nplurals(forms) != rule.num_plurals:
            problems.append(problem(Severity.ERROR, f"Plural-Forms says nplurals="
                                                    f"{_nplurals(forms)} but {lang} has "
                                                    f"{rule.num_plurals}: write "
                                                    f"'Plural-Forms: {rule.plural_forms}'"))
        elif _normal(forms) != _normal(rule.plural_forms):
            problems.append(problem(Severity.WARNING, f"Plural-Forms differs from CLDR's rule "
                                                      f"for {lang}: '{rule.plural_forms}'"))
    content_type = meta.get("Content-Type", "")
    charset = re.search(r"charset=([\w-]+)", content_type)
    if not charset or charset.group(1).casefold().replace("-", "") != "utf8":
        problems.append(problem(Severity.ERROR, "the header's Content-Type must say "
                                                "'text/plain; charset=UTF-8'"))
    nplurals = _nplurals(forms) if forms else None
    if nplurals is not None:
        for entry in entries:
            if entry.obsolete or not entry.msgid_plural:
                continue
            if len(entry.msgstr_plural) != nplurals:
                problems.append(Problem(
                    path=path, line=entry.line or line, check=FORMAT,
                    severity=Severity.ERROR,
                    message=f"{len(entry.msgstr_plural)} plural forms where the header says "
                            f"nplurals={nplurals}"))
    return problems
