"""PHA-LGO pack (Officine, logiciel de gestion d'officine), registered through the entry point."""

from segur_plan.engine.hookspecs import packs_beside

segur_plan_packs = packs_beside(__file__)
