"""Reading financing files: TOML and JSON with the same keys, French errors naming the field."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from segur_plan.engine.errors import InputError
from segur_plan.engine.financing import FinancingFile, load_financing, parse_financing

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples" / "financing").glob("*.toml"))

MINIMAL: dict[str, Any] = {
    "pack": "MDV-LGC",
    "requests": [{
        "id": "AV-1", "kind": "avance", "date": "2025-06-01",
        "beneficiaries": [{"id": "73282932000074", "id_kind": "siret", "avance_paid": "450.00"}],
        "orders": [{"beneficiary": "73282932000074", "signed": "2025-05-02", "amount": "1500.00",
                    "state_mention": True}],
    }],
}

TOML_MINIMAL = """
pack = "MDV-LGC"
[[requests]]
id = "AV-1"
kind = "avance"
date = 2025-06-01
  [[requests.beneficiaries]]
  id = "73282932000074"
  id_kind = "siret"
  avance_paid = "450.00"
  [[requests.orders]]
  beneficiary = "73282932000074"
  signed = 2025-05-02
  amount = "1500.00"
  state_mention = true
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[InputError]) -> dict[str, str]:
    return {p.loc: p.message for p in exc.value.problems}


def test_toml_and_json_give_the_same_model(tmp_path: Path) -> None:
    from_toml = load_financing(write(tmp_path, "f.toml", TOML_MINIMAL))
    from_json = load_financing(write(tmp_path, "f.json", json.dumps(MINIMAL)))
    assert from_toml == from_json
    assert from_toml.requests[0].beneficiaries[0].avance_paid == Decimal("450.00")


def test_json_round_trip_keeps_the_keys_and_amounts_as_strings() -> None:
    model = parse_financing(MINIMAL)
    dumped = model.model_dump(mode="json", exclude_defaults=True)
    assert dumped["requests"][0]["orders"][0]["amount"] == "1500.00"
    assert parse_financing(dumped) == model


def test_json_schema_is_exportable() -> None:
    schema = FinancingFile.model_json_schema()
    order = schema["$defs"]["Order"]["properties"]
    assert {"beneficiary", "signed", "amount", "state_mention"} <= set(order)
    assert {"type": "integer", "minimum": 0} in order["amount"]["anyOf"]
    json.dumps(schema)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_examples_load(example: Path) -> None:
    assert load_financing(example).pack == "MDV-LGC"


def test_integers_are_amounts(tmp_path: Path) -> None:
    text = TOML_MINIMAL.replace('amount = "1500.00"', "amount = 1500")
    assert load_financing(write(tmp_path, "f.toml", text)).requests[0].orders[0].amount == Decimal(1500)


@pytest.mark.parametrize(("suffix", "text"), [
    ("toml", TOML_MINIMAL.replace('amount = "1500.00"', "amount = 1500.00")),
    ("json", json.dumps(MINIMAL).replace('"amount": "1500.00"', '"amount": 1500.0')),
])
def test_floats_are_refused_with_a_french_message(tmp_path: Path, suffix: str, text: str) -> None:
    with pytest.raises(InputError) as exc:
        load_financing(write(tmp_path, f"f.{suffix}", text))
    found = problems(exc)
    message = found["requests[0].orders[0].amount"]
    assert "virgule flottante" in message and '"1500.00"' in message


