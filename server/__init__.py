"""segur-plan's HTTP service (optional extra: ``pip install 'segur-plan[server]'``).

>>> from segur_plan.server import create_app
>>> app = create_app()                     # one engine, packs discovered once
>>> sorted(r.path for r in app.routes if r.path.startswith("/v1/"))[:2]
['/v1/explain', '/v1/packs']

Run it with ``segur-plan serve`` (or :func:`serve`), or under any ASGI server with
``uvicorn --factory segur_plan.server:create_app``. Routes, status codes and the request-size
limit: :mod:`segur_plan.server.app`, :mod:`segur_plan.server.problems`, :mod:`segur_plan.server.limits`.
"""

from .app import create_app
from .limits import DEFAULT_MAX_BODY_BYTES, MAX_BODY_ENV_VAR
from .run import serve, server_config

__all__ = ["DEFAULT_MAX_BODY_BYTES", "MAX_BODY_ENV_VAR", "create_app", "serve", "server_config"]
