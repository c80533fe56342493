"""The examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import diglot
import diglot.segment


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(diglot.__path__, "diglot."))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    """Every ``>>>`` example in a module's docstrings gives the output written under it."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_segment_example_is_collected() -> None:
    """The segmenter's example is found, so the parametrized test above cannot pass vacuously."""
    finder = doctest.DocTestFinder()
    assert sum(len(t.examples) for t in finder.find(diglot.segment)) >= 1
