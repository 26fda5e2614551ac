"""The engine's public entry point: ``Engine(...).plan(profile, today=...)``.

>>> import datetime as dt
>>> from segur_plan import Engine
>>> engine = Engine()
>>> profile = {
...     "solution": {"name": "DPI Exemple"},
...     "referencement": {"pack": "HOP-DPI", "t0": dt.date(2024, 8, 31)},
...     "profils": {"declared": ["Client lourd"]},
... }
>>> plan = engine.plan(profile, today=dt.date(2025, 1, 15))
>>> [d.date.isoformat() for d in plan.deadlines if d.id == "dossier-administratif"]
['2025-02-28']
>>> "ciba" in {p.id for p in plan.profils}
True
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SegurPlanError, UnknownExigenceError
from .financing import FinancingFile, load_financing
from .loading import load_profile, parse_profile
from .models.pack import Pack
from .models.plan import Plan, Reason
from .models.profile import SolutionProfile
from .pack_validation import rules_by_key
from .planner import Context, RuleOutcome, build_facts, build_plan, derive
from .planner.catalogue import active_profils, requirement_reasons
from .registry import PackEntry, PackRegistry
from .rules import RuleBackend, make_backend, resolve_backend_name


@dataclass(frozen=True)
class RuleTrace:
    rule_id: str
    label: str
    fired: bool
    effect: str
    source: str


@dataclass(frozen=True)
class Explanation:
    """Why one exigence applies or not to a profile, rule by rule."""

    exigence_id: str
    label: str
    applicable: bool
    excluded: bool
    profils: tuple[tuple[str, str, bool], ...]  # (id, label, active)
    reasons: tuple[Reason, ...]
    rules: tuple[RuleTrace, ...]
    source: str
    vague1_ids: tuple[str, ...] = ()  # the exigence's Vague 1 IDs in this DSR (carried exigences)


class Engine:
    """Plans compliance for solution profiles against the installed packs.

    Thread-safe: rule backends are built once per pack and evaluate every call in an isolated
    session; plans depend only on (profile, packs, today).
    """

    def __init__(
        self,
        registry: PackRegistry | None = None,
        *,
        backend: str | None = None,
        plugins: Iterable[object] = (),
    ) -> None:
        self.registry = registry or PackRegistry.discover(plugins)
        self.backend_name = resolve_backend_name(backend)
        self._backends: dict[str, RuleBackend] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ helpers

    def _backend(self, entry: PackEntry) -> RuleBackend:
        with self._lock:
            backend = self._backends.get(entry.pack.id)
            if backend is None:
                backend = make_backend(self.backend_name, entry.rules)
                self._backends[entry.pack.id] = backend
            return backend

    @staticmethod
    def _profile(profile: SolutionProfile | Mapping[str, Any]) -> SolutionProfile:
        return profile if isinstance(profile, SolutionProfile) else parse_profile(profile)

    def _evaluate(self, profile: SolutionProfile,
                  today: dt.date) -> tuple[list[tuple[Context, RuleOutcome]], PackEntry]:
        entry = self.registry.get(profile.referencement.pack)
        rules = rules_by_key(entry.pack)
        backend = self._backend(entry)
        units = []
        for ctx in Context.units(profile, entry.pack, today):
            firings = backend.evaluate(build_facts(ctx), derive(rules))
            units.append((ctx, RuleOutcome.collect(firings, rules)))
        return units, entry

    # ------------------------------------------------------------------ API

    def plan(self, profile: SolutionProfile | Mapping[str, Any], *, today: dt.date,
             financing: FinancingFile | None = None) -> Plan:
        """The compliance plan of ``profile`` on ``today`` (a date in Europe/Paris).

        ``financing``: the editor's financing file (``load_financing``), whose ASP pre-checks then
        appear among the plan's findings, dated against the plan's deadlines.
        """
        units, entry = self._evaluate(self._profile(profile), today)
        return build_plan(units, entry.sha256, financing)

    def plan_file(self, path: str | Path, *, today: dt.date) -> Plan:
        """Plan a profile TOML file, with the financing file it points to (relative to it)."""
        path = Path(path)
        profile = load_profile(path)
        financing = load_financing(path.parent / profile.financing_file) if profile.financing_file else None
        return self.plan(profile, today=today, financing=financing)

    def explain(self, profile: SolutionProfile | Mapping[str, Any], exigence_id: str, *,
                today: dt.date, solution: str | None = None) -> Explanation:
        """Why ``exigence_id`` applies or not; in a groupement, for ``solution`` (default: the first)."""
        units, _ = self._evaluate(self._profile(profile), today)
        chosen = [u for u in units if solution is None or u[0].solution == solution]
        if not chosen:
            names = ", ".join(u[0].solution or "" for u in units)
            raise SegurPlanError(f"Solution inconnue « {solution} » ; solutions du profil : {names or 'aucune'}.")
        ctx, outcome = chosen[0]
        wanted = exigence_id.strip().casefold()
        exigence = next((e for e in ctx.pack.exigences if e.id.casefold() == wanted), None)
        if exigence is None:  # a Vague 1 ID names the Vague 2 exigence that carries it
            exigence = next((e for e in ctx.pack.exigences if wanted in {v.casefold() for v in e.vague1_ids}), None)
        if exigence is None:
            raise UnknownExigenceError(exigence_id, ctx.pack.id)
        profils = active_profils(ctx, outcome)
        active = {p.id: p for p in profils}
        reasons = requirement_reasons(ctx, exigence, active, outcome)
        excluded = exigence.id in outcome.excluded
        labels = {p.id: p.label for p in ctx.pack.profils}
        traces = []
        fired = outcome.fired_rules
        for key, rule in rules_by_key(ctx.pack).items():
            effects = [_effect(a, exigence.id, set(exigence.profils)) for a in rule.then]
            effects = [e for e in effects if e]
            if effects:
                traces.append(RuleTrace(rule.id, rule.label, key in fired, " ; ".join(effects), ctx.cite(rule.source)))
        return Explanation(
            exigence_id=exigence.id,
            label=exigence.label or exigence.id,
            applicable=bool(reasons) and not excluded,
            excluded=excluded,
            profils=tuple((pid, labels.get(pid, pid), pid in active) for pid in exigence.profils),
            reasons=tuple(reasons) + tuple(
                Reason(kind="rule", ref=rule.id, message=f"Exclue par la règle « {rule.id} » : {why}",
                       source=ctx.cite(rule.source))
                for rule, why in outcome.excluded.get(exigence.id, [])
            ),
            rules=tuple(traces),
            source=ctx.cite(exigence.source),
            vague1_ids=exigence.vague1_ids,
        )

    def packs(self) -> list[Pack]:
        return [self.registry.get(i).pack for i in self.registry.ids()]


def _effect(action: Any, exigence_id: str, profils: set[str]) -> str:
    name = getattr(action, "action", "")
    if name in ("require_exigence", "exclude_exigence") and action.exigence == exigence_id:
        return "exige l'exigence" if name == "require_exigence" else f"exclut l'exigence ({action.reason})"
    if name == "activate_profil" and action.profil in profils:
        return f"active le profil « {action.profil} » dont relève l'exigence"
    return ""
