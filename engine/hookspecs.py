"""The plugin contract (pluggy). A pack distribution implements these hooks.

A third-party pack is an ordinary Python distribution that declares, in its pyproject::

    [project.entry-points."segur_plan.packs"]
    my-pack = "my_pack_module"

and whose module implements::

    from pathlib import Path
    from segur_plan.engine.hookspecs import hookimpl

    @hookimpl
    def segur_plan_packs():
        return [Path(__file__).parent / "pack.toml"]

Hooks return records; they never change engine state.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pluggy

from .models.pack import Pack

PROJECT = "segur_plan"
ENTRY_POINT_GROUP = "segur_plan.packs"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

PackSource = Pack | Path


@hookspec
def segur_plan_packs() -> list[PackSource]:  # type: ignore[empty-body]
    """Return the packs this plugin contributes: paths to ``pack.toml`` files, or Pack objects.

    A path is read with :func:`segur_plan.engine.pack_loading.load_pack_file` (it may
    ``include`` other TOML files beside it). Each pack is validated by the engine; an invalid
    pack is reported as broken and skipped, the other packs still load.
    """


def packs_beside(module_file: str, *names: str) -> Callable[[], list[PackSource]]:
    """Hook implementation returning the ``pack.toml`` (or ``names``) beside ``module_file``.

    A pack module then needs one line: ``segur_plan_packs = packs_beside(__file__)``.
    """
    folder = Path(module_file).parent
    files = [folder / n for n in (names or ("pack.toml",))]

    @hookimpl
    def segur_plan_packs() -> list[PackSource]:
        return list(files)

    return segur_plan_packs
