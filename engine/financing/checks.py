"""The financing rules, each a function returning plan findings that cite the rule's source.

Levels: ``blocking`` = the ASP would reject the request; ``warning`` = it may; ``info`` = what to
know (amount compensated, what to send, a date computed). ``refs`` name the request ids and the
beneficiary ids concerned. Every code, its label and its source are in :data:`RULES`.

Rule decisions (see each function's docstring for the detail):

- **Bon de commande** — a 0 € amount or a missing State-funding mention is blocking, for every
  BDC of the file; a solde invoice at 0 € is blocking (the FAQ speaks of the solde only).
- **One financing per SONS and beneficiary** — one file is one SONS (its ``pack``). A beneficiary
  in two requests of the same kind (two avances, or two soldes) is blocking and both requests are
  named; a beneficiary removed from a request by a cancellation of the file no longer counts for
  it (re-filing after a cancellation is what the FAQ asks). A solde repeating its avance's
  beneficiaries is of course not a duplicate. A beneficiary of ``already_financed`` is blocking.
- **Solde perimeter** — compared with the *original* avance perimeter. Removed beneficiaries are
  accepted (info) with ``compensation`` = sum of their ``avance_paid`` (a warning when one is
  unknown); added ones are blocking, with the remedy. A solde beneficiary with ``historic_ids``
  (a merger or split) is accepted only if every historic id is an avance beneficiary **and** one
  of its invoices has ``merger_deed_attached``; without historic ids it is simply « added ».
- **120 days** — see :func:`check_order_dates` (inclusive bound).
- **Pilots** — at least 3 distinct beneficiaries with a signed PV, an invoice dated no later than
  the solde and a BDC signed no later than the solde (seed 000), for each solde of the file.
- **VA / MoM** — each solde beneficiary needs one; any VA or MoM not signed by the client is
  blocking (FACTS.md §0.2, AF 6.2, for the VA; seed 000 asks the MoM « complétés et signés » too).
- **Cancellations** — four cases of seed 003, see :func:`classify_cancellation` (17/11 pivot).
- **Contestation** — due 10 working days after receipt, see :mod:`.calendar`.
- **Identifiers** — see :mod:`.identifiers`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..models.common import LEVEL_ORDER, Level
from ..models.plan import FindingOut
from .calendar import add_working_days, holidays_between
from .identifiers import KIND_LABELS, check_identifier
from .models import Beneficiary, Cancellation, Contestation, FinancingFile, Request
from .report import CancellationOut, ContestationOut, SoldeOut

# ------------------------------------------------------------------ sources and rules

SRC_BDC = "FAQ ANS (seed 003) : bon de commande"
SRC_ONE_FINANCING = "FAQ ANS (seed 003) : un seul financement par SONS et par bénéficiaire"
SRC_PERIMETER = "FAQ ANS (seed 003) : périmètre de la demande de solde (fusion, scission)"
SRC_CANCELLATION = "FAQ ANS (seed 003) : annulation d'une demande de financement"
SRC_CONTESTATION = "FAQ ANS (seed 003) : contestation, précisions sous dix jours ouvrés"
SRC_ORDER_DATES = ("AF §4.4 (FACTS.md §0.2) : https://esante.gouv.fr/faq/equipement-les-professionnels-peuvent-"
                   "ils-signer-les-bons-de-commande-avant-que-leurs-editeurs-soient-references")
SRC_VA = ("AF chap. 6.2 (FACTS.md §0.2) : https://industriels.esante.gouv.fr/faq-des-industriels"
          "?f%5B0%5D=dsr%3A370&f%5B1%5D=theme%3A586&mots_filter=")
SRC_PILOTS = "Parcours ENS (seed 000), étape 5 Financement : 3 déploiements pilotes avant le solde"
SRC_SOLDE_DOCS = "Parcours ENS (seed 000), étape 5 Financement : VA/MoM, facture datée et BDC au solde"
SRC_SIRET = "INSEE : SIRET à clé de Luhn, exception La Poste (python-stdnum, stdnum.fr.siret)"
SRC_FINESS = "FINESS : 9 caractères, clé de Luhn (documentation SNDS, « Le numéro FINESS dans le SNDS »)"
SRC_RPPS = "RPPS : 11 chiffres, clé de Luhn (issue 6)"
SRC_FILE = "Fichier de financement : un dispositif SONS par fichier (issue 6)"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    level: Level
    label: str
    source: str


_B, _W, _I = Level.BLOCKING, Level.WARNING, Level.INFO

#: Every finding code: default level, French label, source. One table, as the issue asks.
RULES: dict[str, RuleInfo] = {r.code: r for r in (
    RuleInfo("FINANCING_PACK_MISMATCH", _B, "Fichier d'un autre dispositif que le profil", SRC_FILE),
    RuleInfo("FINANCING_SIRET_INVALID", _B, "SIRET invalide", SRC_SIRET),
    RuleInfo("FINANCING_FINESS_INVALID", _B, "FINESS invalide", SRC_FINESS),
    RuleInfo("FINANCING_RPPS_INVALID", _B, "RPPS invalide", SRC_RPPS),
    RuleInfo("FINANCING_FINESS_KEY_UNCHECKED", _I, "Clé d'un FINESS corse non vérifiée", SRC_FINESS),
    RuleInfo("FINANCING_BDC_ZERO_AMOUNT", _B, "Bon de commande à 0 €", SRC_BDC),
    RuleInfo("FINANCING_BDC_MENTION_MISSING", _B, "Mention de prise en charge par l'État absente", SRC_BDC),
    RuleInfo("FINANCING_BDC_MISSING", _B, "Bénéficiaire sans bon de commande", SRC_SOLDE_DOCS),
    RuleInfo("FINANCING_INVOICE_ZERO_AMOUNT", _B, "Facture de solde à 0 €", SRC_BDC),
    RuleInfo("FINANCING_INVOICE_MISSING", _B, "Bénéficiaire du solde sans facture", SRC_SOLDE_DOCS),
    RuleInfo("FINANCING_DOCUMENT_UNKNOWN_BENEFICIARY", _B, "Pièce d'un bénéficiaire hors de la demande",
             SRC_SOLDE_DOCS),
    RuleInfo("FINANCING_DUPLICATE_BENEFICIARY", _B, "Bénéficiaire dans deux demandes", SRC_ONE_FINANCING),
    RuleInfo("FINANCING_ALREADY_FINANCED", _B, "Bénéficiaire déjà financé pour ce SONS", SRC_ONE_FINANCING),
    RuleInfo("FINANCING_SOLDE_REMOVED", _I, "Bénéficiaires retirés au solde : avance compensée", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_COMPENSATION_UNKNOWN", _W, "Avance versée inconnue pour un retiré", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_ADDED", _B, "Bénéficiaire ajouté au solde", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_HISTORIC_UNKNOWN", _B, "Identifiant historique absent de l'avance", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_MERGER_DEED_MISSING", _B, "Traité de fusion non joint à la facture", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_MERGER_ACCEPTED", _I, "Fusion ou scission justifiée", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_NO_AVANCE", _I, "Solde sans avance dans le fichier", SRC_PERIMETER),
    RuleInfo("FINANCING_SOLDE_CANCELLED", _B, "Solde d'un bénéficiaire ou d'une demande annulés", SRC_CANCELLATION),
    RuleInfo("FINANCING_ORDER_TOO_EARLY", _B, "BDC signé plus de 120 jours avant le dossier complet",
             SRC_ORDER_DATES),
    RuleInfo("FINANCING_ORDER_AFTER_AVANCE_DEADLINE", _B, "BDC signé après la date limite des avances",
             SRC_ORDER_DATES),
    RuleInfo("FINANCING_ORDER_DATES_UNCHECKED", _I, "Dates de BDC non vérifiables", SRC_ORDER_DATES),
    RuleInfo("FINANCING_PILOTS_MISSING", _B, "Moins de 3 déploiements pilotes conformes avant le solde",
             SRC_PILOTS),
    RuleInfo("FINANCING_VA_MISSING", _B, "Bénéficiaire du solde sans VA ni MoM", SRC_SOLDE_DOCS),
    RuleInfo("FINANCING_VA_UNSIGNED", _B, "VA ou MoM non signée par le client", SRC_VA),
    RuleInfo("FINANCING_CANCELLATION", _I, "Annulation : cas, suites, pièces à envoyer", SRC_CANCELLATION),
    RuleInfo("FINANCING_CANCELLATION_PERIMETER", _B, "Périmètre d'annulation incohérent", SRC_CANCELLATION),
    RuleInfo("FINANCING_CANCELLATION_AVANCE_MISMATCH", _W, "Avance perçue incohérente avec le fichier",
             SRC_CANCELLATION),
    RuleInfo("FINANCING_CONTESTATION_DUE", _I, "Contestation : échéance de réponse", SRC_CONTESTATION),
    RuleInfo("FINANCING_CONTESTATION_OVERDUE", _W, "Contestation : échéance de réponse dépassée", SRC_CONTESTATION),
)}

PILOTS_REQUIRED = 3
ORDER_WINDOW_DAYS = 120
CONTESTATION_WORKING_DAYS = 10
CASE4_PIVOT = (11, 17)  # 17 November (month, day)

ATTESTATION = "attestation sur l'honneur signée et motivée de l'éditeur"
RENUNCIATION = "attestation de renonciation du client (annulation en accord avec le client)"


def finding(code: str, message: str, refs: Iterable[str], level: Level | None = None) -> FindingOut:
    """A finding of rule ``code``; the message ends with the rule's source."""
    rule = RULES[code]
    return FindingOut(level=level or rule.level, code=code, message=f"{message} (source : {rule.source})",
                      refs=list(dict.fromkeys(refs)))


