"""The journey as ordered actions: what remains to do, what blocks each step.

A step of the pack's journey is *done* when its ``done`` condition holds or the profile lists it
in ``[journey] done``; it is *skipped* when one of its ``skip`` conditions holds. The conditions
are pack data in the condition language, evaluated by the rule backend with the pack's rules
(``pack_validation.journey_conditions``); this module only reads which of them held. The
remaining steps are ordered topologically (``requires`` and ``after``), ties broken
by due date (undated first) then journey order. ``blocked_by`` lists the required steps still to
do: an empty list means the action is ready.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Sequence

from ..models.pack import JourneyStep
from ..models.plan import ActionOut, DeadlineOut, StepProgressOut
from ..pack_validation import condition_key
from .context import Context
from .facts import RuleOutcome

STAGES = ("A", "B", "C", "1", "2", "3", "4", "5", "6")

def _holds(ctx: Context, outcome: RuleOutcome, step_id: str, what: str) -> bool:
    return condition_key(ctx.pack, step_id, what) in outcome.held


def _is_done(ctx: Context, outcome: RuleOutcome, step: JourneyStep) -> bool:
    return step.id in ctx.profile.journey.done or (step.done is not None and _holds(ctx, outcome, step.id, "done"))


def _ordered(nodes: list[tuple[str, set[str], dt.date | None]]) -> list[str]:
    """Topological order of (id, dependencies, due) nodes; ties: due date (undated first), then
    the given order."""
    index = {node_id: i for i, (node_id, _, _) in enumerate(nodes)}
    keys = {node_id: (day or dt.date.min, index[node_id]) for node_id, _, day in nodes}
    waiting = {node_id: set(deps) & index.keys() for node_id, deps, _ in nodes}
    heap = [(keys[i], i) for i, deps in waiting.items() if not deps]
    heapq.heapify(heap)
    out: list[str] = []
    while heap:
        _, node_id = heapq.heappop(heap)
        out.append(node_id)
        for other, deps in waiting.items():
            if node_id in deps:
                deps.discard(node_id)
                if not deps:
                    heapq.heappush(heap, (keys[other], other))
    return out  # the pack validation refuses cycles, so every node is here


def applicable_steps(ctx: Context, outcome: RuleOutcome) -> list[JourneyStep]:
    """Steps none of whose ``skip`` conditions holds (conditions evaluated by the rule backend)."""
    return [s for s in ctx.pack.journey
            if not any(_holds(ctx, outcome, s.id, f"skip.{i}") for i in range(len(s.skip)))]


def journey_progress(ctx: Context, outcome: RuleOutcome) -> list[StepProgressOut]:
    """Steps done per journey stage (A … 6), among the steps that apply."""
    done: dict[str, list[bool]] = {}
    for step in applicable_steps(ctx, outcome):
        done.setdefault(step.step, []).append(_is_done(ctx, outcome, step))
    return [StepProgressOut(step=s, total=len(flags), done=sum(flags), percent=round(100 * sum(flags) / len(flags), 1))
            for s, flags in sorted(done.items(), key=lambda kv: STAGES.index(kv[0]))]


def journey_actions(ctx: Context, deadlines: list[DeadlineOut], outcome: RuleOutcome,
                    extra: Sequence[tuple[str, str, list[str]]] = ()) -> list[ActionOut]:
    """Remaining journey steps, rule actions and ``extra`` (id, label, refs) proof actions, ordered."""
    dates = {d.id: d.date for d in deadlines}

    def due(deadline_id: str | None) -> dt.date | None:
        return dates.get(deadline_id) if deadline_id else None

    left = {s.id: s for s in applicable_steps(ctx, outcome) if not _is_done(ctx, outcome, s)}
    actions: dict[str, ActionOut] = {}
    nodes: list[tuple[str, set[str], dt.date | None]] = []
    for step in left.values():
        blockers = [r for r in step.requires if r in left]
        actions[step.id] = ActionOut(
            order=0, id=step.id, step=step.step, label=step.label, system=step.system, due=due(step.due),
            refs=[], blocked_by=blockers,
            blocked_reason=("À faire d'abord : " + " ; ".join(left[b].label for b in blockers)) if blockers else None,
            note=step.note, source=ctx.cite(step.source),
        )
        nodes.append((step.id, {*step.requires, *step.after}, due(step.due)))
    for n, (rule, action) in enumerate(outcome.actions, start=1):
        action_id = f"{rule.id}-{n}"
        actions[action_id] = ActionOut(order=0, id=action_id, step=action.step, label=action.label,
                                       due=due(action.due), refs=list(action.refs), source=ctx.cite(rule.source))
        nodes.append((action_id, set(), due(action.due)))
    for action_id, label, refs in extra:  # a rejected proof must be fixed before the exchanges end
        actions[action_id] = ActionOut(order=0, id=action_id, step="3", label=label, due=due("fin-echanges"),
                                       refs=refs, system="Convergence")
        nodes.append((action_id, set(), due("fin-echanges")))
    ordered = [actions[i] for i in _ordered(nodes)]
    for n, out in enumerate(ordered, start=1):
        out.order = n
    return ordered
