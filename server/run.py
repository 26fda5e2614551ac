"""Running the service with uvicorn (``segur-plan serve``)."""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from segur_plan.engine.api import Engine
from uvicorn.supervisors import Multiprocess

from .app import create_app
from .limits import MAX_BODY_ENV_VAR, resolve_max_body


def server_config(app: Any, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
                  log_config: Any = uvicorn.config.LOGGING_CONFIG, workers: int = 1) -> uvicorn.Config:
    """uvicorn's configuration for the service: HTTP/1.1 (h11), no Server header, bounded shutdown.

    With ``workers`` > 1, ``app`` is the import string of an application factory.
    """
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level, log_config=log_config,
        workers=workers, factory=workers > 1,
        lifespan="on",                # the worker-thread limiter is created at startup
        server_header=False,
        proxy_headers=False,          # behind a proxy, enable it explicitly with uvicorn itself
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
    )


#: Environment through which ``serve`` hands its settings to worker processes (they import the
#: application by name: :func:`worker_app`).
BACKEND_ENV_VAR = "SEGUR_PLAN_SERVE_BACKEND"


def worker_app() -> Any:
    """The application of one worker process of ``serve --workers N`` (an ASGI factory).

    Each worker is stateless and independent: it discovers the packs and builds its own engine
    at start-up, and keeps nothing between requests; the request-size limit comes from
    ``SEGUR_PLAN_MAX_BODY_BYTES`` and the rule backend from ``SEGUR_PLAN_SERVE_BACKEND``.
    """
    return create_app(backend=os.environ.get(BACKEND_ENV_VAR) or None)


def serve(host: str = "127.0.0.1", port: int = 8000, *, backend: str | None = None,
          max_body_bytes: int | None = None, engine: Engine | None = None, workers: int = 1) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM: in-flight requests finish, at most 10 s).

    ``workers`` > 1 runs that many processes sharing one listening socket (uvicorn's
    supervisor restarts a worker that dies); ``engine`` is then not shareable and must be None.
    """
    if workers <= 1:
        app = create_app(engine, backend=backend, max_body_bytes=max_body_bytes)
        uvicorn.Server(server_config(app, host=host, port=port)).run()
        return
    if engine is not None:
        raise ValueError("un moteur déjà construit ne se partage pas entre processus (workers > 1)")
    resolve_max_body(max_body_bytes)  # a bad limit fails here, once, not in every worker
    if backend:
        os.environ[BACKEND_ENV_VAR] = backend
    if max_body_bytes is not None:
        os.environ[MAX_BODY_ENV_VAR] = str(max_body_bytes)
    config = server_config("segur_plan.server.run:worker_app", host=host, port=port, workers=workers)
    sock = config.bind_socket()
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
