"""Imported once by the batch's forkserver (see ``PRELOAD`` in :mod:`.batch`), never by a command.

What every batch worker would otherwise redo after it starts is done here, once, before the
workers are forked from this process: the modules a plan may need beyond the engine's core (the
financing checks and the French public holidays they count working days with), and the packs
installed or named by ``SEGUR_PLAN_PACKS_PATH``, read from the validated-pack cache, with what
their plans share (:meth:`.api.Engine.prepare`, for today's proof formats). A worker then finds
those packs in memory (:mod:`.pack_cache` shares the entries of one cache state within a
process) instead of unpickling them; a batch whose packs differ (other folders, a pack edited
since) does not match that state and reads its own, as without this module.

No rule backend is built here: durable-rules state must never be forked (each worker compiles
its own). Nothing here may stop the forkserver: a failure only means a cold worker.
"""

from __future__ import annotations

import contextlib


def _warm() -> None:
    import holidays

    from .api import Engine
    from .dates import today_in_paris
    from .financing import checks  # noqa: F401 - imported for the workers
    from .pack_cache import cache_folder

    holidays.country_holidays("FR")  # imports the library's country tables (most of its cost)
    if cache_folder() is not None:  # without the cache, workers cannot find these packs: read them each
        Engine(backend="native").prepare(today_in_paris(), rule_backends=False)


with contextlib.suppress(Exception):  # a warm-up only: the worker reads what it needs itself
    _warm()
