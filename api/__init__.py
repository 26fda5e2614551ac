"""segur-plan: compliance plans for the Ségur référencement (ANS) and its SONS financing.

The public Python API lives here; the code is in ``segur_plan.engine`` (models, plugins, rule
backends, planner, renderers), ``segur_plan.packs`` (built-in packs) and ``segur_plan.cli``.

The names below are imported on first use (:pep:`562`), so that ``import segur_plan.cli`` or
``segur_plan.__version__`` does not import the whole engine: a command pays only for what it runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → module that defines it.
_LAZY = {
    "Engine": "segur_plan.engine.api",
    "Explanation": "segur_plan.engine.api",
    "SegurPlanError": "segur_plan.engine.errors",
    "load_profile": "segur_plan.engine.loading",
    "parse_profile": "segur_plan.engine.loading",
    "Plan": "segur_plan.engine.models.plan",
    "SolutionProfile": "segur_plan.engine.models.profile",
    "RemSource": "segur_plan.engine.rem_import.cache",
}

__all__ = ["Engine", "Explanation", "Plan", "RemSource", "SegurPlanError", "SolutionProfile", "__version__",
           "load_profile", "parse_profile"]

if TYPE_CHECKING:  # pragma: no cover
    from segur_plan.engine.api import Engine, Explanation
    from segur_plan.engine.errors import SegurPlanError
    from segur_plan.engine.loading import load_profile, parse_profile
    from segur_plan.engine.models import Plan, SolutionProfile
    from segur_plan.engine.rem_import import RemSource


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'segur_plan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
