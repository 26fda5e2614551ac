"""``segur-plan serve``: the HTTP service (optional extra ``server``)."""

from __future__ import annotations

import ipaddress
import os

import click
from segur_plan.engine.registry import PACKS_PATH_ENV_VAR

from .common import EXIT_BAD_INPUT, backend_option, engine, fail, packs_path

#: Top-level modules of the ``server`` extra: their absence means the extra is not installed.
_EXTRA_MODULES = {"fastapi", "starlette", "uvicorn", "anyio", "h11"}
INSTALL_HINT = "pip install 'segur-plan[server]'"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse d'écoute (127.0.0.1 : cette machine seulement).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port d'écoute (0 : un port libre choisi par le système).")
@click.option("--max-body-size", type=click.IntRange(min=1), default=None, metavar="OCTETS",
              help="Taille maximale du corps d'une requête, en octets (défaut : 262144, soit 256 Kio, "
                   "ou la variable SEGUR_PLAN_MAX_BODY_BYTES). Au-delà : 413.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Nombre de processus de service (sans état, un moteur chacun) partageant le port ; "
                   "par exemple le nombre de cœurs.")
@backend_option
def serve_cmd(host: str, port: int, max_body_size: int | None, workers: int, backend: str | None) -> None:
    """Lance le service HTTP : POST /v1/plan, POST /v1/explain, GET /v1/packs, GET /v1/schemas/…,
    GET /healthz ; documentation OpenAPI sur /openapi.json. Ctrl-C pour l'arrêter.

    Nécessite l'extra « server » : pip install 'segur-plan[server]'."""
    try:
        from segur_plan.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] in _EXTRA_MODULES:
            fail(f"le service HTTP nécessite l'extra « server » (module {exc.name} absent). "
                 f"Installez-le avec : {INSTALL_HINT}", EXIT_BAD_INPUT)
        raise
    if not _is_loopback(host):
        click.echo(f"Attention : le service écoute sur {host}, sans authentification ni TLS ; "
                   "exposez-le derrière un proxy qui les assure.", err=True)
    if workers == 1:
        serve(host, port, max_body_bytes=max_body_size, engine=engine(backend))  # --packs-path included
        return
    # Worker processes build their own engine: they read the local packs from the environment.
    os.environ[PACKS_PATH_ENV_VAR] = os.pathsep.join(str(p) for p in packs_path())
    serve(host, port, backend=backend, max_body_bytes=max_body_size, workers=workers)
