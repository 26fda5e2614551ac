"""explain tells what the plan decided, from the plan's own computation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli.main import run
from segur_plan.engine.api import Engine, Explanation
from segur_plan.engine.errors import UnknownItemError
from segur_plan.engine.loading import load_profile

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2025, 3, 1)


def invoke(*args: str) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout, result.stderr


def example(stem: str) -> Path:
    return ROOT / "examples" / f"{stem}.toml"


@pytest.mark.parametrize("stem", ["hop-dpi-ciba-vague1", "hop-dpi-marque-blanche-modifiee", "hop-dpi-audit",
                                  "hop-dpi-groupement"])
def test_explain_gives_the_status_of_the_plan_for_every_status(native_engine: Engine, stem: str) -> None:
    """One requirement of each status the plan uses: explain reports that very status."""
    profile = load_profile(example(stem))
    plan = native_engine.plan(profile, today=TODAY)
    own = [(s.name, r) for s in plan.solutions for r in s.requirements]
    first_of_status: dict[str, tuple[str | None, object]] = {}
    for solution, req in [(None, r) for r in plan.requirements] + own:
        first_of_status.setdefault(req.status, (solution, req))
    for solution, req in first_of_status.values():
        result = native_engine.explain(profile, req.id, today=TODAY, solution=solution)
        assert result.status == req.status and list(result.reasons) == req.why
        if req.status in ("acquired", "inherited", "redeposit"):
            assert result.decided_by and all(r in req.why for r in result.decided_by)


def test_an_acquired_exigence_says_acquired_and_names_the_rule() -> None:
    plan = json.loads(invoke("plan", str(example("hop-dpi-ciba-vague1")), "--today", "2025-03-01")[1])
    req = next(r for r in plan["requirements"] if r["status"] == "acquired")
    rule = next(w["ref"] for w in req["why"] if w["kind"] == "rule")
    code, out, _ = invoke("explain", str(example("hop-dpi-ciba-vague1")), req["id"], "--today", "2025-03-01")
    assert code == 0
    assert "Statut dans le plan : ACQUISE" in out
    decided = out.split("Ce qui a fixé ce statut :")[1].split("\n\n")[0]
    assert f"Règle « {rule} »" in decided and "source :" in decided
    assert f"{rule} : déclenchée — donne le statut « acquise »" in out
    code, out, _ = invoke("explain", str(example("hop-dpi-ciba-vague1")), req["id"], "--today", "2025-03-01",
                          "--format", "json")
    data = json.loads(out)
    assert data["status"] == "acquired" and data["decided_by"][0]["ref"] == rule


def test_an_inherited_exigence_names_the_marque_blanche_rule() -> None:
    code, out, _ = invoke("explain", str(example("hop-dpi-marque-blanche")), "DPI.DMP/va1.04", "--today",
                          "2025-03-01")
    assert code == 0 and "Statut dans le plan : HÉRITÉE" in out and "Règle « marque-blanche-heritee »" in out


def test_a_blocked_action_names_its_blockers() -> None:
    path = example("hop-dpi-sans-cnda")
    plan = json.loads(invoke("plan", str(path), "--today", "2025-03-01")[1])
    by_id = {a["id"]: a for a in plan["actions"]}
    action = next(a for a in plan["actions"] if a["blocked_by"])
    code, out, _ = invoke("explain", str(path), action["id"], "--today", "2025-03-01")
    assert code == 0 and out.startswith(f"Action {action['id']} — {action['label']}")
    state = next(line for line in out.splitlines() if line.startswith("État : "))
    assert state.startswith("État : bloquée par")
    for blocker in action["blocked_by"]:
        assert f"n° {by_id[blocker]['order']} « {by_id[blocker]['label']} » ({blocker})" in state
    ready = next(a for a in plan["actions"] if not a["blocked_by"])
    assert "État : prête" in invoke("explain", str(path), ready["id"], "--today", "2025-03-01")[1]


def test_a_deadline_and_a_prerequisite_are_explained() -> None:
    path = example("hop-dpi-sans-cnda")
    plan = json.loads(invoke("plan", str(path), "--today", "2025-03-01")[1])
    deadline = next(d for d in plan["deadlines"] if d["basis"] == "estimated")
    code, out, _ = invoke("explain", str(path), deadline["id"], "--today", "2025-03-01")
    assert code == 0 and f"Date : {deadline['date']}" in out and f"Source : {deadline['source']}" in out
    assert "Base : estimée" in out
    code, out, _ = invoke("explain", str(path), "CNDA-NIE", "--today", "2025-03-01", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "prerequisite" and {"what": "Bloquant", "value": "oui"} in data["facts"]


def test_unknown_ids_packs_and_profils_suggest_the_closest(native_engine: Engine, tmp_path: Path) -> None:
    code, _, err = invoke("explain", str(example("hop-dpi-client-lourd")), "SC.PSC.1", "--today", "2025-03-01")
    assert code == 2 and "Identifiant inconnu « SC.PSC.1 »" in err and "Vouliez-vous dire « SC.PSC." in err
    code, _, err = invoke("explain", str(example("hop-dpi-client-lourd")), "candidatur", "--today", "2025-03-01")
    assert code == 2 and "Vouliez-vous dire « candidature » ?" in err
    with pytest.raises(UnknownItemError) as info:
        native_engine.explain_any(load_profile(example("hop-dpi-client-lourd")), "dossier-complt", today=TODAY)
    assert info.value.suggestions[0] == "dossier-complet"
    bad_pack = tmp_path / "pack.toml"
    bad_pack.write_text('[solution]\nname = "x"\n[referencement]\npack = "HOP-DP"\n', encoding="utf-8")
    code, _, err = invoke("plan", str(bad_pack), "--today", "2025-03-01")
    assert code == 2 and "Pack inconnu « HOP-DP »" in err and "Vouliez-vous dire « HOP-DPI »" in err
    bad_profil = tmp_path / "profil.toml"
    bad_profil.write_text('[solution]\nname = "x"\n[referencement]\npack = "HOP-DPI"\n[profils]\n'
                          'declared = ["Client lour"]\n', encoding="utf-8")
    code, _, err = invoke("plan", str(bad_profil), "--today", "2025-03-01")
    assert code == 2 and "Vouliez-vous dire « Client lourd »" in err


def test_explain_uses_the_plan_not_a_second_reasoning(native_engine: Engine) -> None:
    """Every requirement of a plan: explain's status, reasons and applicability are the plan's."""
    profile = load_profile(example("hop-dpi-referentiel-update"))
    plan = native_engine.plan(profile, today=TODAY)
    for req in plan.requirements[:: max(1, len(plan.requirements) // 20)] + [
            r for r in plan.requirements if r.status == "redeposit"]:
        result = native_engine.explain(profile, req.id, today=TODAY)
        assert isinstance(result, Explanation)
        assert (result.status, list(result.reasons), result.applicable) == (req.status, req.why, True)
