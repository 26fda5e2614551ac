"""The HTTP service over a real socket on loopback (127.0.0.1): uvicorn runs in a background thread.

Every request goes through the TCP stack (http.client, or a raw socket for the size limit), so
the framing, the size limit and the status codes are the ones a portal sees.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="extra « server » absent : pip install 'segur-plan[server]'")
pytest.importorskip("uvicorn", reason="extra « server » absent : pip install 'segur-plan[server]'")

import uvicorn  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from segur_plan import Engine, parse_profile  # noqa: E402
from segur_plan.cli.main import main as cli_main  # noqa: E402
from segur_plan.cli.serve import serve_cmd  # noqa: E402
from segur_plan.engine.dates import today_in_paris  # noqa: E402
from segur_plan.engine.models import Plan, SolutionProfile  # noqa: E402
from segur_plan.engine.render import render_json, render_markdown  # noqa: E402
from segur_plan.engine.render.json_render import to_json  # noqa: E402
from segur_plan.server import DEFAULT_MAX_BODY_BYTES, create_app, server_config  # noqa: E402
from support import EXAMPLES, ROOT, TODAY

EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"
HOST = "127.0.0.1"
PROBLEM = "application/problem+json"
TIMEOUT = 15.0


# ------------------------------------------------------------------------------ the server


@contextlib.contextmanager
def running(app: Any) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1 (a free port) in a thread; yield the port; stop it cleanly."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, host=HOST, port=port, log_level="warning", log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while not server.started:  # bounded wait for the startup (lifespan, socket listening)
            assert thread.is_alive(), "le serveur s'est arrêté au démarrage"
            assert time.monotonic() < deadline, "le serveur n'a pas démarré"
            time.sleep(0.02)
        assert call(port, "GET", "/healthz").status == 200
        yield port
    finally:
        server.should_exit = True
        thread.join(TIMEOUT)
        sock.close()
    assert not thread.is_alive(), "le serveur ne s'est pas arrêté"


@pytest.fixture(scope="module")
def reference(registry) -> Engine:  # noqa: ANN001
    """The engine the HTTP answers are compared with (same packs, same default backend)."""
    return Engine(registry)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """The service as ``segur-plan serve`` builds it: default engine, default size limit."""
    with running(create_app()) as p:
        yield p


# ------------------------------------------------------------------------------ clients


@dataclasses.dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(port: int, method: str, path: str, body: bytes | Iterable[bytes] | None = None,
         content_type: str | None = None, headers: dict[str, str] | None = None) -> Reply:
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


def raw_exchange(port: int, head: bytes, chunks: Iterable[bytes] = ()) -> Reply:
    """Send ``head`` then ``chunks`` on a raw socket, stopping as soon as the server answers;
    read the answer until the server closes the connection."""
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as sock:
        sock.sendall(head)
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server already answered (and stopped reading)
            try:
                sock.sendall(chunk)
            except OSError:  # the server closed the connection while we were sending
                break
        data = b""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                piece = sock.recv(65536)
            except ConnectionResetError:
                break
            if not piece:
                break
            data += piece
            if _complete(data):
                break
    head_part, _, body = data.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return Reply(status, headers, body)


def _complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(sep and match and len(body) >= int(match[1]))


def toml_text(path: Path = EXAMPLE) -> str:
    return path.read_text(encoding="utf-8")


def json_text(path: Path = EXAMPLE) -> str:
    """The example profile as JSON (dates and datetimes as ISO strings)."""
    data = tomllib.loads(toml_text(path))
    return json.dumps(data, ensure_ascii=False, default=lambda v: v.isoformat())


def expected_plan(engine: Engine, path: Path, today: dt.date = TODAY) -> bytes:
    return render_json(engine.plan(parse_profile(tomllib.loads(toml_text(path))), today=today)).encode("utf-8")


def assert_problem(reply: Reply, status: int, kind: str) -> dict[str, Any]:
    """A problem+json document (RFC 9457) in French, without any traceback."""
    assert reply.status == status, reply.body
    assert reply.media_type == PROBLEM
    problem = reply.json()
    assert problem["type"] == f"urn:segur-plan:problem:{kind}"
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert "Traceback" not in reply.text and 'File "' not in reply.text
    return problem


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli_main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------ plan


def test_healthz(port: int, reference: Engine) -> None:
    reply = call(port, "GET", "/healthz")
    assert reply.status == 200 and reply.media_type == "application/json"
    health = reply.json()
    assert health["status"] == "ok"
    assert health["backend"] == reference.backend_name
    assert health["packs"] == len(reference.registry.ids())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_plan_json_and_toml_equal_the_engine(port: int, reference: Engine, example: Path) -> None:
    expected = expected_plan(reference, example)
    as_json = call(port, "POST", "/v1/plan?today=2025-03-01", json_text(example).encode(), "application/json")
    assert as_json.status == 200, as_json.body
    assert as_json.media_type == "application/json"
    assert as_json.body == expected
    as_toml = call(port, "POST", "/v1/plan?today=2025-03-01", toml_text(example).encode(), "application/toml")
    assert as_toml.status == 200, as_toml.body
    assert as_toml.body == expected


@pytest.mark.parametrize("content_type", ["text/x-toml", "application/toml; charset=utf-8", "Application/TOML"])
def test_plan_toml_content_types(port: int, reference: Engine, content_type: str) -> None:
    reply = call(port, "POST", "/v1/plan?today=2025-03-01", toml_text().encode(), content_type)
    assert reply.status == 200 and reply.body == expected_plan(reference, EXAMPLE)


def test_plan_json_with_charset(port: int, reference: Engine) -> None:
    reply = call(port, "POST", "/v1/plan?today=2025-03-01", json_text().encode(), "application/json; charset=UTF-8")
    assert reply.status == 200 and reply.body == expected_plan(reference, EXAMPLE)


def test_plan_today_defaults_to_paris(port: int) -> None:
    before = today_in_paris()
    reply = call(port, "POST", "/v1/plan", toml_text().encode(), "application/toml")
    assert reply.status == 200
    assert reply.json()["today"] in {before.isoformat(), today_in_paris().isoformat()}


def test_plan_markdown(port: int, reference: Engine) -> None:
    reply = call(port, "POST", "/v1/plan?today=2025-03-01&format=md", toml_text().encode(), "application/toml")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/markdown; charset=utf-8"
    plan = reference.plan(parse_profile(tomllib.loads(toml_text())), today=TODAY)
    assert reply.text == render_markdown(plan)


def test_plans_from_many_connections_at_once(port: int, reference: Engine) -> None:
    """8 clients at once: every plan equals the serial one (engine shared, worker threads)."""
    cases = [(p, d) for p in EXAMPLES[:4] for d in ("2025-03-01", "2026-01-15")]
    expected = {(p, d): expected_plan(reference, p, dt.date.fromisoformat(d)) for p, d in cases}

    def one(case: tuple[Path, str]) -> bytes:
        reply = call(port, "POST", f"/v1/plan?today={case[1]}", toml_text(case[0]).encode(), "application/toml")
        assert reply.status == 200
        return reply.body

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, cases * 3))
    assert results == [expected[c] for c in cases * 3]


# ------------------------------------------------------------------------------ size limit


def big_toml(size: int) -> bytes:
    """A valid profile padded with TOML comments up to ``size`` bytes."""
    text = toml_text().encode()
    line = b"# " + b"x" * 97 + b"\n"
    padding = line * ((size - len(text)) // len(line) + 1)
    return (text + padding)[: max(size, len(text))]


def test_default_limit_is_256_kib(port: int) -> None:
    assert DEFAULT_MAX_BODY_BYTES == 256 * 1024


def test_profile_too_large_is_refused_with_413(port: int) -> None:
    body = big_toml(DEFAULT_MAX_BODY_BYTES + 1)
    assert tomllib.loads(body.decode())  # a valid profile, only too large
    reply = call(port, "POST", "/v1/plan", body, "application/toml")
    problem = assert_problem(reply, 413, "payload-too-large")
    assert "262144 octets" in problem["detail"] and "dépasse" in problem["detail"]
    assert problem["instance"] == "/v1/plan"


def test_profile_at_the_limit_is_accepted(port: int, reference: Engine) -> None:
    body = big_toml(DEFAULT_MAX_BODY_BYTES)
    assert len(body) == DEFAULT_MAX_BODY_BYTES
    reply = call(port, "POST", "/v1/plan?today=2025-03-01", body, "application/toml")
    assert reply.status == 200 and reply.body == expected_plan(reference, EXAMPLE)


def test_declared_length_is_refused_before_the_body_is_read(port: int) -> None:
    """Content-Length says 10 MiB but only 1 KiB is sent, and the client then sends nothing more
    while keeping the connection open: any answer at all is one given without the body (a server
    that waited for it would never answer, and ``raw_exchange`` would read nothing)."""
    head = (f"POST /v1/plan HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/toml\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n").encode() + b"#" * 1024
    reply = raw_exchange(port, head)
    assert reply.status == 413
    assert reply.headers["content-type"] == PROBLEM and reply.headers.get("connection") == "close"
    assert json.loads(reply.body)["type"] == "urn:segur-plan:problem:payload-too-large"


def test_chunked_body_is_counted_while_read(port: int) -> None:
    """No Content-Length (chunked): the server stops reading past the limit and answers 413."""
    head = (f"POST /v1/plan HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/toml\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    piece = b"# " + b"x" * 16381 + b"\n"  # 16 KiB of TOML comment
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    reply = raw_exchange(port, head, [chunk] * 64)  # up to 1 MiB, never the final empty chunk
    assert reply.status == 413
    assert json.loads(reply.body)["type"] == "urn:segur-plan:problem:payload-too-large"


def test_chunked_body_under_the_limit_is_planned(port: int, reference: Engine) -> None:
    body = big_toml(200 * 1024)
    reply = call(port, "POST", "/v1/plan?today=2025-03-01",
                 (body[i:i + 8192] for i in range(0, len(body), 8192)), "application/toml")
    assert reply.status == 200 and reply.body == expected_plan(reference, EXAMPLE)


def test_limit_is_configurable() -> None:
    with running(create_app(max_body_bytes=256)) as small:
        reply = call(small, "POST", "/v1/plan", toml_text().encode(), "application/toml")
        problem = assert_problem(reply, 413, "payload-too-large")
        assert "256 octets (0.25 Kio)" in problem["detail"]
        assert call(small, "POST", "/v1/plan", b"[solution]\nname = \"x\"\n", "application/toml").status == 422


# ------------------------------------------------------------------------------ input errors


@pytest.mark.parametrize(("body", "content_type", "fragment"), [
    (b'{"solution": {"name": "x"', "application/json", "JSON mal formé (ligne 1, colonne 26)"),
    (b'{"solution": }', "application/json", "valeur attendue"),
    (b"[1, 2]", "application/json", "doit être un objet"),
    (b'{"a": NaN}', "application/json", "constante NaN interdite"),
    (b"[solution\nname = 1", "application/toml", "TOML mal formé (ligne 1"),
    (b"solution = = 1", "application/toml", "TOML mal formé"),
    (b"", "application/toml", "corps de la requête est vide"),
    (b"name = \"\xe9\"", "application/toml", "n'est pas encodé en UTF-8"),
    (b"[" * 100_000, "application/json", "JSON mal formé"),
])
def test_malformed_input_is_422_in_french(port: int, body: bytes, content_type: str, fragment: str) -> None:
    problem = assert_problem(call(port, "POST", "/v1/plan", body, content_type), 422, "invalid-input")
    assert fragment in problem["detail"]
    assert problem["title"] == "Entrée invalide"


def test_invalid_profile_lists_every_field(port: int) -> None:
    body = {"solution": {"name": ""}, "referencement": {"pack": "HOP-DPI", "parcours": "solo", "t0": "demain"},
            "inconnu": 1}
    reply = call(port, "POST", "/v1/plan", json.dumps(body).encode(), "application/json")
    problem = assert_problem(reply, 422, "invalid-input")
    assert problem["detail"] == "Profil de solution invalide (corps de la requête)"
    errors = {e["loc"]: e["message"] for e in problem["errors"]}
    assert errors["solution.name"].startswith("ne doit pas être vide")
    assert errors["referencement.t0"].startswith("doit être une date (AAAA-MM-JJ)")
    assert "non autorisée" in errors["referencement.parcours"]
    assert errors["inconnu"].startswith("champ inconnu")


def test_unknown_profil_is_422(port: int) -> None:
    profile = tomllib.loads(toml_text()) | {"profils": {"declared": ["Grille-pain"]}}
    reply = call(port, "POST", "/v1/plan", json.dumps(profile, default=str).encode(), "application/json")
    problem = assert_problem(reply, 422, "invalid-input")
    assert "Profil inconnu « Grille-pain »" in problem["detail"]
    assert problem["errors"][0]["loc"] == "profils.declared"


def test_unknown_pack_in_the_profile_is_422(port: int) -> None:
    profile = {"solution": {"name": "x"}, "referencement": {"pack": "NOPE"}}
    reply = call(port, "POST", "/v1/plan", json.dumps(profile).encode(), "application/json")
    problem = assert_problem(reply, 422, "unknown-pack")
    assert problem["title"] == "Pack inconnu"
    assert problem["detail"].startswith("Pack inconnu « NOPE » (referencement.pack). Packs installés : ")
    assert "HOP-DPI" in problem["detail"]
    assert problem["errors"] == [{"loc": "referencement.pack", "message": problem["detail"]}]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml", "application/json; charset=latin-1",
                                          "multipart/form-data; boundary=x"])
def test_wrong_content_type_is_415(port: int, content_type: str | None) -> None:
    reply = call(port, "POST", "/v1/plan", json_text().encode(), content_type)
    problem = assert_problem(reply, 415, "unsupported-media-type")
    assert "envoyez le profil en JSON (application/json) ou en TOML" in problem["detail"]
    assert reply.headers["accept-post"] == "application/json, application/toml, text/x-toml"


@pytest.mark.parametrize(("query", "loc", "fragment"), [
    ("today=01/03/2025", "query.today", "doit être une date (AAAA-MM-JJ)"),
    ("today=2025-02-30", "query.today", "doit être une date (AAAA-MM-JJ)"),
    ("format=pdf", "query.format", "valeur « pdf » non autorisée"),
])
def test_invalid_query_parameter_is_422(port: int, query: str, loc: str, fragment: str) -> None:
    reply = call(port, "POST", f"/v1/plan?{query}", toml_text().encode(), "application/toml")
    problem = assert_problem(reply, 422, "invalid-parameter")
    assert problem["detail"].startswith("Paramètre de requête invalide")
    assert problem["errors"][0]["loc"] == loc and fragment in problem["errors"][0]["message"]


def test_unknown_route_and_wrong_method(port: int) -> None:
    problem = assert_problem(call(port, "GET", "/v1/nope"), 404, "not-found")
    assert problem["detail"].startswith("Aucune ressource à l'adresse /v1/nope")
    reply = call(port, "GET", "/v1/plan")
    problem = assert_problem(reply, 405, "method-not-allowed")
    assert problem["detail"] == "Méthode GET non autorisée pour /v1/plan (autorisées : POST)."
    assert reply.headers["allow"] == "POST"


def test_engine_failure_is_500_without_traceback(registry) -> None:  # noqa: ANN001
    class Broken(Engine):
        def plan(self, profile: Any, *, today: dt.date) -> Plan:
            raise RuntimeError("secret interne /chemin/du/module.py")

    with running(create_app(Broken(registry))) as broken:
        reply = call(broken, "POST", "/v1/plan", toml_text().encode(), "application/toml")
        problem = assert_problem(reply, 500, "internal-error")
        assert problem["detail"].startswith("Erreur interne du serveur")
        assert "secret" not in reply.text and "RuntimeError" not in reply.text
        assert call(broken, "GET", "/healthz").status == 200  # the service goes on


# ------------------------------------------------------------------------------ explain


def test_explain_with_a_json_body_equals_the_cli(port: int) -> None:
    body = {"profile": json.loads(json_text()), "exigence_id": "SC.PSC.13"}
    reply = call(port, "POST", "/v1/explain?today=2025-03-01", json.dumps(body).encode(), "application/json")
    assert reply.status == 200, reply.body
    assert reply.json() == cli_json("explain", str(EXAMPLE), "SC.PSC.13", "--today", "2025-03-01",
                                    "--format", "json")
    assert reply.json()["exigence_id"] == "SC.PSC.13" and reply.json()["applicable"] is True


def test_explain_with_a_toml_profile_and_a_query_parameter(port: int, reference: Engine) -> None:
    reply = call(port, "POST", "/v1/explain?today=2025-03-01&exigence_id=sc.psc.13", toml_text().encode(),
                 "application/toml")
    assert reply.status == 200, reply.body
    expected = reference.explain(parse_profile(tomllib.loads(toml_text())), "SC.PSC.13", today=TODAY)
    assert reply.json()["exigence_id"] == expected.exigence_id
    assert reply.json()["applicable"] is expected.applicable
    assert [r["id"] for r in reply.json()["rules"]] == [t.rule_id for t in expected.rules]


def test_explain_unknown_exigence_is_404(port: int) -> None:
    body = {"profile": json.loads(json_text()), "exigence_id": "SC.NOPE.99"}
    reply = call(port, "POST", "/v1/explain", json.dumps(body).encode(), "application/json")
    problem = assert_problem(reply, 404, "unknown-exigence")
    assert problem["detail"] == "Exigence inconnue « SC.NOPE.99 » dans le pack HOP-DPI."


@pytest.mark.parametrize(("body", "query", "loc"), [
    ({"profile": {"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"}}}, "", "exigence_id"),
    ({"profile": [], "exigence_id": "SC.PSC.13"}, "", "profile"),
    ({"profile": {}, "exigence_id": "SC.PSC.13", "today": "x"}, "", "today"),
    ({"profile": {}, "exigence_id": "SC.PSC.13"}, "?exigence_id=SC.PSC.01", "exigence_id"),
])
def test_explain_bad_requests_are_422(port: int, body: dict, query: str, loc: str) -> None:
    reply = call(port, "POST", f"/v1/explain{query}", json.dumps(body).encode(), "application/json")
    problem = assert_problem(reply, 422, "invalid-input")
    assert problem["errors"][0]["loc"] == loc


def test_explain_profile_alone_needs_the_query_parameter(port: int) -> None:
    reply = call(port, "POST", "/v1/explain", toml_text().encode(), "application/toml")
    problem = assert_problem(reply, 422, "invalid-input")
    assert "Indiquez l'exigence à expliquer" in problem["detail"]


# ------------------------------------------------------------------------------ packs, schemas, OpenAPI


def test_packs_list_equals_the_cli(port: int) -> None:
    reply = call(port, "GET", "/v1/packs")
    assert reply.status == 200
    listing = reply.json()
    assert "HOP-DPI" in {p["id"] for p in listing["packs"]}
    assert listing == cli_json("packs", "list", "--format", "json")
    with_socles = call(port, "GET", "/v1/packs?all=true").json()
    assert with_socles == cli_json("packs", "list", "--format", "json", "--all")
    assert "socle-segur" in {p["id"] for p in with_socles["packs"]}


def test_pack_detail_equals_the_cli(port: int) -> None:
    reply = call(port, "GET", "/v1/packs/hop-dpi")  # ids are matched without case, as in the CLI
    assert reply.status == 200
    assert reply.json() == cli_json("packs", "show", "HOP-DPI", "--format", "json")


def test_unknown_pack_in_the_url_is_404(port: int) -> None:
    problem = assert_problem(call(port, "GET", "/v1/packs/NOPE"), 404, "unknown-pack")
    assert problem["detail"].startswith("Pack inconnu « NOPE ». Packs installés : ")
    assert "HOP-DPI" in problem["detail"]


@pytest.mark.parametrize(("what", "model"), [("profile", SolutionProfile), ("plan", Plan)])
def test_schemas(port: int, what: str, model: type) -> None:
    reply = call(port, "GET", f"/v1/schemas/{what}")
    assert reply.status == 200 and reply.media_type == "application/json"
    assert reply.text == to_json(model.model_json_schema())


def test_unknown_schema_is_404(port: int) -> None:
    problem = assert_problem(call(port, "GET", "/v1/schemas/pack"), 404, "unknown-schema")
    assert "profile, plan" in problem["detail"]


def test_openapi_lists_the_routes(port: int) -> None:
    reply = call(port, "GET", "/openapi.json")
    assert reply.status == 200
    document = reply.json()
    assert document["openapi"].startswith("3.")
    routes = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == {("/v1/plan", "post"), ("/v1/explain", "post"), ("/v1/packs", "get"),
                      ("/v1/packs/{pack_id}", "get"), ("/v1/schemas/{what}", "get"), ("/healthz", "get")}
    plan = document["paths"]["/v1/plan"]["post"]
    assert set(plan["requestBody"]["content"]) == {"application/json", "application/toml", "text/x-toml"}
    assert plan["responses"]["422"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/ProblemDetails"}
    assert {p["name"] for p in plan["parameters"]} == {"today", "format"}
    # every reference resolves inside the document
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert ref in schemas, ref


# ------------------------------------------------------------------------------ the command


def test_serve_help_is_french() -> None:
    result = CliRunner().invoke(serve_cmd, ["--help"])
    assert result.exit_code == 0
    assert "Lance le service HTTP" in result.output and "--max-body-size" in result.output
    assert "pip install 'segur-plan[server]'" in result.output


def start_python(code: str, **kwargs: Any) -> subprocess.Popen:
    """A Python process running ``code`` from the checkout (shared with test_workers.py)."""
    env = {k: v for k, v in os.environ.items() if k != "SEGUR_PLAN_MAX_BODY_BYTES"}
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, **kwargs)


def test_serve_without_the_extra_says_how_to_install_it() -> None:
    code = ("import sys; sys.modules['fastapi'] = None\n"
            "from segur_plan.cli.serve import serve_cmd\n"
            "serve_cmd(['--port', '0'])\n")
    proc = start_python(code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "nécessite l'extra « server »" in err and "pip install 'segur-plan[server]'" in err
    assert "Traceback" not in err


def test_serve_command_runs_and_stops_cleanly(tmp_path: Path, reference: Engine) -> None:
    """``serve --port 0`` in a process: it answers on loopback, then stops on SIGTERM."""
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = start_python("from segur_plan.cli.serve import serve_cmd\nserve_cmd(['--port', '0'])\n",
                       stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 60
        found = None
        while found is None:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", log.read_text())
            time.sleep(0.05)
        served = int(found[1])
        assert call(served, "GET", "/healthz").json()["status"] == "ok"
        reply = call(served, "POST", "/v1/plan?today=2025-03-01", toml_text().encode(), "application/toml")
        assert reply.body == expected_plan(reference, EXAMPLE)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    text = log.read_text()
    assert "Finished server process" in text, text
    assert "Traceback" not in text


def test_lone_surrogate_in_json_is_a_422_not_a_500(port: int) -> None:
    body = b'{"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"}, "profils": {"declared": ["\\udc80"]}}'
    reply = call(port, "POST", "/v1/plan", body, "application/json")
    assert reply.status == 422 and reply.media_type == PROBLEM and "demi-code" in reply.json()["detail"]
