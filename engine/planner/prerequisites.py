"""Prerequisites of the candidature and of the référencement: rows set by pack rules.

The policy (which prerequisite, when it is met, whether it blocks) is pack data: rules whose
``set_prerequisite`` consequences name a row, its status and its wording (socle ``pack.toml``,
« prérequis »). This module only assembles the rows: the first rule in pack order that sets a
row wins (a DSR pack's own rules come before its socle's), rows keep the order in which the pack
first names them, and ``{attribut}`` / ``{param:id}`` in the wording are filled from the
``solution`` fact and the parameters in force today.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..models.pack import Rule, SetPrerequisite
from ..models.plan import PrerequisiteOut
from ..pack_validation import rule_params
from ..parameters import format_value
from ..vocabulary import CNDA_STATUS as CNDA_STATUS_LABEL
from .context import Context
from .facts import RuleOutcome, build_facts

PLACEHOLDER = re.compile(r"\{(param:)?([a-z0-9_-]+)\}")


#: Codes of the solution fact shown to people by their label (a pack's wording names the attribute).
_VALUE_LABELS: dict[str, Mapping[Any, str]] = {"cnda_request_status": CNDA_STATUS_LABEL}


def fill(ctx: Context, text: str, solution: Mapping[str, Any]) -> str:
    """``text`` with ``{attribut}`` from the solution fact and ``{param:id}`` from the parameters."""
    def value(match: re.Match[str]) -> str:
        if match.group(1):
            found = ctx.param(match.group(2))
            return format_value(found.unit, found.value) if found else f"(paramètre {match.group(2)} absent)"
        found_value = solution.get(match.group(2), "—")
        return str(_VALUE_LABELS.get(match.group(2), {}).get(found_value, found_value))

    return PLACEHOLDER.sub(value, text)


def placeholders(text: str) -> list[tuple[bool, str]]:
    """(is a parameter, name) of every placeholder of ``text``."""
    return [(bool(m.group(1)), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def _source(ctx: Context, rule: Rule, action: SetPrerequisite) -> str:
    """The rule's source, then every parameter its condition or wording uses."""
    used = set(rule_params(ctx.pack).get(rule.id, ()))
    used |= {name for is_param, name in placeholders(action.label + action.why) if is_param}
    cited = [ctx.cite_param(found) for pid in sorted(used) if (found := ctx.param(pid)) is not None]
    return " ; ".join([ctx.cite(rule.source), *cited])


def prerequisites(ctx: Context, outcome: RuleOutcome) -> tuple[list[PrerequisiteOut], set[str]]:
    """The prerequisite rows, and the ids of those that deserve a warning (missing, not blocking)."""
    position = {rule.id: i for i, rule in enumerate(ctx.pack.rules)}
    named: dict[str, int] = {}
    for i, rule in enumerate(ctx.pack.rules):
        for action in rule.then:
            if isinstance(action, SetPrerequisite):
                named.setdefault(action.prerequisite, i)
    solution = build_facts(ctx)[0]
    rows: dict[str, PrerequisiteOut] = {}
    warn: set[str] = set()
    for rule, action in sorted(outcome.prerequisites, key=lambda ra: position[ra[0].id]):
        if action.prerequisite in rows:
            continue
        rows[action.prerequisite] = PrerequisiteOut(
            id=action.prerequisite, label=fill(ctx, action.label, solution), status=action.status,
            blocking=action.blocking, why=fill(ctx, action.why, solution), source=_source(ctx, rule, action))
        if action.warning:
            warn.add(action.prerequisite)
    return sorted(rows.values(), key=lambda row: named[row.id]), warn
