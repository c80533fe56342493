"""The one Jinja environment: every HTML page diglot writes (editions and the status report)
and the prompt of the ``llm`` engine.

Templates live in ``diglot/templates/``; pages are autoescaped, and an undefined name is an
error rather than an empty string.  A plain-text template (the prompt, ``llm-v1.j2``) is
rendered by the same environment with escaping off and its whitespace as written
(:func:`text_environment`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment (built once)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def text_environment() -> jinja2.Environment:
    """The shared environment for plain text: nothing escaped, block tags keep their lines."""
    return environment().overlay(autoescape=False, trim_blocks=False, lstrip_blocks=False)


def template_source(name: str) -> str:
    """The text of the template ``name`` as written (the ``llm`` engine digests its prompt)."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """Render one of the templates in ``diglot/templates`` with ``context``."""
    return environment().get_template(name).render(**context)
