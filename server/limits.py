"""The request-size limit, enforced while the body is read (never after buffering it).

- A ``Content-Length`` above the limit is refused with 413 at once: the body is not read.
- Without one (``Transfer-Encoding: chunked``), the bytes are counted as they arrive; the read
  stops as soon as the count passes the limit and the request is refused with 413. At most
  ``limit`` bytes (plus one network chunk) are ever held.

The 413 response closes the connection (``Connection: close``): the unread rest of the body is
never read.
"""

from __future__ import annotations

import os
from typing import Any

from segur_plan.engine.errors import SegurPlanError

from .problems import problem_response, too_large

#: Default limit: 256 KiB, far above any real profile (the bundled examples weigh under 1 KiB).
DEFAULT_MAX_BODY_BYTES = 256 * 1024
#: Environment variable overriding the default (bytes), for ``uvicorn --factory`` deployments.
MAX_BODY_ENV_VAR = "SEGUR_PLAN_MAX_BODY_BYTES"
#: A REM uploaded with a profile (``POST /v1/plan``, ``/v1/explain``): 8 MiB once decoded, far
#: above a real REM (a few hundred KiB); its base64 form weighs a third more.
DEFAULT_MAX_REM_BYTES = 8 * 1024 * 1024
MAX_REM_ENV_VAR = "SEGUR_PLAN_MAX_REM_BYTES"

Scope = dict[str, Any]


class BodyTooLarge(Exception):
    """Raised by the limited ``receive`` when the body passes the limit while it is read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"corps de requête supérieur à {limit} octets")
        self.limit = limit


def resolve_max_body(value: int | None, env: str = MAX_BODY_ENV_VAR, default: int = DEFAULT_MAX_BODY_BYTES) -> int:
    """The limit in bytes: ``value``, else the environment variable ``env``, else ``default``."""
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SegurPlanError(f"{env} doit être un nombre d'octets (reçu : « {raw} »).") from None
    if value < 1:
        raise SegurPlanError(f"La limite de taille des requêtes doit être positive (reçu : {value}).")
    return value


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:  # the HTTP server refuses it before us; be safe anyway
                return None
    return None


def with_upload(max_body: int, max_rem: int) -> int:
    """The body limit of a route that takes a REM in base64 beside the profile."""
    return max_body + (max_rem + 2) // 3 * 4 + 1024


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False


class BodyLimitMiddleware:
    """Pure ASGI middleware: refuses bodies larger than ``max_bytes`` with 413 problem+json.

    ``path_limits``: larger limits for the JSON bodies of some paths (those that take a REM in
    base64); their handler applies ``max_bytes`` again to a body that carries no REM."""

    def __init__(self, app: Any, max_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = max_bytes
        self.path_limits = path_limits or {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.default) if _is_json(scope) else self.default
        length = _content_length(scope)
        if length is not None and length > limit:
            response = problem_response(too_large(limit), scope.get("path"))
            await response(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:  # a handler that did not let the app's exception handler answer
            if started:
                raise
            await problem_response(too_large(limit), scope.get("path"))(scope, receive, send)
