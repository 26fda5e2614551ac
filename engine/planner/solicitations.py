"""ANS solicitations: the editor answers within the delay of parameter ``ans-answer-delay``.

The delay in force on the day a request was received applies to it.

``today`` is a calendar day, not an instant: a pending request whose deadline falls
before ``today`` is ``overdue`` (a blocking finding); one falling on ``today`` is ``due-today``
(a warning, with the hour); later ones are ``pending``. A timestamp without a time zone is read
in Europe/Paris.
"""

from __future__ import annotations

import datetime as dt

from ..dates import PARIS
from ..models.common import Level
from ..models.plan import FindingOut, SolicitationOut
from .context import Context


def solicitations(ctx: Context) -> tuple[list[SolicitationOut], list[FindingOut]]:
    out, findings = [], []
    for request in sorted(ctx.profile.ans_requests, key=lambda r: (r.received.replace(tzinfo=None), r.subject)):
        received = request.received if request.received.tzinfo else request.received.replace(tzinfo=PARIS)
        received = received.astimezone(PARIS)
        delay = ctx.param("ans-answer-delay", received.date())
        if delay is None:
            findings.append(_no_delay(ctx, request.subject, received))
            continue
        due = received + dt.timedelta(hours=delay.number)
        if request.answered:
            status = "answered"
        elif due.date() < ctx.today:
            status = "overdue"
        elif due.date() == ctx.today:
            status = "due-today"
        else:
            status = "pending"
        out.append(SolicitationOut(subject=request.subject, received=received, due=due, status=status))
        subject = f"« {request.subject} »" if request.subject else "sans objet"
        if status == "overdue":
            findings.append(FindingOut(
                level=Level.BLOCKING, code="ANS_REQUEST_OVERDUE",
                message=(f"Sollicitation de l'ANS {subject} reçue le {received:%Y-%m-%d %H:%M} : la réponse était "
                         f"attendue avant le {due:%Y-%m-%d %H:%M}. Répondez sans délai, le dossier peut être "
                         f"dépriorisé ({ctx.cite_param(delay)})."),
                refs=[received.isoformat()]))
        elif status == "due-today":
            findings.append(FindingOut(
                level=Level.WARNING, code="ANS_REQUEST_DUE",
                message=(f"Sollicitation de l'ANS {subject} : réponse attendue aujourd'hui avant {due:%H:%M} "
                         f"({ctx.cite_param(delay)})."),
                refs=[received.isoformat()]))
    return out, findings


def _no_delay(ctx: Context, subject: str | None, received: dt.datetime) -> FindingOut:
    return FindingOut(level=Level.WARNING, code="PARAMETER_MISSING",
                      message=(f"Sollicitation de l'ANS « {subject or 'sans objet'} » reçue le "
                               f"{received:%Y-%m-%d %H:%M} : le pack {ctx.pack.id} ne donne pas de délai de "
                               "réponse en vigueur (paramètre ans-answer-delay) ; échéance non calculée."),
                      refs=["ans-answer-delay"])