def sort_findings(findings: Iterable[FindingOut]) -> list[FindingOut]:
    return sorted(findings, key=lambda f: (LEVEL_ORDER[f.level], f.code, f.refs, f.message))


def euros(amount: Decimal) -> str:
    """``Decimal("1500")`` → ``1 500,00 €``."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " €"


def fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# ------------------------------------------------------------------ context


@dataclass(frozen=True)
class CheckContext:
    """What every rule may read: the file and the dates the caller knows."""

    file: FinancingFile
    today: dt.date
    pack_id: str | None = None
    #: The complete-dossier date passed by the caller (e.g. the plan's ``dossier-complet``).
    complete_dossier_date: dt.date | None = None
    avance_deadline: dt.date | None = None

    def cancelled(self, request: Request) -> set[str]:
        """Beneficiaries that the file's cancellations remove from ``request``."""
        out: set[str] = set()
        for cancel in self.file.cancellations:
            if cancel.request != request.id:
                continue
            out |= {b.id for b in request.beneficiaries} if cancel.scope == "total" else set(cancel.beneficiaries)
        return out


def _names(ben: Beneficiary) -> set[str]:
    """The identifiers a beneficiary's documents may carry: its own and its historic ones."""
    return {ben.id, *ben.historic_ids}


def _sum(amounts: Iterable[Decimal | None]) -> Decimal:
    return sum((a for a in amounts if a is not None), Decimal("0")).quantize(Decimal("0.01"))


