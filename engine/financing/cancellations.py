"""Cancellations: the four cases of the FAQ, what follows each, and the perimeter cancelled.

The case depends on the scope (total or partial) and on whether the avance was received, see
:func:`classify_cancellation`; case 4 turns on the day and month of parameter
``cancellation-case4-pivot``, see :func:`case4_pivot`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..models.plan import FindingOut
from .models import Cancellation
from .report import CancellationOut
from .rules import CheckContext, euros, finding, fr_date, total

ATTESTATION = "attestation sur l'honneur signée et motivée de l'éditeur"
RENUNCIATION = "attestation de renonciation du client (annulation en accord avec le client)"


def classify_cancellation(scope: str, avance_received: bool) -> int:
    """The FAQ's case: 1 total + avance received, 2 partial + received, 3 total + not, 4 partial + not.

    >>> [classify_cancellation(s, a) for s, a in [("total", True), ("partial", True),
    ...                                             ("total", False), ("partial", False)]]
    [1, 2, 3, 4]
    """
    if scope == "total":
        return 1 if avance_received else 3
    return 2 if avance_received else 4


def case4_pivot(ctx: CheckContext, cancellation_date: dt.date) -> dt.date:
    """The pivot day of case 4 (parameter ``cancellation-case4-pivot``, a day and month), in the
    **cancellation's own year** (the FAQ gives no year).

    « From » the pivot is inclusive: a cancellation dated on the pivot day is « from », the day
    before is « before ». If the ASP publishes the year it meant, give the parameter a dated value.
    """
    return ctx.param("cancellation-case4-pivot", cancellation_date).month_day(cancellation_date.year)


def _known_total(amounts: list[Decimal | None]) -> Decimal | None:
    """The sum of ``amounts`` when there is at least one and all are known, else ``None``."""
    return total(amounts) if amounts and all(a is not None for a in amounts) else None


def cancellation_record(ctx: CheckContext, cancel: Cancellation) -> CancellationOut:
    """Case, outcome, pieces to send and amount to repay (or settle at solde) of one cancellation."""
    case = classify_cancellation(cancel.scope, cancel.avance_received)
    request = ctx.file.request(cancel.request)
    pivot = case4_pivot(ctx, cancel.date) if case == 4 else None
    paid = {b.id: b.avance_paid for b in request.beneficiaries} if request else {}
    repay = settle = None
    if case == 1:
        outcome = "l'ASP annule la demande de financement ; l'éditeur rembourse l'avance perçue"
        repay = _known_total(list(paid.values()))
    elif case == 2:
        outcome = ("l'ASP rouvre et modifie la demande pour retirer le ou les bénéficiaires, ou l'annule et "
                   "l'éditeur dépose une nouvelle demande sur le bon périmètre ; le trop-perçu est régularisé "
                   "au solde")
        settle = _known_total([paid.get(b) for b in cancel.beneficiaries])
    elif case == 3:
        outcome = "l'ASP annule la demande de financement ; rien à rembourser"
    else:
        assert pivot is not None
        if cancel.date < pivot:
            outcome = (f"avant le {fr_date(pivot)} : l'ASP rejette la demande ; l'éditeur dépose une nouvelle "
                       "demande sur le bon périmètre ; rien à rembourser")
        else:
            outcome = (f"à partir du {fr_date(pivot)} : l'ASP modifie la demande pour supprimer le ou les "
                       "bénéficiaires ; rien à rembourser")
    send = [ATTESTATION] + ([RENUNCIATION] if cancel.with_client_agreement else [])
    return CancellationOut(
        request=cancel.request, scope=cancel.scope, avance_received=cancel.avance_received, date=cancel.date,
        beneficiaries=list(cancel.beneficiaries), case=case, pivot=pivot, outcome=outcome, send=send,
        repay=repay, settle_at_solde=settle)


def check_cancellations(ctx: CheckContext) -> list[FindingOut]:
    """Each cancellation: its case and what follows (info); its perimeter against the request."""
    out: list[FindingOut] = []
    for cancel in ctx.file.cancellations:
        rec = cancellation_record(ctx, cancel)
        request = ctx.file.request(cancel.request)
        refs = [cancel.request, *cancel.beneficiaries]
        money = ""
        if rec.repay is not None:
            money = f" Avance à rembourser : {euros(rec.repay)}."
        elif rec.settle_at_solde is not None:
            money = f" Trop-perçu régularisé au solde : {euros(rec.settle_at_solde)}."
        elif rec.case in (1, 2):
            money = " Montant de l'avance concernée inconnu du fichier (avance_paid)."
        unknown = "" if request else " Demande absente du fichier : périmètre non vérifié."
        cited = ctx.cite(ctx.param("cancellation-case4-pivot", cancel.date)) if rec.case == 4 else None
        out.append(finding(
            "FINANCING_CANCELLATION",
            f"Annulation {'totale' if cancel.scope == 'total' else 'partielle'} de {cancel.request} du "
            f"{fr_date(cancel.date)} : cas {rec.case} — {rec.outcome}.{money} À envoyer au support utilisateur de "
            f"l'ASP : {' ; '.join(rec.send)}.{unknown}", refs, parameter=cited))
        if request is None:
            continue
        ids = {b.id for b in request.beneficiaries}
        listed = set(cancel.beneficiaries)
        outside = sorted(listed - ids)
        if outside:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation de {cancel.request} nomme {', '.join(outside)}, "
                f"{'absent' if len(outside) < 2 else 'absents'} de la demande : "
                "l'ASP vérifie le périmètre annulé contre le périmètre initial.", [cancel.request, *outside]))
        if cancel.scope == "partial" and listed >= ids:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation « partielle » de {cancel.request} retire tous ses bénéficiaires : c'est une "
                f"annulation totale (cas {classify_cancellation('total', cancel.avance_received)}) ; déclarez "
                "scope = \"total\".", [cancel.request]))
        if cancel.scope == "total" and listed and listed != ids:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation « totale » de {cancel.request} ne nomme qu'une partie de ses bénéficiaires : "
                f"c'est une annulation partielle (cas {classify_cancellation('partial', cancel.avance_received)}) ; "
                "déclarez scope = \"partial\".", [cancel.request]))
        paid = any((b.avance_paid or 0) > 0 for b in request.beneficiaries)
        if request.kind == "avance" and paid and not cancel.avance_received:
            out.append(finding(
                "FINANCING_CANCELLATION_AVANCE_MISMATCH",
                f"L'annulation de {cancel.request} indique avance_received = false alors que le fichier donne une "
                f"avance versée (avance_paid) : le cas serait {classify_cancellation(cancel.scope, True)}, pas "
                f"{rec.case}. Vérifiez.", [cancel.request]))
    return out
