"""Financing (ASP) pre-checks: the editor's avance, solde and cancellations, as the ASP would see them.

Issue 6. Read a financing file (TOML or JSON, same keys), check it, get plan findings plus, per
solde, the avance to compensate, per cancellation its case (1 to 4), per contestation its due date.

>>> import datetime as dt
>>> data = {
...     "pack": "MDV-LGC",
...     "requests": [{"id": "AV-1", "kind": "avance", "date": "2025-06-01",
...                   "beneficiaries": [{"id": "73282932000074", "id_kind": "siret"}],
...                   "orders": [{"beneficiary": "73282932000074", "signed": "2025-05-02",
...                               "amount": "0.00", "state_mention": True}]}],
...     "contestations": [{"request": "AV-1", "received": "2025-11-07"}],
... }
>>> report = check_financing(parse_financing(data), today=dt.date(2025, 11, 10))
>>> report.accepted, [f.code for f in report.blocking]
(False, ['FINANCING_BDC_ZERO_AMOUNT'])
>>> report.contestations[0].due
datetime.date(2025, 11, 24)
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..loading import read_text, read_toml, validate
from ..models.common import Level
from ..syntax import json_error_text

if TYPE_CHECKING:
    from ..parameters import Parameters
    from .checks import RULES, RuleInfo
    from .models import FinancingFile
    from .report import FinancingReport

#: Imported on first use (:pep:`562`): a plan without a financing file never loads the checks,
#: the public holidays (holidays) nor the identifier checksums (python-stdnum).
_LAZY = {"RULES": ".checks", "RuleInfo": ".checks", "CheckContext": ".checks", "FinancingFile": ".models",
         "structure_problems": ".models", "FinancingReport": ".report", "FinancingSummary": ".report"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value

if TYPE_CHECKING:  # the registry is imported on first use (it loads every pack)
    from ..registry import PackRegistry

WHAT = "Fichier de financement"

__all__ = [
    "RULES",
    "FinancingFile",
    "FinancingReport",
    "RuleInfo",
    "check_financing",
    "load_financing",
    "parameters_for",
    "parse_financing",
]


def _read_json(path: Path) -> Any:
    text = read_text(path, kind="JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON mal formé dans {path} {json_error_text(exc)}", path=path
        ) from None
    except RecursionError:
        raise InputError(f"JSON trop imbriqué dans {path}", path=path) from None
    except ValueError:  # an integer of thousands of digits
        raise InputError(f"JSON invalide dans {path} : nombre trop long", path=path) from None


def parse_financing(data: Any, *, origin: str = "<financement>") -> FinancingFile:
    """Validate an already-parsed financing document (TOML table or JSON object).

    Raises :class:`~segur_plan.engine.errors.InputError` with one French problem per faulty field.
    """
    if not isinstance(data, Mapping):
        raise InputError(f"{WHAT} invalide ({origin}) : le document doit être un objet (table de clés)",
                         path=origin)
    from .models import FinancingFile, structure_problems

    try:
        file = validate(FinancingFile, data, path=origin, what=WHAT)
    except RecursionError:  # a value nested hundreds of levels deep (its repr overflows the stack)
        raise InputError(f"{WHAT} invalide ({origin}) : valeurs trop imbriquées", path=origin) from None
    problems = structure_problems(file)
    if problems:
        raise InputError(f"{WHAT} invalide ({origin})", path=origin, problems=problems)
    return file


def load_financing(path: Path | str) -> FinancingFile:
    """Read a financing file: ``.json`` as JSON, anything else as TOML."""
    path = Path(path)
    data = _read_json(path) if path.suffix.lower() == ".json" else read_toml(path)
    return parse_financing(data, origin=str(path))


def check_financing(
    file: FinancingFile,
    *,
    today: dt.date,
    pack_id: str | None = None,
    complete_dossier_date: dt.date | None = None,
    avance_deadline: dt.date | None = None,
    parameters: Parameters | None = None,
) -> FinancingReport:
    """Check ``file`` the way the ASP would; pure (no clock, no I/O).

    - ``today``: the reference date (contestation deadlines).
    - ``pack_id``: the profile's dispositif; a file for another one is a blocking finding.
    - ``complete_dossier_date``: used only when the file has no ``complete_dossier_date`` (e.g. the
      plan's ``dossier-complet`` deadline); a BDC found too early against it is then a warning.
    - ``avance_deadline``: the plan's ``avance`` deadline; without it, BDC signed after it are not
      detected (an info says so).
    - ``parameters``: the dated parameters of the dispositif's pack (the plan passes its pack's);
      by default, those of the installed pack ``file.pack`` (else of the installed socle).
    """
    from .checks import CheckContext, cancellation_record, contestation_record, run_checks, solde_record
    from .models import structure_problems
    from .report import FinancingReport, FinancingSummary

    problems = structure_problems(file)
    if problems:
        raise InputError(f"{WHAT} invalide", problems=problems)
    ctx = CheckContext(file=file, today=today, pack_id=pack_id, complete_dossier_date=complete_dossier_date,
                       avance_deadline=avance_deadline,
                       parameters=parameters or installed_parameters(file.pack))
    findings = run_checks(ctx)
    counts = {level: sum(f.level == level for f in findings) for level in Level}
    return FinancingReport(
        today=today,
        pack=file.pack,
        accepted=counts[Level.BLOCKING] == 0,
        findings=findings,
        soldes=[solde_record(ctx, r) for r in ctx.soldes],
        cancellations=[cancellation_record(ctx, c) for c in file.cancellations],
        contestations=[contestation_record(ctx, c) for c in file.contestations],
        summary=FinancingSummary(blocking=counts[Level.BLOCKING], warnings=counts[Level.WARNING],
                                 infos=counts[Level.INFO]),
    )


SOCLE_ID = "socle-segur"


@functools.lru_cache(maxsize=32)
def installed_parameters(pack_id: str) -> Parameters | None:
    """The parameters of the installed pack ``pack_id`` (resolved against its socle), else of the
    installed socle; None when neither is installed."""
    return parameters_for(_registry(), pack_id)


def parameters_for(registry: Any, pack_id: str) -> Parameters | None:
    """The parameters of ``pack_id`` in ``registry`` (a :class:`~segur_plan.engine.registry.PackRegistry`),
    else of its socle; None when it has neither."""
    for candidate in (pack_id, SOCLE_ID):
        entry = registry.entries.get(candidate)
        if entry is not None:
            from ..parameters import Parameters

            return Parameters(entry.pack)
    return None


@functools.lru_cache(maxsize=1)
def _registry() -> PackRegistry:
    from ..registry import PackRegistry

    return PackRegistry.discover()
