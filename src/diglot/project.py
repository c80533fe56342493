"""The project: its configuration (``diglot.toml``) and where its files live.

::

    diglot.toml
    source/<src>/<doc>.txt|.md          statements as written
    locales/<doc>.pot                   one template per document
    locales/<lang>/LC_MESSAGES/<doc>.po one catalog per document and target language
    glossary/<src>-<tgt>.tsv            agreed terms (optional)
    editions/                           what ``diglot build`` writes
    .diglot/                            lock and machine-translation cache (git-ignored)
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot.engines.settings import translate_problems
from diglot.errors import ConfigError, FileAccessError, SourceError
from diglot.names import Unit as Unit  # re-exported (defined apart: see diglot.names)

CONFIG_NAME = "diglot.toml"


@dataclass(frozen=True)
class TranslateConfig:
    """``[translate]``: machine drafts."""

    engine: str = "memory"
    """``memory`` (memory only), ``deepl`` or ``llm`` (memory first, then the engine)."""
    memory_similarity: int = 85
    """Lowest similarity (0–100) at which a close memory match is offered as a draft."""
    memory_files: tuple[str, ...] = ()
    """Extra TMX files or PO compendia (paths relative to the project root)."""
    deepl_server_url: str = ""
    """DeepL API server; ``DEEPL_SERVER_URL`` overrides it.  Empty: the official one."""
    english_variant: str = "EN-GB"
    portuguese_variant: str = "PT-PT"
    formality: str = "default"
    llm_base_url: str = ""
    """OpenAI-compatible server (``.../v1``); ``OPENAI_BASE_URL`` overrides it."""
    llm_model: str = ""
    """The model the ``llm`` engine asks, as the server names it."""
    request_timeout: int = 120
    """Seconds one engine request may take in all, retries included."""


@dataclass(frozen=True)
class BuildConfig:
    """``[build]``: editions."""

    threshold: int = 100
    """Lowest share (percent) of reviewed segments for a language to be published."""


@dataclass(frozen=True)
class AlignConfig:
    """``[align]``: importing published translations (``diglot align``)."""

    threshold: float = 0.5
    """Lowest alignment confidence (0–1) for an imported entry to be written reviewed, not fuzzy."""


@dataclass(frozen=True)
class Config:
    """The whole of ``diglot.toml``."""

    source_language: str
    target_languages: tuple[str, ...]
    unit: Unit = Unit.SENTENCE
    abbreviations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    translate: TranslateConfig = field(default_factory=TranslateConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    align: AlignConfig = field(default_factory=AlignConfig)

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.source_language, *self.target_languages)


_TOP_KEYS = {
    "source_language",
    "target_languages",
    "unit",
    "abbreviations",
    "translate",
    "build",
    "align",
}
_SECTION_TYPES: dict[str, type[Any]] = {"translate": TranslateConfig, "build": BuildConfig,
                                         "align": AlignConfig}
_RANGES: dict[tuple[str, str], tuple[float, float, str]] = {
    ("translate", "memory_similarity"): (0, 100, "a percentage"),
    ("build", "threshold"): (0, 100, "a percentage"),
}


def did_you_mean(word: str, choices: list[str] | set[str] | tuple[str, ...]) -> str:
    """A ``did you mean 'x'?`` hint for a mistyped name, or a list of the valid ones."""
    import difflib  # a mistyped name only

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(sorted(choices))


def select_names(wanted: Sequence[str] | None, known: Sequence[str], what: str) -> list[str]:
    """The names of ``known`` that ``wanted`` asks for (all when none), in ``known``'s order.

    A name not in ``known`` is a :class:`ConfigError` with a "did you mean".
    """
    if not wanted:
        return list(known)
    for name in wanted:
        if name not in known:
            raise ConfigError(f"unknown {what} '{name}'", hint=did_you_mean(name, list(known)))
    return [k for k in known if k in wanted]


_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _language_by_name(word: str) -> str | None:
    """The code of the language called ``word`` in English or in itself (``russian`` → ``ru``)."""
    import babel  # lazy: 'diglot --help' needs no locale data

    wanted = word.strip().casefold()
    for code, name in babel.Locale("en").languages.items():
        if name.casefold() == wanted and "_" not in code:
            return str(code)
    for code in babel.localedata.locale_identifiers():
        if "_" in code:
            continue
        with contextlib.suppress(ValueError, babel.UnknownLocaleError):
            native = babel.Locale.parse(code).get_display_name(code)
            if native and native.casefold() == wanted:
                return code
    return None


@functools.cache
def language_name(lang: str, *, native: bool = False) -> str:
    """``Russian`` (or ``Русский`` with ``native``) for ``ru``; the code itself if unknown.

    The one place languages are named: catalog headers, editions and the report.
    """
    import babel  # lazy: 'diglot --help' needs no locale data

    try:
        locale = babel.Locale.parse(lang.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return lang
    name = str((locale.get_display_name(locale) if native else locale.english_name) or lang)
    return name[:1].upper() + name[1:]


def check_language(code: str, *, path: Path | None = None, what: str = "language") -> str:
    """Validate a language code with babel; return it normalised (``pt-BR``, ``en``).

    A code babel would silently turn into another (``eng`` → ``en-US``,
    ``iw`` → ``he-IL``) is refused with the code to write instead; a language
    name (``russian``) gets a "did you mean 'ru'".
    """
    import babel  # here, not at import: 'diglot --help' needs no locale data

    if not isinstance(code, str) or not code:
        raise ConfigError(f"{what} must be a language code such as 'en'", path=path)
    locale = None
    if _CODE.fullmatch(code) and code.lower() not in ("und", "root"):
        with contextlib.suppress(ValueError, babel.UnknownLocaleError):
            locale = babel.Locale.parse(code.replace("-", "_"))
    if locale is None:
        by_name = _language_by_name(code)
        if by_name:
            hint = f"did you mean '{by_name}'?"
        else:
            known = {c for c in babel.localedata.locale_identifiers() if "_" not in c}
            import difflib  # an unknown code only

            close = difflib.get_close_matches(code, sorted(known), n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close else
                    "use an ISO 639 code such as 'en', 'de' or 'pt-BR'")
        raise ConfigError(f"unknown {what} '{code}'", path=path, hint=hint)
    normal = str(locale).replace("_", "-")
    if normal.casefold() != code.replace("_", "-").casefold():
        raise ConfigError(f"{what} '{code}' is not a code diglot takes as written "
                          f"(it would mean '{normal}')", path=path,
                          hint=f"did you mean '{locale.language}'?")
    return normal


def check_init_languages(source: str, targets: Sequence[str]) -> tuple[str, list[str]]:
    """The languages of ``diglot init``, checked as :func:`parse_config` will check them."""
    src = check_language(source, what="source language")
    tgts = [check_language(t, what="target language") for t in targets]
    _check_targets(src, tgts, path=None, line=None)
    return src, tgts


def _check_targets(source: str, targets: Sequence[str], *, path: Path | None,
                   line: int | None) -> None:
    if source in targets:
        raise ConfigError(f"'{source}' is both the source and a target language", path=path,
                          line=line, hint="a target language must differ from the source")
    seen: set[str] = set()
    for target in targets:
        if target in seen:
            raise ConfigError(f"target language '{target}' is given twice", path=path,
                              line=line, hint="name each target language once")
        seen.add(target)


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((key, f"[{key}")):
            return n
    return None


def _known_key(key: str, known: set[str], *, path: Path, text: str,
               section: str = "") -> None:
    """Raise the error for a key of diglot.toml (in ``[section]``) that is not ``known``,
    at its line, with the known key it is nearest to."""
    if key not in known:
        where = f" in [{section}]" if section else ""
        raise ConfigError(f"unknown key '{key}'{where}", path=path, line=_line_of(text, key),
                          hint=did_you_mean(key, known))


def _section(data: Any, cls: type[Any], name: str, path: Path, text: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"[{name}] must be a table", path=path, line=_line_of(text, name))
    known = set(cls.__dataclass_fields__)
    values: dict[str, Any] = {}
    for key, value in data.items():
        _known_key(key, known, path=path, text=text, section=name)
        default = cls.__dataclass_fields__[key].default
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"'{key}' must be a list of strings", path=path,
                                  line=_line_of(text, key))
            value = tuple(value)
        elif isinstance(default, float) and isinstance(value, int | float) \
                and not isinstance(value, bool):
            value = float(value)
            if not 0 <= value <= 1:  # every float setting is a share (a confidence)
                raise ConfigError(f"'{key}' must be between 0 and 1", path=path,
                                  line=_line_of(text, key), hint=f"for example: {key} = 0.5")
        elif not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(
            default, bool
        ):
            kind = {"int": "whole number", "float": "number", "str": "string",
                    "bool": "true or false"}.get(
                type(default).__name__, type(default).__name__)
            raise ConfigError(
                f"'{key}' must be a {kind}", path=path, line=_line_of(text, key)
            )
        low, high, what = _RANGES.get((name, key), (None, None, ""))
        if low is not None and high is not None and not low <= value <= high:
            raise ConfigError(f"'{key}' must be between {low} and {high} ({what}), not {value}",
                              path=path, line=_line_of(text, key))
        values[key] = value
    return cls(**values)


def parse_config(text: str, path: Path) -> Config:
    """Parse and validate the text of ``diglot.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, hint="fix the syntax") from exc
    for key in data:
        _known_key(key, _TOP_KEYS, path=path, text=text)
    if "source_language" not in data:
        raise ConfigError("'source_language' is missing", path=path,
                          hint="add for example: source_language = \"ru\"")
    source = check_language(data["source_language"], path=path, what="source language")
    targets_raw = data.get("target_languages", [])
    if not isinstance(targets_raw, list) or not targets_raw:
        raise ConfigError("'target_languages' must be a non-empty list", path=path,
                          line=_line_of(text, "target_languages"),
                          hint="for example: target_languages = [\"en\"]")
    targets = tuple(check_language(t, path=path, what="target language") for t in targets_raw)
    _check_targets(source, targets, path=path, line=_line_of(text, "target_languages"))
    unit_raw = data.get("unit", "sentence")
    try:
        unit = Unit(unit_raw)
    except ValueError as exc:
        raise ConfigError(f"unknown unit '{unit_raw}'", path=path, line=_line_of(text, "unit"),
                          hint=did_you_mean(str(unit_raw), [u.value for u in Unit])) from exc
    abbreviations_raw = data.get("abbreviations", {})
    if not isinstance(abbreviations_raw, dict):
        raise ConfigError("[abbreviations] must be a table of lists", path=path)
    abbreviations: dict[str, tuple[str, ...]] = {}
    for lang, words in abbreviations_raw.items():
        lang_code = check_language(lang, path=path, what="language in [abbreviations]")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ConfigError(f"abbreviations.{lang} must be a list of strings", path=path,
                              line=_line_of(text, lang))
        abbreviations[lang_code] = tuple(words)
    sections = {
        name: _section(data[name], cls, name, path, text)
        for name, cls in _SECTION_TYPES.items()
        if name in data
    }
    config = Config(source_language=source, target_languages=targets, unit=unit,
                    abbreviations=abbreviations, **sections)
    _check_engine_settings(config, path, text)
    return config


