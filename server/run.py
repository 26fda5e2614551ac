"""Running the service with uvicorn (``segur-plan serve``)."""

from __future__ import annotations

from typing import Any

import uvicorn
from segur_plan.engine.api import Engine

from .app import create_app


def server_config(app: Any, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
                  log_config: Any = uvicorn.config.LOGGING_CONFIG) -> uvicorn.Config:
    """uvicorn's configuration for the service: HTTP/1.1 (h11), no Server header, bounded shutdown."""
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level, log_config=log_config,
        lifespan="on",                # the worker-thread limiter is created at startup
        server_header=False,
        proxy_headers=False,          # behind a proxy, enable it explicitly with uvicorn itself
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
    )


def serve(host: str = "127.0.0.1", port: int = 8000, *, backend: str | None = None,
          max_body_bytes: int | None = None, engine: Engine | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM: in-flight requests finish, at most 10 s)."""
    app = create_app(engine, backend=backend, max_body_bytes=max_body_bytes)
    uvicorn.Server(server_config(app, host=host, port=port)).run()
