"""The one Jinja environment: every HTML page diglot writes (editions and the status report).

Templates live in ``diglot/templates/``; they are autoescaped, and an undefined name is an
error rather than an empty string.
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


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """Render one of the templates in ``diglot/templates`` with ``context``."""
    return environment().get_template(name).render(**context)
