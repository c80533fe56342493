"""Fill the sample's English catalogs from the gold English of ../shared/corpus.

This is how ``locales/en/LC_MESSAGES/*.po`` were made (they are committed as the
sample's reviewed translations): kpk-2015 from ``alignment.json`` (sentence to
sentence), strike-2024 block by block and sentence by sentence in order from
``en.md`` read with the same reader.  Run from the project root after
``diglot extract && diglot update``::

    python scripts/sample_from_corpus.py ../shared/corpus
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from diglot.catalogs import read_catalog, render_catalog
from diglot.fileio import write_text
from diglot.project import Project
from diglot.sources import make_splitter, read_document


def kpk_pairs(corpus: Path) -> dict[str, str]:
    data = json.loads((corpus / "kpk-2015" / "alignment.json").read_text(encoding="utf-8"))
    pairs: dict[str, str] = {}
    for block in data["blocks"]:
        pairs.update(zip(block["ru"], block["en"], strict=True))
    return pairs


def parallel_pairs(ru_path: Path, en_path: Path) -> dict[str, str]:
    ru = read_document(ru_path, name="ru", lang="ru", splitter=make_splitter("ru"))
    en = read_document(en_path, name="en", lang="en", splitter=make_splitter("en"))
    pairs: dict[str, str] = {}
    for ru_block, en_block in zip(ru.blocks, en.blocks, strict=True):
        pairs.update(zip(ru_block.msgids, en_block.msgids, strict=True))
    return pairs


def main(corpus: Path) -> int:
    project = Project.find(Path.cwd())
    sources = {
        "kpk-2015": kpk_pairs(corpus),
        "strike-2024": parallel_pairs(corpus / "strike-2024" / "ru.md",
                                      corpus / "strike-2024" / "en.md"),
    }
    for doc, pairs in sources.items():
        path = project.catalog_path("en", doc)
        catalog = read_catalog(path)
        for entry in catalog:
            if not entry.obsolete:
                entry.msgstr = pairs[entry.msgid]
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
        catalog.metadata["Last-Translator"] = "diglot sample <sample@diglot.invalid>"
        write_text(path, render_catalog(catalog))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")))
