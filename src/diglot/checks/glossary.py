"""Agreed terms: a source term found (in any inflected form) needs its agreed translation.

``glossary/<src>-<tgt>.tsv`` holds one term a line, tab-separated::

    # comments and blank lines are ignored
    КПК<TAB>CPK
    забастовка<TAB>strike<TAB>not "walkout"
    профсоюз<TAB>union | trade union

The first column is the source term (any form: it is matched by Snowball stems,
``snowballstemmer``), the second its translation, alternatives separated by
``|``, the optional third a note shown with the problem.  A ``.csv`` glossary
has the same columns, comma-separated.  A first row naming the two languages
(``ru<TAB>en``) is taken as a header.

One loader, :func:`read_glossary_file`, serves ``diglot check`` and the DeepL
engine.  It never raises: a file that cannot be read and every line that cannot
be parsed come back as problems next to the terms that could be read.  Each
caller states its policy: ``check`` reports every problem (errors, exit 5);
``translate`` refuses to make a DeepL glossary from a file with any problem
(:func:`diglot.engines.glossary.read_glossary`), since a partial glossary would
silently drop agreed terms.

Stems: Russian ``забастовка``, ``забастовки`` and ``забастовкой`` share the
stem ``забастовк``; English ``strikes`` and ``CPK’s`` lose their endings.
Languages without a Snowball stemmer are compared case-folded, with a short
ending allowed.  Acronyms (``КПК``, ``РКРП-КПСС``, ``CPK``) are never stemmed:
only a lower-case case ending written after them is dropped.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from diglot.checks.base import EntryContext, GlossaryTerm, Problem, Severity
from diglot.patterns import WORD

NAME = "glossary"

# ISO 639-1 codes of the languages snowballstemmer has an algorithm for.
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}
_ACRONYM = re.compile(r"^((?:[^\W\d_a-zа-яё]|\d|-){2,}?)(?:-?[a-zа-яё]{1,3})?$")


def read_glossary_file(path: Path, *, source_lang: str,
                       target_lang: str) -> tuple[tuple[GlossaryTerm, ...], list[Problem]]:
    """The terms of the glossary file at ``path`` and its problems."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return (), [Problem(path, 1, NAME, Severity.ERROR, f"cannot read the glossary: {exc}",
                            hint="save it as UTF-8 text")]
    return parse_glossary(text, path=path, source_lang=source_lang, target_lang=target_lang)


def parse_glossary(text: str, *, path: Path, source_lang: str,
                   target_lang: str) -> tuple[tuple[GlossaryTerm, ...], list[Problem]]:
    """The terms of a glossary file, and a problem for each line that cannot be read."""
    delimiter = "," if path.suffix == ".csv" else "\t"
    terms: list[GlossaryTerm] = []
    problems: list[Problem] = []
    rows = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=csv.QUOTE_MINIMAL
                      if delimiter == "," else csv.QUOTE_NONE)
    first = True
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first and [c.casefold() for c in cells[:2]] == [source_lang.casefold(),
                                                           target_lang.casefold()]:
            first = False
            continue
        first = False
        targets = tuple(t.strip() for t in cells[1].split("|") if t.strip()) if len(
            cells) > 1 else ()
        if not cells[0] or not targets:
            sep = "a comma" if delimiter == "," else "a tab"
            problems.append(Problem(path=path, line=number, check=NAME, severity=Severity.ERROR,
                                    message=f"this line has no translation for '{cells[0]}'",
                                    hint=f"write the term, {sep}, then its translation"))
            continue
        terms.append(GlossaryTerm(source=cells[0], targets=targets, line=number,
                                  note=cells[2] if len(cells) > 2 else ""))
    return tuple(terms), problems


def check_glossary(source: str, translation: str, ctx: EntryContext) -> list[Problem]:
    """Glossary terms in the source whose agreed translation is absent from the translation."""
    problems = []
    for term in ctx.glossary:
        if not contains_term(source, term.source, ctx.source_lang):
            continue
        if any(contains_term(translation, t, ctx.target_lang) for t in term.targets):
            continue
        agreed = " or ".join(f"'{t}'" for t in term.targets)
        note = f" ({term.note})" if term.note else ""
        problems.append(ctx.warning(NAME, f"'{term.source}' is in the source but its agreed "
                                          f"translation {agreed} is not in the translation"
                                          f"{note}"))
    return problems


# --- matching by stems -------------------------------------------------------------------------


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].casefold()


@lru_cache(maxsize=64)
def _stemmer(base: str) -> snowballstemmer.Stemmer | None:
    algorithm = _SNOWBALL.get(base)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The stem used for glossary matching of ``word`` in ``lang`` (Snowball where it has one)."""
    acronym = _ACRONYM.match(word)
    if acronym and sum(ch.isupper() for ch in acronym.group(1)) >= 2:
        return acronym.group(1).casefold()
    stemmer = _stemmer(_base(lang))
    word = word.casefold().replace("’", "'")
    if stemmer is None:
        return word
    return "-".join(stemmer.stemWord(part) for part in word.split("-"))


@lru_cache(maxsize=8192)
def stems(text: str, lang: str) -> tuple[str, ...]:
    """The stems of every word in ``text``, in order."""
    return tuple(stem(m.group(0), lang) for m in WORD.finditer(text))


def _close(word: str, term: str, base: str) -> bool:
    """Whether a word's stem matches a term word's stem (``base``: the language, ``ru``).

    Equal stems match.  In Russian a stem may also differ by a fleeting vowel or a
    final letter the stemmer read as an ending (``забастовок`` for ``забастовк``,
    ``казахстан`` for ``казахста``); in languages without a stemmer, a word
    matches a term word it starts with followed by at most three letters.
    """
    if word == term:
        return True
    if len(term) < 4:
        return False
    if base == "ru":
        if not word.startswith(term[:-1]):
            return False
        common = len(term) if word.startswith(term) else len(term) - 1
        return len(word) - common <= 2
    if _stemmer(base) is not None:
        return False
    return word.startswith(term) and len(word) - len(term) <= 3


def contains_term(text: str, term: str, lang: str) -> bool:
    """Whether ``text`` contains ``term`` in any inflected form (its stems, in a row)."""
    needle = stems(term, lang)
    hay = stems(text, lang)
    if not needle:
        return False
    base = _base(lang)
    first = needle[0]
    key = first[:-1] if base == "ru" and len(first) >= 4 else first
    for i in range(len(hay) - len(needle) + 1):
        if hay[i].startswith(key) and all(
                _close(w, n, base) for w, n in zip(hay[i:i + len(needle)], needle, strict=True)):
            return True
    return False
