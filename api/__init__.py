"""segur-plan: compliance plans for the Ségur référencement (ANS) and its SONS financing.

The public Python API lives here; the code is in ``segur_plan.engine`` (models, plugins, rule
backends, planner, renderers), ``segur_plan.packs`` (built-in packs) and ``segur_plan.cli``.
"""

from segur_plan.engine.api import Engine, Explanation
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import load_profile, parse_profile
from segur_plan.engine.models import Plan, SolutionProfile
from segur_plan.engine.rem_import import RemSource

__version__ = "0.1.0"

__all__ = ["Engine", "Explanation", "Plan", "RemSource", "SegurPlanError", "SolutionProfile", "__version__",
           "load_profile", "parse_profile"]
