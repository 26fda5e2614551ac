"""Who is financed: the file's dispositif, the beneficiaries' identifiers, one financing per SONS.

- **One file, one SONS** — the file's ``pack`` must be the profile's dispositif when the caller
  names one.
- **Identifiers** — SIRET, FINESS and RPPS well formed with a right key, see :mod:`.identifiers`.
- **One financing per SONS and beneficiary** — a beneficiary in two requests of the same kind
  (two avances, or two soldes) is blocking and both requests are named; a beneficiary removed
  from a request by a cancellation of the file no longer counts for it (re-filing after a
  cancellation is what the FAQ asks). A solde repeating its avance's beneficiaries is of course
  not a duplicate. A beneficiary of ``already_financed`` is blocking.
"""

from __future__ import annotations

from collections import defaultdict

from ..models.plan import FindingOut
from .identifiers import KIND_LABELS, check_identifier
from .rules import CheckContext, finding, unique


def check_pack(ctx: CheckContext) -> list[FindingOut]:
    """The file must be for the profile's dispositif when the caller names one."""
    if ctx.pack_id is None or ctx.pack_id.casefold() == ctx.file.pack.casefold():
        return []
    return [finding("FINANCING_PACK_MISMATCH",
                    f"Le fichier de financement porte sur le dispositif « {ctx.file.pack} » alors que le "
                    f"profil porte sur « {ctx.pack_id} » : un fichier par dispositif SONS.",
                    [ctx.file.pack, ctx.pack_id])]


def check_identifiers(ctx: CheckContext) -> list[FindingOut]:
    """Every beneficiary identifier (SIRET, FINESS, RPPS) is well formed with a right key."""
    out: list[FindingOut] = []
    seen: set[tuple[str, str]] = set()
    for req in ctx.file.requests:
        for ben in req.beneficiaries:
            if (ben.id, ben.id_kind) in seen:
                continue
            seen.add((ben.id, ben.id_kind))
            result = check_identifier(ben.id, ben.id_kind)
            label = KIND_LABELS[ben.id_kind]
            holders = [r.id for r in ctx.file.requests if any(b.id == ben.id for b in r.beneficiaries)]
            if not result.valid:
                out.append(finding(
                    f"FINANCING_{ben.id_kind.upper()}_INVALID",
                    f"{label} « {ben.id} » refusé : {result.problem}. Corrigez l'identifiant du bénéficiaire "
                    f"dans {', '.join(holders)}.",
                    [*holders, ben.id]))
            elif not result.key_checked:
                out.append(finding(
                    "FINANCING_FINESS_KEY_UNCHECKED",
                    f"FINESS corse « {ben.id} » : format correct, clé non vérifiée (aucune source fiable sur "
                    "le calcul de la clé avec 2A/2B) ; vérifiez-le sur finess.esante.gouv.fr.",
                    [*holders, ben.id]))
    return out


def check_duplicates(ctx: CheckContext) -> list[FindingOut]:
    """One financing per SONS per beneficiary: inside the file and against ``already_financed``."""
    out: list[FindingOut] = []
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for req in ctx.file.requests:
        cancelled = ctx.cancelled(req)
        counts: dict[str, int] = defaultdict(int)
        for ben in req.beneficiaries:
            counts[ben.id] += 1
            if ben.id not in cancelled:
                holders[(req.kind, ben.id)].append(req.id)
        for ben_id, n in counts.items():
            if n > 1:
                out.append(finding(
                    "FINANCING_DUPLICATE_BENEFICIARY",
                    f"« {ben_id} » figure {n} fois dans la demande {req.id} : un seul financement par SONS et "
                    "par bénéficiaire ; ne le listez qu'une fois.", [req.id, ben_id]))
    for (kind, ben_id), request_ids in holders.items():
        distinct = unique(request_ids)
        if len(distinct) > 1:
            what = "d'avance" if kind == "avance" else "de solde"
            out.append(finding(
                "FINANCING_DUPLICATE_BENEFICIARY",
                f"« {ben_id} » figure dans plusieurs demandes {what} "
                f"du même SONS ({ctx.file.pack}) : {' et '.join(distinct)}. Un seul financement par SONS et par "
                "bénéficiaire : l'ASP rejette la demande en double ; retirez-le de l'une d'elles (ou annulez-la).",
                [*distinct, ben_id]))
    elsewhere = {a.id: a for a in ctx.file.already_financed}
    by_beneficiary: dict[str, list[str]] = defaultdict(list)
    for (_kind, ben_id), request_ids in holders.items():
        by_beneficiary[ben_id] += request_ids
    for ben_id, request_ids in by_beneficiary.items():
        if ben_id in elsewhere:
            other = elsewhere[ben_id]
            by = f" (par {other.editor})" if other.editor else ""
            distinct = unique(request_ids)
            which = (f"la demande {distinct[0]} sera rejetée" if len(distinct) == 1
                     else f"les demandes {', '.join(distinct)} seront rejetées")
            days = ctx.param("contestation-working-days", ctx.today)
            out.append(finding(
                "FINANCING_ALREADY_FINANCED",
                f"« {ben_id} » a déjà un financement validé pour ce SONS{by} : {which} pour lui. Retirez-le, "
                f"ou contestez auprès de l'ASP si le client vous a choisi (réponse sous {days.number} jours ouvrés).",
                [*distinct, ben_id], parameter=ctx.cite(days)))
    return out
