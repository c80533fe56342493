"""Keeping a catalog in step with its template: GNU ``msgmerge`` semantics, faster and stricter.

:func:`merge_entries` takes a template's entries (document order) and every
entry of the existing catalog, obsolete ones included, and returns the new
catalog's entries.  What it does, as ``msgmerge`` 0.21 does:

- An exact match on ``(msgctxt, msgid)``, live or obsolete, keeps the
  translation, its flags (a fuzzy entry stays fuzzy, with its ``#| msgid``) and
  the translator comments; references and extracted comments come from the
  template.  A matched obsolete entry comes back live ("revived").
- A template entry with no exact match gets a fuzzy guess from the closest
  translated old entry that nothing matched exactly: the old translation,
  the ``fuzzy`` flag, ``#| msgid`` with the old msgid, the old translator
  comments.
- Old entries that end up unused become obsolete, with their translation;
  untranslated ones that vanish are dropped (``msgmerge`` writes no obsolete
  entry with an empty ``msgstr``).

Where diglot differs, on purpose:

- **Custom flags survive** (``msgmerge`` drops ``#, mt-deepl``).
- **Guesses are local first and one-to-one.**  An edited sentence sits
  between the same unchanged neighbours as its old version, so the exactly
  matched entries are anchors (their longest in-order run, so a moved
  paragraph does not scramble them) and each gap of the template is compared
  only with the vanished old entries of the same gap.  What is left goes to a
  global pass with a stricter threshold.  Each old entry gives at most one
  guess, best scores first.  ``msgmerge`` compares every new sentence with
  every old one and guesses for almost every genuinely new sentence, mostly
  wrongly (see ``bench/update.py``).
- **An old entry used as a fuzzy source is also kept obsolete.**  ``msgmerge``
  drops it (its text lives on only under the new msgid).  Keeping it means
  no reviewed translation is ever lost, even after a translator rewrites the
  fuzzy entry, and if the edit is undone the old sentence comes back by exact
  match, reviewed, instead of as a second-hand guess.  The price is one
  obsolete entry per edited sentence, which ``msgattrib --no-obsolete`` (or a
  future ``diglot`` prune) removes once the edits are reviewed.

:func:`render_po` is a fast path for writing: the same text as ``str(pofile)``
(polib's writer) in about a third of the time, because line wrapping of the
strings, which is most of polib's cost, is done without ``textwrap``'s
general machinery.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polib
from rapidfuzz.distance import Indel

DEFAULT_THRESHOLD = 0.95
"""Least similarity (0–1, Indel ratio of the msgids) for a guess from anywhere in the catalog."""
DEFAULT_LOCAL_THRESHOLD = 0.75
"""Least similarity for a guess from the same place in the document (between the same anchors)."""
CONTEXT_PENALTY = 0.98
"""A guess across different ``msgctxt`` scores this much lower than the same text within one."""
_LOCAL_PAIRS = 4096
"""A gap with more (new × old) pairs than this is left to the global pass."""
_PREFIX_TOKENS = 4
"""The global pass compares a msgid only with old ones sharing one of its this many rarest words."""
_WORD = re.compile(r"\w+")

Key = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class FuzzyGuess:
    """A template entry that took an old entry's translation as a fuzzy guess."""

    msgid: str
    old_msgid: str
    score: float
    """Similarity of the two msgids, 0–1 (context penalty included)."""
    local: bool
    """Whether the guess came from the same place in the document (else: the global pass)."""
    msgctxt: str | None = None
    old_msgctxt: str | None = None


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged catalog's entries and what happened to every entry."""

    entries: tuple[polib.POEntry, ...]
    """Live entries in template order, then the obsolete ones."""
    kept: tuple[str, ...]
    """msgids matched exactly by a live old entry (translated or not)."""
    fuzzy: tuple[FuzzyGuess, ...]
    new: tuple[str, ...]
    """msgids with no old entry and no guess: untranslated."""
    obsoleted: tuple[str, ...]
    """msgids of old live entries that are obsolete now (fuzzy sources included)."""
    revived: tuple[str, ...]
    """msgids matched exactly by an obsolete old entry, live again."""
    dropped: tuple[str, ...] = ()
    """msgids of old entries left out: untranslated and gone, or duplicates of a live entry."""


