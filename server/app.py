"""The HTTP service: ``create_app()`` builds the ASGI application (FastAPI).

Routes (OpenAPI at ``/openapi.json``):

- ``POST /v1/plan`` — the plan of a profile sent as JSON (``application/json``) or TOML
  (``application/toml``, ``text/x-toml``); ``?today=AAAA-MM-JJ`` (default: today in Paris),
  ``?format=json|md``. The JSON is byte for byte what ``segur-plan plan`` writes. With the
  editor's REM: a JSON body ``{"profile": {...}, "rem": {"filename": "...", "content_base64":
  "..."}}`` (the same plan as ``segur-plan plan --rem``). A JSON body, like the profiles, rather
  than multipart: one request format, no extra dependency; this route's size limit grows by the
  REM limit (``SEGUR_PLAN_MAX_REM_BYTES``, 8 MiB decoded) and a body without REM keeps the
  ordinary limit.
- ``POST /v1/explain`` — a JSON body ``{"profile": {...}, "exigence_id": "...", "rem": {...}}``
  (``rem`` optional), or the profile alone (JSON or TOML) with ``?exigence_id=``.
- ``GET /v1/packs`` (``?all=true`` adds the shared socles), ``GET /v1/packs/{id}``.
- ``GET /v1/schemas/profile``, ``GET /v1/schemas/plan`` — the JSON Schemas.
- ``GET /healthz``.

One :class:`~segur_plan.engine.api.Engine` per application, built when the application is created
(packs discovered once). Decoding, validation, planning and rendering are CPU-bound: they run in
worker threads, at most ``max_workers`` at a time (a dedicated limiter; the others wait their
turn), so the event loop keeps answering (``/healthz`` stays fast while plans are computed).
Errors: see :mod:`.problems`; the size limit: see :mod:`.limits`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import gc
import logging
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal, TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema
from segur_plan import __version__
from segur_plan.engine.api import Engine
from segur_plan.engine.dates import today_in_paris
from segur_plan.engine.errors import FieldProblem, SegurPlanError, UnknownPackError
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.models import Plan, SolutionProfile
from segur_plan.engine.rem_import import RemSource
from segur_plan.engine.render import render_markdown
from segur_plan.engine.render.json_render import render_json_bytes, to_json
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from . import problems
from .documents import decode, document_kind
from .limits import (
    DEFAULT_MAX_REM_BYTES,
    MAX_REM_ENV_VAR,
    BodyLimitMiddleware,
    BodyTooLarge,
    resolve_max_body,
    with_upload,
)
from .problems import PROBLEM_JSON, Problem, ProblemDetails, problem_response, too_large
from .views import (
    ExplainRequest,
    ExplanationOut,
    Health,
    PackDetail,
    PackList,
    PlanRequest,
    RemUpload,
    explanation,
    pack_detail,
    pack_list,
)

logger = logging.getLogger("segur_plan.server")

T = TypeVar("T")

ORIGIN = "corps de la requête"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DESCRIPTION = """\
Plan de conformité pour le référencement Ségur (ANS) et son financement SONS, calculé par le
moteur segur-plan à partir d'un profil de solution (JSON ou TOML).

