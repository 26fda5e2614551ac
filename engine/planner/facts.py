"""The facts asserted for the rules, and the outcome of their evaluation.

Facts are few (the profile, its profils, what is already referenced, prerequisites): the
catalogue of hundreds of exigences is filtered in plain Python afterwards, never pushed fact by
fact through the rule engine. Values are normalised (str, int, bool) so that durable-rules'
loose typing never comes into play.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models.pack import (
    ActivateProfil,
    AddAction,
    AddFinding,
    ExcludeExigence,
    RequireExigence,
    Rule,
    SetPrerequisite,
    SetStatus,
)
from ..models.profile import CNDA_STATUS_RANK
from ..rules.base import Fact, Firing, OnFire
from ..rules.conditions import date_number
from .context import Context
from .records import deposits


def profil_fact(profil_id: str) -> Fact:
    return {"kind": "profil", "id": f"profil:{profil_id}", "profil": profil_id}


def build_facts(ctx: Context) -> list[Fact]:
    profile = ctx.profile
    ref = profile.referencement
    pre = profile.prerequisites
    facts: list[Fact] = [
        {
            "kind": "solution",
            "id": "solution",
            "pack": ctx.pack.id,
            "parcours": ref.parcours,
            "trigger": ref.trigger,
            "cnda_request_status": pre.cnda_request_status,
            "cnda_request_rank": CNDA_STATUS_RANK[pre.cnda_request_status],
            "has_nie": bool(pre.cnda_nie),
            "has_nil": bool(pre.cnda_nil),
            "t0_known": ctx.t0 is not None,
            "financing": ref.financing,
            "today": date_number(ctx.today),
            "deposited_proofs": len(deposits(ctx)),
            "audit_findings": len(profile.audit_findings),
        }
    ]
    if profile.marque_blanche is not None:
        facts[0]["mb_modified"] = profile.marque_blanche.modified
    for name in ("cnda_nie", "cnda_nil"):  # the values, for the prerequisites' wording
        if getattr(pre, name):
            facts[0][name] = getattr(pre, name)
    for name in ("insi", "dmp"):  # absent: not declared
        if getattr(pre, name) is not None:
            facts[0][name] = getattr(pre, name)
    facts += [profil_fact(p.id) for p in ctx.pack.profils if p.general]
    facts += [profil_fact(pid) for pid in ctx.declared]
    facts += [{"kind": "referenced", "id": f"referenced:{v}", "vague": v} for v in sorted(set(ref.already_referenced))]
    for name in ("insi", "dmp"):
        value = getattr(pre, name)
        if value is not None:
            facts.append({"kind": "prerequisite", "id": f"prerequisite:{name}", "name": name, "present": value})
    return facts


def derive(rules: Mapping[str, Rule]) -> OnFire:
    """The OnFire callback: activated profils become facts that may fire further rules."""

    def on_fire(key: str, bound: Mapping[str, Fact]) -> Sequence[Fact]:
        rule = rules.get(key)  # journey conditions have no consequence
        return [profil_fact(a.profil) for a in rule.then if isinstance(a, ActivateProfil)] if rule else []

    return on_fire


@dataclass
class RuleOutcome:
    """The consequences of the fired rules, grouped by kind, in deterministic order."""

    firings: list[Firing]
    activated: dict[str, list[Rule]] = field(default_factory=dict)
    required: dict[str, list[Rule]] = field(default_factory=dict)
    excluded: dict[str, list[tuple[Rule, str]]] = field(default_factory=dict)
    findings: list[tuple[Rule, AddFinding]] = field(default_factory=list)
    actions: list[tuple[Rule, AddAction]] = field(default_factory=list)
    statuses: list[tuple[Rule, SetStatus]] = field(default_factory=list)
    prerequisites: list[tuple[Rule, SetPrerequisite]] = field(default_factory=list)
    #: Keys of the journey conditions that hold (they have no consequence of their own).
    held: set[str] = field(default_factory=set)

    @classmethod
    def collect(cls, firings: list[Firing], rules: Mapping[str, Rule]) -> RuleOutcome:
        outcome = cls(firings=firings)
        seen: set[tuple[str, int]] = set()  # a rule firing on several matches acts once
        for firing in firings:
            rule = rules.get(firing.rule)
            if rule is None:
                outcome.held.add(firing.rule)
                continue
            for i, action in enumerate(rule.then):
                if (firing.rule, i) in seen:
                    continue
                seen.add((firing.rule, i))
                if isinstance(action, ActivateProfil):
                    outcome.activated.setdefault(action.profil, []).append(rule)
                elif isinstance(action, RequireExigence):
                    outcome.required.setdefault(action.exigence, []).append(rule)
                elif isinstance(action, ExcludeExigence):
                    outcome.excluded.setdefault(action.exigence, []).append((rule, action.reason))
                elif isinstance(action, AddFinding):
                    outcome.findings.append((rule, action))
                elif isinstance(action, AddAction):
                    outcome.actions.append((rule, action))
                elif isinstance(action, SetStatus):
                    outcome.statuses.append((rule, action))
                elif isinstance(action, SetPrerequisite):
                    outcome.prerequisites.append((rule, action))
        return outcome

    @property
    def fired_rules(self) -> set[str]:
        return {f.rule for f in self.firings} - self.held
