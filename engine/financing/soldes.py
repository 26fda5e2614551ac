"""The solde's perimeter against its avance: beneficiaries removed, added, merged or split, cancelled.

**Solde perimeter** — compared with the *original* avance perimeter. Removed beneficiaries are
accepted (info) with ``compensation`` = sum of their ``avance_paid`` (a warning when one is
unknown); added ones are blocking, with the remedy. A solde beneficiary with ``historic_ids``
(a merger or split) is accepted only if every historic id is an avance beneficiary **and** one
of its invoices has ``merger_deed_attached``; without historic ids it is simply « added ». A
solde still counting what a cancellation removed from its avance is blocking.
"""

from __future__ import annotations

from decimal import Decimal

from ..models.common import plural
from ..models.plan import FindingOut
from .models import Beneficiary, Request
from .report import SoldeOut
from .rules import CheckContext, beneficiary_names, euros, finding, fr_date, total


def _historic(ben: Beneficiary) -> list[str]:
    """The avance identifiers a solde beneficiary replaces (a merger or split), its own left out."""
    return [h for h in ben.historic_ids if h != ben.id]


def solde_record(ctx: CheckContext, solde: Request) -> SoldeOut:
    """Removed, added and merged beneficiaries of a solde, and the avance to compensate."""
    avance = ctx.file.avance_of(solde)
    if avance is None:
        return SoldeOut(request=solde.id, avance=None, removed=[], added=[], merged=[],
                        compensation=Decimal("0.00"), compensation_complete=True)
    before = {b.id: b for b in avance.beneficiaries}
    covered: set[str] = set()
    added, merged = [], []
    for ben in solde.beneficiaries:
        historic = _historic(ben)
        if ben.id in before:
            covered.add(ben.id)
        if historic:
            merged.append(ben.id)
            covered |= {h for h in historic if h in before}
        elif ben.id not in before:
            added.append(ben.id)
    removed = [b for b in before if b not in covered]
    paid = [before[b].avance_paid for b in removed]
    return SoldeOut(request=solde.id, avance=avance.id, removed=removed, added=added, merged=merged,
                    compensation=total(paid), compensation_complete=all(p is not None for p in paid))


def check_solde_perimeter(ctx: CheckContext) -> list[FindingOut]:
    """Solde perimeter ≤ avance perimeter; a merger or split needs historic ids and a deed.

    The avance perimeter is the avance's original list (a beneficiary cancelled from the avance and
    absent from the solde is « removed », its avance compensated — case 2 of the cancellations).
    """
    out: list[FindingOut] = []
    for solde in ctx.soldes:
        avance = ctx.file.avance_of(solde)
        if avance is None:
            out.append(finding(
                "FINANCING_SOLDE_NO_AVANCE",
                f"Le solde {solde.id} n'a pas de demande d'avance dans le fichier : son périmètre n'est pas "
                "comparé à celui de l'avance.", [solde.id]))
            continue
        record = solde_record(ctx, solde)
        before = {b.id for b in avance.beneficiaries}
        if record.removed:
            amount = euros(record.compensation) + ("" if record.compensation_complete else
                                                   " (incomplet : avance_paid manquant, voir l'avertissement)")
            text = (f"Solde {solde.id} : {plural(len(record.removed), 'bénéficiaire')} de l'avance {avance.id} "
                    f"{'retiré' if len(record.removed) < 2 else 'retirés'} "
                    f"({', '.join(record.removed)}). Demande recevable ; l'ASP compensera au solde l'avance "
                    f"versée pour eux : {amount}.")
            out.append(finding("FINANCING_SOLDE_REMOVED", text, [solde.id, avance.id, *record.removed]))
            unknown = [b.id for b in avance.beneficiaries if b.id in record.removed and b.avance_paid is None]
            if unknown:
                out.append(finding(
                    "FINANCING_SOLDE_COMPENSATION_UNKNOWN",
                    f"Avance versée inconnue pour {', '.join(unknown)} ({avance.id}) : la compensation calculée "
                    f"({euros(record.compensation)}) est incomplète ; renseignez avance_paid.",
                    [avance.id, *unknown]))
        for ben_id in record.added:
            out.append(finding(
                "FINANCING_SOLDE_ADDED",
                f"« {ben_id} » est dans le solde {solde.id} mais pas dans l'avance {avance.id} : l'ASP rejettera "
                "le solde. Déposez-le sur le périmètre de l'avance ou un périmètre inférieur ; si ce bénéficiaire "
                "résulte d'une fusion ou d'une scission, indiquez ses identifiants de l'avance (historic_ids) et "
                "joignez le traité de fusion à la facture.", [solde.id, avance.id, ben_id]))
        for ben in (b for b in solde.beneficiaries if b.id in record.merged):
            historic = _historic(ben)
            unknown = [h for h in historic if h not in before]
            deed = any(i.beneficiary in beneficiary_names(ben) and i.merger_deed_attached for i in solde.invoices)
            if unknown:
                out.append(finding(
                    "FINANCING_SOLDE_HISTORIC_UNKNOWN",
                    f"{'Identifiant historique' if len(unknown) < 2 else 'Identifiants historiques'} "
                    f"{', '.join(unknown)} "
                    f"de « {ben.id} » ({solde.id}) {'absent' if len(unknown) < 2 else 'absents'} de "
                    f"l'avance {avance.id} : les identifiants historiques sont ceux des bénéficiaires de l'avance.",
                    [solde.id, avance.id, ben.id, *unknown]))
            if not deed:
                out.append(finding(
                    "FINANCING_SOLDE_MERGER_DEED_MISSING",
                    f"« {ben.id} » ({solde.id}) remplace {', '.join(historic)} après une fusion ou scission : "
                    "joignez le traité de fusion à sa facture (même PDF, merger_deed_attached = true), sinon "
                    "l'ASP rejette le solde.", [solde.id, ben.id, *historic]))
            if deed and not unknown:
                out.append(finding(
                    "FINANCING_SOLDE_MERGER_ACCEPTED",
                    f"« {ben.id} » ({solde.id}) remplace {', '.join(historic)} de l'avance {avance.id} : "
                    "identifiants historiques et traité de fusion présents, périmètre accepté.",
                    [solde.id, ben.id, *historic]))
        out += _solde_cancelled(ctx, solde, avance)
    return out


def _solde_cancelled(ctx: CheckContext, solde: Request, avance: Request) -> list[FindingOut]:
    out = []
    for cancel in (c for c in ctx.file.cancellations if c.request == avance.id):
        if cancel.scope == "total":
            out.append(finding(
                "FINANCING_SOLDE_CANCELLED",
                f"Le solde {solde.id} porte sur l'avance {avance.id}, annulée en totalité le "
                f"{fr_date(cancel.date)} : il n'y a plus rien à solder.", [solde.id, avance.id]))
            continue
        present = [b.id for b in solde.beneficiaries if b.id in cancel.beneficiaries]
        if present:
            out.append(finding(
                "FINANCING_SOLDE_CANCELLED",
                f"Le solde {solde.id} compte {', '.join(present)}, {'retiré' if len(present) < 2 else 'retirés'} de "
                f"l'avance {avance.id} par l'annulation du {fr_date(cancel.date)} : "
                f"{'retirez-le' if len(present) < 2 else 'retirez-les'} du solde.", [solde.id, avance.id, *present]))
    return out
