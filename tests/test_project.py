"""diglot.toml: reading, validating and writing the project's configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot.errors import ConfigError
from diglot.project import Project, Unit, parse_config, render_config

P = Path("diglot.toml")


def test_minimal_config_reads_with_defaults() -> None:
    """A config with only the languages gets sentence segmentation and the memory engine."""
    config = parse_config('source_language = "ru"\ntarget_languages = ["en", "de"]\n', P)
    assert config.source_language == "ru"
    assert config.target_languages == ("en", "de")
    assert config.unit is Unit.SENTENCE
    assert config.translate.engine == "memory"
    assert config.build.threshold == 100


def test_unknown_top_level_key_suggests_the_right_one() -> None:
    """A misspelt key is an error that names the line and suggests the key meant."""
    text = 'source_language = "ru"\ntarget_languages = ["en"]\ntarget_langauges = ["de"]\n'
    with pytest.raises(ConfigError) as err:
        parse_config(text, P)
    assert str(err.value) == (
        "diglot.toml:3: unknown key 'target_langauges' — did you mean 'target_languages'?")


def test_unknown_language_code_suggests_a_known_one() -> None:
    """An unknown language code is an error with a suggestion from babel's locale list."""
    with pytest.raises(ConfigError, match=r"unknown target language 'enn'.*did you mean"):
        parse_config('source_language = "ru"\ntarget_languages = ["enn"]\n', P)


def test_unknown_key_in_a_section_is_reported() -> None:
    """Keys inside [translate] are checked too."""
    text = 'source_language = "ru"\ntarget_languages = ["en"]\n[translate]\nengin = "deepl"\n'
    with pytest.raises(ConfigError, match=r"diglot.toml:4: unknown key 'engin' in \[translate\]"):
        parse_config(text, P)


def test_wrong_type_is_reported() -> None:
    """A value of the wrong type names its key."""
    text = 'source_language = "ru"\ntarget_languages = ["en"]\n[build]\nthreshold = "high"\n'
    with pytest.raises(ConfigError, match=r"'threshold' must be a whole number"):
        parse_config(text, P)


def test_source_cannot_also_be_a_target() -> None:
    """The source language listed as a target is an error."""
    with pytest.raises(ConfigError, match="both the source and a target"):
        parse_config('source_language = "ru"\ntarget_languages = ["ru"]\n', P)


def test_unit_and_abbreviations_are_read() -> None:
    """Paragraph mode and per-language abbreviations are taken from the file."""
    text = ('source_language = "ru"\ntarget_languages = ["en"]\nunit = "paragraph"\n'
            '[abbreviations]\nru = ["проф."]\n')
    config = parse_config(text, P)
    assert config.unit is Unit.PARAGRAPH
    assert config.abbreviations == {"ru": ("проф.",)}


def test_rendered_config_parses_back() -> None:
    """What ``diglot init`` writes is a valid config with the languages given."""
    config = parse_config(render_config("ru", ["en", "pt-BR"]), P)
    assert config.target_languages == ("en", "pt-BR")


def test_missing_config_tells_how_to_start(tmp_path: Path) -> None:
    """With no diglot.toml the error says to run diglot init."""
    with pytest.raises(ConfigError, match="diglot init"):
        Project.find(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A TOML syntax error is reported with the file name."""
    (tmp_path / "diglot.toml").write_text("source_language = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"diglot\.toml: not valid TOML"):
        Project.load(tmp_path)
