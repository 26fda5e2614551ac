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
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from .errors import ProfileError, SegurPlanError, UnknownExigenceError, UnknownItemError
from .loading import load_profile, parse_profile
from .models.pack import Pack, SetStatus
from .models.plan import Plan, Reason, RequirementOut, RequirementStatus
from .models.profile import SolutionProfile
from .pack_validation import rules_by_key
from .parameters import Parameters
from .planner import Context, RuleOutcome, build_facts, build_plan, derive, prepare
from .planner.catalogue import active_profils
from .registry import PackEntry, PackRegistry
from .rules import RuleBackend, make_backend, resolve_backend_name
from .suggest import close_matches
from .vocabulary import (
    DEADLINE_BASIS_EXPLAINED,
    DEADLINE_STATUS,
    PREREQUISITE,
    REQ_STATUS,
    STATUS_SCOPE,
)

if TYPE_CHECKING:  # imported on first use: a plan without a REM or a financing file never loads them
    from .financing import FinancingFile
    from .rem_import.cache import RemSource
    from .rem_overlay import RemOverlay

#: A REM given to the engine: a file path, or its bytes with its name (an upload).
RemInput: TypeAlias = "RemSource | Path | str | None"


@dataclass(frozen=True)
class RuleTrace:
    rule_id: str
    label: str
    fired: bool
    effect: str
    source: str


@dataclass(frozen=True)
class Explanation:
    """Why one exigence applies or not to a profile, and which status the plan gives it.

    Everything but ``rules`` is read from the plan itself (``Engine.plan`` and ``explain`` share
    one computation): ``status`` is the requirement's status in the plan (None: not in the plan),
    ``reasons`` its ``why``, and ``decided_by`` the reasons that set a status other than the
    default « à prouver » (a rule, a changelog entry, an audit finding, an exclusion).
    """

    exigence_id: str
    label: str
    applicable: bool
    excluded: bool
    profils: tuple[tuple[str, str, bool], ...]  # (id, label, active)
    reasons: tuple[Reason, ...]
    rules: tuple[RuleTrace, ...]
    source: str
    status: RequirementStatus | None = None
    decided_by: tuple[Reason, ...] = ()
    solution: str | None = None
    vague1_ids: tuple[str, ...] = ()  # the exigence's Vague 1 IDs in this DSR (carried exigences)


@dataclass(frozen=True)
class ItemExplanation:
    """A deadline, an action or a prerequisite of the plan, explained from the plan."""

    kind: Literal["deadline", "action", "prerequisite"]
    id: str
    label: str
    facts: tuple[tuple[str, str], ...]  # (what, value), in French, in reading order
    source: str | None


#: French words for the attributes of a ``requirement`` fact that a scope condition tests.
_SCOPE_TERMS = {("perimetre", "vague-1"): "exigences de la Vague 1", ("critical", False): "non critiques",
                ("critical", True): "critiques", ("modified_area", False): "domaines non modifiés",
                ("modified_area", True): "domaines modifiés",
                ("changed_since_deposit", True): "preuves modifiées depuis leur dépôt",
                ("audit_finding", True): "exigences signalées par l'audit"}


