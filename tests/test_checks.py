"""QA checks: each fires on a fault and stays silent on the correct translation."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from diglot.checks import (
    ENTRY_CHECKS,
    EntryContext,
    GlossaryTerm,
    Problem,
    Severity,
    check_catalog,
    check_project,
)
from diglot.checks.glossary import contains_term, parse_glossary, stem
from diglot.checks.numbers import numeric_facts
from diglot.model import SourceFormat
from diglot.pofile import Catalog, POEntry, POFile, parse_catalog
from diglot.project import Project

DATA = Path(__file__).parent / "data" / "checks" / "project"
KPK = Path("locales/en/LC_MESSAGES/kpk-2015.po")
STRIKE = Path("locales/en/LC_MESSAGES/strike-2024.po")
GLOSSARY = (
    GlossaryTerm("КПК", ("CPK",), 1),
    GlossaryTerm("забастовка", ("strike",), 2),
    GlossaryTerm("профсоюз", ("union", "trade union"), 3),
    GlossaryTerm("Коммунистическая партия Казахстана", ("Communist Party of Kazakhstan",), 4),
)


@pytest.fixture
def qa_project(tmp_path: Path) -> Path:
    """A copy of the sample project's reviewed English catalogs, templates and glossary."""
    root = tmp_path / "sample"
    shutil.copytree(DATA, root)
    return root


def ctx(*, source: str = "ru", target: str = "en", fmt: SourceFormat = SourceFormat.TXT,
        flags: tuple[str, ...] = ()) -> EntryContext:
    return EntryContext(path=Path("x.po"), line=7, source_lang=source, target_lang=target,
                        format=fmt, flags=flags, glossary=GLOSSARY)


CHECKS = {spec.name: spec.func for spec in ENTRY_CHECKS}

# check, source, correct translation, faulty translation, context options
CASES: list[tuple[str, str, str, str, dict[str, object]]] = [
    ("numbers", "Рост составил 9,5 %.", "The rise was 9.5%.", "The rise was 5.9%.", {}),
    ("numbers", "Решение суда от 03.08.2015 г.", "The court decision of 3 August 2015.",
     "The court decision of 3 August 2016.", {}),
    ("numbers", "Решение суда от 03.08.2015 г.", "The court decision taken on 03.08.2015.",
     "The court decision taken on 08.03.2015.", {}),
    ("numbers", "Коалиция в 2011–2012 гг.", "The coalition in 2011-12.",
     "The coalition in 2011-13.", {}),
    ("numbers", "Повышения зарплаты на 30 %;", "a 30% wage increase;", "a 3% wage increase;", {}),
    ("numbers", "Бюджет 1 000 000 рублей.", "A budget of 1,000,000 roubles.",
     "A budget of 1,000 roubles.", {}),
    ("numbers", "Принято 12 марта 2024 г.", "Adopted on March 12, 2024.",
     "Adopted on March 21, 2024.", {}),
    ("numbers", "Митинг в марте 2024 года.", "A rally in March 2024.", "A rally in May 2024.",
     {}),
    ("numbers", "Цены выросли в 2 раза.", "Prices doubled.", "Prices tripled.", {}),
    ("numbers", "Уже 2 недели.", "For two weeks now.", "For three weeks now.", {}),
    ("numbers", "Рост на 9,5 %.", "A rise of 9.5%.", "A rise of 9,5%.", {}),
    ("markup", "См. [решение суда](https://example.org/court/2024-17).",
     "See the [court decision](https://example.org/court/2024-17).",
     "See the court decision.", {"fmt": SourceFormat.MD}),
    ("markup", "Выполните `make check` перед сборкой.", "Run `make check` before building.",
     "Run make check before building.", {"fmt": SourceFormat.MD}),
    ("markup", "*Принято на заседании Политсовета.*", "*Adopted at the meeting.*",
     "Adopted at the meeting.", {"fmt": SourceFormat.MD}),
    ("markup", "Подробнее: https://example.org/a/b.", "More at https://example.org/a/b.",
     "More at example.org.", {}),
    ("punctuation", "Руки прочь от Коммунистической партии Казахстана!",
     "Hands off the Communist Party of Kazakhstan!",
     "Hands off the Communist Party of Kazakhstan.", {}),
    ("punctuation", "Кто ответит за это?", "Who will answer for this?",
     "Who will answer for this.", {}),
    ("punctuation", "Закон «О профессиональных союзах» принят.",
     "The law “On trade unions” was adopted.", "The law “On trade unions was adopted.", {}),
    ("punctuation", "Партия (КПК) запрещена.", "The party (CPK) is banned.",
     "The party (CPK is banned.", {}),
    ("glossary", "За поддержку забастовки нефтяников.", "For supporting the oil workers’ strike.",
     "For supporting the oil workers’ walkout.", {}),
    ("glossary", "Активисты КПК борются.", "CPK’s activists fight.",
     "The party's activists fight.", {}),
    ("glossary", "Руки прочь от Коммунистической партии Казахстана!",
     "Hands off the Communist Party of Kazakhstan!", "Hands off the Kazakh communists!", {}),
    ("negation", "Мы не отступим.", "We will not retreat.", "We will retreat.", {}),
    ("negation", "Мы отступим.", "We will retreat.", "We won’t retreat.", {}),
    ("negation", "Это не должно повториться никогда.", "This must never happen again.",
     "This must happen again.", {}),
    ("identical", "Руки прочь!", "Hands off!", "Руки прочь!", {}),
    ("untranslated", "Заявил А. В. Петров.", "Said A. V. Petrov.", "Said А. В. Петров.", {}),
    ("untranslated", "Said Petrov of NATO.", "Сказал Петров из NATO.", "Сказал Petrov из NATO.",
     {"source": "en", "target": "ru"}),
    ("whitespace", "Руки прочь!", "Hands off!", "Hands  off!", {}),
    ("whitespace", "Руки прочь!", "Hands off!", " Hands off!", {}),
    ("msgfmt", "Строка\n", "Line\n", "Line", {}),
    ("msgfmt", "%d рабочих бастуют", "%d workers are on strike", "%s workers are on strike",
     {"flags": ("c-format",)}),
]


