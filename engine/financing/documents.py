"""The pieces of a request: bons de commande and their dates, invoices, VA / MoM, pilot deployments.

- **Bon de commande** — a 0 € amount or a missing State-funding mention is blocking, for every
  BDC of the file; a solde invoice at 0 € is blocking (the FAQ speaks of the solde only).
- **Documents due** — see :func:`check_documents`.
- **Order window** — parameter ``bdc-window-days``, see :func:`check_order_dates` (inclusive bound).
- **Pilots** — at least ``pilots-required`` (parameter in force on the solde's date) distinct
  beneficiaries with a signed PV, an invoice dated no later than the solde and a BDC signed no
  later than the solde, for each solde of the file.
- **VA / MoM** — each solde beneficiary needs one; any VA or MoM not signed by the client is
  blocking (FACTS.md §0.2, AF 6.2, for the VA; seed 000 asks the MoM « complétés et signés » too).
"""

from __future__ import annotations

import datetime as dt

from ..models.common import Level, plural
from ..models.plan import FindingOut
from .models import Order, Request
from .rules import CheckContext, beneficiary_names, finding, fr_date


def check_orders(ctx: CheckContext) -> list[FindingOut]:
    """BDC: real non-zero amount and the State-funding mention; solde invoices not at 0 €."""
    out: list[FindingOut] = []
    for req, order in ctx.orders:
        what = f"Bon de commande du {fr_date(order.signed)} pour « {order.beneficiary} » ({req.id})"
        refs = [req.id, order.beneficiary]
        if order.amount == 0:
            out.append(finding(
                "FINANCING_BDC_ZERO_AMOUNT",
                f"{what} à 0 € : il doit faire figurer le montant réel, non nul, de la Prestation Ségur.", refs))
        if not order.state_mention:
            out.append(finding(
                "FINANCING_BDC_MENTION_MISSING",
                f"{what} sans la mention « Montant pris en charge par l'Etat au titre du Ségur de la santé » : "
                "ajoutez-la, visible, sur le bon de commande.", refs))
    for req in ctx.soldes:
        for invoice in req.invoices:
            if invoice.amount == 0:
                out.append(finding(
                    "FINANCING_INVOICE_ZERO_AMOUNT",
                    f"Facture du {fr_date(invoice.date)} pour « {invoice.beneficiary} » ({req.id}) à 0 € : "
                    "une facture de solde dont la Prestation Ségur est à 0 € est systématiquement rejetée.",
                    [req.id, invoice.beneficiary]))
    return out


def check_documents(ctx: CheckContext) -> list[FindingOut]:
    """Each document names a beneficiary of its request; each beneficiary has the documents due.

    Avance: a BDC per beneficiary. Solde: a BDC (in the solde or its avance), an invoice and a VA
    or MoM per beneficiary; a merged beneficiary's documents may carry a historic identifier.
    """
    out: list[FindingOut] = []
    for req in ctx.file.requests:
        known = set().union(*(beneficiary_names(b) for b in req.beneficiaries))
        docs = [("bon de commande", o.beneficiary) for o in req.orders]
        docs += [("facture", i.beneficiary) for i in req.invoices]
        docs += [(a.kind.upper(), a.beneficiary) for a in req.va]
        for label, who in docs:
            if who not in known:
                out.append(finding(
                    "FINANCING_DOCUMENT_UNKNOWN_BENEFICIARY",
                    f"{label.capitalize()} pour « {who} » dans {req.id}, qui ne compte pas ce bénéficiaire : "
                    "ajoutez-le à la demande ou retirez la pièce.", [req.id, who]))
        avance = ctx.file.avance_of(req) if req.kind == "solde" else None
        orders = list(req.orders) + (list(avance.orders) if avance else [])
        for ben in req.beneficiaries:
            names = beneficiary_names(ben)
            if not any(o.beneficiary in names for o in orders):
                where = f"{req.id}" + (f" ni dans l'avance {avance.id}" if avance else "")
                out.append(finding(
                    "FINANCING_BDC_MISSING",
                    f"Aucun bon de commande pour « {ben.id} » dans {where} : joignez le BDC signé.",
                    [req.id, ben.id]))
            if req.kind != "solde":
                continue
            if not any(i.beneficiary in names for i in req.invoices):
                out.append(finding(
                    "FINANCING_INVOICE_MISSING",
                    f"Aucune facture pour « {ben.id} » dans le solde {req.id} : joignez la facture datée "
                    "liée à la VA.", [req.id, ben.id]))
            if not any(a.beneficiary in names for a in req.va):
                out.append(finding(
                    "FINANCING_VA_MISSING",
                    f"Aucune VA (ou MoM) pour « {ben.id} » dans le solde {req.id} : joignez la vérification "
                    "d'aptitude signée par le client.", [req.id, ben.id]))
    return out


def check_va_signed(ctx: CheckContext) -> list[FindingOut]:
    """A VA (or MoM) not signed by the client is non-compliant for the ASP (AF 6.2)."""
    out: list[FindingOut] = []
    for req in ctx.file.requests:
        for att in req.va:
            if not att.signed_by_client:
                out.append(finding(
                    "FINANCING_VA_UNSIGNED",
                    f"{att.kind.upper()} du {fr_date(att.date)} pour « {att.beneficiary} » ({req.id}) non signée "
                    "par le client : non conforme pour l'ASP ; faites-la signer.", [req.id, att.beneficiary]))
    return out


