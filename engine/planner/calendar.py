"""Deadlines: the pack's published calendar where it has one, else the generic table from T0.

A published date wins over the generic table for its own milestone only. Openings (ASP
enrolment, avance requests) come first and only when the pack publishes them: they are not
counted from T0.
"""

from __future__ import annotations

from ..dates import add_months, deadline_status, paris_datetime
from ..models.pack import DEADLINE_IDS, OPENING_IDS, PublishedDeadline
from ..models.plan import DeadlineOut
from .context import Context

OPENING_LABELS = {
    "ouverture-enrolement": "Ouverture des demandes d'enrôlement (ASP)",
    "ouverture-avance": "Ouverture des demandes d'avance (ASP)",
}


def _published(ctx: Context, pub: PublishedDeadline, label: str, soon_days: int | None) -> DeadlineOut:
    status, days = deadline_status(pub.date, ctx.today, soon_days)
    return DeadlineOut(
        id=pub.id, label=pub.label or label, date=pub.date, latest=None,
        at=paris_datetime(pub.date, pub.time) if pub.time else None,
        basis="published", status=status, days_left=days, source=ctx.cite(pub.source),
    )


def deadlines(ctx: Context) -> list[DeadlineOut]:
    published = {d.id: d for d in ctx.pack.calendar.published}
    generic = {g.id: g for g in ctx.pack.generic_deadlines}
    t0 = ctx.t0
    t0_origin = "profil de solution" if ctx.profile.referencement.t0 else ctx.cite(ctx.pack.calendar.t0_source)
    soon = ctx.param("deadline-soon-days")
    soon_days = soon.number if soon else None
    result = [_published(ctx, published[i], OPENING_LABELS[i], soon_days) for i in OPENING_IDS if i in published]
    for deadline_id in DEADLINE_IDS:
        rule = generic.get(deadline_id)
        label = rule.label if rule else deadline_id
        if deadline_id in published:
            result.append(_published(ctx, published[deadline_id], label, soon_days))
        elif rule is not None and t0 is not None:
            date = add_months(t0, rule.months)
            latest = add_months(t0, rule.months_latest) if rule.months_latest is not None else None
            status, days = deadline_status(date, ctx.today, soon_days)
            span = f"T0 + {rule.months}" + (f" à {rule.months_latest}" if latest else "") + " mois"
            result.append(DeadlineOut(
                id=deadline_id, label=label, date=date, latest=latest, at=None,
                basis="estimated", status=status, days_left=days,
                source=f"{ctx.cite(rule.source)} ; {span}, T0 = {t0.isoformat()} ({t0_origin})",
            ))
        else:
            result.append(DeadlineOut(
                id=deadline_id, label=label, date=None, latest=None, at=None, basis="unknown",
                status="unknown", days_left=None,
                source="ni calendrier publié ni date T0 : renseignez referencement.t0",
            ))
    return result