def _scope_text(scope: Any) -> str:
    """A set_status scope in French: a named scope, or a condition on the requirement fact."""
    if isinstance(scope, str):
        return STATUS_SCOPE.get(scope, scope)
    tests = {k: v for k, v in dict(scope).items() if k != "fact"}
    if not tests:
        return STATUS_SCOPE["all"]
    return ", ".join(_SCOPE_TERMS.get((k, v), f"{k} = {v}") if isinstance(v, str | bool | int) else f"{k} : {v}"
                     for k, v in tests.items())


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
        packs_path: Iterable[Path | str] | None = None,
    ) -> None:
        """``packs_path``: folders of local packs (default: ``SEGUR_PLAN_PACKS_PATH``)."""
        paths = None if packs_path is None else tuple(packs_path)
        self.registry = registry or PackRegistry.discover(plugins, paths=paths)
        self.backend_name = resolve_backend_name(backend)
        self._backends: dict[tuple[str, str, tuple[tuple[str, Any], ...]], RuleBackend] = {}
        self._parameters: dict[tuple[str, str], tuple[Parameters, frozenset[str]]] = {}
        self._lock = threading.Lock()

    @property
    def rule_backends(self) -> int:
        """How many rule backends this engine has built and keeps (one per pack and set of parameter
        values in force): plans share them, so the count stays put however many plans run."""
        with self._lock:
            return len(self._backends)

    def prepare(self, today: dt.date, *, rule_backends: bool = True) -> None:
        """Read every usable pack and build what its plans share (:func:`.planner.prepare`), and
        its rule backend for ``today`` unless ``rule_backends`` is False (a process about to fork
        workers: durable-rules state is never forked). A service does it at start-up, before it
        freezes its state out of the garbage collector's reach: the first requests do not pay
        for it, and no full collection walks those records in the middle of a request. A pack
        that cannot be prepared is left for its first plan to report."""
        for pack_id in self.registry.ids():
            try:
                entry = self.registry.get(pack_id)
                prepare(entry.pack, today)
                if rule_backends:
                    self._backend(entry, today)
            except SegurPlanError:
                continue

    # ------------------------------------------------------------------ helpers

    def _backend(self, entry: PackEntry, today: dt.date) -> RuleBackend:
        """The backend of a pack, its rules bound to the parameter values in force on ``today``.

        One backend per distinct set of values: a pack whose parameters never change on the way
        gets one backend, built once.
        """
        parameters, used = self._pack_parameters(entry)
        key = (entry.pack.id, entry.sha256, parameters.signature(used, today))
        with self._lock:
            backend = self._backends.get(key)
            if backend is None:
                value_of = parameters.value_of(today)
                backend = make_backend(self.backend_name, [r.bind(value_of) for r in entry.rules])
                self._backends[key] = backend
            return backend

    def _pack_parameters(self, entry: PackEntry) -> tuple[Parameters, frozenset[str]]:
        """A pack's parameters and those its rules use: computed once per pack and Engine (a
        benign race computes the same pair twice)."""
        key = (entry.pack.id, entry.sha256)
        found = self._parameters.get(key)
        if found is None:
            used: frozenset[str] = frozenset().union(*(r.params for r in entry.rules))
            found = self._parameters[key] = (Parameters(entry.pack), used)
        return found

    @staticmethod
    def _profile(profile: SolutionProfile | Mapping[str, Any]) -> SolutionProfile:
        return profile if isinstance(profile, SolutionProfile) else parse_profile(profile)

    @staticmethod
    def rem_source(profile: SolutionProfile, rem: RemInput = None, base_dir: Path | None = None) -> RemSource | None:
        """The REM to plan with: ``rem`` when given, else the profile's ``referencement.rem``
        (relative to ``base_dir``, the profile's folder). A profile that names a REM but was not
        read from a file (``base_dir`` None: a portal, the HTTP service) is an error."""
        if rem is None and profile.referencement.rem is None:
            return None
        from .rem_import.cache import RemSource
        if isinstance(rem, RemSource):
            return rem
        if rem is not None:
            return RemSource.from_path(rem)
        named = profile.referencement.rem
        if named is None:
            return None
        if base_dir is None:
            raise ProfileError(
                f"Le profil nomme un REM (referencement.rem = « {named} ») mais n'a pas été lu depuis un "
                "fichier : joignez le REM lui-même (champ « rem » du service HTTP, argument rem de l'API).")
        return RemSource.from_path(Path(base_dir) / named)

    def _overlay(self, profile: SolutionProfile, rem: RemInput, base_dir: Path | None) -> RemOverlay | None:
        source = self.rem_source(profile, rem, base_dir)
        if source is None:
            return None
        from .rem_overlay import overlay_rem
        entry = self.registry.get(profile.referencement.pack)
        socles = [self.registry.entries[s].pack for s in entry.pack.uses if s in self.registry.entries]
        return overlay_rem(entry, source, tuple(o for socle in socles for o in socle.overlays))

    def _evaluate(self, profile: SolutionProfile, today: dt.date,
                  overlay: RemOverlay | None = None) -> tuple[list[tuple[Context, RuleOutcome]], PackEntry]:
        entry = overlay.entry if overlay else self.registry.get(profile.referencement.pack)
        rules = rules_by_key(entry.pack)
        backend = self._backend(entry, today)
        units = []
        for ctx in Context.units(profile, entry.pack, today):
            firings = backend.evaluate(build_facts(ctx), derive(rules))
            units.append((ctx, RuleOutcome.collect(firings, rules)))
        return units, entry

    # ------------------------------------------------------------------ API

    def plan(self, profile: SolutionProfile | Mapping[str, Any], *, today: dt.date,
             financing: FinancingFile | None = None, rem: RemInput = None,
             base_dir: Path | None = None) -> Plan:
        """The compliance plan of ``profile`` on ``today`` (a date in Europe/Paris).

        ``financing``: the editor's financing file (``load_financing``), whose ASP pre-checks then
        appear among the plan's findings, dated against the plan's deadlines. ``rem``: the
        editor's REM spreadsheet (a path, or a :class:`RemSource` for bytes), whose exigences,
        scénarios and preuves replace the pack's catalogue (see :mod:`.rem_overlay`); without it,
        the profile's ``referencement.rem``, relative to ``base_dir``.
        """
        solution = self._profile(profile)
        overlay = self._overlay(solution, rem, base_dir)
        units, entry = self._evaluate(solution, today, overlay)
        return self._build(units, entry, financing, overlay)

    @staticmethod
    def _build(units: list[tuple[Context, RuleOutcome]], entry: PackEntry, financing: FinancingFile | None,
               overlay: RemOverlay | None) -> Plan:
        if overlay is None:
            return build_plan(units, entry.sha256, financing)
        return build_plan(units, entry.sha256, financing, overlay.ref, overlay.findings)

    def plan_file(self, path: str | Path, *, today: dt.date, rem: RemInput = None) -> Plan:
        """Plan a profile TOML file, with the financing file and the REM it points to (relative to
        it); ``rem`` replaces the profile's REM."""
        path = Path(path)
        profile = load_profile(path)
        if profile.financing_file:
            from .financing import load_financing
        financing = load_financing(path.parent / profile.financing_file) if profile.financing_file else None
        return self.plan(profile, today=today, financing=financing, rem=rem, base_dir=path.parent)

    def explain(self, profile: SolutionProfile | Mapping[str, Any], exigence_id: str, *,
                today: dt.date, solution: str | None = None, rem: RemInput = None,
                base_dir: Path | None = None) -> Explanation:
        """Why ``exigence_id`` applies or not, and the status the plan gives it; in a groupement,
        for ``solution`` (default: the first). ``rem``, ``base_dir``: as for :meth:`plan`."""
        result = self.explain_any(profile, exigence_id, today=today, solution=solution, only_exigences=True,
                                  rem=rem, base_dir=base_dir)
        assert isinstance(result, Explanation)
        return result

    def explain_any(self, profile: SolutionProfile | Mapping[str, Any], item_id: str, *, today: dt.date,
                    solution: str | None = None, only_exigences: bool = False, rem: RemInput = None,
                    base_dir: Path | None = None) -> Explanation | ItemExplanation:
        """Explain an exigence, a deadline, an action or a prerequisite of the plan, by id (case
        ignored); an unknown id raises an error that suggests the closest known ids."""
        loaded = self._profile(profile)
        overlay = self._overlay(loaded, rem, base_dir)
        units, entry = self._evaluate(loaded, today, overlay)
        plan = self._build(units, entry, None, overlay)  # the very computation of plan(): nothing reasoned twice
        chosen = [u for u in units if solution is None or u[0].solution == solution]
        if not chosen:
            names = ", ".join(u[0].solution or "" for u in units)
            raise SegurPlanError(f"Solution inconnue « {solution} » ; solutions du profil : {names or 'aucune'}."
                                 + did_you_mean_text(solution or "", [u[0].solution or "" for u in units]))
        ctx, outcome = chosen[0]
        key = item_id.strip().casefold()
        exigence = next((e for e in ctx.pack.exigences if e.id.casefold() == key), None)
        if exigence is None:  # a Vague 1 ID names the Vague 2 exigence that carries it
            exigence = next((e for e in ctx.pack.exigences if key in {v.casefold() for v in e.vague1_ids}), None)
        if exigence is not None:
            return _explain_exigence(ctx, outcome, exigence, _requirement_in(plan, exigence.id, ctx.solution))
        known = [e.id for e in ctx.pack.exigences]
        if not only_exigences:
            item = _explain_item(plan, key)
            if item is not None:
                return item
            known += [d.id for d in plan.deadlines] + [a.id for a in plan.actions] + [p.id for p in plan.prerequisites]
            raise UnknownItemError(item_id, ctx.pack.id, known)
        raise UnknownExigenceError(item_id, ctx.pack.id, known)

    def packs(self) -> list[Pack]:
        return [self.registry.get(i).pack for i in self.registry.ids()]