Les erreurs sont des documents `application/problem+json` (RFC 9457) dont `detail` est un
message en français ; les entrées invalides listent chaque champ fautif dans `errors`
(`loc` : chemin pointé, `message`). Codes : 422 entrée invalide (JSON/TOML mal formé, profil
invalide, pack inconnu nommé dans le profil, paramètre invalide), 404 ressource inconnue (pack de
l'URL, schéma, exigence), 413 corps trop volumineux, 415 type de contenu non pris en charge,
500 erreur du moteur.
"""


# ------------------------------------------------------------------------------ OpenAPI helpers


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_PROBLEM_TEXT = {
    404: "Ressource inconnue",
    413: "Corps de requête trop volumineux",
    415: "Type de contenu non pris en charge",
    422: "Entrée invalide (document mal formé, profil invalide, paramètre invalide)",
    500: "Erreur du moteur",
}


def _responses(ok: dict[str, Any], *statuses: int) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {200: ok}
    for status in statuses:
        out[status] = {"description": _PROBLEM_TEXT[status],
                       "content": {PROBLEM_JSON: {"schema": _ref("ProblemDetails")}}}
    return out


def _json_ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_TOML_BODY = {"schema": {"type": "string", "description": "Profil de solution en TOML (UTF-8)"}}

_PLAN_BODY = {"requestBody": {
    "required": True,
    "description": "Le profil de solution, en JSON ou en TOML ; ou l'objet JSON {profile, rem} qui joint le REM "
                   "officiel de l'éditeur (.xlsx en base64) : ses exigences, scénarios et preuves remplacent le "
                   "catalogue du pack (le plan de « segur-plan plan --rem »)",
    "content": {"application/json": {"schema": {"anyOf": [_ref("SolutionProfile"), _ref("PlanRequest")]}},
                "application/toml": _TOML_BODY, "text/x-toml": _TOML_BODY}}}

_EXPLAIN_BODY = {"requestBody": {
    "required": True,
    "description": "Objet JSON {profile, exigence_id, rem} (rem : le REM de l'éditeur, facultatif), ou le "
                   "profil seul (JSON ou TOML) avec ?exigence_id=",
    "content": {"application/json": {"schema": {"anyOf": [_ref("ExplainRequest"), _ref("SolutionProfile")]}},
                "application/toml": _TOML_BODY, "text/x-toml": _TOML_BODY}}}

TodayQuery = Query(None, description="Date de référence AAAA-MM-JJ (Europe/Paris) ; par défaut, aujourd'hui à Paris",
                   json_schema_extra={"format": "date"})


# ------------------------------------------------------------------------------ application


def create_app(engine: Engine | None = None, *, backend: str | None = None, max_body_bytes: int | None = None,
               max_workers: int | None = None, max_rem_bytes: int | None = None) -> FastAPI:
    """The ASGI application.

    ``engine``: the engine to use (default: a new one, packs discovered now, rule ``backend`` as
    for the CLI). ``max_body_bytes``: request-size limit (default: ``SEGUR_PLAN_MAX_BODY_BYTES``,
    else 256 KiB). ``max_workers``: plans computed at once (default: the number of CPUs).
    ``max_rem_bytes``: size of a REM uploaded with a profile, decoded (default:
    ``SEGUR_PLAN_MAX_REM_BYTES``, else 8 MiB).
    Also usable as ``uvicorn --factory segur_plan.server:create_app``.
    """
    limit = resolve_max_body(max_body_bytes)
    rem_limit = resolve_max_body(max_rem_bytes, MAX_REM_ENV_VAR, DEFAULT_MAX_REM_BYTES)
    workers = max_workers or os.cpu_count() or 2
    engine = engine or Engine(backend=backend)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.limiter = anyio.CapacityLimiter(workers)
        # The engine, its packs, what their plans share and the imported modules live as long as
        # the service: built now (Engine.prepare), then out of the collector's reach, a full
        # collection no longer walks them in the middle of a request (the tail latency of a plan).
        engine.prepare(today_in_paris())
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(title="segur-plan", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.state.max_body_bytes = limit
    app.state.max_rem_bytes = rem_limit
    upload = with_upload(limit, rem_limit)
    app.add_middleware(BodyLimitMiddleware, max_bytes=limit,
                       path_limits={"/v1/plan": upload, "/v1/explain": upload})
    _install_error_handlers(app)
    _install_routes(app, engine)
    app.openapi = functools.partial(_openapi, app)  # type: ignore[method-assign]
    return app


async def _run(request: Request, func: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound work in a worker thread; unexpected errors become a logged 500."""

    def guarded() -> T:
        try:
            return func(*args)
        except (Problem, SegurPlanError):
            raise
        except Exception:
            logger.exception("Erreur inattendue sur %s %s", request.method, request.url.path)
            raise problems.internal_error() from None

    limiter = getattr(request.app.state, "limiter", None)  # None when lifespan is off: anyio's default
    return await anyio.to_thread.run_sync(guarded, limiter=limiter)


def _today(value: str | None) -> dt.date:
    if value is None or value == "":
        return today_in_paris()
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise problems.invalid_parameter("query.today", f"doit être une date (AAAA-MM-JJ) (reçu : {value!r})") from None


async def _read(request: Request) -> tuple[str, bytes]:
    """The document's kind (415 before reading when unsupported) and its bytes (size-limited)."""
    kind = document_kind(request.headers.get("content-type"))
    chunks = [chunk async for chunk in request.stream()]
    return kind, b"".join(chunks)


# ------------------------------------------------------------------------------ work (threads)


@dataclass(frozen=True)
class Limits:
    body: int  # a body without REM
    rem: int  # a REM, decoded


def _rem_upload(value: Any, limit: int) -> RemSource:
    """The REM of a ``rem`` field ({filename, content_base64}); 422 when malformed, 413 when too large."""
    fields = sorted(RemUpload.model_fields)
    if not isinstance(value, dict):
        raise problems.invalid_input("Corps de requête invalide : rem.",
                                     [FieldProblem("rem", f"doit être un objet ({', '.join(fields)})")])
    extra = sorted(set(value) - set(fields))
    if extra:
        raise problems.invalid_input("Corps de requête invalide : rem.", [
            FieldProblem(f"rem.{k}", f"champ inconnu (attendu : {', '.join(fields)})") for k in extra])
    content, name = value.get("content_base64"), value.get("filename", "rem.xlsx")
    if not isinstance(content, str) or not content.strip():
        raise problems.invalid_input("Corps de requête invalide : rem.content_base64.", [
            FieldProblem("rem.content_base64", "le classeur .xlsx encodé en base64 est obligatoire")])
    if not isinstance(name, str):
        raise problems.invalid_input("Corps de requête invalide : rem.filename.", [
            FieldProblem("rem.filename", "doit être une chaîne de caractères")])
    if (len(content) // 4) * 3 > limit + 3:
        raise too_large(limit)
    try:
        data = base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError):
        raise problems.invalid_input("Corps de requête invalide : rem.content_base64.", [
            FieldProblem("rem.content_base64", "base64 invalide")]) from None
    if len(data) > limit:
        raise too_large(limit)
    shown = PurePath(name.replace("\\", "/")).name.strip()[:200] or "rem.xlsx"
    return RemSource(shown, data)


def _unwrap(data: dict[str, Any], allowed: tuple[str, ...], body: bytes,
            limits: Limits) -> tuple[dict[str, Any], RemSource | None]:
    """The profile and the REM of a {profile, rem, …} body; a body without REM keeps the ordinary limit."""
    extra = sorted(set(data) - set(allowed))
    if extra:
        raise problems.invalid_input("Corps de requête invalide : champ(s) inconnu(s).",
                                     [FieldProblem(k, f"champ inconnu (attendu : {', '.join(allowed)})")
                                      for k in extra])
    rem = _rem_upload(data["rem"], limits.rem) if data.get("rem") is not None else None
    if rem is None and len(body) > limits.body:
        raise too_large(limits.body)
    profile = data["profile"]
    if not isinstance(profile, dict):
        raise problems.invalid_input("Corps de requête invalide : profile.",
                                     [FieldProblem("profile", "doit être un objet (le profil de solution)")])
    return profile, rem


def _plan_body(engine: Engine, kind: str, body: bytes, today: dt.date, fmt: str, limits: Limits) -> bytes | str:
    data = decode(kind, body)
    rem = None
    if kind == "json" and "profile" in data:  # {"profile": {...}, "rem": {...}}
        data, rem = _unwrap(data, ("profile", "rem"), body, limits)
    elif len(body) > limits.body:
        raise too_large(limits.body)
    profile = parse_profile(data, origin=ORIGIN)
    plan = engine.plan(profile, today=today, rem=rem)
    return render_json_bytes(plan) if fmt == "json" else render_markdown(plan)


def _explain_text(engine: Engine, kind: str, body: bytes, query_id: str | None, today: dt.date,
                  limits: Limits) -> str:
    data = decode(kind, body)
    exigence_id = query_id
    rem = None
    if kind != "json" or "profile" not in data:
        if len(body) > limits.body:
            raise too_large(limits.body)
    else:  # {"profile": {...}, "exigence_id": "...", "rem": {...}}
        profile_data, rem = _unwrap(data, ("profile", "exigence_id", "rem"), body, limits)
        body_id = data.get("exigence_id")
        if body_id is not None and (not isinstance(body_id, str) or not body_id.strip()):
            raise problems.invalid_input("Corps de requête invalide : exigence_id.",
                                         [FieldProblem("exigence_id", "doit être une chaîne non vide")])
        if body_id and query_id and body_id.strip() != query_id.strip():
            raise problems.invalid_input(
                f"Deux exigences différentes demandées : « {body_id} » (corps) et « {query_id} » (paramètre).",
                [FieldProblem("exigence_id", "indiquez l'exigence une seule fois")])
        exigence_id = body_id or query_id
        data = profile_data
    if not exigence_id or not exigence_id.strip():
        raise problems.invalid_input(
            "Indiquez l'exigence à expliquer : champ exigence_id du corps JSON ou paramètre ?exigence_id=.",
            [FieldProblem("exigence_id", "champ obligatoire absent")])
    profile = parse_profile(data, origin=ORIGIN)
    return to_json(explanation(engine.explain(profile, exigence_id.strip(), today=today, rem=rem)))


# ------------------------------------------------------------------------------ routes


def _install_routes(app: FastAPI, engine: Engine) -> None:
    registry = engine.registry
    limits = Limits(app.state.max_body_bytes, app.state.max_rem_bytes)

    @functools.cache
    def cached(key: str) -> str:
        """GET documents never change while the process runs: rendered once."""
        what, _, arg = key.partition(":")
        if what == "packs":
            return to_json(pack_list(registry, include_socles=arg == "all"))
        if what == "pack":
            return to_json(pack_detail(registry.entries[arg]))
        model = SolutionProfile if arg == "profile" else Plan
        return to_json(model.model_json_schema())

    @app.get("/healthz", summary="État du service", tags=["service"],
             responses={200: _json_ok("Le service répond", _ref("Health"))})
    async def healthz() -> Response:
        body = {"status": "ok", "version": __version__, "backend": engine.backend_name,
                "packs": len(registry.ids())}
        return Response(to_json(body), media_type="application/json")

    @app.post("/v1/plan", summary="Calculer le plan de conformité d'un profil", tags=["plan"],
              openapi_extra=_PLAN_BODY,
              responses=_responses({"description": "Le plan (JSON, ou Markdown avec ?format=md)",
                                    "content": {"application/json": {"schema": _ref("Plan")},
                                                "text/markdown": {"schema": {"type": "string"}}}},
                                   413, 415, 422, 500))
    async def plan(request: Request, today: str | None = TodayQuery,
                   fmt: Literal["json", "md"] = Query("json", alias="format",
                                                      description="Format du plan")) -> Response:
        day = _today(today)
        kind, body = await _read(request)
        content = await _run(request, _plan_body, engine, kind, body, day, fmt, limits)
        return Response(content, media_type="application/json" if fmt == "json" else "text/markdown; charset=utf-8")

    @app.post("/v1/explain", summary="Expliquer pourquoi une exigence s'applique ou non", tags=["plan"],
              openapi_extra=_EXPLAIN_BODY,
              responses=_responses(_json_ok("L'explication, règle par règle", _ref("ExplanationOut")),
                                   404, 413, 415, 422, 500))
    async def explain(request: Request, today: str | None = TodayQuery,
                      exigence_id: str | None = Query(None, description="Exigence à expliquer (si le corps est "
                                                                         "le profil seul), ex. SC.PSC.13")) -> Response:
        day = _today(today)
        kind, body = await _read(request)
        text = await _run(request, _explain_text, engine, kind, body, exigence_id, day, limits)
        return Response(text, media_type="application/json")

    @app.get("/v1/packs", summary="Packs installés", tags=["packs"],
             responses=_responses(_json_ok("Les packs installés et les packs inutilisables", _ref("PackList")),
                                  422))
    async def packs(request: Request,
                    include_all: bool = Query(False, alias="all",
                                              description="Inclure les socles partagés (socle-segur)")) -> Response:
        text = await _run(request, cached, "packs:all" if include_all else "packs:")
        return Response(text, media_type="application/json")

    @app.get("/v1/packs/{pack_id}", summary="Contenu d'un pack", tags=["packs"],
             responses=_responses(_json_ok("Le pack", _ref("PackDetail")), 404, 500))
    async def pack(request: Request, pack_id: str = Path(description="Identifiant du pack, ex. HOP-DPI")) -> Response:
        try:
            entry = registry.get(pack_id)
        except UnknownPackError as exc:
            known = ", ".join(exc.available) or "aucun"
            raise problems.not_found(f"Pack inconnu « {pack_id} ». Packs installés : {known}.",
                                     kind="unknown-pack", title="Pack inconnu") from None
        text = await _run(request, cached, f"pack:{entry.pack.id}")
        return Response(text, media_type="application/json")

    @app.get("/v1/schemas/{what}", summary="Schéma JSON du profil ou du plan", tags=["schémas"],
             responses=_responses(_json_ok("Le schéma JSON (draft 2020-12)", {"type": "object"}), 404))
    async def schema(request: Request,
                     what: str = Path(description="profile ou plan",
                                      json_schema_extra={"enum": ["profile", "plan"]})) -> Response:
        if what not in ("profile", "plan"):
            raise problems.not_found(f"Schéma inconnu « {what} » : schémas disponibles : profile, plan.",
                                     kind="unknown-schema", title="Schéma inconnu")
        text = await _run(request, cached, f"schema:{what}")
        return Response(text, media_type="application/json")


# ------------------------------------------------------------------------------ errors


def _install_error_handlers(app: FastAPI) -> None:
    def path(request: Request) -> str:
        return request.url.path

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> Response:
        return problem_response(exc, path(request))

    @app.exception_handler(SegurPlanError)
    async def on_engine_error(request: Request, exc: SegurPlanError) -> Response:
        return problem_response(problems.from_engine_error(exc), path(request))

    @app.exception_handler(BodyTooLarge)
    async def on_too_large(request: Request, exc: BodyTooLarge) -> Response:
        return problem_response(problems.too_large(exc.limit), path(request))

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(problems.from_validation_errors(exc.errors()), path(request))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        problem = problems.from_http_status(exc.status_code, request.method, path(request), exc.headers)
        return problem_response(problem, path(request))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        logger.error("Erreur inattendue sur %s %s", request.method, path(request), exc_info=exc)
        return problem_response(problems.internal_error(), path(request))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the models the routes describe by reference."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    _, defs = models_json_schema(
        [(SolutionProfile, "validation"), (ExplainRequest, "validation"), (PlanRequest, "validation"),
         (Plan, "serialization"),
         (ExplanationOut, "serialization"), (PackList, "serialization"), (PackDetail, "serialization"),
         (Health, "serialization"), (ProblemDetails, "serialization")],
        ref_template="#/components/schemas/{model}")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in defs.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    app.openapi_schema = document
    return document