# ------------------------------------------------------------------ file and identifiers


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


# ------------------------------------------------------------------ bons de commande and invoices


def check_orders(ctx: CheckContext) -> list[FindingOut]:
    """BDC: real non-zero amount and the State-funding mention; solde invoices not at 0 €."""
    out: list[FindingOut] = []
    for req in ctx.file.requests:
        for order in req.orders:
            refs = [req.id, order.beneficiary]
            if order.amount == 0:
                out.append(finding(
                    "FINANCING_BDC_ZERO_AMOUNT",
                    f"Bon de commande du {fr_date(order.signed)} pour « {order.beneficiary} » ({req.id}) à 0 € : "
                    "il doit faire figurer le montant réel, non nul, de la Prestation Ségur.", refs))
            if not order.state_mention:
                out.append(finding(
                    "FINANCING_BDC_MENTION_MISSING",
                    f"Bon de commande du {fr_date(order.signed)} pour « {order.beneficiary} » ({req.id}) sans la "
                    "mention « Montant pris en charge par l'Etat au titre du Ségur de la santé » : "
                    "ajoutez-la, visible, sur le bon de commande.", refs))
        if req.kind == "solde":
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
        known = set().union(*(_names(b) for b in req.beneficiaries))
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
            names = _names(ben)
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


