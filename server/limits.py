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

Scope = dict[str, Any]


class BodyTooLarge(Exception):
    """Raised by the limited ``receive`` when the body passes the limit while it is read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"corps de requête supérieur à {limit} octets")
        self.limit = limit


def resolve_max_body(value: int | None) -> int:
    """The limit in bytes: ``value``, else the environment variable, else 256 KiB."""
    if value is None:
        raw = os.environ.get(MAX_BODY_ENV_VAR, "").strip()
        if not raw:
            return DEFAULT_MAX_BODY_BYTES
        try:
            value = int(raw)
        except ValueError:
            raise SegurPlanError(f"{MAX_BODY_ENV_VAR} doit être un nombre d'octets (reçu : « {raw} »).") from None
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


class BodyLimitMiddleware:
    """Pure ASGI middleware: refuses bodies larger than ``max_bytes`` with 413 problem+json."""

    def __init__(self, app: Any, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            response = problem_response(too_large(self.max_bytes), scope.get("path"))
            await response(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
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
            await problem_response(too_large(self.max_bytes), scope.get("path"))(scope, receive, send)