def _context(options: dict[str, object]) -> EntryContext:
    return ctx(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("check", "source", "good", "bad", "options"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_fires_on_the_fault(check: str, source: str, good: str, bad: str,
                                  options: dict[str, object]) -> None:
    """Each check reports the faulty translation of its sentence, at the entry's line."""
    problems = CHECKS[check](source, bad, _context(options))
    assert problems, f"{check} missed {bad!r}"
    assert {p.check for p in problems} <= {check}
    assert all(p.line == 7 and p.path == Path("x.po") for p in problems)


@pytest.mark.parametrize(("check", "source", "good", "bad", "options"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_is_silent_on_the_correct_translation(check: str, source: str, good: str, bad: str,
                                                     options: dict[str, object]) -> None:
    """No check at all complains about the correct translation of the same sentence."""
    context = _context(options)
    assert [p for spec in ENTRY_CHECKS for p in spec.func(source, good, context)] == []


@pytest.mark.parametrize(("source", "translation"), [
    ("пока наши требования не будут выполнены", "until our demands are met"),
    ("призван не допустить коммунистов к выборам", "is intended to prevent communists from "
                                                    "taking part in elections"),
    ("Он не раз выступал.", "He spoke more than once."),
])
def test_negation_knows_expletive_and_lexical_negation(source: str, translation: str) -> None:
    """Expletive 'не' (after 'пока') and 'не допустить' = 'prevent' are not dropped negations."""
    assert CHECKS["negation"](source, translation, ctx()) == []


@pytest.mark.parametrize(("source", "translation"), [
    ("Москва, 12 марта 2024 г.", "Moscow, 12 March 2024"),
    ("Профсоюзы, партии и т. д.", "Unions, parties etc."),
    ("Он сказал: «Мы победим».", "He said: “We will win”."),
    ("«Мы победим.", "“We will win."),
])
def test_punctuation_allows_abbreviations_and_quotes_split_by_sentences(source: str,
                                                                       translation: str) -> None:
    """A full stop that ends an abbreviation may go; a quote opened across sentences may stay."""
    assert CHECKS["punctuation"](source, translation, ctx()) == []


def test_identity_allows_names_and_urls_kept_as_written() -> None:
    """A source without letters of its own script (an acronym, a URL) may be kept as it is."""
    context = ctx()
    for text in ("RCWP-CPSU", "https://example.org/court/2024-17", "2024"):
        assert CHECKS["identical"](text, text, context) == []
        assert CHECKS["untranslated"](text, text, context) == []


def test_changed_number_is_named_in_the_message() -> None:
    """A changed number is reported once, naming what it was and what it became."""
    (problem,) = CHECKS["numbers"]("На 30 %.", "By 40%.", ctx())
    assert problem.severity is Severity.ERROR
    assert "'30'" in problem.message
    assert "'40'" in problem.message


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                   allow_infinity=False))
def test_numbers_match_in_each_locales_own_format(value: Decimal) -> None:
    """A number written the Russian way and the English way (babel's formats) is the same fact."""
    ru = format_decimal(value, locale="ru", decimal_quantization=False)
    en = format_decimal(value, locale="en", decimal_quantization=False)
    assert [f.key for f in numeric_facts(ru, "ru")] == [f.key for f in numeric_facts(en, "en")]


def test_russian_stems_join_the_cases_of_a_noun() -> None:
    """The Snowball stem joins a noun's case forms; the glossary matches them, not neighbours."""
    forms = ["забастовка", "забастовки", "забастовку", "забастовкой", "забастовках"]
    assert len({stem(f, "ru") for f in forms}) == 1
    assert contains_term("в Казахстане", "Казахстан", "ru")
    assert contains_term("нет забастовок", "забастовка", "ru")
    assert not contains_term("наш партнёр", "партия", "ru")
    assert contains_term("of CPK’s activists", "CPK", "en")


def test_russian_stems_are_snowballs() -> None:
    """The stemmer gives the reference Snowball stems (238 words sampled from Russian corpora)."""
    lines = (DATA.parent / "snowball-ru.tsv").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("\t") for line in lines if not line.startswith("#")]
    assert len(pairs) == 238
    assert [(w, stem(w, "ru")) for w, _ in pairs] == [(w, s) for w, s in pairs]


def test_glossary_file_lines_without_translation_are_reported() -> None:
    """A glossary line without a tab is a problem at its own line; a header row is skipped."""
    text = "# terms\nru\ten\nКПК\tCPK\nзабастовка strike\n"
    terms, problems = parse_glossary(text, path=Path("glossary/ru-en.tsv"), source_lang="ru",
                                     target_lang="en")
    assert [t.source for t in terms] == ["КПК"]
    assert [(p.path.as_posix(), p.line, p.check) for p in problems] == [
        ("glossary/ru-en.tsv", 4, "glossary")]


def test_pristine_sample_reports_no_problem(qa_project: Path) -> None:
    """The reviewed sample catalogs (kpk-2015's real, idiosyncratic English included) pass."""
    run = check_project(Project.load(qa_project), include_drafts=True)
    assert run.problems == ()
    assert run.catalogs == 2
    assert run.entries == 31


def _seed(root: Path, catalog: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in a msgstr line; return the line of that entry's msgid."""
    path = root / catalog
    lines = path.read_text(encoding="utf-8").split("\n")
    in_msgstr = False
    hits = []
    for i, line in enumerate(lines):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr and old in line:
            hits.append(i)
    (index,) = hits
    lines[index] = lines[index].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    while not lines[index].startswith("msgid "):
        index -= 1
    return index + 1


def test_seeded_faults_are_reported_at_their_entries(qa_project: Path) -> None:
    """A changed number, a dropped link, a missing term and an open quote: each at path:line."""
    number = _seed(qa_project, KPK, "03.08.2015", "04.08.2015")
    quote = _seed(qa_project, KPK, "“On trade unions”", "“On trade unions")
    term = _seed(qa_project, KPK, "The dissolution of CPK", "The dissolution of the party")
    link = _seed(qa_project, STRIKE, "[court decision](https://example.org/court/2024-17)",
                 "court decision")
    run = check_project(Project.load(qa_project))
    found = {(p.path.relative_to(qa_project), p.line, p.check) for p in run.problems}
    assert found == {(KPK, number, "numbers"), (KPK, quote, "punctuation"),
                     (KPK, term, "glossary"), (STRIKE, link, "markup")}
    assert run.errors == 3
    assert run.warnings == 1


def test_check_command_prints_path_line_and_gates(qa_project: Path,
                                                  run: Callable[..., int],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """'diglot check' prints path:line: [check] lines and a summary, and exits 5 on errors."""
    assert run(qa_project, "check") == 0
    assert "0 errors, 0 warnings in 2 catalogs" in capsys.readouterr().out
    line = _seed(qa_project, KPK, "03.08.2015", "04.08.2015")
    assert run(qa_project, "check") == 5
    out = capsys.readouterr().out
    assert f"{KPK.as_posix()}:{line}: [numbers] error: " in out
    assert "1 error, 0 warnings in 2 catalogs" in out


def test_warnings_fail_only_when_strict(qa_project: Path, run: Callable[..., int],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings alone exit 0, and 5 with --strict; --format json carries the same findings."""
    line = _seed(qa_project, KPK, "The dissolution of CPK", "The dissolution of the party")
    assert run(qa_project, "check") == 0
    assert run(qa_project, "check", "--strict") == 5
    capsys.readouterr()
    assert run(qa_project, "check", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"errors": 0, "warnings": 1, "catalogs": 2, "entries": 31,
                               "reviewed": 31, "total": 31}
    assert data["problems"][0]["line"] == line
    assert data["problems"][0]["check"] == "glossary"


def test_check_command_selects_language_and_document(qa_project: Path, run: Callable[..., int],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """--doc limits the run to one document; an unknown one is a usage error with a hint."""
    assert run(qa_project, "check", "--doc", "kpk-2015", "--lang", "en") == 0
    assert "in 1 catalog (15 entries checked)" in capsys.readouterr().out
    assert run(qa_project, "check", "--doc", "kpk-2051") == 2
    assert "did you mean 'kpk-2015'?" in capsys.readouterr().err


def _catalog_with(tcomment: str, msgid: str, msgstr: str, *,
                  flags: tuple[str, ...] = ()) -> tuple[Catalog, str]:
    po = POFile()
    po.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(POEntry(msgid=msgid, msgstr=msgstr, tcomment=tcomment, flags=list(flags),
                            occurrences=[("source/ru/doc.txt", "3")]))
    text = str(po)
    return parse_catalog(text, path=Path("doc.po")), text


def _check(po: Catalog, lang: str = "en") -> list[Problem]:
    return check_catalog(po, path=Path("doc.po"), source_lang="ru", target_lang=lang)[0]


def test_ignore_comment_silences_one_check_on_one_entry() -> None:
    """'# diglot: ignore numbers' silences the numbers check on that entry only."""
    po, _ = _catalog_with("", "На 30 %.", "By 40%.")
    assert [p.check for p in _check(po)] == ["numbers"]
    po, _ = _catalog_with("diglot: ignore numbers", "На 30 %.", "By 40%.")
    assert _check(po) == []
    po, _ = _catalog_with("diglot: ignore punctuation", "На 30 %.", "By 40%.")
    assert [p.check for p in _check(po)] == ["numbers"]


def test_unknown_check_in_ignore_comment_is_reported() -> None:
    """A misspelt check name in an ignore comment is a warning with a 'did you mean'."""
    po, _ = _catalog_with("diglot: ignore numbrs", "На 30 %.", "By 30%.")
    (problem,) = _check(po)
    assert problem.check == "ignore"
    assert problem.message == "unknown check 'numbrs' in '# diglot: ignore'"
    assert "did you mean 'numbers'?" in problem.hint


def test_problems_point_at_the_msgid_line() -> None:
    """The line reported is the entry's msgid line, not the comment above it (polib's linenum)."""
    po, text = _catalog_with("a translator's note", "На 30 %.", "By 40%.")
    (problem,) = _check(po)
    assert text.split("\n")[problem.line - 1].startswith("msgid ")


def test_header_language_and_plural_forms_are_checked() -> None:
    """A header naming another language or another plural rule is an error; a good one passes."""
    po, _ = _catalog_with("", "Руки прочь!", "Hands off!")
    assert _check(po) == []
    problems = _check(po, lang="de")
    assert [p.check for p in problems] == ["header"]
    assert "Language: de" in problems[0].message
    problems = _check(po, lang="ru")
    assert sorted(p.message.split(" ")[0] for p in problems) == ["Plural-Forms", "the"]


def test_drafts_are_checked_only_on_request_and_only_warn() -> None:
    """Fuzzy entries are skipped by default; with include_drafts their problems are warnings."""
    po, _ = _catalog_with("diglot-draft: deepl 2026-11-27", "На 30 %.", "By 40%.",
                             flags=("fuzzy",))
    assert _check(po) == []
    problems = check_catalog(po, path=Path("doc.po"), source_lang="ru", target_lang="en",
                             include_drafts=True)[0]
    assert [(p.check, p.severity, p.draft) for p in problems] == [
        ("numbers", Severity.WARNING, True)]


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_msgfmt_check_agrees(tmp_path: Path) -> None:
    """What msgfmt --check rejects, the msgfmt check reports; what it accepts passes."""
    po, _ = _catalog_with("", "Строка\n", "Line")
    po.append(POEntry(msgid="%d рабочих", msgstr="%s workers", flags=["c-format"]))
    po.append(POEntry(msgid="Руки прочь!", msgstr="Hands off!"))
    path = tmp_path / "doc.po"
    text = str(po)
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    rejected = {int(line.split(":")[1]) for line in result.stderr.splitlines()
                if line.startswith(str(path)) and "warning" not in line}
    problems = [p for p in _check(parse_catalog(text, path=Path("doc.po"))) if p.check == "msgfmt"]
    assert len(problems) == len(rejected) == 2
    # msgfmt names the msgstr line, diglot the msgid line just above it
    assert {p.line + 1 for p in problems} == rejected


@pytest.mark.gettext
@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_sample_catalogs_pass_msgfmt_check(qa_project: Path) -> None:
    """The sample catalogs the checks pass are accepted by msgfmt --check too."""
    for path in sorted((qa_project / "locales").rglob("*.po")):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_repository_sample_reports_no_problem(sample_project: Path) -> None:
    """The repository's own sample catalogs and glossary pass every check."""
    project = Project.load(sample_project)
    if not any(project.locales_dir.rglob("*.po")):
        pytest.skip("the repository sample has no catalogs yet")
    run = check_project(project, include_drafts=True)
    assert [str(p) for p in run.problems] == []
    assert run.entries > 0
