"""Issue 6 acceptance: one passing and one failing case per financing rule, in one table; then the
rarer paths of the same rules, the two example files and the report's JSON shape.

Every case starts from ``BASE`` (a clean file: nothing blocking, nothing to warn about), applies
one change and states which codes must appear (with their level) and which must not.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from segur_plan.engine.financing import (
    FinancingReport,
    check_financing,
    installed_parameters,
    load_financing,
    parse_financing,
)
from segur_plan.engine.financing.checks import RULES, CheckContext, case4_pivot, classify_cancellation
from segur_plan.engine.financing.models import FinancingFile
from segur_plan.engine.models.common import Level

S = "73282932000074"  # SIRET (the sample, real and valid)
F = "690000013"  # FINESS, key computed
R = "10000000009"  # RPPS, key computed
C = "130000045"  # FINESS of the entity born of a merger
TODAY = dt.date(2026, 1, 20)
AVANCE_DEADLINE = dt.date(2025, 12, 31)


def _orders(*who: str, signed: str = "2025-05-02") -> list[dict[str, Any]]:
    return [{"beneficiary": b, "signed": signed, "amount": "1500.00", "state_mention": True} for b in who]


def _invoices(*who: str, deed: bool = False) -> list[dict[str, Any]]:
    return [{"beneficiary": b, "date": "2025-12-01", "amount": "1500.00", "merger_deed_attached": deed} for b in who]


def _va(*who: str) -> list[dict[str, Any]]:
    return [{"beneficiary": b, "kind": "va", "signed_by_client": True, "date": "2025-12-01"} for b in who]


BASE: dict[str, Any] = {
    "schema_version": 1,
    "pack": "MDV-LGC",
    "complete_dossier_date": "2025-04-01",
    "requests": [
        {
            "id": "AV-1", "kind": "avance", "date": "2025-06-01",
            "beneficiaries": [
                {"id": S, "id_kind": "siret", "avance_paid": "450.00"},
                {"id": F, "id_kind": "finess", "avance_paid": "450.00"},
                {"id": R, "id_kind": "rpps", "avance_paid": "300.00"},
            ],
            "orders": _orders(S, F, R),
        },
        {
            "id": "SO-1", "kind": "solde", "date": "2026-01-15", "avance": "AV-1",
            "beneficiaries": [{"id": S, "id_kind": "siret"}, {"id": F, "id_kind": "finess"},
                              {"id": R, "id_kind": "rpps"}],
            "invoices": _invoices(S, F, R),
            "va": _va(S, F, R),
        },
    ],
    "pilots": [{"beneficiary": b, "pv_signed": True, "invoice_date": "2025-09-01"} for b in (S, F, R)],
}


def avance(d: dict[str, Any]) -> dict[str, Any]:
    return d["requests"][0]


def solde(d: dict[str, Any]) -> dict[str, Any]:
    return d["requests"][1]


def keep_in_solde(d: dict[str, Any], *ids: str) -> None:
    so = solde(d)
    for key in ("beneficiaries",):
        so[key] = [b for b in so[key] if b["id"] in ids]
    for key in ("invoices", "va"):
        so[key] = [x for x in so[key] if x["beneficiary"] in ids]


def merge_f_r_into_c(d: dict[str, Any], *, historic: bool = True, deed: bool = True) -> None:
    keep_in_solde(d, S)
    ben: dict[str, Any] = {"id": C, "id_kind": "finess"}
    if historic:
        ben["historic_ids"] = [F, R]
    solde(d)["beneficiaries"].append(ben)
    solde(d)["invoices"] += _invoices(C, deed=deed)
    solde(d)["va"] += _va(C)
    if not historic:  # an entity with no history needs its own BDC to be judged on its perimeter only
        solde(d)["orders"] = _orders(C, signed="2025-10-01")


def cancel(scope: str, received: bool, date: str = "2025-11-20", who: tuple[str, ...] = (S,),
           agreed: bool = False) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d["cancellations"] = [{"request": "AV-1", "scope": scope, "avance_received": received, "date": date,
                               "beneficiaries": list(who) if scope == "partial" else [],
                               "with_client_agreement": agreed}]
    return change


def set_path(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """``set_path("requests[0].orders[1].amount", "0.00")``."""
    def change(d: dict[str, Any]) -> None:
        target: Any = d
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value
    return change


def seq(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        for c in changes:
            c(d)
    return change


def nothing(d: dict[str, Any]) -> None:
    return None


@dataclass
class Case:
    id: str
    change: Callable[[dict[str, Any]], None]
    present: dict[str, Level] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    extra: Callable[[FinancingReport], None] | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def _compensation(amount: str) -> Callable[[FinancingReport], None]:
    def check(report: FinancingReport) -> None:
        assert report.accepted
        assert report.soldes[0].removed == [R]
        assert report.soldes[0].compensation == Decimal(amount)
        assert report.model_dump(mode="json")["soldes"][0]["compensation"] == amount
    return check


def _both_requests_named(report: FinancingReport) -> None:
    dup = next(f for f in report.findings if f.code == "FINANCING_DUPLICATE_BENEFICIARY")
    assert dup.refs == ["AV-1", "AV-2", S]
    assert "AV-1 et AV-2" in dup.message


def _quoted(ident: str) -> Callable[[FinancingReport], None]:
    def check(report: FinancingReport) -> None:
        assert any(f"« {ident} »" in f.message and ident in f.refs for f in report.blocking)
    return check


def _cancellation(case: int, outcome: str, repay: str | None = None, settle: str | None = None,
                  send: int = 1) -> Callable[[FinancingReport], None]:
    def check(report: FinancingReport) -> None:
        rec = report.cancellations[0]
        assert rec.case == case
        assert outcome in rec.outcome
        assert rec.repay == (Decimal(repay) if repay else None)
        assert rec.settle_at_solde == (Decimal(settle) if settle else None)
        assert rec.send[0] == "attestation sur l'honneur signée et motivée de l'éditeur"
        assert len(rec.send) == send
        info = next(f for f in report.findings if f.code == "FINANCING_CANCELLATION")
        assert f"cas {case}" in info.message
    return check


def _due(expected: dt.date, status: str) -> Callable[[FinancingReport], None]:
    def check(report: FinancingReport) -> None:
        rec = report.contestations[0]
        assert rec.due == expected
        assert rec.status == status
    return check


def second_avance_with(ben: str) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d["requests"].append({"id": "AV-2", "kind": "avance", "date": "2025-07-01",
                              "beneficiaries": [{"id": ben, "id_kind": "siret"}],
                              "orders": _orders(ben, signed="2025-06-20")})
    return change


def _merged_accepted(report: FinancingReport) -> None:
    assert report.accepted
    assert report.soldes[0].merged == [C] and report.soldes[0].removed == []


def contest(received: str) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d["contestations"] = [{"request": "AV-1", "received": received}]
    return change


BLOCK, WARN, INFO = Level.BLOCKING, Level.WARNING, Level.INFO

CASES = [
    # --- bon de commande: real non-zero amount
    Case("bdc-amount/ok", nothing, absent=("FINANCING_BDC_ZERO_AMOUNT",)),
    Case("bdc-amount/zero", set_path("requests[0].orders[1].amount", "0.00"),
         {"FINANCING_BDC_ZERO_AMOUNT": BLOCK}, extra=_quoted(F)),
    # --- bon de commande: the State-funding mention
    Case("bdc-mention/ok", nothing, absent=("FINANCING_BDC_MENTION_MISSING",)),
    Case("bdc-mention/missing", set_path("requests[0].orders[0].state_mention", False),
         {"FINANCING_BDC_MENTION_MISSING": BLOCK}),
    # --- invoice at solde with a 0 € Prestation
    Case("invoice/ok", nothing, absent=("FINANCING_INVOICE_ZERO_AMOUNT",)),
    Case("invoice/zero", set_path("requests[1].invoices[2].amount", 0), {"FINANCING_INVOICE_ZERO_AMOUNT": BLOCK}),
    # --- one financing per SONS and beneficiary (inside the file)
    Case("duplicate/solde-repeats-avance-ok", nothing, absent=("FINANCING_DUPLICATE_BENEFICIARY",)),
    Case("duplicate/two-avances", second_avance_with(S),
         {"FINANCING_DUPLICATE_BENEFICIARY": BLOCK}, extra=_both_requests_named),
    Case("duplicate/refiled-after-cancellation-ok", seq(second_avance_with(S), cancel("partial", False)),
         absent=("FINANCING_DUPLICATE_BENEFICIARY",)),
    # --- one financing per SONS and beneficiary (against the list given)
    Case("already-financed/ok", lambda d: d.update(already_financed=[{"id": "12345678200010"}]),
         absent=("FINANCING_ALREADY_FINANCED",)),
    Case("already-financed/hit", lambda d: d.update(already_financed=[{"id": F, "editor": "Autre"}]),
         {"FINANCING_ALREADY_FINANCED": BLOCK}, extra=_quoted(F)),
    # --- solde perimeter: removed → accepted with the compensation; added → refused
    Case("perimeter/removed-accepted", lambda d: keep_in_solde(d, S, F),
         {"FINANCING_SOLDE_REMOVED": INFO}, absent=("FINANCING_SOLDE_ADDED",), extra=_compensation("300.00")),
    Case("perimeter/added-refused", lambda d: (
        solde(d)["beneficiaries"].append({"id": C, "id_kind": "finess"}),
        solde(d).update(orders=_orders(C, signed="2025-10-01")),
        solde(d)["invoices"].extend(_invoices(C)), solde(d)["va"].extend(_va(C))),
         {"FINANCING_SOLDE_ADDED": BLOCK}, extra=_quoted(C)),
    # --- merger / split: historic ids and deed both needed
    Case("merger/historic-and-deed-accepted", merge_f_r_into_c, {"FINANCING_SOLDE_MERGER_ACCEPTED": INFO},
         absent=("FINANCING_SOLDE_ADDED", "FINANCING_SOLDE_MERGER_DEED_MISSING", "FINANCING_SOLDE_REMOVED"),
         extra=_merged_accepted),
    Case("merger/without-deed-refused", lambda d: merge_f_r_into_c(d, deed=False),
         {"FINANCING_SOLDE_MERGER_DEED_MISSING": BLOCK}),
    Case("merger/without-historic-ids-refused", lambda d: merge_f_r_into_c(d, historic=False),
         {"FINANCING_SOLDE_ADDED": BLOCK, "FINANCING_SOLDE_REMOVED": INFO}),
    Case("merger/historic-not-in-avance-refused",
         seq(merge_f_r_into_c, set_path("requests[1].beneficiaries[1].historic_ids", [F, "12345678200010"])),
         {"FINANCING_SOLDE_HISTORIC_UNKNOWN": BLOCK}),
    # --- orders signed before référencement: 120 days, inclusive
    Case("order-120/exactly-120-days-ok", set_path("requests[0].orders[0].signed", "2024-12-02"),
         absent=("FINANCING_ORDER_TOO_EARLY",)),
    Case("order-120/121-days-refused", set_path("requests[0].orders[0].signed", "2024-12-01"),
         {"FINANCING_ORDER_TOO_EARLY": BLOCK}),
    Case("order-120/plan-date-only-warns",
         seq(set_path("complete_dossier_date", None), set_path("requests[0].orders[0].signed", "2024-12-01")),
         {"FINANCING_ORDER_TOO_EARLY": WARN}, kwargs={"complete_dossier_date": dt.date(2025, 4, 1)}),
    # --- orders never after the avance deadline (inclusive)
    Case("order-deadline/on-the-day-ok", set_path("requests[0].orders[0].signed", "2025-12-31"),
         absent=("FINANCING_ORDER_AFTER_AVANCE_DEADLINE", "FINANCING_ORDER_DATES_UNCHECKED")),
    Case("order-deadline/day-after-refused", set_path("requests[0].orders[0].signed", "2026-01-01"),
         {"FINANCING_ORDER_AFTER_AVANCE_DEADLINE": BLOCK}),
    Case("order-deadline/unknown-info", nothing, {"FINANCING_ORDER_DATES_UNCHECKED": INFO},
         kwargs={"avance_deadline": None}),
    # --- three pilots before the solde
    Case("pilots/three-ok", nothing, absent=("FINANCING_PILOTS_MISSING",)),
    Case("pilots/unsigned-pv-refused", set_path("pilots[2].pv_signed", False), {"FINANCING_PILOTS_MISSING": BLOCK}),
    Case("pilots/invoice-after-solde-refused", set_path("pilots[0].invoice_date", "2026-02-01"),
         {"FINANCING_PILOTS_MISSING": BLOCK}),
    # --- VA / MoM signed by the client
    Case("va/signed-ok", nothing, absent=("FINANCING_VA_UNSIGNED", "FINANCING_VA_MISSING")),
    Case("va/unsigned-refused", set_path("requests[1].va[0].signed_by_client", False),
         {"FINANCING_VA_UNSIGNED": BLOCK}),
    Case("va/missing-refused", set_path("requests[1].va", _va(S, F)), {"FINANCING_VA_MISSING": BLOCK}),
    # --- cancellations: the four cases, case 4 around the 17/11 pivot
    Case("cancel/case-1", cancel("total", True), {"FINANCING_CANCELLATION": INFO},
         extra=_cancellation(1, "rembourse l'avance perçue", repay="1200.00")),
    Case("cancel/case-2", cancel("partial", True, agreed=True), {"FINANCING_CANCELLATION": INFO},
         extra=_cancellation(2, "régularisé au solde", settle="450.00", send=2)),
    Case("cancel/case-3", cancel("total", False), {"FINANCING_CANCELLATION": INFO},
         extra=_cancellation(3, "l'ASP annule la demande")),
    Case("cancel/case-4-before-17-11", cancel("partial", False, date="2025-11-16"), {"FINANCING_CANCELLATION": INFO},
         extra=_cancellation(4, "avant le 17/11/2025 : l'ASP rejette la demande")),
    Case("cancel/case-4-from-17-11", cancel("partial", False, date="2025-11-17"), {"FINANCING_CANCELLATION": INFO},
         extra=_cancellation(4, "à partir du 17/11/2025 : l'ASP modifie la demande")),
    Case("cancel/perimeter-outside-refused", cancel("partial", False, who=("12345678200010",)),
         {"FINANCING_CANCELLATION_PERIMETER": BLOCK}),
    # --- contestation: 10 working days, French holidays (Friday 7/11/2025, Tuesday 11/11 Armistice)
    Case("contestation/friday-before-armistice", contest("2025-11-07"), {"FINANCING_CONTESTATION_DUE": INFO},
         extra=_due(dt.date(2025, 11, 24), "pending"), kwargs={"today": dt.date(2025, 11, 10)}),
    Case("contestation/overdue-warns", contest("2025-11-07"), {"FINANCING_CONTESTATION_OVERDUE": WARN},
         extra=_due(dt.date(2025, 11, 24), "overdue"), kwargs={"today": dt.date(2025, 11, 25)}),
    # --- identifiers
    Case("siret/valid", nothing, absent=("FINANCING_SIRET_INVALID", "FINANCING_FINESS_INVALID",
                                         "FINANCING_RPPS_INVALID")),
    Case("siret/bad-key", seq(set_path("requests[0].beneficiaries[0].id", "73282932000075"),
                              set_path("requests[0].orders[0].beneficiary", "73282932000075")),
         {"FINANCING_SIRET_INVALID": BLOCK}, extra=_quoted("73282932000075")),
    Case("finess/bad-key", seq(set_path("requests[0].beneficiaries[1].id", "690000014"),
                               set_path("requests[0].orders[1].beneficiary", "690000014")),
         {"FINANCING_FINESS_INVALID": BLOCK}, extra=_quoted("690000014")),
    Case("rpps/bad-key", seq(set_path("requests[0].beneficiaries[2].id", "10000000008"),
                             set_path("requests[0].orders[2].beneficiary", "10000000008")),
         {"FINANCING_RPPS_INVALID": BLOCK}, extra=_quoted("10000000008")),
    # --- the profile's dispositif
    Case("pack/same-ok", nothing, absent=("FINANCING_PACK_MISMATCH",), kwargs={"pack_id": "mdv-lgc"}),
    Case("pack/other-refused", nothing, {"FINANCING_PACK_MISMATCH": BLOCK}, kwargs={"pack_id": "HOP-DPI"}),
]


def run(case: Case) -> FinancingReport:
    data = copy.deepcopy(BASE)
    case.change(data)
    kwargs: dict[str, Any] = {"today": TODAY, "avance_deadline": AVANCE_DEADLINE, **case.kwargs}
    return check_financing(parse_financing(data), **kwargs)


def test_base_is_clean() -> None:
    report = run(Case("base", nothing))
    assert report.accepted
    assert report.findings == []
    assert report.soldes[0].removed == [] and report.soldes[0].compensation == Decimal("0")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(case: Case) -> None:
    report = run(case)
    codes = {(f.code, f.level) for f in report.findings}
    for code, level in case.present.items():
        assert (code, level) in codes, f"{code} ({level}) attendu ; obtenu : {sorted(codes)}"
        finding = next(f for f in report.findings if f.code == code)
        assert f"(source : {RULES[code].source}" in finding.message
    for code in case.absent:
        assert code not in {c for c, _ in codes}, [f.message for f in report.findings if f.code == code]
    if any(level == Level.BLOCKING for level in case.present.values()):
        assert not report.accepted
    if case.extra:
        case.extra(report)


def test_every_rule_has_a_failing_or_informing_case() -> None:
    covered = {code for case in CASES for code in case.present}
    untested = set(RULES) - covered - {
        # covered below, one test each: rarer paths of the same rules
        "FINANCING_FINESS_KEY_UNCHECKED", "FINANCING_BDC_MISSING", "FINANCING_INVOICE_MISSING",
        "FINANCING_DOCUMENT_UNKNOWN_BENEFICIARY", "FINANCING_SOLDE_COMPENSATION_UNKNOWN",
        "FINANCING_SOLDE_NO_AVANCE", "FINANCING_SOLDE_CANCELLED", "FINANCING_CANCELLATION_AVANCE_MISMATCH",
    }
    assert untested == set()


# ------------------------------------------------------------------ rarer paths, examples, JSON

ROOT = Path(__file__).resolve().parents[3]
CLEAN = ROOT / "examples" / "financing" / "mdv-lgc-propre.toml"
TO_FIX = ROOT / "examples" / "financing" / "mdv-lgc-a-corriger.toml"


def check(data: dict[str, Any], **kwargs: Any) -> FinancingReport:
    args = {"today": TODAY, "avance_deadline": AVANCE_DEADLINE, **kwargs}
    return check_financing(parse_financing(data), **args)


def codes(report: FinancingReport) -> dict[str, Level]:
    return {f.code: f.level for f in report.findings}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def test_corsican_finess_is_accepted_with_an_info() -> None:
    d = base()
    d["requests"][0]["beneficiaries"][1]["id"] = "2A0000010"
    d["requests"][0]["orders"][1]["beneficiary"] = "2A0000010"
    keep_in_solde(d, S, R)
    report = check(d)
    assert codes(report)["FINANCING_FINESS_KEY_UNCHECKED"] == Level.INFO
    assert "FINANCING_FINESS_INVALID" not in codes(report)


def test_missing_documents_are_blocking() -> None:
    d = base()
    d["requests"][0]["orders"] = d["requests"][0]["orders"][:2]  # no BDC for R
    solde(d)["invoices"] = solde(d)["invoices"][:2]  # no invoice for R
    solde(d)["va"].append({"beneficiary": C, "kind": "mom", "signed_by_client": True, "date": "2025-12-01"})
    report = check(d)
    found = codes(report)
    assert found["FINANCING_BDC_MISSING"] == Level.BLOCKING
    assert found["FINANCING_INVOICE_MISSING"] == Level.BLOCKING
    assert found["FINANCING_DOCUMENT_UNKNOWN_BENEFICIARY"] == Level.BLOCKING
    missing = [f for f in report.findings if f.code == "FINANCING_BDC_MISSING"]
    assert {tuple(f.refs) for f in missing} == {("AV-1", R), ("SO-1", R)}


def test_unknown_avance_paid_makes_the_compensation_incomplete() -> None:
    d = base()
    del d["requests"][0]["beneficiaries"][2]["avance_paid"]
    keep_in_solde(d, S, F)
    report = check(d)
    assert codes(report)["FINANCING_SOLDE_COMPENSATION_UNKNOWN"] == Level.WARNING
    assert report.soldes[0].compensation == Decimal("0") and not report.soldes[0].compensation_complete


def test_solde_without_avance_is_not_compared() -> None:
    d = base()
    d["requests"] = [d["requests"][1]]
    del d["requests"][0]["avance"]
    d["requests"][0]["orders"] = [{"beneficiary": b, "signed": "2025-05-02", "amount": "10", "state_mention": True}
                                  for b in (S, F, R)]
    report = check(d)
    assert codes(report)["FINANCING_SOLDE_NO_AVANCE"] == Level.INFO
    assert report.accepted and report.soldes[0].avance is None


def test_solde_of_a_cancelled_avance_or_beneficiary() -> None:
    d = base()
    d["cancellations"] = [{"request": "AV-1", "scope": "total", "avance_received": True, "date": "2025-11-20"}]
    assert codes(check(d))["FINANCING_SOLDE_CANCELLED"] == Level.BLOCKING
    d["cancellations"] = [{"request": "AV-1", "scope": "partial", "beneficiaries": [R], "avance_received": True,
                           "date": "2025-11-20"}]
    blocking = [f for f in check(d).findings if f.code == "FINANCING_SOLDE_CANCELLED"]
    assert blocking and R in blocking[0].refs
    keep_in_solde(d, S, F)  # the cancelled beneficiary left out: compensated, as case 2 says
    report = check(d)
    assert "FINANCING_SOLDE_CANCELLED" not in codes(report)
    assert report.soldes[0].compensation == Decimal("300.00")
    assert report.cancellations[0].settle_at_solde == Decimal("300.00")


def test_cancellation_claiming_no_avance_when_the_file_has_one() -> None:
    d = base()
    d["cancellations"] = [{"request": "AV-1", "scope": "total", "avance_received": False, "date": "2025-11-20"}]
    assert codes(check(d))["FINANCING_CANCELLATION_AVANCE_MISMATCH"] == Level.WARNING


def test_cancellation_scope_that_contradicts_its_list() -> None:
    d = base()
    d["cancellations"] = [{"request": "AV-1", "scope": "partial", "beneficiaries": [S, F, R],
                           "avance_received": True, "date": "2025-11-20"}]
    messages = [f.message for f in check(d).findings if f.code == "FINANCING_CANCELLATION_PERIMETER"]
    assert any("annulation totale (cas 1)" in m for m in messages)


def test_cancellation_of_a_request_absent_from_the_file() -> None:
    d = base()
    d["cancellations"] = [{"request": "AV-0", "scope": "total", "avance_received": True, "date": "2025-11-20"}]
    report = check(d)
    info = next(f for f in report.findings if f.code == "FINANCING_CANCELLATION")
    assert "périmètre non vérifié" in info.message and report.cancellations[0].repay is None


def test_case4_pivot_is_the_cancellations_own_year_inclusive() -> None:
    ctx = CheckContext(FinancingFile(pack="MDV-LGC"), today=TODAY, parameters=installed_parameters("MDV-LGC"))
    assert case4_pivot(ctx, dt.date(2026, 3, 1)) == dt.date(2026, 11, 17)
    assert [classify_cancellation("partial", False), classify_cancellation("total", True)] == [4, 1]


def test_clean_example_exits_clean() -> None:
    report = check_financing(load_financing(CLEAN), today=dt.date(2026, 1, 20), avance_deadline=AVANCE_DEADLINE)
    assert report.accepted
    assert {f.level for f in report.findings} == {Level.INFO}
    assert report.soldes[0].compensation == Decimal("450.00")
    assert report.cancellations[0].case == 2
    assert report.contestations[0].due == dt.date(2026, 1, 6)


def test_example_to_fix_shows_each_problem() -> None:
    report = check_financing(load_financing(TO_FIX), today=dt.date(2025, 11, 10))
    assert not report.accepted
    blocking = {f.code for f in report.blocking}
    assert blocking >= {
        "FINANCING_BDC_ZERO_AMOUNT", "FINANCING_BDC_MENTION_MISSING", "FINANCING_DUPLICATE_BENEFICIARY",
        "FINANCING_ALREADY_FINANCED", "FINANCING_SIRET_INVALID", "FINANCING_FINESS_INVALID",
        "FINANCING_SOLDE_ADDED", "FINANCING_SOLDE_MERGER_DEED_MISSING", "FINANCING_VA_UNSIGNED",
        "FINANCING_PILOTS_MISSING", "FINANCING_ORDER_TOO_EARLY",
    }
    assert report.cancellations[0].case == 4 and "avant le 17/11/2025" in report.cancellations[0].outcome
    assert report.contestations[0].due == dt.date(2025, 11, 24)


def test_report_json_shape_and_order() -> None:
    d = base()
    keep_in_solde(d, S, F)
    d["contestations"] = [{"request": "AV-1", "received": "2025-11-07"}]
    d["requests"][0]["orders"][0]["amount"] = "0"
    report = check(d, today=dt.date(2025, 11, 10))
    data = json.loads(report.model_dump_json())
    assert list(data) == ["schema_version", "today", "pack", "accepted", "findings", "soldes", "cancellations",
                          "contestations", "summary"]
    assert data["soldes"][0]["compensation"] == "300.00"
    assert data["contestations"][0] == {"request": "AV-1", "received": "2025-11-07", "due": "2025-11-24",
                                        "status": "pending", "days_left": 14, "holidays_skipped": ["2025-11-11"]}
    assert data["summary"] == {"blocking": 1, "warnings": 0, "infos": 2}
    levels = [f["level"] for f in data["findings"]]
    assert levels == sorted(levels, key=["blocking", "warning", "info"].index)
    assert report == check(d, today=dt.date(2025, 11, 10))  # pure: same input, same report


def test_rules_table_is_complete_and_french() -> None:
    for code, rule in RULES.items():
        assert code == rule.code and code.startswith("FINANCING_")
        assert rule.source and rule.label


def test_pilot_bdc_from_its_own_date_or_from_the_file() -> None:
    d = base()
    d["pilots"][2] = {"beneficiary": "12345678200010", "pv_signed": True, "invoice_date": "2025-09-01"}
    message = next(f.message for f in check(d).findings if f.code == "FINANCING_PILOTS_MISSING")
    assert "12345678200010 (aucun BDC)" in message
    d["pilots"][2]["order_signed"] = "2025-08-01"
    assert "FINANCING_PILOTS_MISSING" not in codes(check(d))
    d["pilots"][2]["invoice_date"] = None
    assert "facture non datée" in next(f.message for f in check(d).findings if f.code == "FINANCING_PILOTS_MISSING")