def _check_engine_settings(config: Config, path: Path, text: str) -> None:
    """Every engine setting checked now, before an engine is built or anything billed."""
    t = config.translate
    problems = translate_problems(
        engine=t.engine, memory_similarity=t.memory_similarity,
        english_variant=t.english_variant, portuguese_variant=t.portuguese_variant,
        formality=t.formality, deepl_server_url=t.deepl_server_url,
        llm_base_url=t.llm_base_url, llm_model=t.llm_model,
        request_timeout=t.request_timeout, targets=config.target_languages)
    if problems:
        first = problems[0]
        word = getattr(t, first.key, "")
        hint = first.hint or (did_you_mean(str(word), first.choices) if first.choices else None)
        raise ConfigError(first.message, path=path, line=_line_of(text, first.key), hint=hint)


def render_config(source: str, targets: list[str], unit: Unit = Unit.SENTENCE) -> str:
    """The text of a new ``diglot.toml``."""
    target_list = ", ".join(f'"{t}"' for t in targets)
    return (
        "# diglot project settings: see README.md\n"
        f'source_language = "{source}"\n'
        f"target_languages = [{target_list}]\n"
        f'unit = "{unit.value}"  # or "paragraph": one catalog entry per block\n'
        "\n"
        "[abbreviations]\n"
        "# extra abbreviations the sentence splitter must not end a sentence at, per language\n"
        f"# {source} = [\"проф.\"]\n"
        "\n"
        "[translate]\n"
        'engine = "memory"  # or "deepl" (needs DEEPL_AUTH_KEY) or "llm" (a model server:\n'
        '# llm_base_url = "http://127.0.0.1:11434/v1" and llm_model = "…")\n'
        "\n"
        "[build]\n"
        "threshold = 100  # percent of reviewed segments required to publish a language\n"
    )


