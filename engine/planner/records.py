"""What the profile records of the editor's progress, as the planner reads it."""

from __future__ import annotations

from ..models.profile import ProofRecord
from .context import Context

_DEPOSITED = ("deposited", "validated")


def deposits(ctx: Context) -> list[ProofRecord]:
    """Deposited or validated proofs with a date, for this unit (groupement: its own and shared)."""
    return [p for p in ctx.profile.proofs
            if p.status in _DEPOSITED and p.date is not None and p.solution in (None, ctx.solution)]
