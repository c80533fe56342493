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
- **An old entry used as a fuzzy source is not kept obsolete**, as with
  ``msgmerge``: its translation lives on in the guess, and its text as the
  guess's ``#| msgid``.

The old entries and the merged ones are polib's (:class:`diglot.pofile.POEntry`);
a template's entries are anything with the fields the merge reads
(:class:`TemplateEntry`: polib's, frozen records, or the rows ``update`` reads
from the cache of parsed catalogs).  Writing them is :mod:`diglot.pofile`'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter, lt
from typing import Protocol

from diglot.pofile import POEntry, has_translation, new_entry

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
Similarity = Callable[..., float]
"""rapidfuzz's ``Indel.normalized_similarity`` (loaded only when there is something to guess)."""


class TemplateEntry(Protocol):
    """What the merge reads of a template's entry: a :class:`POEntry` has it, and so has a
    frozen :class:`~diglot.pofile.Entry` (a template read from the cache of parsed catalogs)."""

    @property
    def msgid(self) -> str: ...
    @property
    def msgctxt(self) -> str | None: ...
    @property
    def msgid_plural(self) -> str: ...
    @property
    def occurrences(self) -> Sequence[tuple[str, str]]: ...
    @property
    def comment(self) -> str: ...
    @property
    def flags(self) -> Sequence[str]: ...


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

    entries: tuple[POEntry, ...]
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


