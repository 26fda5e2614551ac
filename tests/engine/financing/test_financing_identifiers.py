"""SIRET, FINESS and RPPS checks (python-stdnum for SIRET and the Luhn key)."""

from __future__ import annotations

import pytest
from segur_plan.engine.financing.identifiers import check_finess, check_identifier, check_rpps, check_siret
from stdnum import luhn


@pytest.mark.parametrize("value", ["73282932000074", "12345678200010", "35600000000048", "35600000000056"])
def test_valid_sirets(value: str) -> None:
    assert check_siret(value).valid


def test_la_poste_uses_the_sum_of_digits_not_luhn() -> None:
    good, luhn_only = "35600000000056", "35600000000055"
    assert sum(map(int, good)) % 5 == 0 and not luhn.is_valid(good)
    assert check_siret(good).valid
    assert luhn.is_valid(luhn_only) and sum(map(int, luhn_only)) % 5 != 0
    bad = check_siret(luhn_only)
    assert not bad.valid and "La Poste" in (bad.problem or "")
    assert check_siret("35600000000048").valid  # the head office keeps the Luhn key


@pytest.mark.parametrize(("value", "fragment"), [
    ("73282932000075", "clé de contrôle invalide"),
    ("7328293200007", "14 chiffres, pas 13"),
    ("732 829 320 00074", "sans espace"),
    ("73282932100074", "SIREN"),
])
def test_invalid_sirets(value: str, fragment: str) -> None:
    result = check_siret(value)
    assert not result.valid and fragment in (result.problem or "")


@pytest.mark.parametrize("value", ["750712184", "010003820", "690000013", "130000045"])
def test_valid_finess(value: str) -> None:
    result = check_finess(value)
    assert result.valid and result.key_checked


def test_corsican_finess_format_only() -> None:
    result = check_finess("2A0000010")
    assert result.valid and not result.key_checked


@pytest.mark.parametrize(("value", "fragment"), [
    ("750712185", "clé de contrôle invalide"),
    ("75071218", "9 caractères, pas 8"),
    ("2C0000010", "2A ou 2B"),
    ("75 071218", "sans espace"),
])
def test_invalid_finess(value: str, fragment: str) -> None:
    result = check_finess(value)
    assert not result.valid and fragment in (result.problem or "")


def test_rpps() -> None:
    assert check_rpps("10000000009").valid
    assert check_rpps("10001234565").valid
    assert "clé" in (check_rpps("10000000008").problem or "")
    assert "11 chiffres, pas 10" in (check_rpps("1000000000").problem or "")
    assert check_identifier("10000000009", "rpps").valid