@pytest.mark.parametrize(("change", "loc", "fragment"), [
    (lambda d: d["requests"][0]["orders"][0].update(amount="15,00"), "requests[0].orders[0].amount", "illisible"),
    (lambda d: d["requests"][0]["orders"][0].update(amount="-3"), "requests[0].orders[0].amount", "illisible"),
    (lambda d: d["requests"][0]["orders"][0].update(amount="1.005"), "requests[0].orders[0].amount", "2 décimales"),
    (lambda d: d["requests"][0]["orders"][0].update(amount=True), "requests[0].orders[0].amount", "booléen"),
    (lambda d: d["requests"][0]["orders"][0].update(state_mention="oui"), "requests[0].orders[0].state_mention",
     "vrai ou faux"),
    (lambda d: d["requests"][0]["orders"][0].update(signed=20250502), "requests[0].orders[0].signed", "AAAA-MM-JJ"),
    (lambda d: d["requests"][0]["orders"][0].update(signed="02/05/2025"), "requests[0].orders[0].signed",
     "AAAA-MM-JJ"),
    (lambda d: d["requests"][0]["beneficiaries"][0].update(id=73282932000074), "requests[0].beneficiaries[0].id",
     "chaîne de caractères"),
    (lambda d: d["requests"][0]["beneficiaries"][0].update(id_kind="siren"), "requests[0].beneficiaries[0].id_kind",
     "non autorisée"),
    (lambda d: d["requests"][0].update(kind="acompte"), "requests[0].kind", "non autorisée"),
    (lambda d: d["requests"][0].update(beneficiaries=[]), "requests[0].beneficiaries", "trop peu"),
    (lambda d: d["requests"][0].update(extra=1), "requests[0].extra", "champ inconnu"),
    (lambda d: d.pop("pack"), "pack", "champ obligatoire absent"),
])
def test_wrong_types_name_the_field(change: Any, loc: str, fragment: str) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    with pytest.raises(InputError) as exc:
        parse_financing(data, origin="f.json")
    found = problems(exc)
    assert loc in found, found
    assert fragment in found[loc]
    assert exc.value.message.startswith("Fichier de financement invalide")


def _two_avances(d: dict[str, Any]) -> None:
    second = copy.deepcopy(d["requests"][0])
    second["id"] = "AV-2"
    solde = copy.deepcopy(d["requests"][0])
    solde.update(id="SO-1", kind="solde")
    solde["beneficiaries"][0].pop("avance_paid")
    d["requests"] += [second, solde]


@pytest.mark.parametrize(("change", "loc", "fragment"), [
    (lambda d: d["requests"].append(copy.deepcopy(d["requests"][0])), "requests[1].id", "déjà utilisé"),
    (_two_avances, "requests[2].avance", "plusieurs demandes d'avance"),
    (lambda d: d["requests"].append({**copy.deepcopy(d["requests"][0]), "id": "SO-1", "kind": "solde",
                                     "avance": "AV-9"}), "requests[1].avance", "« AV-9 »"),
    (lambda d: d["requests"][0].update(avance="AV-1"), "requests[0].avance", "demande de solde"),
    (lambda d: d["requests"][0]["beneficiaries"][0].update(historic_ids=["1"]),
     "requests[0].beneficiaries[0].historic_ids", "demande de solde"),
    (lambda d: d.update(cancellations=[{"request": "AV-1", "scope": "partial", "avance_received": False,
                                        "date": "2025-11-20"}]), "cancellations[0].beneficiaries", "partielle"),
])
def test_structure_problems(change: Any, loc: str, fragment: str) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    with pytest.raises(InputError) as exc:
        parse_financing(data)
    found = problems(exc)
    assert loc in found, found
    assert fragment in found[loc]


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("f.toml", "pack = \n", "TOML mal formé"),
    ("f.json", '{"pack": "MDV-LGC",', "JSON mal formé"),
    ("f.json", "[1, 2]", "doit être un objet"),
])
def test_malformed_files(tmp_path: Path, name: str, content: str, fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        load_financing(write(tmp_path, name, content))
    assert fragment in str(exc.value)


@pytest.mark.parametrize(("name", "content"), [
    ("f.json", "[" * 100_000 + "]" * 100_000),
    ("f.json", '{"pack": ' + "[" * 1200 + "]" * 1200 + "}"),
    ("f.toml", "pack = " + "[" * 1000 + "]" * 1000 + "\n"),
])
def test_deeply_nested_input_is_a_typed_error(tmp_path: Path, name: str, content: str) -> None:
    with pytest.raises(InputError):
        load_financing(write(tmp_path, name, content))


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Fichier introuvable"):
        load_financing(tmp_path / "absent.json")
    bad = tmp_path / "f.json"
    bad.write_bytes(b'{"pack": "\xe9"}')
    with pytest.raises(InputError, match="UTF-8"):
        load_financing(bad)


def test_toml_written_by_a_tool_loads(tmp_path: Path) -> None:
    model = parse_financing(MINIMAL)
    data = model.model_dump(mode="python", exclude_defaults=True)
    data["requests"][0]["orders"][0]["amount"] = "1500.00"
    data["requests"][0]["beneficiaries"][0]["avance_paid"] = "450.00"
    path = tmp_path / "f.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert load_financing(path) == model
