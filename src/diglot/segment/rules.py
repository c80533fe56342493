"""The segmentation engine: one regex pass finds candidate boundaries, cheap checks decide them.

A candidate is a run of sentence-final punctuation (``. ! ? …``, spaced ellipses such as
``. . .``), with any closing quotes and brackets glued to it, followed by whitespace.  A blank
line is a hard boundary.  Each candidate is then judged on the word before it (abbreviation,
initial, number, ordinary word), the first letter after it (lower case never starts a sentence)
and whether it lies inside a quotation or parenthesis that the sentence goes on after.
Enumerations written inline ("1) … 2) …") are split at their markers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from diglot.segment import abbreviations as ab
from diglot.segment.quotes import embedded_spans

_TERM = ".!?…‼⁇⁈⁉。！？।॥؟۔։።"
_CLOSERS = "»”“’\"')]}›"
_OPENERS = "«„“‘\"'([{‹¿¡"
_DASHES = "—–-―‒"
_BULLETS = "•⁃▪◦‣·*-–—●■□➢►"
_OPENERS_BULLETS = _OPENERS + _BULLETS

_CANDIDATE = re.compile(
    rf"(?P<run>[{_TERM}](?:[{_TERM}]|[ \u00a0][.…](?![^\s.…{re.escape(_CLOSERS)}]))*)"
    rf"(?P<close>[{re.escape(_CLOSERS)}]*)(?:\[\d{{1,3}}(?:[-–,]\d{{1,3}})*\])*(?=\s|\Z)"
    r"|(?P<blank>\n[^\S\n]*\n)"
    r"|(?P<cjk>[。！？]+[」』”）》]*)(?=\S)"  # Chinese and Japanese: no space after a sentence
)
_CANDIDATE_START = re.compile(f"[{_TERM}\n]")
"""The first character of every candidate: the scan jumps from one to the next (a character
set is searched for far faster than the whole pattern is tried at every position)."""
_NEXT_START = re.compile(rf"[\s{re.escape(_OPENERS + _DASHES)}]*")
_WORD = re.compile(r"\w+")
_NON_SPACE = re.compile(r"\S")
_FOOTNOTE = re.compile(r"(?:\s*\[\d+(?:\s*[-–,]\s*\d+)*\])+")
_PAGE_NUMBER = re.compile(r"\s*\d{1,3}\s*\Z")
_NUMBER = re.compile(r"[#№§$€£¥]?\d[\d.,:/\-–—%]*[a-zA-Zа-яА-ЯёЁ°%\-–—]*\Z")
_ROMAN = re.compile(r"[IVXLCDM]+(?:[-–—][IVXLCDM]+)?(?:-[а-яa-z]+)?\Z")
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\Z")
_LIST_START = re.compile(
    rf"[{re.escape(_BULLETS)}]?\s*(?P<n>\d{{1,3}}|[a-zA-Z])(?P<d>\.\)|\)|\.)(?=\s)"
)
_VOWELS = frozenset("аеёиоуыэюяaeiouyіїєў")
_MULTIPLIERS = frozenset({"тыс", "млн", "млрд", "трлн", "тис"})


@dataclass(frozen=True, slots=True)
class Profile:
    """The abbreviation tables and switches for one language (see ``abbreviations``)."""

    final: frozenset[str]
    ambiguous: frozenset[str]
    nonfinal: frozenset[str]
    numeric: frozenset[str]
    final_after_and: frozenset[str]
    after_number: frozenset[str]
    starters: frozenset[str]
    cyrillic: bool
    english: bool
    ordinal_dot: bool
    categories: dict[str, str] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False)
    """Every key of the tables with the category of the first table (in :func:`_category`'s
    order) that holds it: one look-up instead of one per table."""

    def __post_init__(self) -> None:
        tables = (("final", self.final), ("ambiguous", self.ambiguous),
                  ("numeric", self.numeric), ("nonfinal", self.nonfinal),
                  ("nonfinal", self.after_number))
        for category, table in reversed(tables):  # the first table's category wins
            self.categories.update(dict.fromkeys(table, category))


def _normalise(entry: str) -> str:
    """Spell an abbreviation as a table key: no spaces, one final dot."""
    key = "".join(entry.split())
    return key if key.endswith(".") else key + "."


def _keys(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(_normalise(e) for e in entries if e.strip())


@lru_cache(maxsize=64)
def profile_for(lang: str, extra: tuple[str, ...] = ()) -> Profile:
    """The profile of a language code such as "ru", "en-GB" or "pt_BR", plus extra abbreviations."""
    base = lang.replace("_", "-").split("-", 1)[0].lower()
    cyrillic = base in ab.CYRILLIC_LANGS
    english = base == "en"
    nonfinal = list(ab.LATIN_NONFINAL)
    final = list(ab.LATIN_FINAL)
    ambiguous: list[str] = []
    after_number: list[str] = []
    starters: frozenset[str] = frozenset()
    if cyrillic:
        nonfinal += ab.RU_NONFINAL + ab.RU_FINAL_AFTER_AND
        final += ab.RU_FINAL
        after_number += ab.RU_AFTER_NUMBER
        starters = ab.STARTERS_RU
        if base in {"uk", "be"}:
            nonfinal += ab.UK_NONFINAL
            final += ab.UK_FINAL
            after_number += ab.UK_AFTER_NUMBER
    elif english:
        nonfinal += ab.EN_NONFINAL
        final += ab.EN_FINAL
        ambiguous += ab.EN_AMBIGUOUS
        after_number += ab.EN_AFTER_NUMBER
        starters = ab.STARTERS_EN
    nonfinal += extra
    return Profile(
        final=_keys(final),
        ambiguous=_keys(ambiguous),
        nonfinal=_keys(nonfinal),
        numeric=_keys(ab.LATIN_NUMERIC if not cyrillic else ()),
        final_after_and=_keys(ab.RU_FINAL_AFTER_AND if cyrillic else ()),
        after_number=_keys(after_number),
        starters=starters,
        cyrillic=cyrillic,
        english=english,
        ordinal_dot=base in ab.ORDINAL_DOT_LANGS,
    )


def _token_start(spaced: str, end: int) -> int:
    """Start of the whitespace-free token that ends at ``end``.

    ``spaced`` is the text with every separator (line break, no-break space,
    tab) written as a space (:func:`_spaced`), so one search back finds the
    nearest: its cost follows the token's length, not the text's (a block of
    a million characters without a line break stays linear).
    """
    return spaced.rfind(" ", 0, end) + 1


def _spaced(text: str) -> str:
    """``text`` with the token separators other than a space made spaces (same offsets)."""
    for separator in ("\n", "\u00a0", "\t"):
        if separator in text:
            text = text.replace(separator, " ")
    return text


def _lookup(table: frozenset[str], key: str) -> bool:
    """Whether ``key`` is in ``table``, or a lower-case entry with a capital first letter."""
    if key in table:
        return True
    first = key[0]
    return len(key) > 2 and first.isupper() and (first.lower() + key[1:]) in table


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token) or _ROMAN.match(token))


def _category(prof: Profile, key: str, prev: str) -> str:
    """The category of an abbreviation key, "" if it is none.

    "dated" is a unit after a number ("1917 г."), "final", "ambiguous", "numeric" and
    "nonfinal" are the tables of the profile: the first that holds the key, else the first
    that holds it with a lower-case first letter (see :func:`_lookup`).
    """
    if (
        prev
        and _lookup(prof.after_number, key)
        and (_is_number(prev) or prev.rstrip(".") in _MULTIPLIERS)
    ):
        return "dated"
    if prev in ("и", "і", "and") and key in prof.final_after_and:
        return "final"
    category = prof.categories.get(key)
    if category is None and len(key) > 2 and key[0].isupper():
        category = prof.categories.get(key[0].lower() + key[1:])
    return category or ""


@dataclass(slots=True)
class _Next:
    """What follows a candidate: the kind of its first letter and its first word."""

    kind: str  # "lower", "upper", "digit", "other", "end"
    word: str
    dash: bool
    quoted: bool  # an opening quote or bracket comes first
    initial: bool  # the next word is a one-letter initial: "V." in "I. V. Stalin"


def _look_ahead(text: str, pos: int) -> _Next:
    m = _NEXT_START.match(text, pos)
    j = m.end() if m else pos
    if j >= len(text):
        return _Next("end", "", False, False, False)
    skipped = text[pos:j]
    if not skipped or skipped.isspace():  # the usual: a space, then the next word
        dash = quoted = False
    else:
        dash = any(c in _DASHES for c in skipped)
        quoted = any(c in _OPENERS for c in skipped)
    c = text[j]
    if c.islower():
        kind = "lower"
    elif c.isupper():
        kind = "upper"
    elif c.isdigit():
        kind = "digit"
    else:
        kind = "other"
    w = _WORD.match(text, j)
    word = w.group() if w else ""
    initial = len(word) == 1 and _is_initial(text[j:j + 2])
    return _Next(kind, word, dash, quoted, initial)


def _is_initial(token: str) -> bool:
    """Whether ``token`` is one capital letter and a full stop: "I.", "В."."""
    return len(token) == 2 and token[0].isupper() and token[0].isalpha() and token[1] == "."


def _dot_decision(text: str, prof: Profile, run_start: int, nxt: _Next, sent_start: int,
                  spaced: str) -> bool:
    """Whether a single full stop at ``run_start`` ends a sentence, the next word not lower case
    (``spaced``: ``text`` for :func:`_token_start`)."""
    t0 = _token_start(spaced, run_start)
    while t0 < run_start and text[t0] in _OPENERS_BULLETS:
        t0 += 1
    word = text[t0:run_start]
    if not word or word[-1] in _CLOSERS:
        return True  # "(до 1918 г.). Также"
    prev = ""
    if t0 > 1:
        p0 = _token_start(spaced, t0 - 1)
        prev = text[p0 : t0 - 1]
    first = word[0]
    if len(word) == 1 and first.isupper():
        return _initial_decision(text, prof, word, prev, t0, nxt, spaced)
    # chained abbreviations: "т. д.", "и т. п.", "до н. э."
    cat = ""
    if len(word) <= 3 and prev.endswith(".") and len(prev) <= 5:
        cat = _category(prof, prev + word + ".", "")
    cat = cat or _category(prof, word + ".", prev)
    if cat in ("final", "dated") and _bare_date(text[sent_start:t0]):
        return False  # "В 2010–2012 гг. Виктор посещал…": no sentence ends before its verb
    if cat:
        return _abbrev_decision(cat, prof, nxt)
    if len(word) == 1 and first.isalpha() and first.islower():
        return prof.cyrillic and first == "я" and nxt.kind != "digit"  # "p. 5", "с. Ивановка"
    if "." in word and _DOTTED_INITIALS.match(word):
        if prof.english:
            return _abbrev_decision("ambiguous", prof, nxt)
        return False  # "Л.Н. Толстой", "к.п.н. Иванов"
    if _is_number(word):
        if not text[sent_start:t0].strip(_BULLETS + " \t\n\u00a0"):
            return False  # an enumeration marker: "1. The first item", "IV. Итоги"
        return not (prof.ordinal_dot and word.isdigit() and len(word) <= 2 and nxt.kind == "upper")
    if prof.cyrillic and len(word) <= 4 and word.isalpha() and word.islower():
        return bool(_VOWELS.intersection(word))  # "пгт", "св", "млн": vowelless abbreviations
    return True


def _initial_decision(text: str, prof: Profile, word: str, prev: str, t0: int, nxt: _Next,
                      spaced: str) -> bool:
    """Whether a one-letter capital ``word`` and its full stop end a sentence.

    A Latin letter in Cyrillic text is a numeral or a class ("Часть I.", "класс S."), and ends
    a sentence before a capital.  Otherwise the letter is an initial, and an initial that another
    one follows ("I. V. Stalin") or precedes ("N. I. Bukharin") is part of a name; the sentence
    ends after initials written behind a surname ("Stalin I. V. The reply…") only before a word
    that starts sentences.  English "I." after a lower-case word is the pronoun ("you and I.");
    after a capitalised word it is a Roman numeral or a middle initial ("Part I. The tasks",
    "Albert I. Jones"), told apart by the next word.
    """
    if prof.cyrillic and not _is_cyrillic(word):
        return True
    if nxt.initial or nxt.kind == "digit":
        return False
    if _is_initial(prev):
        p0 = _token_start(spaced, t0 - 1)
        before = text[_token_start(spaced, p0 - 1) : p0 - 1] if p0 > 1 else ""
        after_surname = before[:1].isupper() and before.isalpha() and len(before) > 1
        return after_surname and nxt.word in prof.starters
    if prof.english and word == "I":
        if prev[:1].isupper() and prev.isalpha():
            return nxt.word in prof.starters
        return True
    return False


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


def _bare_date(prefix: str) -> bool:
    """Whether the words of a sentence so far are only those of a date ("At 5", "В 1917")."""
    if not any(c.isdigit() for c in prefix):
        return False
    for tok in prefix.split():
        tok = tok.strip(_OPENERS + _CLOSERS + ",")
        if not (
            len(tok) <= 2
            or _is_number(tok)
            or (tok.endswith(".") and len(tok) <= 4)
            or tok.lower() in ab.DATE_WORDS
        ):
            return False
    return True


def _abbrev_decision(cat: str, prof: Profile, nxt: _Next) -> bool:
    """Whether an abbreviation of category ``cat`` ends the sentence before ``nxt``."""
    if cat in ("final", "dated"):
        return nxt.kind in ("upper", "other")
    if cat == "numeric":
        return nxt.kind == "upper" and (nxt.quoted or not _ROMAN.match(nxt.word))
    if cat == "ambiguous":
        if not prof.starters:
            return nxt.kind == "upper"
        return nxt.kind == "upper" and nxt.word in prof.starters
    return False


def _within(pairs: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the ordered, disjoint (open, close) ``pairs``."""
    i = bisect_left(pairs, (start, -1)) - 1
    return i >= 0 and pairs[i][0] < start and end <= pairs[i][1]