def _key(entry: TemplateEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


_KEYS = attrgetter("msgctxt", "msgid")
""":func:`_key` for a ``map``."""
_OBSOLETE = attrgetter("obsolete")
_MSGSTR = attrgetter("msgstr")
_ENTRY_AT = itemgetter(2)
""":func:`_sequence`'s entry of a place."""


def _merge_flags(*groups: Sequence[str], fuzzy: bool) -> list[str]:
    """Flags in msgmerge's order: ``fuzzy`` first, then the others once each."""
    flags = ["fuzzy"] if fuzzy else []
    for group in groups:
        for flag in group:
            if flag != "fuzzy" and flag not in flags:
                flags.append(flag)
    return flags


def _translation_for(template: TemplateEntry, old: POEntry) -> tuple[str, dict[int, str]]:
    """The old translation in the template entry's shape (singular or plural)."""
    if template.msgid_plural:
        if old.msgstr_plural:
            return "", dict(old.msgstr_plural)
        return "", {0: old.msgstr, 1: ""} if old.msgstr else {0: "", 1: ""}
    if old.msgstr_plural:
        return old.msgstr_plural.get(0, ""), {}
    return old.msgstr, {}


def _exact(template: TemplateEntry, old: POEntry) -> POEntry:
    """The template entry carrying ``old``'s translation, flags and translator comments."""
    if not (old.flags or old.msgid_plural or old.msgstr_plural or template.msgid_plural):
        # the usual entry: singular both, no old flag (so not fuzzy): what the general way
        # below makes of it, without its questions
        return new_entry(
            template.msgid, template.msgctxt, "", old.msgstr, {},
            occurrences=list(template.occurrences), comment=template.comment,
            tcomment=old.tcomment,
            flags=_merge_flags(template.flags, fuzzy=False) if template.flags else [])
    msgstr, plural = _translation_for(template, old)
    reshaped = bool(template.msgid_plural) != bool(old.msgid_plural)
    fuzzy = "fuzzy" in old.flags or (reshaped and has_translation(old))
    entry = new_entry(
        template.msgid, template.msgctxt, template.msgid_plural, msgstr, plural,
        occurrences=list(template.occurrences), comment=template.comment, tcomment=old.tcomment,
        flags=_merge_flags(template.flags, old.flags, fuzzy=fuzzy))
    if fuzzy and "fuzzy" in old.flags:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    elif fuzzy:
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    return entry


def _fresh(template: TemplateEntry) -> POEntry:
    """The template entry untranslated: what :func:`_exact` makes of it with an old entry
    that says nothing (no translation, flag or comment)."""
    return new_entry(
        template.msgid, template.msgctxt, template.msgid_plural, "",
        {0: "", 1: ""} if template.msgid_plural else {},
        occurrences=list(template.occurrences), comment=template.comment,
        flags=_merge_flags(template.flags, fuzzy=False))


def _guess(template: TemplateEntry, old: POEntry) -> POEntry:
    """The template entry with ``old``'s translation as a fuzzy guess and ``#| msgid`` = old msgid.

    If ``old`` was itself fuzzy with a previous msgid, that one is kept: it is
    the text the translation was made for.
    """
    msgstr, plural = _translation_for(template, old)
    entry = new_entry(
        template.msgid, template.msgctxt, template.msgid_plural, msgstr, plural,
        occurrences=list(template.occurrences), comment=template.comment, tcomment=old.tcomment,
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


def _obsolete(old: POEntry) -> POEntry:
    """A copy of ``old`` marked obsolete, with its translation, flags and translator comments."""
    return new_entry(
        old.msgid, old.msgctxt, old.msgid_plural, old.msgstr, dict(old.msgstr_plural),
        tcomment=old.tcomment, flags=list(old.flags), previous_msgctxt=old.previous_msgctxt,
        previous_msgid=old.previous_msgid, previous_msgid_plural=old.previous_msgid_plural,
        obsolete=True)


def _score(new: TemplateEntry, old: POEntry, cutoff: float, similarity: Similarity) -> float:
    """Similarity of two entries' msgids (0–1), 0 when below ``cutoff``."""
    penalty = 1.0 if new.msgctxt == old.msgctxt else CONTEXT_PENALTY
    score = similarity(new.msgid, old.msgid, score_cutoff=cutoff / penalty)
    score *= penalty
    return score if score >= cutoff else 0.0


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``(new, old)`` pairs increasing in both (sorted by new): O(n log n)."""
    olds = [old for _, old in pairs]
    if all(map(lt, olds, olds[1:])):  # the usual case, nothing moved: the run is all of them
        return pairs
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for index, old in enumerate(olds):
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


def _sequence(entries: Sequence[TemplateEntry], indexes: Iterable[int]
              ) -> list[tuple[str, int, int]]:
    """Every occurrence of the entries at ``indexes`` as ``(path, line, entry)``, in
    document order.  An entry without references stands at its own place in the file.
    """
    out: list[tuple[str, int, int]] = []
    append = out.append
    for index in indexes:
        occurrences = entries[index].occurrences
        if not occurrences:
            append(("", index, index))
        for path, line in occurrences:
            append((path, int(line) if str(line).isdigit() else 0, index))
    out.sort()
    return out


class _Spans:
    """The gaps between anchors that a position of a sequence spans (its whole line's: the
    sentences of one line have no known order), found for the few positions asked about."""

    def __init__(self, sequence: list[tuple[str, int, int]], bounds: list[int]) -> None:
        self.sequence = sequence
        self.bounds = bounds
        self.lines: dict[tuple[str, int], tuple[int, int]] = {}

    def __call__(self, position: int) -> range:
        """The gaps (their numbers) the line of ``position`` spans."""
        sequence = self.sequence
        path, line, _ = sequence[position]
        found = self.lines.get((path, line))
        if found is None:
            first = last = position
            while first > 0 and sequence[first - 1][0] == path and \
                    sequence[first - 1][1] == line:
                first -= 1
            while last + 1 < len(sequence) and sequence[last + 1][0] == path and \
                    sequence[last + 1][1] == line:
                last += 1
            # a gap is the number of bounds before a position: monotone, so the line's
            # first and last positions give its least and greatest
            found = self.lines[path, line] = (bisect_left(self.bounds, first),
                                              bisect_left(self.bounds, last))
        return range(found[0], found[1] + 1)


def _local_pass(template: Sequence[TemplateEntry], old: Sequence[POEntry],
                exact: dict[int, int], threshold: float,
                found: dict[int, tuple[int, float, bool]], taken_new: set[int],
                similarity: Similarity) -> set[int]:
    """Guess within each gap between consecutive anchors, by document position.

    The documents are compared as sequences of sentence occurrences (the old
    one from the old catalog's references).  Exactly matched occurrences,
    paired in order, are anchors where they keep their order (longest
    increasing run); an unmatched new sentence is compared only with the old
    occurrences that lost their place in the same gap, so an edited copy of a
    sentence that also stays unchanged elsewhere finds its old version too.
    Returns the old entries that gave a guess.
    """
    new_full = _sequence(template, range(len(template)))
    old_full = _sequence(old, [j for j, e in enumerate(old) if not e.obsolete])
    new_seq = list(map(_ENTRY_AT, new_full))
    old_seq = list(map(_ENTRY_AT, old_full))
    matches = list(map(exact.get, new_seq))
    unmatched = [position for position, match in enumerate(matches) if match is None]
    pairs: list[tuple[int, int]]
    if len(set(new_seq)) == len(new_seq) and len(set(old_seq)) == len(old_seq):
        # each entry at one place (the usual: one reference each): an exactly matched one
        # pairs with its old entry's place, if that entry is live
        slot_of = dict(zip(old_seq, range(len(old_seq)), strict=True))
        pairs = [(position, slot_of[match]) for position, match in enumerate(matches)
                 if match is not None and match in slot_of]
    else:
        old_slots: dict[int, list[int]] = defaultdict(list)
        for slot, j in enumerate(old_seq):
            old_slots[j].append(slot)
        seen: dict[int, int] = defaultdict(int)
        pairs = []
        for position, match in enumerate(matches):
            if match is None or match not in old_slots:  # (an obsolete entry has no place)
                continue
            i = new_seq[position]
            if seen[i] < len(old_slots[match]):
                pairs.append((position, old_slots[match][seen[i]]))
            seen[i] += 1
    anchors = _longest_increasing(pairs)
    anchored = {slot for _, slot in anchors}
    new_spans = _Spans(new_full, [-1, *(a[0] for a in anchors), len(new_full)])
    old_spans = _Spans(old_full, [-1, *(a[1] for a in anchors), len(old_full)])
    by_gap: dict[int, list[int]] = defaultdict(list)
    for position in unmatched:
        i = new_seq[position]
        for gap in new_spans(position):
            by_gap[gap].append(i)
    old_by_gap: dict[int, list[int]] = defaultdict(list)
    for slot in sorted(set(range(len(old_seq))).difference(anchored)):
        if has_translation(old[old_seq[slot]]):
            for gap in old_spans(slot):
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
                    score = _score(template[i], old[j], threshold, similarity)
                    scored[i, slot] = (score, i, j, slot)
    taken_slots: set[int] = set()
    _assign([p for p in scored.values() if p[0]], taken_new, taken_slots, found, local=True)
    return {old_seq[slot] for slot in taken_slots}


def _global_pass(template: Sequence[TemplateEntry], old: Sequence[POEntry],
                 unmatched: list[int], sources: list[int], threshold: float,
                 found: dict[int, tuple[int, float, bool]],
                 taken_new: set[int], taken_old: set[int], similarity: Similarity) -> None:
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
            score = _score(template[i], old[j], threshold, similarity)
            if score:
                best.append((score, i, j, j))
        best.sort(key=lambda p: (-p[0], p[2]))
        pairs.extend(best[:3])
    _assign(pairs, taken_new, taken_old, found, local=False)


def merge_entries(template: Sequence[TemplateEntry], old: Sequence[POEntry], *,
                  threshold: float = DEFAULT_THRESHOLD,
                  local_threshold: float = DEFAULT_LOCAL_THRESHOLD,
) -> MergeResult:
    """Merge a template into a catalog's entries with msgmerge's semantics (see the module doc).

    ``template``: the POT's entries in document order.  ``old``: every entry
    of the existing catalog, obsolete ones included, in file order.  Inputs
    are not modified.  As with ``msgmerge``, an old entry used for a guess
    does not stay obsolete besides.
    """
    old_list = [e for e in old if e.msgid or e.msgctxt is not None]  # not the header
    old_keys: list[Key] = list(map(_KEYS, old_list))
    new_keys: list[Key] = list(map(_KEYS, template))
    translated = list(map(bool, map(_MSGSTR, old_list)))
    for j in [j for j, done in enumerate(translated) if not done]:  # (has_translation)
        translated[j] = has_translation(old_list[j])
    live: dict[Key, int] = {}
    dead: dict[Key, int] = {}
    if any(map(_OBSOLETE, old_list)):
        for j, entry in enumerate(old_list):
            table = dead if entry.obsolete else live
            table.setdefault(old_keys[j], j)
    else:  # every old entry live: the first of each key (a later duplicate is dropped)
        live = dict(zip(reversed(old_keys), range(len(old_keys) - 1, -1, -1), strict=True))

    exact: dict[int, int] = {}
    if dead:
        for i, key in enumerate(new_keys):
            j_live, j_dead = live.get(key), dead.get(key)
            if j_live is not None and (translated[j_live] or j_dead is None
                                       or not translated[j_dead]):
                exact[i] = j_live
            elif j_dead is not None:
                exact[i] = j_dead
            elif j_live is not None:
                exact[i] = j_live
    else:
        exact = {i: j for i, j in enumerate(map(live.get, new_keys)) if j is not None}
    used_exact = set(exact.values())
    live_keys = {new_keys[i] for i in exact}

    found: dict[int, tuple[int, float, bool]] = {}
    unmatched = [i for i in range(len(template)) if i not in exact]
    sources = [j for j, done in enumerate(translated)
               if done and j not in used_exact and old_keys[j] not in live_keys]
    taken_new: set[int] = set()
    if unmatched and any(translated):  # else nothing to guess from
        # Loaded here: a merge with nothing to guess (a new catalog, an unchanged document)
        # does without rapidfuzz (about 20 ms).
        from rapidfuzz.distance import Indel

        similarity = Indel.normalized_similarity
        taken_old = _local_pass(template, old_list, exact, local_threshold, found, taken_new,
                                similarity)
        rest = [i for i in unmatched if i not in taken_new]
        free = [j for j in sources if j not in taken_old]
        if rest and free:
            _global_pass(template, old_list, rest, free, threshold, found,
                         taken_new, taken_old, similarity)

    entries: list[POEntry] = []
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
            entries.append(_fresh(entry))
            new.append(entry.msgid)

    guessed_from = {j for j, _, _ in found.values()}
    obsoleted: list[str] = []
    dropped: list[str] = []
    retired: dict[Key, POEntry] = {}
    for j, entry in enumerate(old_list):
        key = old_keys[j]
        if j in used_exact or key in live_keys or key in retired:
            if j not in used_exact:
                dropped.append(entry.msgid)
            continue
        if j in guessed_from and not entry.obsolete:
            continue
        if not translated[j]:
            dropped.append(entry.msgid)
            continue
        retired[key] = _obsolete(entry)
        if not entry.obsolete:
            obsoleted.append(entry.msgid)
    entries.extend(retired.values())
    return MergeResult(entries=tuple(entries), kept=tuple(kept), fuzzy=tuple(fuzzy),
                       new=tuple(new), obsoleted=tuple(obsoleted), revived=tuple(revived),
                       dropped=tuple(dropped))