def _effect(action: Any, exigence_id: str, profils: set[str]) -> str:
    name = getattr(action, "action", "")
    if name in ("require_exigence", "exclude_exigence") and action.exigence == exigence_id:
        return "exige l'exigence" if name == "require_exigence" else f"exclut l'exigence ({action.reason})"
    if name == "activate_profil" and action.profil in profils:
        return f"active le profil « {action.profil} » dont relève l'exigence"
    return ""


def did_you_mean_text(word: str, candidates: list[str]) -> str:
    found = close_matches(word, candidates)
    return f" Vouliez-vous dire « {found[0]} » ?" if found else ""


def _requirement_in(plan: Plan, exigence_id: str, solution: str | None) -> RequirementOut | None:
    """The plan's record of an exigence: the solution's own, else the shared (transversal) one."""
    own = [r for s in plan.solutions if solution is None or s.name == solution for r in s.requirements]
    return next((r for r in own + plan.requirements if r.id == exigence_id), None)


def _explain_exigence(ctx: Context, outcome: RuleOutcome, exigence: Any, req: RequirementOut | None) -> Explanation:
    active = {p.id for p in active_profils(ctx, outcome)}
    labels = {p.id: p.label for p in ctx.pack.profils}
    why = tuple(req.why) if req is not None else ()
    status = req.status if req is not None else None
    setters = {rule.id for rule in ctx.pack.rules if any(getattr(a, "action", "") == "set_status" for a in rule.then)}
    decided = tuple(r for r in why if r.kind in ("changelog", "audit")
                    or (r.kind == "rule" and (r.ref in setters or r.message.startswith("Exclue par"))))
    applied = {r.ref for r in decided}
    traces = []
    for key, rule in rules_by_key(ctx.pack).items():
        effects = [e for e in (_effect(a, exigence.id, set(exigence.profils)) for a in rule.then) if e]
        effects += [f"donne le statut « {REQ_STATUS.get(a.status, a.status)} » ({_scope_text(a.scope)})"
                    for a in rule.then if isinstance(a, SetStatus) and rule.id in applied]
        if effects:
            traces.append(RuleTrace(rule.id, rule.label, key in outcome.fired_rules, " ; ".join(effects),
                                    ctx.cite(rule.source)))
    return Explanation(
        exigence_id=exigence.id,
        label=exigence.label or exigence.id,
        applicable=req is not None and req.status != "not-applicable",
        excluded=status == "not-applicable",
        profils=tuple((pid, labels.get(pid, pid), pid in active) for pid in exigence.profils),
        reasons=why,
        rules=tuple(traces),
        source=ctx.cite(exigence.source),
        status=status,
        decided_by=decided,
        solution=ctx.solution,
        vague1_ids=exigence.vague1_ids,
    )