def check_order_dates(ctx: CheckContext) -> list[FindingOut]:
    """Orders count only if signed within 120 days before the complete dossier, never after the avance deadline.

    Bounds, both **inclusive**: a BDC signed exactly 120 calendar days before the complete-dossier
    date counts (FACTS.md §0.2: « signed ≤ 120 calendar days before »), one signed 121 days before
    does not; a BDC signed on the avance deadline day counts, one signed the day after does not.
    A BDC signed after the complete-dossier date is not concerned by the 120 days.

    The complete-dossier date is the file's ``complete_dossier_date`` (the editor's real deposit
    date): a BDC too early is **blocking**. Without it, the caller's date is used (the plan's
    ``dossier-complet`` deadline, an upper bound of the real date): then a BDC too early is only a
    **warning**, since the real deposit may have been earlier. The avance deadline comes only from
    the caller (the plan); without it that half of the rule is skipped with an info.
    """
    out: list[FindingOut] = []
    orders = [(req, o) for req in ctx.file.requests for o in req.orders]
    if not orders:
        return out
    reference, from_file = ctx.file.complete_dossier_date, True
    if reference is None:
        reference, from_file = ctx.complete_dossier_date, False
    if reference is None:
        out.append(finding(
            "FINANCING_ORDER_DATES_UNCHECKED",
            "Date du dossier de preuves complet inconnue : la règle des 120 jours n'est pas vérifiée. "
            "Renseignez complete_dossier_date dans le fichier.", [ctx.file.pack]))
    else:
        earliest = reference - dt.timedelta(days=ORDER_WINDOW_DAYS)
        origin = "du fichier" if from_file else "estimée par le plan (échéance « dossier complet »)"
        for req, order in orders:
            if order.signed < earliest:
                out.append(finding(
                    "FINANCING_ORDER_TOO_EARLY",
                    f"Bon de commande pour « {order.beneficiary} » ({req.id}) signé le {fr_date(order.signed)}, "
                    f"plus de {ORDER_WINDOW_DAYS} jours avant le dossier complet ({fr_date(reference)}, date "
                    f"{origin}) : il ne compte pas ; au plus tôt le {fr_date(earliest)}.",
                    [req.id, order.beneficiary], level=None if from_file else Level.WARNING))
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
                    f"Bon de commande pour « {order.beneficiary} » ({req.id}) signé le {fr_date(order.signed)}, "
                    f"après la date limite des demandes d'avance ({fr_date(ctx.avance_deadline)}) : il n'est "
                    "pas éligible.", [req.id, order.beneficiary]))
    return out


# ------------------------------------------------------------------ one financing per SONS


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
        distinct = list(dict.fromkeys(request_ids))
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
            distinct = list(dict.fromkeys(request_ids))
            which = (f"la demande {distinct[0]} sera rejetée" if len(distinct) == 1
                     else f"les demandes {', '.join(distinct)} seront rejetées")
            out.append(finding(
                "FINANCING_ALREADY_FINANCED",
                f"« {ben_id} » a déjà un financement validé pour ce SONS{by} : {which} pour lui. Retirez-le, "
                "ou contestez auprès de l'ASP si le client vous a choisi (réponse sous dix jours ouvrés).",
                [*distinct, ben_id]))
    return out


# ------------------------------------------------------------------ solde perimeter


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
        historic = [h for h in ben.historic_ids if h != ben.id]
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
                    compensation=_sum(paid), compensation_complete=all(p is not None for p in paid))


