"""Errors as ``application/problem+json`` (RFC 9457), in French, never with a traceback.

Every error response carries ``type`` (a stable URN naming the kind of problem), ``title`` (short,
the same for every problem of a type), ``status``, ``detail`` (the engine's French message,
meant for the editor's regulatory lead) and ``instance`` (the request path). Input problems add
``errors: [{loc, message}]``, one per faulty field, ``loc`` a dotted path as in the CLI.

Status codes:

- 422 malformed JSON/TOML, invalid profile, unknown profil, invalid query parameter, and an
  unknown pack *named in the profile* (``referencement.pack``: the document is wrong, the URL is
  fine);
- 404 unknown route, unknown pack *in the URL* (``GET /v1/packs/{id}``), unknown schema, unknown
  exigence (``POST /v1/explain``: the exigence asked for does not exist in the pack);
- 413 body larger than the configured limit; 415 Content-Type other than JSON or TOML;
- 405 wrong method; 500 engine failure (a pack installed but unusable, a rule that fails) or any
  unexpected error, logged server-side with its traceback, answered with a French message only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field
from segur_plan.engine.errors import (
    FieldProblem,
    InputError,
    SegurPlanError,
    UnknownExigenceError,
    UnknownPackError,
)
from segur_plan.engine.render.json_render import to_json
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:segur-plan:problem:"


class FieldError(BaseModel):
    """One problem at one place of the request (``loc``: dotted path, e.g. ``referencement.pack``)."""

    loc: str
    message: str


class ProblemDetails(BaseModel):
    """An error response (RFC 9457), media type ``application/problem+json``."""

    type: str = Field(description="URN du type de problème, ex. urn:segur-plan:problem:invalid-input")
    title: str = Field(description="Intitulé court du type de problème (français)")
    status: int = Field(description="Code de statut HTTP")
    detail: str = Field(description="Message en français, à montrer tel quel à l'utilisateur")
    instance: str | None = Field(default=None, description="Chemin de la requête")
    errors: list[FieldError] = Field(default=[], description="Problèmes champ par champ (entrées invalides)")


class Problem(Exception):
    """An HTTP problem raised by a handler; rendered by :func:`problem_response`."""

    def __init__(self, status: int, kind: str, title: str, detail: str, *,
                 errors: Iterable[FieldProblem] = (), headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    body: dict[str, Any] = {"type": TYPE_PREFIX + problem.kind, "title": problem.title,
                            "status": problem.status, "detail": problem.detail}
    if instance is not None:
        body["instance"] = instance
    if problem.errors:
        body["errors"] = [p.as_dict() for p in problem.errors]
    return Response(to_json(body), status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


# ------------------------------------------------------------------------------------ factories


def invalid_input(detail: str, errors: Sequence[FieldProblem] = ()) -> Problem:
    return Problem(422, "invalid-input", "Entrée invalide", detail, errors=errors)


def invalid_parameter(loc: str, message: str) -> Problem:
    return Problem(422, "invalid-parameter", "Paramètre invalide",
                   f"Paramètre de requête invalide : {loc.removeprefix('query.')}.",
                   errors=[FieldProblem(loc, message)])


def too_large(limit: int) -> Problem:
    return Problem(413, "payload-too-large", "Requête trop volumineuse",
                   f"Le corps de la requête dépasse la limite de {limit} octets ({limit / 1024:g} Kio).",
                   headers={"Connection": "close"})


def unsupported_media_type(received: str | None, accepted: Sequence[str]) -> Problem:
    got = f"« {received} »" if received else "absent"
    return Problem(415, "unsupported-media-type", "Type de contenu non pris en charge",
                   f"Content-Type {got} : envoyez le profil en JSON ({accepted[0]}) ou en TOML "
                   f"({', '.join(accepted[1:])}), encodé en UTF-8.",
                   headers={"Accept-Post": ", ".join(accepted)})


def not_found(detail: str, kind: str = "not-found", title: str = "Ressource introuvable") -> Problem:
    return Problem(404, kind, title, detail)


def internal_error() -> Problem:
    return Problem(500, "internal-error", "Erreur interne",
                   "Erreur interne du serveur : la requête n'a pas pu être traitée. L'incident est journalisé.")


def from_engine_error(exc: SegurPlanError) -> Problem:
    """The problem for an error raised by the engine while planning or explaining."""
    if isinstance(exc, UnknownPackError):
        return Problem(422, "unknown-pack", "Pack inconnu", exc.message,
                       errors=[FieldProblem("referencement.pack", exc.message)])
    if isinstance(exc, UnknownExigenceError):
        return Problem(404, "unknown-exigence", "Exigence inconnue", exc.message,
                       errors=[FieldProblem("exigence_id", exc.message)])
    if isinstance(exc, InputError):
        return invalid_input(exc.message, exc.problems)
    return Problem(500, "engine-error", "Erreur du moteur", exc.message)


# -------------------------------------------------------------------- framework validation errors

_PARAM_MESSAGES = {
    "missing": "paramètre obligatoire absent",
    "bool_parsing": "doit être true ou false",
    "bool_type": "doit être true ou false",
    "string_type": "doit être une chaîne de caractères",
    "int_parsing": "doit être un nombre entier",
}


def from_validation_errors(errors: Sequence[Any]) -> Problem:
    """French problem for the framework's own parameter validation (query and path parameters)."""
    problems = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        kind = err.get("type", "")
        if kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"valeur « {err.get('input')} » non autorisée ; attendu : {expected}"
        else:
            message = _PARAM_MESSAGES.get(kind, "valeur invalide")
            if kind != "missing" and "input" in err:
                message += f" (reçu : {err['input']!r})"
        problems.append(FieldProblem(loc, message))
    names = ", ".join(p.loc.split(".", 1)[-1] for p in problems) or "?"
    return Problem(422, "invalid-parameter", "Paramètre invalide", f"Paramètre de requête invalide : {names}.",
                   errors=problems)


_HTTP_TITLES = {
    400: "Requête incorrecte",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    406: "Format de réponse non disponible",
}


def from_http_status(status: int, method: str, path: str, headers: Mapping[str, str] | None) -> Problem:
    """French problem for the framework's routing errors (unknown route, wrong method…)."""
    if status == 404:
        detail = f"Aucune ressource à l'adresse {path}. Voir /openapi.json pour la liste des routes."
    elif status == 405:
        allowed = (headers or {}).get("Allow") or (headers or {}).get("allow") or ""
        detail = f"Méthode {method} non autorisée pour {path}" + (f" (autorisées : {allowed})." if allowed else ".")
    elif status >= 500:
        return internal_error()
    else:
        detail = f"Requête refusée (HTTP {status})."
    slug = {404: "not-found", 405: "method-not-allowed"}.get(status, f"http-{status}")
    return Problem(status, slug, _HTTP_TITLES.get(status, f"Erreur HTTP {status}"), detail, headers=headers)