def _explain_item(plan: Plan, key: str) -> ItemExplanation | None:
    for d in plan.deadlines:
        if d.id.casefold() == key:
            facts = [("Date", d.at.strftime("%Y-%m-%d %H:%M") if d.at else str(d.date or "inconnue"))]
            if d.latest:
                facts.append(("Au plus tard", str(d.latest)))
            facts += [("Base", DEADLINE_BASIS_EXPLAINED[d.basis]), ("Statut", DEADLINE_STATUS[d.status])]
            if d.days_left is not None:
                facts.append(("Jours restants", str(d.days_left)))
            return ItemExplanation("deadline", d.id, d.label, tuple(facts), d.source)
    by_id = {a.id: a for a in plan.actions}
    for a in plan.actions:
        if a.id.casefold() == key:
            facts = [("Ordre", f"n° {a.order}"), ("Étape", a.step)]
            if a.system:
                facts.append(("Outil", a.system))
            if a.due:
                facts.append(("Échéance", str(a.due)))
            if a.blocked_by:
                names = "; ".join(f"n° {by_id[b].order} « {by_id[b].label} » ({b})" if b in by_id else b
                                  for b in a.blocked_by)
                facts.append(("État", f"bloquée par {names}"))
                if a.blocked_reason:
                    facts.append(("Pourquoi", a.blocked_reason))
            else:
                facts.append(("État", "prête : rien ne la bloque"))
            if a.note:
                facts.append(("Note", a.note))
            if a.refs:
                facts.append(("Références", ", ".join(a.refs)))
            return ItemExplanation("action", a.id, a.label, tuple(facts), a.source)
    for p in plan.prerequisites:
        if p.id.casefold() == key:
            facts = [("État", PREREQUISITE[p.status]), ("Bloquant", "oui" if p.blocking else "non"),
                     ("Pourquoi", p.why)]
            return ItemExplanation("prerequisite", p.id, p.label, tuple(facts), p.source)
    return None
