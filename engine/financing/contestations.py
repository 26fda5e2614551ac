"""Contestations: the answer to the ASP is due ``contestation-working-days`` working days after
receipt (the parameter in force on the day of receipt; see :mod:`.calendar`)."""

from __future__ import annotations

from ..models.plan import FindingOut
from .calendar import add_working_days, holidays_between
from .models import Contestation
from .report import ContestationOut
from .rules import CheckContext, finding, fr_date


def contestation_record(ctx: CheckContext, contestation: Contestation) -> ContestationOut:
    """Due date: N working days after receipt, the day of receipt not counted (see :mod:`.calendar`)."""
    due = add_working_days(contestation.received, ctx.param("contestation-working-days", contestation.received).number)
    days = (due - ctx.today).days
    if contestation.answered:
        status = "answered"
    elif days < 0:
        status = "overdue"
    elif days == 0:
        status = "due-today"
    else:
        status = "pending"
    skipped = [d for d, _ in holidays_between(contestation.received, due)]
    return ContestationOut(request=contestation.request, received=contestation.received, due=due,
                           status=status, days_left=None if contestation.answered else days,
                           holidays_skipped=skipped)


def check_contestations(ctx: CheckContext) -> list[FindingOut]:
    """Each contestation: its due date (info), or a warning once it is past and unanswered."""
    out: list[FindingOut] = []
    for contestation in ctx.file.contestations:
        rec = contestation_record(ctx, contestation)
        days = ctx.param("contestation-working-days", contestation.received)
        skipped = holidays_between(contestation.received, rec.due)
        feries = (" ; jours fériés sautés : " + ", ".join(f"{fr_date(d)} ({n})" for d, n in skipped)) if skipped else ""
        text = (f"Contestation de {contestation.request} reçue le {fr_date(contestation.received)} : réponse à "
                f"l'ASP due au plus tard le {fr_date(rec.due)} ({days.number} jours ouvrés, jour de "
                f"réception non compté, week-ends et jours fériés exclus{feries}).")
        if rec.status == "overdue":
            out.append(finding(
                "FINANCING_CONTESTATION_OVERDUE",
                f"{text} Échéance dépassée : sans réponse, l'ANS peut demander l'annulation de la demande.",
                [contestation.request], parameter=ctx.cite(days)))
        elif rec.status == "answered":
            out.append(finding("FINANCING_CONTESTATION_DUE", f"{text} Réponse envoyée.", [contestation.request],
                               parameter=ctx.cite(days)))
        else:
            left = "aujourd'hui" if rec.status == "due-today" else f"J-{rec.days_left}"
            out.append(finding("FINANCING_CONTESTATION_DUE", f"{text} Échéance : {left}.", [contestation.request],
                               parameter=ctx.cite(days)))
    return out
