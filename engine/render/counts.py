"""The counts every report shows, computed once from the plan so that JSON, Markdown, HTML and the
terminal summary never disagree.

- ``proofs_listed`` is ``plan.summary.proofs``: the preuves the catalogue lists under the
  scénarios of the applicable exigences;
- ``proofs_expected`` is ``plan.progress.overall.total``: the proofs to produce for the exigences
  still to prove (catalogued preuves, recorded ones, and one per exigence whose catalogue lists
  none), the base of every percentage;
- ``uncatalogued`` is how many exigences to prove have no catalogued preuve (each counts for one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..models.plan import Plan, RequirementOut
from .labels import plural


@dataclass(frozen=True)
class PlanCounts:
    requirements: int
    to_prove: int
    by_status: dict[str, int]
    proofs_listed: int
    proofs_expected: int
    proofs_done: int
    uncatalogued: int
    profils: int
    blocking: int
    warnings: int
    actions: int
    ready: int

    def proofs_sentence(self) -> str:
        """One sentence, the same in every format."""
        text = (f"{plural(self.proofs_expected, 'preuve')} à produire pour "
                f"{plural(self.to_prove, 'exigence')} à prouver, dont {self.proofs_done} déjà "
                f"{'déposée' if self.proofs_done < 2 else 'déposées'} ; "
                f"{plural(self.proofs_listed, 'preuve listée', 'preuves listées')} au catalogue")
        if self.uncatalogued:
            text += (f" ({plural(self.uncatalogued, 'exigence')} sans preuve cataloguée "
                     f"{'compte' if self.uncatalogued < 2 else 'comptent'} chacune pour une)")
        return text + "."


def all_requirements(plan: Plan) -> list[RequirementOut]:
    return plan.requirements + [r for s in plan.solutions for r in s.requirements]


def plan_counts(plan: Plan) -> PlanCounts:
    reqs = all_requirements(plan)
    overall = plan.progress.overall
    return PlanCounts(
        requirements=plan.summary.requirements,
        to_prove=plan.summary.to_prove,
        by_status=dict(Counter(r.status for r in reqs)),
        proofs_listed=plan.summary.proofs,
        proofs_expected=overall.total,
        proofs_done=overall.deposited + overall.validated,
        uncatalogued=sum(1 for r in reqs if r.to_prove and not any(s.proofs for s in r.scenarios)),
        profils=plan.summary.profils,
        blocking=plan.summary.blocking,
        warnings=plan.summary.warnings,
        actions=len(plan.actions),
        ready=sum(not a.blocked_by for a in plan.actions),
    )
