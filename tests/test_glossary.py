"""One glossary loader for ``check`` and DeepL, and stems from snowballstemmer."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot.checks.glossary import contains_term, read_glossary_file, stem
from diglot.engines.glossary import read_glossary
from diglot.errors import ConfigError
from diglot.project import relative


def test_loader_returns_problems_and_never_raises(tmp_path: Path) -> None:
    """A file that is not UTF-8, or a line without a translation, is a problem with a hint."""
    bad = tmp_path / "glossary" / "ru-en.tsv"
    bad.parent.mkdir()
    bad.write_bytes("КПК\tCPK\n".encode("cp1251"))
    terms, problems = read_glossary_file(bad, source_lang="ru", target_lang="en")
    assert terms == ()
    assert [(p.line, p.hint) for p in problems] == [(1, "save it as UTF-8 text")]
    bad.write_text("КПК\tCPK\nзабастовка\n", encoding="utf-8")
    terms, problems = read_glossary_file(bad, source_lang="ru", target_lang="en")
    assert [t.source for t in terms] == ["КПК"]
    assert [p.describe(lambda path: relative(path, tmp_path)) for p in problems] == [
        "glossary/ru-en.tsv:2: [glossary] error: this line has no translation for "
        "'забастовка' — write the term, a tab, then its translation"]


def test_deepl_refuses_a_glossary_with_problems(tmp_path: Path) -> None:
    """The DeepL side raises on the first problem, with its line and hint, instead of dropping
    the term."""
    path = tmp_path / "glossary" / "ru-en.tsv"
    path.parent.mkdir()
    path.write_text("КПК\tCPK\nзабастовка\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_glossary(path, source_lang="ru", target_lang="en")
    assert caught.value.describe(lambda p: relative(p, tmp_path)) == (
        "glossary/ru-en.tsv:2: this line has no translation for 'забастовка' — write the "
        "term, a tab, then its translation")


@pytest.mark.parametrize(("lang", "forms"), [
    ("en", ["strike", "strikes", "striking"]),
    ("de", ["Gewerkschaft", "Gewerkschaften"]),
    ("fr", ["syndicat", "syndicats"]),
])
def test_other_languages_have_snowball_stems(lang: str, forms: list[str]) -> None:
    """Languages with a Snowball algorithm share one stem across these forms."""
    assert len({stem(f, lang) for f in forms}) == 1


def test_acronyms_and_possessives() -> None:
    """Acronyms are not stemmed; a typographic possessive is dropped."""
    assert stem("КПСС", "ru") == "кпсс"
    assert contains_term("of CPK’s activists", "CPK", "en")
    assert contains_term("the parties agreed", "party", "en")