def _signed(req: Request, order: Order) -> str:
    return f"Bon de commande pour « {order.beneficiary} » ({req.id}) signé le {fr_date(order.signed)}"


def check_order_dates(ctx: CheckContext) -> list[FindingOut]:
    """Orders count only if signed within the window before the complete dossier, never after the
    avance deadline.

    The window is the parameter ``bdc-window-days`` in force on the complete-dossier date. Bounds,
    both **inclusive**: a BDC signed exactly N calendar days before the complete-dossier date
    counts, one signed N + 1 days before does not; a BDC signed on the avance deadline day counts,
    one signed the day after does not. A BDC signed after the complete-dossier date is not
    concerned by the window.

    The complete-dossier date is the file's ``complete_dossier_date`` (the editor's real deposit
    date): a BDC too early is **blocking**. Without it, the caller's date is used (the plan's
    ``dossier-complet`` deadline, an upper bound of the real date): then a BDC too early is only a
    **warning**, since the real deposit may have been earlier. The avance deadline comes only from
    the caller (the plan); without it that half of the rule is skipped with an info.
    """
    out: list[FindingOut] = []
    orders = ctx.orders
    if not orders:
        return out
    reference, from_file = ctx.file.complete_dossier_date, True
    if reference is None:
        reference, from_file = ctx.complete_dossier_date, False
    if reference is None:
        out.append(finding(
            "FINANCING_ORDER_DATES_UNCHECKED",
            "Date du dossier de preuves complet inconnue : le délai de signature des BDC avant le dossier "
            "complet (paramètre bdc-window-days) n'est pas vérifié. "
            "Renseignez complete_dossier_date dans le fichier.", [ctx.file.pack]))
    else:
        window = ctx.param("bdc-window-days", reference)
        earliest = reference - dt.timedelta(days=window.number)
        origin = "du fichier" if from_file else "estimée par le plan (échéance « dossier complet »)"
        for req, order in orders:
            if order.signed < earliest:
                out.append(finding(
                    "FINANCING_ORDER_TOO_EARLY",
                    f"{_signed(req, order)}, plus de {window.number} jours avant le dossier complet "
                    f"({fr_date(reference)}, date {origin}) : il ne compte pas ; au plus tôt le {fr_date(earliest)}.",
                    [req.id, order.beneficiary], level=None if from_file else Level.WARNING,
                    parameter=ctx.cite(window)))
    if ctx.avance_deadline is None:
        out.append(finding(
            "FINANCING_ORDER_DATES_UNCHECKED",
            "Date limite des demandes d'avance inconnue (donnée par le plan du profil, --profile) : "
            "la signature des BDC après cette date n'est pas vérifiée.", [ctx.file.pack]))
    else:
        for req, order in orders:
            if order.signed > ctx.avance_deadline:
                out.append(finding(
                    "FINANCING_ORDER_AFTER_AVANCE_DEADLINE",
                    f"{_signed(req, order)}, après la date limite des demandes d'avance "
                    f"({fr_date(ctx.avance_deadline)}) : il n'est pas éligible.", [req.id, order.beneficiary]))
    return out


def check_pilots(ctx: CheckContext) -> list[FindingOut]:
    """Before each solde: ``pilots-required`` pilot deployments (the value in force on the solde's
    date) with signed PV, dated invoice and BDC.

    A pilot counts when its PV is signed, its invoice is dated no later than the solde, and a BDC
    for its beneficiary (``order_signed``, else any BDC of the file) is signed no later than the
    solde. Distinct beneficiaries are counted.
    """
    out: list[FindingOut] = []
    orders = [order for _, order in ctx.orders]
    for solde in ctx.soldes:
        good: set[str] = set()
        problems: list[str] = []
        for pilot in ctx.file.pilots:
            why = []
            if not pilot.pv_signed:
                why.append("PV non signé")
            if pilot.invoice_date is None:
                why.append("facture non datée")
            elif pilot.invoice_date > solde.date:
                why.append(f"facture du {fr_date(pilot.invoice_date)}, après le solde")
            signed = [pilot.order_signed] if pilot.order_signed else [
                o.signed for o in orders if o.beneficiary == pilot.beneficiary]
            if not signed:
                why.append("aucun BDC")
            elif min(signed) > solde.date:
                why.append("BDC signé après le solde")
            if why:
                problems.append(f"{pilot.beneficiary} ({', '.join(why)})")
            else:
                good.add(pilot.beneficiary)
        required = ctx.param("pilots-required", solde.date)
        if len(good) < required.number:
            detail = f" Non conformes : {'; '.join(problems)}." if problems else ""
            out.append(finding(
                "FINANCING_PILOTS_MISSING",
                f"Solde {solde.id} du {fr_date(solde.date)} : {plural(len(good), 'déploiement pilote conforme')} "
                f"sur {required.number} attendus (PV signé, facture datée et BDC déposés avant le solde).{detail}",
                [solde.id, *sorted(good), *(p.beneficiary for p in ctx.file.pilots if p.beneficiary not in good)],
                parameter=ctx.cite(required)))
    return out
