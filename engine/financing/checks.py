"""The financing rules, run in order: each returns plan findings that cite the rule's source.

The rule table, the context every rule reads and the finding helpers are in :mod:`.rules`; the
rules live by what they look at (see each module and each function's docstring for the detail):

- :mod:`.beneficiaries` — the file's dispositif, the identifiers (SIRET, FINESS, RPPS, see
  :mod:`.identifiers`), one financing per SONS and beneficiary (duplicates, ``already_financed``).
- :mod:`.documents` — bons de commande (amount, State-funding mention, signature window, avance
  deadline), invoices, VA / MoM, the pilot deployments before the solde.
- :mod:`.soldes` — the solde perimeter against the avance: removed (compensated), added,
  merged or split (historic ids and merger deed), cancelled.
- :mod:`.cancellations` — the four cases of the FAQ (case-4 pivot) and the perimeter cancelled.
- :mod:`.contestations` — due a number of working days after receipt, see :mod:`.calendar`.

The regulatory values are pack parameters (see :mod:`segur_plan.engine.parameters`).

This module keeps the names it always exported, so ``from .checks import …`` still works.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models.plan import FindingOut
from .beneficiaries import check_duplicates, check_identifiers, check_pack
from .cancellations import (
    ATTESTATION,
    RENUNCIATION,
    cancellation_record,
    case4_pivot,
    check_cancellations,
    classify_cancellation,
)
from .contestations import check_contestations, contestation_record
from .documents import (
    check_documents,
    check_order_dates,
    check_orders,
    check_pilots,
    check_va_signed,
)
from .rules import RULES, CheckContext, RuleInfo, euros, finding, fr_date, sort_findings
from .soldes import check_solde_perimeter, solde_record

__all__ = [
    "ATTESTATION",
    "CHECKS",
    "RENUNCIATION",
    "RULES",
    "CheckContext",
    "RuleInfo",
    "cancellation_record",
    "case4_pivot",
    "check_cancellations",
    "check_contestations",
    "check_documents",
    "check_duplicates",
    "check_identifiers",
    "check_order_dates",
    "check_orders",
    "check_pack",
    "check_pilots",
    "check_solde_perimeter",
    "check_va_signed",
    "classify_cancellation",
    "contestation_record",
    "euros",
    "finding",
    "fr_date",
    "run_checks",
    "solde_record",
    "sort_findings",
]

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


def run_checks(ctx: CheckContext) -> list[FindingOut]:
    """Every rule of :data:`CHECKS` on ``ctx``, findings sorted (level, code, refs, message).

    >>> import datetime as dt
    >>> from segur_plan.engine.financing.models import FinancingFile
    >>> ctx = CheckContext(FinancingFile(pack="MDV-LGC"), today=dt.date(2025, 11, 10), pack_id="HOP-DPI")
    >>> [f.code for f in run_checks(ctx)]
    ['FINANCING_PACK_MISMATCH']
    """
    return sort_findings(f for check in CHECKS for f in check(ctx))


#: The rule modules' examples run with this module's (``doctest.testmod``).
__test__ = {"classify_cancellation": classify_cancellation}
