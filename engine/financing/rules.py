"""The financing rule table, and what every rule shares: the context it reads, the findings it writes.

Levels: ``blocking`` = the ASP would reject the request; ``warning`` = it may; ``info`` = what to
know (amount compensated, what to send, a date computed). ``refs`` name the request ids and the
beneficiary ids concerned. Every code, its label and its source are in :data:`RULES`; the rules
themselves are in the modules :mod:`.checks` lists, and run in its order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from ..models.common import LEVEL_ORDER, Level
from ..models.plan import FindingOut
from .models import Beneficiary, FinancingFile, Order, Request

# ------------------------------------------------------------------ sources and rules

SRC_BDC = "ANS, FAQ du Portail Industriels : bon de commande"
SRC_ONE_FINANCING = "ANS, FAQ du Portail Industriels : un seul financement par SONS et par bénéficiaire"
SRC_PERIMETER = "ANS, FAQ du Portail Industriels : périmètre de la demande de solde (fusion, scission)"
SRC_CANCELLATION = "ANS, FAQ du Portail Industriels : annulation d'une demande de financement"
SRC_CONTESTATION = "ANS, FAQ du Portail Industriels : contestation, précisions sous dix jours ouvrés"
SRC_ORDER_DATES = ("ANS, appel à financement §4.4 : "
                   "https://esante.gouv.fr/faq/equipement-les-professionnels-peuvent-"
                   "ils-signer-les-bons-de-commande-avant-que-leurs-editeurs-soient-references")
SRC_VA = ("ANS, appel à financement chap. 6.2 : "
          "https://industriels.esante.gouv.fr/faq-des-industriels"
          "?f%5B0%5D=dsr%3A370&f%5B1%5D=theme%3A586&mots_filter=")
SRC_PILOTS = "ANS, « Accompagnement des ENS sur un parcours de type Ségur » (août 2024), étape 5 Financement : 3 déploiements pilotes avant le solde"
SRC_SOLDE_DOCS = "ANS, « Accompagnement des ENS sur un parcours de type Ségur » (août 2024), étape 5 Financement : VA/MoM, facture datée et BDC au solde"
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

# ------------------------------------------------------------------ findings and their wording

_T = TypeVar("_T", bound=Hashable)


def unique(items: Iterable[_T]) -> list[_T]:
    """``items`` without repeats, in their first order."""
    return list(dict.fromkeys(items))


def finding(code: str, message: str, refs: Iterable[str], level: Level | None = None) -> FindingOut:
    """A finding of rule ``code``; the message ends with the rule's source."""
    rule = RULES[code]
    return FindingOut(level=level or rule.level, code=code, message=f"{message} (source : {rule.source})",
                      refs=unique(refs))


def sort_findings(findings: Iterable[FindingOut]) -> list[FindingOut]:
    return sorted(findings, key=lambda f: (LEVEL_ORDER[f.level], f.code, f.refs, f.message))


def euros(amount: Decimal) -> str:
    """``Decimal("1500")`` → ``1 500,00 €``."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " €"


def fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """The sum of the known amounts (``None`` left out), to the cent."""
    return sum((a for a in amounts if a is not None), Decimal("0")).quantize(Decimal("0.01"))


def beneficiary_names(ben: Beneficiary) -> set[str]:
    """The identifiers a beneficiary's documents may carry: its own and its historic ones."""
    return {ben.id, *ben.historic_ids}


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

    @property
    def soldes(self) -> list[Request]:
        """The file's solde requests, in file order."""
        return [r for r in self.file.requests if r.kind == "solde"]

    @property
    def orders(self) -> list[tuple[Request, Order]]:
        """Every bon de commande of the file, with its request, in file order."""
        return [(req, order) for req in self.file.requests for order in req.orders]

    def cancelled(self, request: Request) -> set[str]:
        """Beneficiaries that the file's cancellations remove from ``request``."""
        out: set[str] = set()
        for cancel in self.file.cancellations:
            if cancel.request != request.id:
                continue
            out |= {b.id for b in request.beneficiaries} if cancel.scope == "total" else set(cancel.beneficiaries)
        return out
