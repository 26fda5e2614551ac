"""Shared fixtures: engines per rule backend, example profiles, a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.rules import durable_backend

ROOT = Path(__file__).resolve().parents[1]


def _import_the_checkout() -> None:
    """Refuse to test an installed copy: an edit in engine/ must be what the tests run.

    ``pip install .`` copies the sources into site-packages, and the tests would then pass on
    code that is not the one being edited. The development install is ``pip install -e .``.
    """
    import segur_plan.engine

    imported = Path(segur_plan.engine.__file__).resolve().parent
    if imported != ROOT / "engine":
        raise pytest.UsageError(
            f"Les tests importent {imported} au lieu de {ROOT / 'engine'} : installez le dépôt en mode "
            "modifiable (pip install -e '.[test,server]') pour tester le code que vous modifiez."
        )


_import_the_checkout()
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
TODAY = dt.date(2025, 3, 1)

BACKENDS = [
    "native",
    pytest.param("durable", marks=pytest.mark.skipif(
        not durable_backend.available(), reason=f"durable-rules indisponible : {durable_backend.IMPORT_ERROR}")),
]


@pytest.fixture(scope="session")
def registry() -> PackRegistry:
    return PackRegistry.discover()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, registry: PackRegistry) -> Engine:
    """One engine per rule backend: every test using it runs with both."""
    return Engine(registry, backend=request.param)


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def native_engine(registry: PackRegistry) -> Engine:
    return Engine(registry, backend="native")


def _profile(pack: str = "HOP-DPI", **sections: dict) -> dict:
    data: dict = {"schema_version": 1, "solution": {"name": "Solution test"}, "referencement": {"pack": pack}}
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return data


@pytest.fixture(scope="session")
def make_profile():  # noqa: ANN201
    """Build a minimal valid profile; sections are merged in (e.g. profils={"declared": [...]})."""
    return _profile


@pytest.fixture(scope="session")
def examples() -> list[Path]:
    return EXAMPLES


@pytest.fixture(scope="session")
def today() -> dt.date:
    return TODAY
