"""The financing file (input): the editor's SONS requests to the ASP, in TOML or JSON, same keys.

Contract: issue 6 (« Financing file »). Every key below keeps the name of the issue's TOML sample;
the keys it does not show are optional additions (``avance`` on a solde, ``with_client_agreement``
on a cancellation, ``answered`` on a contestation, ``order_signed`` on a pilot, ``editor`` and
``note`` on an already-financed beneficiary).

Amounts are :class:`~decimal.Decimal`, never floats. A file gives them as **strings**
(``"1500.00"``) or **integers** (``1500``); a float (``1500.0`` in TOML or JSON) is refused with
a French message rather than converted, because a binary float is not an amount: ``0.1 + 0.2``
already differs from ``0.3``, the ASP reads amounts to the cent, and a value that went through a
spreadsheet or a script as a float may not be the one the editor typed. Requiring a string keeps
the file exact and gives TOML and JSON the same spelling. Negative amounts and more than two
decimals are refused too.

Dates are ``AAAA-MM-JJ`` (native TOML dates, or strings in JSON); a number is never read as a
date. Booleans must be ``true`` / ``false`` (no ``"oui"``, no ``1``).

What pydantic cannot see alone (a solde pointing at an unknown avance, two requests with the same
id…) is checked by :func:`structure_problems`, called by the loaders and by the check.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, StrictBool, WithJsonSchema

from ..errors import FieldProblem
from ..models.common import Strict

FINANCING_SCHEMA_VERSION: Final = 1

_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_AMOUNT_HINT = 'écrivez le montant en euros entre guillemets, ex. "1500.00" (point décimal, 2 décimales au plus)'


def _parse_amount(value: Any) -> Decimal:
    """Strings (``"1500.00"``) and non-negative integers become a Decimal; floats are refused."""
    if isinstance(value, bool):
        raise ValueError(f"doit être un montant, pas un booléen (reçu : {value!r}) ; {_AMOUNT_HINT}")
    if isinstance(value, float):
        raise ValueError(
            f"montant écrit comme nombre à virgule flottante (reçu : {value!r}), refusé car inexact ; "
            f"{_AMOUNT_HINT}"
        )
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"un montant ne peut pas être négatif (reçu : {value})")
        return Decimal(value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, str):
        text = value.strip()
        if _AMOUNT_RE.fullmatch(text):
            return Decimal(text)
        raise ValueError(f"montant illisible (reçu : {value!r}) ; {_AMOUNT_HINT}")
    raise ValueError(f"doit être un montant (reçu : {value!r}) ; {_AMOUNT_HINT}")


def _format_amount(value: Decimal) -> str:
    return f"{value:.2f}"


#: An amount in euros: a Decimal inside, a string with two decimals in JSON output.
Amount = Annotated[
    Decimal,
    BeforeValidator(_parse_amount),
    PlainSerializer(_format_amount, return_type=str, when_used="json"),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": _AMOUNT_RE.pattern},
            {"type": "integer", "minimum": 0},
        ],
        "description": 'Montant en euros : chaîne "1500.00" ou entier ; jamais un nombre à virgule flottante',
        "examples": ["1500.00"],
    }, mode="validation"),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["1500.00"]},
                   mode="serialization"),
]


def _not_a_number(value: Any) -> Any:
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError(f"doit être une date (AAAA-MM-JJ) (reçu : {value!r})")
    return value


#: A calendar date; numbers are never read as timestamps.
Day = Annotated[dt.date, BeforeValidator(_not_a_number)]

IdKind = Literal["siret", "finess", "rpps"]
RequestKind = Literal["avance", "solde"]
NonEmpty = Annotated[str, Field(min_length=1)]


class Beneficiary(Strict):
    """A beneficiary of a request: an établissement (FINESS) or a professional / structure."""

    id: NonEmpty = Field(description="Identifiant : SIRET (14 chiffres), FINESS (9 caractères) ou RPPS (11 chiffres)")
    id_kind: IdKind
    historic_ids: tuple[NonEmpty, ...] = Field(
        default=(), description="Solde après fusion ou scission : identifiants du bénéficiaire à l'avance")
    avance_paid: Amount | None = Field(
        default=None, description="Demande d'avance : montant versé par l'ASP pour ce bénéficiaire")


class Order(Strict):
    """A bon de commande (BDC)."""

    beneficiary: NonEmpty
    signed: Day
    amount: Amount
    state_mention: StrictBool = Field(
        description="Mention « Montant pris en charge par l'Etat au titre du Ségur de la santé » visible")


class Invoice(Strict):
    beneficiary: NonEmpty
    date: Day
    amount: Amount
    merger_deed_attached: StrictBool = Field(
        default=False, description="Traité de fusion joint à la facture (même PDF)")


class Attestation(Strict):
    """A vérification d'aptitude (VA) or a mise en ordre de marche (MoM)."""

    beneficiary: NonEmpty
    kind: Literal["va", "mom"] = "va"
    signed_by_client: StrictBool
    date: Day