def has_translation(entry: polib.POEntry) -> bool:
    """Whether an entry carries any translated text."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _is_header(entry: polib.POEntry) -> bool:
    return entry.msgid == "" and entry.msgctxt is None


def _merge_flags(*groups: Sequence[str], fuzzy: bool) -> list[str]:
    """Flags in msgmerge's order: ``fuzzy`` first, then the others once each."""
    flags = ["fuzzy"] if fuzzy else []
    for group in groups:
        for flag in group:
            if flag != "fuzzy" and flag not in flags:
                flags.append(flag)
    return flags


def _translation_for(template: polib.POEntry, old: polib.POEntry) -> tuple[str, dict[int, str]]:
    """The old translation in the template entry's shape (singular or plural)."""
    if template.msgid_plural:
        if old.msgstr_plural:
            return "", dict(old.msgstr_plural)
        return "", {0: old.msgstr, 1: ""} if old.msgstr else {0: "", 1: ""}
    if old.msgstr_plural:
        return old.msgstr_plural.get(0, ""), {}
    return old.msgstr, {}


def _exact(template: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """The template entry carrying ``old``'s translation, flags and translator comments."""
    msgstr, plural = _translation_for(template, old)
    reshaped = bool(template.msgid_plural) != bool(old.msgid_plural)
    fuzzy = "fuzzy" in old.flags or (reshaped and has_translation(old))
    entry = polib.POEntry(
        msgid=template.msgid, msgctxt=template.msgctxt, msgid_plural=template.msgid_plural,
        msgstr=msgstr, msgstr_plural=plural, occurrences=list(template.occurrences),
        comment=template.comment, tcomment=old.tcomment,
        flags=_merge_flags(template.flags, old.flags, fuzzy=fuzzy))
    if fuzzy and "fuzzy" in old.flags:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    elif fuzzy:
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    return entry


def _guess(template: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """The template entry with ``old``'s translation as a fuzzy guess and ``#| msgid`` = old msgid.

    If ``old`` was itself fuzzy with a previous msgid, that one is kept: it is
    the text the translation was made for.
    """
    msgstr, plural = _translation_for(template, old)
    entry = polib.POEntry(
        msgid=template.msgid, msgctxt=template.msgctxt, msgid_plural=template.msgid_plural,
        msgstr=msgstr, msgstr_plural=plural, occurrences=list(template.occurrences),
        comment=template.comment, tcomment=old.tcomment,
        flags=_merge_flags(template.flags, old.flags, fuzzy=True))
    if "fuzzy" in old.flags and old.previous_msgid is not None:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    else:
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    """A copy of ``old`` marked obsolete, with its translation, flags and translator comments."""
    return polib.POEntry(
        msgid=old.msgid, msgctxt=old.msgctxt, msgid_plural=old.msgid_plural,
        msgstr=old.msgstr, msgstr_plural=dict(old.msgstr_plural), tcomment=old.tcomment,
        flags=list(old.flags), previous_msgctxt=old.previous_msgctxt,
        previous_msgid=old.previous_msgid, previous_msgid_plural=old.previous_msgid_plural,
        obsolete=True)


def _score(new: polib.POEntry, old: polib.POEntry, cutoff: float) -> float:
    """Similarity of two entries' msgids (0–1), 0 when below ``cutoff``."""
    penalty = 1.0 if new.msgctxt == old.msgctxt else CONTEXT_PENALTY
    score = Indel.normalized_similarity(new.msgid, old.msgid, score_cutoff=cutoff / penalty)
    score *= penalty
    return score if score >= cutoff else 0.0


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``(new, old)`` pairs increasing in both (sorted by new): O(n log n)."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for index, (_, old) in enumerate(pairs):
        slot = bisect_left(tails, old)
        if slot == len(tails):
            tails.append(old)
            tail_at.append(index)
        else:
            tails[slot] = old
            tail_at[slot] = index
        parent[index] = tail_at[slot - 1] if slot else -1
    run: list[tuple[int, int]] = []
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        run.append(pairs[at])
        at = parent[at]
    run.reverse()
    return run


def _assign(pairs: list[tuple[float, int, int, int]], taken_new: set[int], taken_old: set[int],
            found: dict[int, tuple[int, float, bool]], *, local: bool) -> None:
    """One-to-one assignment, best scores first (ties: earliest new, then earliest old).

    A pair is ``(score, new entry, old entry, old slot)``; a slot (an old entry
    in the global pass, one of its occurrences in the local pass) gives one guess.
    """
    pairs.sort(key=lambda p: (-p[0], p[1], p[3]))
    for score, new, old, slot in pairs:
        if new in taken_new or slot in taken_old:
            continue
        taken_new.add(new)
        taken_old.add(slot)
        found[new] = (old, score, local)


def _sequence(entries: Sequence[polib.POEntry], wanted: Callable[[int], bool]
              ) -> list[tuple[str, int, int]]:
    """Every occurrence of the wanted entries as ``(path, line, entry)``, in document order.

    An entry without references stands at its own place in the file.
    """
    out: list[tuple[str, int, int]] = []
    for index, entry in enumerate(entries):
        if not wanted(index):
            continue
        if not entry.occurrences:
            out.append(("", index, index))
        for path, line in entry.occurrences:
            out.append((path, int(line) if str(line).isdigit() else 0, index))
    out.sort()
    return out


def _gap_ranges(sequence: list[tuple[str, int, int]], bounds: list[int]) -> list[tuple[int, int]]:
    """For each position, the gaps its line spans (sentences of one line have no known order)."""
    gaps = [bisect_left(bounds, position) for position in range(len(sequence))]
    out: list[tuple[int, int]] = []
    start = 0
    for end in range(1, len(sequence) + 1):
        if end == len(sequence) or sequence[end][:2] != sequence[start][:2]:
            span = (min(gaps[start:end]), max(gaps[start:end]))
            out.extend([span] * (end - start))
            start = end
    return out


def _local_pass(template: Sequence[polib.POEntry], old: Sequence[polib.POEntry],
                exact: dict[int, int], threshold: float,
                found: dict[int, tuple[int, float, bool]], taken_new: set[int]) -> set[int]:
    """Guess within each gap between consecutive anchors, by document position.

    The documents are compared as sequences of sentence occurrences (the old
    one from the old catalog's references).  Exactly matched occurrences,
    paired in order, are anchors where they keep their order (longest
    increasing run); an unmatched new sentence is compared only with the old
    occurrences that lost their place in the same gap, so an edited copy of a
    sentence that also stays unchanged elsewhere finds its old version too.
    Returns the old entries that gave a guess.
    """
    new_full = _sequence(template, lambda i: True)
    old_full = _sequence(old, lambda j: not old[j].obsolete)
    new_seq = [e for _, _, e in new_full]
    old_seq = [e for _, _, e in old_full]
    old_slots: dict[int, list[int]] = defaultdict(list)
    for slot, j in enumerate(old_seq):
        old_slots[j].append(slot)
    seen: dict[int, int] = defaultdict(int)
    pairs: list[tuple[int, int]] = []
    for position, i in enumerate(new_seq):
        match = exact.get(i)
        if match is None or old[match].obsolete:
            continue
        if seen[i] < len(old_slots[match]):
            pairs.append((position, old_slots[match][seen[i]]))
        seen[i] += 1
    anchors = _longest_increasing(pairs)
    anchored = {slot for _, slot in anchors}
    bounds = [(-1, -1), *anchors, (len(new_seq), len(old_seq))]
    new_gaps = _gap_ranges(new_full, [b[0] for b in bounds])
    old_gaps = _gap_ranges(old_full, [b[1] for b in bounds])
    by_gap: dict[int, list[int]] = defaultdict(list)
    for position, i in enumerate(new_seq):
        if i not in exact:
            first, last = new_gaps[position]
            for gap in range(first, last + 1):
                by_gap[gap].append(i)
    old_by_gap: dict[int, list[int]] = defaultdict(list)
    for slot, j in enumerate(old_seq):
        if slot not in anchored and has_translation(old[j]):
            first, last = old_gaps[slot]
            for gap in range(first, last + 1):
                old_by_gap[gap].append(slot)
    scored: dict[tuple[int, int], tuple[float, int, int, int]] = {}
    for gap, news in by_gap.items():
        olds = old_by_gap.get(gap, [])
        if not olds or len(news) * len(olds) > _LOCAL_PAIRS:
            continue
        for i in dict.fromkeys(news):
            for slot in olds:
                if (i, slot) not in scored:
                    j = old_seq[slot]
                    scored[i, slot] = (_score(template[i], old[j], threshold), i, j, slot)
    taken_slots: set[int] = set()
    _assign([p for p in scored.values() if p[0]], taken_new, taken_slots, found, local=True)
    return {old_seq[slot] for slot in taken_slots}


def _global_pass(template: Sequence[polib.POEntry], old: Sequence[polib.POEntry],
                 unmatched: list[int], sources: list[int], threshold: float,
                 found: dict[int, tuple[int, float, bool]],
                 taken_new: set[int], taken_old: set[int]) -> None:
    """Guess from anywhere: compare only with old msgids that share one of the rarest words."""
    index: dict[str, list[int]] = defaultdict(list)
    for j in sources:
        for word in set(_WORD.findall(old[j].msgid.lower())):
            index[word].append(j)
    pairs: list[tuple[float, int, int, int]] = []
    for i in unmatched:
        words = [w for w in set(_WORD.findall(template[i].msgid.lower())) if w in index]
        words.sort(key=lambda w: (len(index[w]), w))
        candidates: set[int] = set()
        for word in words[:_PREFIX_TOKENS]:
            candidates.update(index[word])
        best: list[tuple[float, int, int, int]] = []
        for j in candidates:
            score = _score(template[i], old[j], threshold)
            if score:
                best.append((score, i, j, j))
        best.sort(key=lambda p: (-p[0], p[2]))
        pairs.extend(best[:3])
    _assign(pairs, taken_new, taken_old, found, local=False)


def merge_entries(template: Sequence[polib.POEntry], old: Sequence[polib.POEntry], *,
                  threshold: float = DEFAULT_THRESHOLD,
                  local_threshold: float = DEFAULT_LOCAL_THRESHOLD,
                  fuzzy_matching: bool = True,
                  keep_fuzzy_sources: bool = True) -> MergeResult:
    """Merge a template into a catalog's entries with msgmerge's semantics (see the module doc).

    ``template``: the POT's entries in document order.  ``old``: every entry
    of the existing catalog, obsolete ones included, in file order.  Inputs
    are not modified.  ``keep_fuzzy_sources=False`` behaves as ``msgmerge``
    does and lets an old entry used for a guess disappear.
    """
    old_list = [e for e in old if not _is_header(e)]
    live: dict[Key, int] = {}
    dead: dict[Key, int] = {}
    for j, entry in enumerate(old_list):
        table = dead if entry.obsolete else live
        table.setdefault(_key(entry), j)

    exact: dict[int, int] = {}
    for i, entry in enumerate(template):
        key = _key(entry)
        j_live, j_dead = live.get(key), dead.get(key)
        if j_live is not None and (has_translation(old_list[j_live]) or j_dead is None
                                   or not has_translation(old_list[j_dead])):
            exact[i] = j_live
        elif j_dead is not None:
            exact[i] = j_dead
        elif j_live is not None:
            exact[i] = j_live
    used_exact = set(exact.values())
    live_keys = {_key(template[i]) for i in exact}

    found: dict[int, tuple[int, float, bool]] = {}
    if fuzzy_matching:
        unmatched = [i for i in range(len(template)) if i not in exact]
        sources = [j for j, e in enumerate(old_list)
                   if j not in used_exact and has_translation(e) and _key(e) not in live_keys]
        taken_new: set[int] = set()
        if unmatched:
            taken_old = _local_pass(template, old_list, exact, local_threshold, found, taken_new)
            rest = [i for i in unmatched if i not in taken_new]
            free = [j for j in sources if j not in taken_old]
            if rest and free:
                _global_pass(template, old_list, rest, free, threshold, found,
                             taken_new, taken_old)

    entries: list[polib.POEntry] = []
    kept: list[str] = []
    revived: list[str] = []
    fuzzy: list[FuzzyGuess] = []
    new: list[str] = []
    for i, entry in enumerate(template):
        if i in exact:
            source = old_list[exact[i]]
            entries.append(_exact(entry, source))
            (revived if source.obsolete else kept).append(entry.msgid)
        elif i in found:
            j, score, local = found[i]
            source = old_list[j]
            entries.append(_guess(entry, source))
            fuzzy.append(FuzzyGuess(msgid=entry.msgid, old_msgid=source.msgid, score=score,
                                    local=local, msgctxt=entry.msgctxt,
                                    old_msgctxt=source.msgctxt))
        else:
            entries.append(_exact(entry, polib.POEntry(msgid=entry.msgid)))
            new.append(entry.msgid)

    guessed_from = {j for j, _, _ in found.values()}
    obsoleted: list[str] = []
    dropped: list[str] = []
    retired: dict[Key, polib.POEntry] = {}
    for j, entry in enumerate(old_list):
        key = _key(entry)
        if j in used_exact or key in live_keys or key in retired:
            if j not in used_exact:
                dropped.append(entry.msgid)
            continue
        if j in guessed_from and not keep_fuzzy_sources and not entry.obsolete:
            continue
        if not has_translation(entry):
            dropped.append(entry.msgid)
            continue
        retired[key] = _obsolete(entry)
        if not entry.obsolete:
            obsoleted.append(entry.msgid)
    entries.extend(retired.values())
    return MergeResult(entries=tuple(entries), kept=tuple(kept), fuzzy=tuple(fuzzy),
                       new=tuple(new), obsoleted=tuple(obsoleted), revived=tuple(revived),
                       dropped=tuple(dropped))


# --------------------------------------------------------------------------
# Fast writer: the same text as polib's str(POFile)
# --------------------------------------------------------------------------

_SPACES = re.compile(r"( +)")
_WORDSEP: re.Pattern[str] = textwrap.TextWrapper.wordsep_re
_SPECIALS = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')


_UNPLAIN = re.compile("[\\\\\"\n\r\t\x0b\x08\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""A character that polib escapes, or that splits a string into lines (``str.splitlines``)."""


def _wrap_spaces(text: str, width: int) -> list[str]:
    """:func:`_wrap` for text without hyphens (chunks are words and runs of spaces), faster.

    Each line ends at the last chunk boundary within ``width``; a chunk longer
    than the line stands alone.
    """
    lines: list[str] = []
    start, size = 0, len(text)
    while start < size:
        end = start + width
        if end >= size:
            lines.append(text[start:])
            break
        if text[end] == " ":
            cut = end
            while cut > start and text[cut - 1] == " ":
                cut -= 1
            if cut == start:  # spaces longer than the line
                cut = end
                while cut < size and text[cut] == " ":
                    cut += 1
        else:
            cut = text.rfind(" ", start, end) + 1
            if cut <= start:  # a word longer than the line
                cut = text.find(" ", end)
                cut = size if cut < 0 else cut
        lines.append(text[start:cut])
        start = cut
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)``, faster.

    Valid for text with no tab, newline or other ASCII whitespace but the
    space (true of an escaped PO string).
    """
    if "-" not in text and width > 0:
        return _wrap_spaces(text, width)
    splitter = _WORDSEP if "-" in text else _SPACES
    chunks = [c for c in splitter.split(text) if c]
    lines: list[str] = []
    at, count = 0, len(chunks)
    while at < count:
        start, length = at, 0
        while at < count and length + len(chunks[at]) <= width:
            length += len(chunks[at])
            at += 1
        if at == start:
            at += 1  # a word longer than the line stands alone
        lines.append("".join(chunks[start:at]))
    return lines


def _field(name: str, delflag: str, plural_index: str, value: str, wrapwidth: int) -> list[str]:
    """polib's ``_BaseEntry._str_field``, with the fast wrap."""
    if _UNPLAIN.search(value) is None:  # nothing to escape, one line: the common case
        key = name[9:] if name.startswith("previous_") else name
        if wrapwidth > 0 and len(value) > wrapwidth - (len(name) + 3 + len(plural_index)):
            return [f'{delflag}{key}{plural_index} ""',
                    *[f'{delflag}"{line}"' for line in _wrap(value, wrapwidth - 2)]]
        return [f'{delflag}{key}{plural_index} "{value}"']
    lines = value.splitlines(True)
    if len(lines) > 1:
        lines = ["", *lines]
    else:
        escaped = polib.escape(value)
        specials = sum(value.count(c) for c in _SPECIALS)
        flength = len(name) + 3 + len(plural_index)
        if wrapwidth > 0 and len(value) > wrapwidth - flength + specials:
            lines = ["", *(polib.unescape(item) if "\\" in item else item
                           for item in _wrap(escaped, wrapwidth - 2))]
        else:
            lines = [value]
    if name.startswith("previous_"):
        name = name[9:]
    out = [f'{delflag}{name}{plural_index} "{polib.escape(lines[0])}"']
    out.extend(f'{delflag}"{polib.escape(line)}"' for line in lines[1:])
    return out


def _comment_lines(text: str, prefix: str, wrapwidth: int) -> list[str]:
    out: list[str] = []
    for comment in text.split("\n"):
        if wrapwidth > 0 and len(comment) + len(prefix) > wrapwidth:
            out += textwrap.wrap(comment, wrapwidth, initial_indent=prefix,
                                 subsequent_indent=prefix, break_long_words=False)
        else:
            out.append(f"{prefix}{comment}")
    return out


def render_entry(entry: polib.POEntry, wrapwidth: int) -> str:
    """The text polib writes for ``entry`` (``entry.__unicode__(wrapwidth)``)."""
    out: list[str] = []
    if entry.tcomment:
        out += _comment_lines(entry.tcomment, "# ", wrapwidth)
    if not entry.obsolete and entry.comment:
        out += _comment_lines(entry.comment, "#. ", wrapwidth)
    if not entry.obsolete and entry.occurrences:
        refs = " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences)
        if wrapwidth > 0 and len(refs) + 3 > wrapwidth:
            out += [line.replace("*", "-") for line in textwrap.wrap(
                refs.replace("-", "*"), wrapwidth, initial_indent="#: ",
                subsequent_indent="#: ", break_long_words=False)]
        else:
            out.append("#: " + refs)
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    prefix = "#~| " if entry.obsolete else "#| "
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(entry, name)
        if value is not None:
            out += _field(name, prefix, "", value, wrapwidth)
    delflag = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        out += _field("msgctxt", delflag, "", entry.msgctxt, wrapwidth)
    out += _field("msgid", delflag, "", entry.msgid, wrapwidth)
    if entry.msgid_plural:
        out += _field("msgid_plural", delflag, "", entry.msgid_plural, wrapwidth)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            out += _field("msgstr", delflag, f"[{index}]", entry.msgstr_plural[index], wrapwidth)
    else:
        out += _field("msgstr", delflag, "", entry.msgstr, wrapwidth)
    out.append("")
    return "\n".join(out)


def render_po(catalog: polib.POFile) -> str:
    """Exactly ``str(catalog)`` (polib's writer), about three times faster on large catalogs."""
    head = polib.POFile(wrapwidth=catalog.wrapwidth, check_for_duplicates=False)
    head.header = catalog.header
    head.metadata = catalog.metadata
    head.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    parts = [str(head)]
    render: Callable[[polib.POEntry, int], str] = render_entry
    width = catalog.wrapwidth
    parts.extend(render(e, width) for e in catalog if not e.obsolete)
    parts.extend(render(e, width) for e in catalog if e.obsolete)
    return "\n".join(parts)
