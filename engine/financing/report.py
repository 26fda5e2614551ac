"""The result of a financing check (output). Keys are a contract, as for the plan.

Findings are plan findings (:class:`~segur_plan.engine.models.plan.FindingOut`) so that a plan can
carry them unchanged; amounts are strings with two decimals in JSON (``"450.00"``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import Field, PlainSerializer, WithJsonSchema

from ..models.common import Level, Out
from ..models.plan import FindingOut

REPORT_SCHEMA_VERSION: Final = 1

#: A Decimal amount, written ``"450.00"`` in JSON.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["450.00"]}),
]


class SoldeOut(Out):
    """A solde compared with the avance it settles (FAQ ANS, seed 003)."""

    request: str
    avance: str | None = Field(description="Demande d'avance comparée ; absente = périmètre non vérifié")
    removed: list[str] = Field(description="Bénéficiaires de l'avance absents du solde (compensés)")
    added: list[str] = Field(description="Bénéficiaires du solde absents de l'avance (refusés)")
    merged: list[str] = Field(description="Bénéficiaires issus d'une fusion ou scission (identifiants historiques)")
    compensation: Money = Field(description="Avance à compenser au solde : somme des avance_paid des retirés")
    compensation_complete: bool = Field(
        description="Faux si un bénéficiaire retiré n'a pas de avance_paid : compensation incomplète")


class CancellationOut(Out):
    """A cancellation classified into the four cases of the FAQ (seed 003)."""

    request: str
    scope: Literal["total", "partial"]
    avance_received: bool
    date: dt.date
    beneficiaries: list[str]
    case: int = Field(ge=1, le=4)
    pivot: dt.date | None = Field(description=(
        "Cas 4 : le jour pivot retenu (paramètre cancellation-case4-pivot, année de la demande d'annulation)"
    ))
    outcome: str
    send: list[str] = Field(description="Pièces à envoyer au support utilisateur de l'ASP")
    repay: Money | None = Field(description="Cas 1 : avance à rembourser, si le fichier la connaît")
    settle_at_solde: Money | None = Field(description="Cas 2 : trop-perçu régularisé au solde, si connu")


class ContestationOut(Out):
    request: str
    received: dt.date
    due: dt.date = Field(description=(
        "Jours ouvrés du paramètre contestation-working-days après la réception (jour de réception non compté)"
    ))
    status: Literal["answered", "pending", "due-today", "overdue"]
    days_left: int | None = Field(description="Jours calendaires jusqu'à l'échéance (négatif une fois passée)")
    holidays_skipped: list[dt.date]


class FinancingSummary(Out):
    blocking: int
    warnings: int
    infos: int


class FinancingReport(Out):
    schema_version: Literal[1] = REPORT_SCHEMA_VERSION
    today: dt.date
    pack: str
    accepted: bool = Field(description="Vrai si aucun point bloquant : l'ASP ne devrait rien refuser")
    findings: list[FindingOut]
    soldes: list[SoldeOut]
    cancellations: list[CancellationOut]
    contestations: list[ContestationOut]
    summary: FinancingSummary

    @property
    def blocking(self) -> list[FindingOut]:
        return [f for f in self.findings if f.level == Level.BLOCKING]
