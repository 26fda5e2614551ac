"""The examples of the public API's docstrings run, as doctests (issue 8: "examples that run").

``doctest.testmod`` on the installed modules rather than ``--doctest-modules``: the repository's
folders are not importable under their installed names (engine/ is ``segur_plan.engine``).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util

import pytest

MODULES = [
    "segur_plan",
    "segur_plan.engine.api",
    "segur_plan.engine.batch",
    pytest.param("segur_plan.server", marks=pytest.mark.skipif(
        importlib.util.find_spec("fastapi") is None, reason="extra « server » non installé")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert result.failed == 0, f"{result.failed} exemple(s) en échec dans {name} (détail : sortie capturée)"


def test_the_engine_api_has_examples() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for t in finder.find(importlib.import_module("segur_plan.engine.api")))
    assert examples >= 5
