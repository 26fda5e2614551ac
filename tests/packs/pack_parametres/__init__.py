"""A third-party pack outside the engine: it overrides two socle parameters from a date."""

from segur_plan.engine.hookspecs import packs_beside

segur_plan_packs = packs_beside(__file__)
