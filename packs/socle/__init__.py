"""Socle shared by the DSR packs (registered like any pack, through the entry point)."""

from segur_plan.engine.hookspecs import packs_beside

segur_plan_packs = packs_beside(__file__)