def relative(path: Path, root: Path) -> str:
    """``path`` relative to the project ``root`` with ``/`` separators; as given if outside it.

    The one place a real path becomes a project-relative one: for what is written into files
    (``#:`` references, a TMX location, the catalog a review page links) and for what the
    CLI and the reports show.  The library passes real paths everywhere else.
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def project_folder(start: Path) -> Path | None:
    """The folder holding the ``diglot.toml`` of the project around ``start``: ``start`` or
    the nearest folder above it that has one; None outside any project."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


@dataclass(frozen=True)
class Project:
    """A diglot project on disk."""

    root: Path
    config: Config

    @classmethod
    def load(cls, root: Path) -> Project:
        path = root / CONFIG_NAME
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ConfigError(
                "no diglot.toml here", path=path,
                hint="run 'diglot init --source ru --target en' or pass --project DIR",
            ) from exc
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror}", path=path,
                              hint="check the file's permissions") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ConfigError("not valid UTF-8", path=path, line=line,
                              hint="save diglot.toml as UTF-8") from exc
        return cls(root=root, config=parse_config(text, path))

    @classmethod
    def find(cls, start: Path) -> Project:
        """The project whose ``diglot.toml`` is in ``start`` or the nearest folder above it
        (:func:`project_folder`); without one, ``start``'s (whose load says what is missing)."""
        return cls.load(project_folder(start) or start)

    @property
    def source_dir(self) -> Path:
        return self.root / "source" / self.config.source_language

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def editions_dir(self) -> Path:
        return self.root / "editions"

    @property
    def state_dir(self) -> Path:
        return self.root / ".diglot"

    def source_paths(self) -> list[Path]:
        """Every source document (``.txt``, ``.md``, ``.markdown``, any case), sorted by name.

        Two files that would make the same document (``a.txt`` and ``a.md``) are
        an error naming both; so is a file that resolves outside the project.
        """
        from diglot.sources import SOURCE_SUFFIXES  # the readers: not for 'status' or '--help'

        if not self.source_dir.is_dir():
            return []
        found = sorted(p for p in self.source_dir.rglob("*")
                       if p.suffix.lower() in SOURCE_SUFFIXES and not p.is_dir())
        root = self.root.resolve()
        by_name: dict[str, Path] = {}
        for path in found:
            resolved = Path(os.path.realpath(path))
            if root not in resolved.parents:
                raise FileAccessError(
                    f"resolves outside the project (to {resolved})", path=path,
                    hint="diglot reads only inside the project: copy the file in instead of "
                    "linking to it")
            name = self.doc_name(path)
            if any((c.isspace() and c != " ") or not c.isprintable() for c in name):
                raise SourceError(
                    f"the file name {name!r} holds a line break or another control character",
                    path=path,
                    hint="rename the file: its name goes into catalogs and links")
            if name in by_name:
                raise SourceError(
                    f"two sources for the document '{name}': {self.relative(by_name[name])} and "
                    f"{self.relative(path)}", path=path,
                    hint="keep one of them (each document is one file)")
            by_name[name] = path
        return found

    def doc_name(self, source_path: Path) -> str:
        return source_path.relative_to(self.source_dir).with_suffix("").as_posix()

    def template_path(self, doc: str) -> Path:
        return self.locales_dir / f"{doc}.pot"

    def template_names(self) -> list[str]:
        """Documents that have a template (``locales/<doc>.pot``), sorted."""
        root = self.locales_dir
        if not root.is_dir():
            return []
        return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.pot"))

    def catalog_path(self, lang: str, doc: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{doc}.po"

    def glossary_path(self, target: str) -> Path | None:
        """``glossary/<src>-<tgt>.tsv`` (or ``.csv``) if it exists."""
        for ext in ("tsv", "csv"):
            p = self.root / "glossary" / f"{self.config.source_language}-{target}.{ext}"
            if p.is_file():
                return p
        return None

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, with ``/`` separators (see :func:`relative`)."""
        return relative(path, self.root)
