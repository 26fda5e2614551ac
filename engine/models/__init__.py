"""Pydantic models: the solution profile (input), the pack (data), the plan (output)."""

from .common import Level, ProofKind, fold, slugify
from .pack import (
    DEADLINE_IDS,
    Calendar,
    ChangelogEntry,
    Exigence,
    GenericDeadline,
    Pack,
    Preuve,
    Profil,
    ProofFormat,
    PublishedDeadline,
    Rule,
    Scenario,
    SourceDoc,
    SourceRef,
)
from .plan import Plan
from .profile import CNDA_STATUS_RANK, SolutionProfile

__all__ = [
    "CNDA_STATUS_RANK",
    "DEADLINE_IDS",
    "Calendar",
    "ChangelogEntry",
    "Exigence",
    "GenericDeadline",
    "Level",
    "Pack",
    "Plan",
    "Preuve",
    "Profil",
    "ProofFormat",
    "ProofKind",
    "PublishedDeadline",
    "Rule",
    "Scenario",
    "SolutionProfile",
    "SourceDoc",
    "SourceRef",
    "fold",
    "slugify",
]