def check_solde_perimeter(ctx: CheckContext) -> list[FindingOut]:
    """Solde perimeter ≤ avance perimeter; a merger or split needs historic ids and a deed.

    The avance perimeter is the avance's original list (a beneficiary cancelled from the avance and
    absent from the solde is « removed », its avance compensated — case 2 of the cancellations).
    """
    out: list[FindingOut] = []
    for solde in (r for r in ctx.file.requests if r.kind == "solde"):
        record = solde_record(ctx, solde)
        avance = ctx.file.avance_of(solde)
        if avance is None:
            out.append(finding(
                "FINANCING_SOLDE_NO_AVANCE",
                f"Le solde {solde.id} n'a pas de demande d'avance dans le fichier : son périmètre n'est pas "
                "comparé à celui de l'avance.", [solde.id]))
            continue
        before = {b.id for b in avance.beneficiaries}
        if record.removed:
            amount = euros(record.compensation) + ("" if record.compensation_complete else
                                                   " (incomplet : avance_paid manquant, voir l'avertissement)")
            text = (f"Solde {solde.id} : {len(record.removed)} bénéficiaire(s) de l'avance {avance.id} retiré(s) "
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
            historic = [h for h in ben.historic_ids if h != ben.id]
            unknown = [h for h in historic if h not in before]
            deed = any(i.beneficiary in _names(ben) and i.merger_deed_attached for i in solde.invoices)
            if unknown:
                out.append(finding(
                    "FINANCING_SOLDE_HISTORIC_UNKNOWN",
                    f"Identifiant(s) historique(s) {', '.join(unknown)} de « {ben.id} » ({solde.id}) absent(s) de "
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
                f"Le solde {solde.id} compte {', '.join(present)}, retiré(s) de l'avance {avance.id} par "
                f"l'annulation du {fr_date(cancel.date)} : retirez-le(s) du solde.", [solde.id, avance.id, *present]))
    return out


# ------------------------------------------------------------------ pilots


def check_pilots(ctx: CheckContext) -> list[FindingOut]:
    """Before each solde: 3 pilot deployments with signed PV, dated invoice and BDC (seed 000).

    A pilot counts when its PV is signed, its invoice is dated no later than the solde, and a BDC
    for its beneficiary (``order_signed``, else any BDC of the file) is signed no later than the
    solde. Distinct beneficiaries are counted.
    """
    out: list[FindingOut] = []
    orders = [o for r in ctx.file.requests for o in r.orders]
    for solde in (r for r in ctx.file.requests if r.kind == "solde"):
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
        if len(good) < PILOTS_REQUIRED:
            detail = f" Non conformes : {'; '.join(problems)}." if problems else ""
            out.append(finding(
                "FINANCING_PILOTS_MISSING",
                f"Solde {solde.id} du {fr_date(solde.date)} : {len(good)} déploiement(s) pilote(s) conforme(s) "
                f"sur {PILOTS_REQUIRED} attendus (PV signé, facture datée et BDC déposés avant le solde).{detail}",
                [solde.id, *sorted(good), *(p.beneficiary for p in ctx.file.pilots if p.beneficiary not in good)]))
    return out


# ------------------------------------------------------------------ cancellations


def classify_cancellation(scope: str, avance_received: bool) -> int:
    """The FAQ's case: 1 total + avance received, 2 partial + received, 3 total + not, 4 partial + not.

    >>> [classify_cancellation(s, a) for s, a in [("total", True), ("partial", True),
    ...                                             ("total", False), ("partial", False)]]
    [1, 2, 3, 4]
    """
    if scope == "total":
        return 1 if avance_received else 3
    return 2 if avance_received else 4


def case4_pivot(cancellation_date: dt.date) -> dt.date:
    """The 17/11 of case 4, in the **cancellation's own year** (the FAQ gives no year).

    « From 17/11 » is inclusive: a cancellation dated 17 November is « from », 16 November is
    « before ». If the ASP publishes the year it meant, pin it here.
    """
    return dt.date(cancellation_date.year, *CASE4_PIVOT)


def cancellation_record(ctx: CheckContext, cancel: Cancellation) -> CancellationOut:
    """Case, outcome, pieces to send and amount to repay (or settle at solde) of one cancellation."""
    case = classify_cancellation(cancel.scope, cancel.avance_received)
    request = ctx.file.request(cancel.request)
    pivot = case4_pivot(cancel.date) if case == 4 else None
    paid = {b.id: b.avance_paid for b in request.beneficiaries} if request else {}
    repay = settle = None
    if case == 1:
        outcome = "l'ASP annule la demande de financement ; l'éditeur rembourse l'avance perçue"
        if request and paid and all(v is not None for v in paid.values()):
            repay = _sum(paid.values())
    elif case == 2:
        outcome = ("l'ASP rouvre et modifie la demande pour retirer le ou les bénéficiaires, ou l'annule et "
                   "l'éditeur dépose une nouvelle demande sur le bon périmètre ; le trop-perçu est régularisé "
                   "au solde")
        amounts = [paid.get(b) for b in cancel.beneficiaries]
        if request and amounts and all(a is not None for a in amounts):
            settle = _sum(amounts)
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
        out.append(finding(
            "FINANCING_CANCELLATION",
            f"Annulation {'totale' if cancel.scope == 'total' else 'partielle'} de {cancel.request} du "
            f"{fr_date(cancel.date)} : cas {rec.case} — {rec.outcome}.{money} À envoyer au support utilisateur de "
            f"l'ASP : {' ; '.join(rec.send)}.{unknown}", refs))
        if request is None:
            continue
        ids = {b.id for b in request.beneficiaries}
        listed = set(cancel.beneficiaries)
        outside = sorted(listed - ids)
        if outside:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation de {cancel.request} nomme {', '.join(outside)}, absent(s) de la demande : "
                "l'ASP vérifie le périmètre annulé contre le périmètre initial.", [cancel.request, *outside]))
        if cancel.scope == "partial" and listed >= ids:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation « partielle » de {cancel.request} retire tous ses bénéficiaires : c'est une "
                f"annulation totale (cas {1 if cancel.avance_received else 3}) ; déclarez scope = \"total\".",
                [cancel.request]))
        if cancel.scope == "total" and listed and listed != ids:
            out.append(finding(
                "FINANCING_CANCELLATION_PERIMETER",
                f"L'annulation « totale » de {cancel.request} ne nomme qu'une partie de ses bénéficiaires : "
                f"c'est une annulation partielle (cas {2 if cancel.avance_received else 4}) ; déclarez "
                "scope = \"partial\".", [cancel.request]))
        paid = any((b.avance_paid or 0) > 0 for b in request.beneficiaries)
        if request.kind == "avance" and paid and not cancel.avance_received:
            out.append(finding(
                "FINANCING_CANCELLATION_AVANCE_MISMATCH",
                f"L'annulation de {cancel.request} indique avance_received = false alors que le fichier donne une "
                f"avance versée (avance_paid) : le cas serait {2 if cancel.scope == 'partial' else 1}, pas "
                f"{rec.case}. Vérifiez.", [cancel.request]))
    return out


