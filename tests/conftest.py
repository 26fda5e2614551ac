"""Shared fixtures: engines per rule backend, profiles, REM workbooks.

The constants the test modules share (EXAMPLES, TODAY, BACKENDS, ROOT) live in tests/support.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.registry import PackRegistry
from support import BACKENDS, ROOT


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


@pytest.fixture(scope="session", autouse=True)
def rem_cache_dir(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The REM disk cache of the whole session in a temporary folder, never the user's."""
    import os

    from segur_plan.engine.rem_import.cache import CACHE_ENV_VAR

    folder = tmp_path_factory.mktemp("rem-cache")
    before = os.environ.get(CACHE_ENV_VAR)
    os.environ[CACHE_ENV_VAR] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV_VAR, None)
    else:
        os.environ[CACHE_ENV_VAR] = before


#: Headers of the REM layouts, as ANS writes them (see engine/rem_import/layouts.py).
REM_PROOF_HEADERS = [h for k in range(1, 11) for h in (f"N° preuve {k}", f"Preuve {k}")]
REM_HEADERS = {
    "published": ["Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Commentaire", "Nature de l'exigence",
                  "Profil", "N° scénario", "Scénario de conformité", *REM_PROOF_HEADERS, "Statut publication",
                  "VA N-1", "Criticité", "Ordre"],
    "convergence": ["Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Commentaire", "Profil", "N° scénario",
                    "Scénario de conformité", "N° preuve", "Preuve", "Profil historique", "Criticité", "Ordre"],
    "convergence-older": ["ID", "Chapitre", "Fonction", "Exigence", "Commentaire", "Profil", "N° scénario",
                          "Scénario de conformité", "N° preuve", "Preuve", "Statut publication"],
}


def _write_rem(path: Path, rows: list[dict], layout: str = "published", sheet: str = "Exigences") -> Path:
    """An .xlsx REM in ``layout`` (rows keyed by header; texts are invented by the tests)."""
    import openpyxl

    headers = REM_HEADERS[layout]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, f"colonnes absentes du format {layout} : {unknown}"
        ws.append([row.get(h) for h in headers])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture(scope="session")
def write_rem():  # noqa: ANN201
    """``write_rem(path, rows, layout="published")`` writes a REM workbook and returns its path."""
    return _write_rem
