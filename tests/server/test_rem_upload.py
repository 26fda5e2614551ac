"""The REM upload of ``POST /v1/plan`` (and ``/v1/explain``): {profile, rem: {filename, content_base64}}.

The application is called in-process through ASGI (no socket): the size limits are the middleware's.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("fastapi", reason="extra « server » absent : pip install 'segur-plan[server]'")

from segur_plan.engine.api import Engine  # noqa: E402
from segur_plan.engine.render import render_json  # noqa: E402
from segur_plan.server import create_app  # noqa: E402

ROWS = [
    {"Périmètre": "Vague 2", "ID": "SC.PSC.01", "Chapitre": "PSC", "Fonction": "Connexion PSC",
     "Exigence": "Texte de test : le système DOIT a.", "Nature de l'exigence": "EXIGENCE", "Profil": "Général",
     "N° scénario": "PSC.01.01", "N° preuve 1": "PSC.01.01.01", "Preuve 1": "Vidéo de la connexion (test)"},
]  # fmt: skip
PROFILE = {"solution": {"name": "DPI Test"}, "referencement": {"pack": "HOP-DPI", "t0": "2024-08-31"}}


def post(app: Any, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict, bytes]:
    """One request through the ASGI app, as uvicorn would make it."""
    path, _, query = path.partition("?")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
             "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]}
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture(scope="module")
def app(registry) -> Any:  # noqa: ANN001
    return create_app(Engine(registry), max_body_bytes=4096, max_rem_bytes=64 * 1024)


@pytest.fixture
def rem(tmp_path: Path, write_rem) -> Path:  # noqa: ANN001
    return write_rem(tmp_path / "REM-HOP-DPI.xlsx", ROWS)


def upload(rem: Path, **extra: Any) -> dict[str, Any]:
    return {"filename": rem.name, "content_base64": base64.b64encode(rem.read_bytes()).decode(), **extra}


def test_the_plan_with_an_uploaded_rem_is_the_plan_of_plan_rem(app: Any, registry, rem: Path) -> None:  # noqa: ANN001
    body = json.dumps({"profile": PROFILE, "rem": upload(rem)}).encode()
    assert len(body) > 4096  # above the ordinary limit: a REM is allowed its own
    status, headers, text = post(app, "/v1/plan?today=2025-03-01", body)
    assert status == 200 and headers["content-type"] == "application/json"
    expected = render_json(Engine(registry).plan(PROFILE, today=dt.date(2025, 3, 1), rem=rem))
    assert text.decode() == expected
    assert json.loads(text)["packs"][0]["rem"]["file"] == "REM-HOP-DPI.xlsx"


def test_the_profile_alone_still_works_and_names_no_rem(app: Any) -> None:
    status, _, text = post(app, "/v1/plan?today=2025-03-01", json.dumps({"profile": PROFILE}).encode())
    assert status == 200 and json.loads(text)["packs"][0]["rem"] is None


def test_explain_takes_the_rem_too(app: Any, rem: Path) -> None:
    body = json.dumps({"profile": PROFILE, "exigence_id": "SC.PSC.01", "rem": upload(rem)}).encode()
    status, _, text = post(app, "/v1/explain?today=2025-03-01", body)
    assert status == 200 and json.loads(text)["applicable"] is True


@pytest.mark.parametrize(("rem_field", "loc", "message"), [
    ("texte", "rem", "doit être un objet"),
    ({"content_base64": "%%%"}, "rem.content_base64", "base64 invalide"),
    ({"filename": "a.xlsx"}, "rem.content_base64", "obligatoire"),
    ({"content_base64": "QUJD", "taille": 3}, "rem.taille", "champ inconnu"),
])
def test_malformed_rem_fields_are_422_naming_the_field(app: Any, rem_field: Any, loc: str, message: str) -> None:
    status, _, text = post(app, "/v1/plan", json.dumps({"profile": PROFILE, "rem": rem_field}).encode())
    problem = json.loads(text)
    assert status == 422 and [e["loc"] for e in problem["errors"]] == [loc]
    assert message in problem["errors"][0]["message"]


def test_a_file_that_is_no_rem_is_422_in_french(app: Any) -> None:
    body = {"profile": PROFILE, "rem": {"filename": "../../etc/REM.xlsx",
                                        "content_base64": base64.b64encode(b"pas un classeur").decode()}}
    status, _, text = post(app, "/v1/plan", json.dumps(body).encode())
    problem = json.loads(text)
    assert status == 422 and problem["detail"].startswith("REM.xlsx n'est pas un tableur .xlsx")


def test_a_profile_naming_a_server_file_is_refused(app: Any) -> None:
    profile = {**PROFILE, "referencement": {**PROFILE["referencement"], "rem": "/etc/passwd"}}
    status, _, text = post(app, "/v1/plan", json.dumps(profile).encode())
    assert status == 422 and "joignez le REM lui-même" in json.loads(text)["detail"]


def test_size_limits(app: Any, rem: Path) -> None:
    too_big = {"profile": PROFILE, "rem": {"content_base64": base64.b64encode(b"PK\x03\x04" + b"0" * 66_000).decode()}}
    status, _, text = post(app, "/v1/plan", json.dumps(too_big).encode())
    assert status == 413 and "65536 octets" in json.loads(text)["detail"]
    padded = {"profile": {**PROFILE, "solution": {"name": "x" * 5000}}}
    status, _, _ = post(app, "/v1/plan", json.dumps({**PROFILE, "x": "y" * 5000}).encode())
    assert status == 413  # without a REM, the ordinary limit
    status, _, _ = post(app, "/v1/plan", json.dumps(padded).encode())
    assert status == 413
    status, _, _ = post(app, "/v1/plan", b'[solution]\nname = "x"\n#' + b"y" * 5000, "application/toml")
    assert status == 413  # TOML never carries a REM: the ordinary limit, before reading


def test_openapi_documents_the_upload(app: Any) -> None:
    document = app.openapi()
    body = document["paths"]["/v1/plan"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/PlanRequest"} in body["anyOf"]
    upload_schema = document["components"]["schemas"]["RemUpload"]
    assert set(upload_schema["properties"]) == {"filename", "content_base64"}