def _citation(text: str, pos: int) -> bool:
    """Whether a parenthesis at ``pos`` ends the block or a sentence: "… [...]" (Smith 55)."."""
    close = text.find(")", pos)
    if close < 0 or "(" in text[pos + 2 : close] or len(text[pos:close].split()) > 4:
        return False
    after = text[close + 1 : close + 2]
    return bool(after) and after in ".,;:"


def _list_cuts(text: str) -> list[int]:
    """Cut positions before the markers of an inline enumeration that opens the block."""
    m = _LIST_START.match(text)
    if not m:
        bullet = text.lstrip()[:1]
        if bullet and bullet in "•⁃▪◦‣●■➢►":
            return [i for i in range(1, len(text)) if text[i] == bullet and text[i - 1].isspace()]
        return []
    n, delim = m.group("n"), m.group("d")
    if n.isalpha() and n not in "aA":
        return []
    cuts: list[int] = []
    pos = m.end()
    cur = n
    while True:
        cur = str(int(cur) + 1) if cur.isdigit() else chr(ord(cur) + 1)
        pat = re.compile(
            rf"(?<=\s)[{re.escape(_BULLETS)}]?\s*{re.escape(cur)}{re.escape(delim)}(?=\s)"
        )
        found = pat.search(text, pos)
        if not found:
            return cuts
        cuts.append(found.start())
        pos = found.end()


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """``_CANDIDATE.finditer(text)``: the same matches, tried only where one can start."""
    pos = 0
    find = _CANDIDATE_START.search
    match = _CANDIDATE.match
    while (start := find(text, pos)) is not None:
        at = start.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end()  # (never empty: every alternative takes a character)


