"""Editions: a document assembled in one language, or two side by side, from its catalogs.

- :mod:`diglot.editions.content` — what an edition holds (:class:`Edition`),
  built from a document and a catalog;
- :mod:`diglot.editions.monolingual` — the source's own format and HTML;
- :mod:`diglot.editions.bilingual` — two-column aligned HTML;
- :mod:`diglot.editions.tmx` — sentence-aligned TMX 1.4b and TSV.

Renderers return strings; :mod:`diglot.publish` decides what may be
published and writes the files.
"""

from diglot.editions.content import (
    Edition,
    Missing,
    SentenceText,
    identity_index,
    source_edition,
    translated_edition,
)

__all__ = [
    "Edition",
    "Missing",
    "SentenceText",
    "identity_index",
    "source_edition",
    "translated_edition",
]