# ------------------------------------------------------------------ contestations


def contestation_record(ctx: CheckContext, contestation: Contestation) -> ContestationOut:
    """Due date: 10 working days after receipt, the day of receipt not counted (see :mod:`.calendar`)."""
    due = add_working_days(contestation.received, CONTESTATION_WORKING_DAYS)
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
    out: list[FindingOut] = []
    for contestation in ctx.file.contestations:
        rec = contestation_record(ctx, contestation)
        skipped = holidays_between(contestation.received, rec.due)
        feries = (" ; jours fériés sautés : " + ", ".join(f"{fr_date(d)} ({n})" for d, n in skipped)) if skipped else ""
        text = (f"Contestation de {contestation.request} reçue le {fr_date(contestation.received)} : réponse à "
                f"l'ASP due au plus tard le {fr_date(rec.due)} ({CONTESTATION_WORKING_DAYS} jours ouvrés, jour de "
                f"réception non compté, week-ends et jours fériés exclus{feries}).")
        if rec.status == "overdue":
            out.append(finding(
                "FINANCING_CONTESTATION_OVERDUE",
                f"{text} Échéance dépassée : sans réponse, l'ANS peut demander l'annulation de la demande.",
                [contestation.request]))
        elif rec.status == "answered":
            out.append(finding("FINANCING_CONTESTATION_DUE", f"{text} Réponse envoyée.", [contestation.request]))
        else:
            left = "aujourd'hui" if rec.status == "due-today" else f"J-{rec.days_left}"
            out.append(finding("FINANCING_CONTESTATION_DUE", f"{text} Échéance : {left}.", [contestation.request]))
    return out


#: The rules, in the order they run.
CHECKS: tuple[Callable[[CheckContext], list[FindingOut]], ...] = (
    check_pack,
    check_identifiers,
    check_orders,
    check_documents,
    check_va_signed,
    check_order_dates,
    check_duplicates,
    check_solde_perimeter,
    check_pilots,
    check_cancellations,
    check_contestations,
)