class Request(Strict):
    """One financing request deposited (or to deposit) on the ASP portal."""

    id: NonEmpty
    kind: RequestKind
    date: Day
    avance: NonEmpty | None = Field(
        default=None,
        description="Demande de solde : identifiant de la demande d'avance qu'elle solde "
                    "(facultatif quand le fichier n'a qu'une demande d'avance)")
    beneficiaries: tuple[Beneficiary, ...] = Field(min_length=1)
    orders: tuple[Order, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    va: tuple[Attestation, ...] = ()


class Pilot(Strict):
    """A pilot deployment (three before the solde, « Accompagnement des ENS sur un parcours de type Ségur »)."""

    beneficiary: NonEmpty
    pv_signed: StrictBool
    invoice_date: Day | None = Field(default=None, description="Date de la facture ; absente = facture non datée")
    order_signed: Day | None = Field(
        default=None, description="Date de signature du BDC ; absente = cherchée parmi les BDC du fichier")


class Cancellation(Strict):
    request: NonEmpty
    scope: Literal["total", "partial"]
    beneficiaries: tuple[NonEmpty, ...] = Field(
        default=(), description="Bénéficiaires retirés (obligatoire pour une annulation partielle)")
    avance_received: StrictBool
    date: Day
    with_client_agreement: StrictBool = Field(
        default=False, description="Annulation en accord avec le client : sa renonciation est à joindre")


class Contestation(Strict):
    """The ASP's message after a duplicate-beneficiary rejection, answered within the working days of
    parameter ``contestation-working-days``."""

    request: NonEmpty
    received: Day
    answered: StrictBool = False


class AlreadyFinanced(Strict):
    """A beneficiary already financed for the same SONS (by another editor or another request)."""

    id: NonEmpty
    editor: str | None = None
    note: str | None = None


class FinancingFile(Strict):
    schema_version: Literal[1] = FINANCING_SCHEMA_VERSION
    pack: NonEmpty = Field(description="Dispositif SONS (identifiant du pack), ex. MDV-LGC")
    complete_dossier_date: Day | None = Field(
        default=None, description=(
            "Dépôt du dossier de preuves complet (délai de signature des BDC, paramètre bdc-window-days)"
        ))
    requests: tuple[Request, ...] = ()
    pilots: tuple[Pilot, ...] = ()
    cancellations: tuple[Cancellation, ...] = ()
    contestations: tuple[Contestation, ...] = ()
    already_financed: tuple[AlreadyFinanced, ...] = ()

    def request(self, request_id: str) -> Request | None:
        return next((r for r in self.requests if r.id == request_id), None)

    def avance_of(self, solde: Request) -> Request | None:
        """The avance a solde settles: its ``avance`` key, else the file's only avance."""
        if solde.avance is not None:
            return self.request(solde.avance)
        avances = [r for r in self.requests if r.kind == "avance"]
        return avances[0] if len(avances) == 1 else None


def structure_problems(file: FinancingFile) -> list[FieldProblem]:
    """References inside the file that make it unusable (French, located by dotted path)."""
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    avances = [r.id for r in file.requests if r.kind == "avance"]
    for i, req in enumerate(file.requests):
        where = f"requests[{i}]"
        if req.id in seen:
            problems.append(FieldProblem(
                f"{where}.id", f"identifiant « {req.id} » déjà utilisé par requests[{seen[req.id]}]"))
        seen.setdefault(req.id, i)
        if req.kind == "avance" and req.avance is not None:
            problems.append(FieldProblem(f"{where}.avance", "ne s'applique qu'à une demande de solde"))
        if req.kind == "solde":
            if req.avance is not None and req.avance not in avances:
                known = ", ".join(avances) or "aucune"
                problems.append(FieldProblem(
                    f"{where}.avance",
                    f"« {req.avance} » n'est pas une demande d'avance du fichier (demandes d'avance : {known})"))
            elif req.avance is None and len(avances) > 1:
                problems.append(FieldProblem(
                    f"{where}.avance",
                    f"le fichier a plusieurs demandes d'avance ({', '.join(avances)}) : "
                    "indiquez celle que ce solde solde"))
        for j, ben in enumerate(req.beneficiaries):
            if req.kind == "avance" and ben.historic_ids:
                problems.append(FieldProblem(
                    f"{where}.beneficiaries[{j}].historic_ids",
                    "ne s'applique qu'à une demande de solde (fusion ou scission depuis l'avance)"))
            if req.kind == "solde" and ben.avance_paid is not None:
                problems.append(FieldProblem(
                    f"{where}.beneficiaries[{j}].avance_paid",
                    "ne s'applique qu'à une demande d'avance (le montant versé se renseigne sur l'avance)"))
    for i, cancel in enumerate(file.cancellations):
        if cancel.scope == "partial" and not cancel.beneficiaries:
            problems.append(FieldProblem(
                f"cancellations[{i}].beneficiaries",
                "une annulation partielle doit nommer les bénéficiaires retirés"))
    return problems