def cut_positions(text: str, prof: Profile) -> list[int]:
    """Offsets where a new sentence may start (within whitespace or at its end), in order."""
    cuts: list[int] = []
    inside: list[tuple[int, int]] | None = None
    spaced: str | None = None
    list_cuts = _list_cuts(text) if text[:1].isalnum() or text.lstrip()[:1] in _BULLETS else []
    li = 0
    sent_start = 0
    for m in _candidates(text):
        end = m.end()
        if m.group("blank") is not None:
            cuts.append(m.start())
            sent_start = end
            continue
        if m.group("cjk") is not None:
            if text[end] in "とっ、，":
                continue  # 「行こう。」と言った: a quotation inside the sentence
            cuts.append(end)
            sent_start = end
            continue
        while li < len(list_cuts) and list_cuts[li] <= m.start():
            cuts.append(list_cuts[li])
            sent_start = list_cuts[li]
            li += 1
        run = m.group("run")
        note = _FOOTNOTE.match(text, end)
        if note:  # "… a gas. [1] It is…": the footnote mark stays with its sentence
            end = note.end()
        nxt = _look_ahead(text, end)
        if nxt.kind in ("lower", "end"):
            continue
        if nxt.dash and nxt.kind != "upper":
            continue
        if (nxt.kind == "digit" and _PAGE_NUMBER.match(text, end)) or (
            text[end + 1 : end + 2] == "(" and _citation(text, end)
        ):
            continue
        if inside is None:
            inside = embedded_spans(text)
        if inside and _within(inside, m.start(), end):
            continue
        start = m.start()
        if run == ".":
            if spaced is None:
                spaced = _spaced(text)
            if not _dot_decision(text, prof, start, nxt, sent_start, spaced):
                continue
        elif "." in run or "…" in run:
            dots = run.count(".") + 3 * run.count("…")
            if prof.english and nxt.word == "I":
                continue  # "the thing is . . . I didn't mean it"
            detached = start == 0 or text[start - 1].isspace()
            if detached and dots <= 3 and "!" not in run and "?" not in run and not prof.english:
                continue
            if not detached and run.startswith(". ") and dots >= 4:
                cuts.append(start + 1)  # "compounds. . . . The": the ellipsis opens the next one
                sent_start = start + 1
                continue
        cuts.append(end)
        sent_start = end
    cuts.extend(list_cuts[li:])
    return cuts


def spans(text: str, prof: Profile) -> list[tuple[int, int]]:
    """Stripped (start, end) spans of the sentences of ``text``."""
    out: list[tuple[int, int]] = []
    prev = 0
    first = _NON_SPACE.search
    for cut in [*cut_positions(text, prof), len(text)]:
        if cut <= prev:
            continue
        found = first(text, prev, cut)
        if found is not None:
            a = found.start()
            # a cut usually follows the sentence's last character: nothing to strip there
            b = a + len(text[a:cut].rstrip()) if text[cut - 1].isspace() else cut
            out.append((a, b))
        prev = cut
    return out
