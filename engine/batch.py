"""Batch planning: every profile of a folder, on all cores, one bad profile never stopping the rest.

>>> import datetime as dt, tempfile
>>> from pathlib import Path
>>> from segur_plan.engine.batch import run_batch
>>> with tempfile.TemporaryDirectory() as tmp:
...     src, out = Path(tmp, "profils"), Path(tmp, "plans")
...     src.mkdir()
...     _ = Path(src, "dpi.toml").write_text(
...         '[solution]\\nname = "DPI"\\n[referencement]\\npack = "HOP-DPI"\\n', encoding="utf-8")
...     _ = Path(src, "faux.toml").write_text("[referencement]\\npack = 3\\n", encoding="utf-8")
...     summary = run_batch(src, out, today=dt.date(2025, 3, 1), jobs=1)
...     sorted(p.name for p in out.iterdir())
['dpi.json', 'summary.json']
>>> [(r.file, r.status, r.pack) for r in summary.results]
[('dpi.toml', 'ok', 'HOP-DPI'), ('faux.toml', 'error', None)]
>>> summary.results[1].problems[0].loc
'referencement.pack'

How it runs (:func:`run_batch`):

- the profiles are the ``*.toml`` files of the folder (``recursive``: of its sub-folders too),
  in file-name order; ``<stem>.<format>`` is written in the output folder (sub-folders mirrored
  when recursive), plus ``summary.json`` (:meth:`BatchSummary.to_json`, same order);
- each file goes through exactly what ``segur-plan plan`` does (:meth:`~.api.Engine.plan_file`:
  the profile and the financing file it points to, then the renderer of the format), so a batch
  output file has the same bytes as ``plan -o`` for the same profile and ``today`` (resolved
  once for the whole batch);
- ``jobs`` > 1: a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers start from
  preloaded state: start method ``forkserver`` where the system has it (POSIX), the server
  process having imported the engine once (:data:`PRELOAD`), each worker a fork of that
  single-threaded server (never a fork of this process, which may hold threads or
  durable-rules state), else ``spawn``; each worker builds its :class:`~.api.Engine` once, in
  the pool's initializer, its packs read from the validated-pack cache (:mod:`.pack_cache`)
  instead of re-parsing their TOML. ``jobs`` = 1 plans in this process;
- a profile that fails (a :class:`~.errors.SegurPlanError`: malformed TOML, wrong field,
  unknown pack or profil…) becomes an ``error`` result carrying the French message, the file and
  the faulty fields; the other profiles are planned. Nothing here imports click.

Durability (what a crash or a power cut can leave):

- every output file is written atomically (a temporary file renamed over the target, as
  ``plan -o`` does): a reader never sees half a plan;
- the plans are written **without** a per-file fsync; once all are written, one flush to disk
  for the whole batch (:func:`~.storage.sync_files`: ``os.sync()`` on POSIX, an fsync of each
  file elsewhere); only then is ``summary.json`` written, fsynced, and its folder fsynced;
- so ``summary.json`` is durable last: when it is on disk, every plan it lists as ``ok`` is on
  disk too. After a crash before it, some plans may be missing or older: run the batch again
  (the summary is the record of a completed batch).
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .api import Engine
from .errors import BackendUnavailableError, FieldProblem, InputError, OutputError, SegurPlanError
from .loading import load_profile
from .models.plan import Plan
from .registry import packs_path_from_env
from .rem_import.cache import RemSource, load_table
from .render import RENDERERS, render_bytes
from .render.json_render import to_json
from .rules import durable_backend, resolve_backend_name
from .storage import is_stdout, os_error_text, sync_files, sync_folder, write_file

SUMMARY_NAME = "summary.json"
SUMMARY_SCHEMA_VERSION = 1
BATCH_FORMATS = ("json", "md", "html")
Status = Literal["ok", "error"]


class BatchError(InputError):
    """The batch cannot start: missing folder, no profile, unknown format or renderer."""


class RendererUnavailableError(SegurPlanError):
    """The output format asked for has no renderer in this installation."""

    def __init__(self, fmt: str, reason: str) -> None:
        super().__init__(f"Le format « {fmt} » n'est pas disponible dans cette installation : {reason}")
        self.format = fmt
        self.reason = reason


# ---------------------------------------------------------------------------- renderers


def renderer(fmt: str) -> Callable[[Plan], str]:
    """The renderer ``segur-plan plan --format fmt`` uses (``engine.render.RENDERERS``); a format
    without one in this installation is a French error."""
    if fmt not in BATCH_FORMATS:
        raise RendererUnavailableError(fmt, f"formats possibles : {', '.join(BATCH_FORMATS)}")
    render = RENDERERS.get(fmt)
    if render is None:
        raise RendererUnavailableError(fmt, f"aucun moteur de rendu « {fmt} » n'est installé")
    return render


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BatchResult:
    """The outcome for one profile file (``file``: its path relative to the batch folder, POSIX)."""

    file: str
    status: Status
    output: str | None = None
    pack: str | None = None
    requirements: int | None = None
    to_prove: int | None = None
    blocking: int | None = None
    message: str | None = None
    problems: tuple[FieldProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def error_text(self) -> str:
        """The French message as the CLI prints it: the file, the message, one line per field."""
        lines = [self.message or ""]
        lines += [f"  - {p.text()}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "output": self.output,
            "pack": self.pack,
            "requirements": self.requirements,
            "to_prove": self.to_prove,
            "blocking": self.blocking,
            "error": None if self.ok else {
                "message": self.message,
                "problems": [p.as_dict() for p in self.problems],
            },
        }


@dataclass
class BatchSummary:
    """Every result, in file-name order, and the parameters they were computed with."""

    today: dt.date
    format: str
    backend: str
    results: list[BatchResult] = field(default_factory=list)

    @property
    def errors(self) -> list[BatchResult]:
        return [r for r in self.results if not r.ok]

    @property
    def planned(self) -> list[BatchResult]:
        return [r for r in self.results if r.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SUMMARY_SCHEMA_VERSION,
            "today": self.today.isoformat(),
            "format": self.format,
            "backend": self.backend,
            "totals": {"profiles": len(self.results), "ok": len(self.planned), "error": len(self.errors)},
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self) -> str:
        """Canonical JSON (same inputs, same bytes): no timing; files named relative to the batch
        folder (error messages name them as the folder was given)."""
        return to_json(self.to_dict())


# ---------------------------------------------------------------------------- one profile


@dataclass(frozen=True)
class BatchTask:
    path: Path  # the profile file, as reachable from the working directory
    rel: str  # its path relative to the batch folder (POSIX), the key of the summary
    output: Path  # where its plan goes
    output_rel: str
    today: dt.date
    fmt: str
    rem: Path | None = None  # the REM every profile is planned against (``batch --rem``)


def find_profiles(directory: Path | str, *, recursive: bool = False) -> list[Path]:
    """The ``*.toml`` files of ``directory`` (and sub-folders when ``recursive``), by relative name."""
    directory = Path(directory)
    if not directory.exists():
        raise BatchError(f"Dossier introuvable : {directory}", path=directory)
    if not directory.is_dir():
        raise BatchError(f"{directory} n'est pas un dossier", path=directory)
    found = directory.rglob("*.toml") if recursive else directory.glob("*.toml")
    files = [p for p in found if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(directory).as_posix())


def output_rel(rel: str, fmt: str) -> str:
    """``a/b/profil.toml`` → ``a/b/profil.json`` (the folders mirror the input when recursive)."""
    return PurePosixPath(rel).with_suffix(f".{fmt}").as_posix()


def _error(task: BatchTask, exc: SegurPlanError, pack: str | None = None) -> BatchResult:
    """The message always names the profile file (a financing file's error names both)."""
    where = "" if str(task.path) in exc.message else f"{task.path} : "
    problems = exc.problems if isinstance(exc, InputError) else ()
    return BatchResult(task.rel, "error", pack=pack, message=where + exc.message, problems=tuple(problems))


def _requested_pack(path: Path) -> str | None:
    """The pack a profile asks for, when it reads (shown next to its error), else None."""
    try:
        return load_profile(path).referencement.pack
    except SegurPlanError:
        return None


def plan_file(engine: Engine, task: BatchTask) -> BatchResult:
    """Plan one profile file and write its output; a :class:`SegurPlanError` becomes an error result."""
    try:
        plan = engine.plan_file(task.path, today=task.today, rem=task.rem)
        renderer(task.fmt)  # a format this installation cannot render: the profile's error
        data = render_bytes(task.fmt, plan)
    except SegurPlanError as exc:
        return _error(task, exc, _requested_pack(task.path))
    try:
        write_file(task.output, data, sync=False)  # the bytes of plan -o; the batch flushes them once
    except OutputError as exc:
        return BatchResult(task.rel, "error", pack=plan.packs[0].id, message=f"{task.path} : {exc.message}")
    except OSError as exc:
        return BatchResult(task.rel, "error", pack=plan.packs[0].id,
                           message=f"{task.path} : écriture impossible de {task.output} : {os_error_text(exc)}")
    return BatchResult(
        task.rel, "ok", output=task.output_rel, pack=plan.packs[0].id,
        requirements=plan.summary.requirements, to_prove=plan.summary.to_prove, blocking=plan.summary.blocking,
    )


# ---------------------------------------------------------------------------- worker processes

#: Modules the forkserver imports once, so that every worker starts with the engine loaded
#: (``__main__``: the calling script, imported once there instead of once per worker as spawn does;
#: :mod:`.worker_preload`: the packs and the financing checks, read there once).
PRELOAD = ["__main__", "segur_plan.engine.batch", "segur_plan.engine.render.json_render",
           "segur_plan.engine.rules.durable_backend", "segur_plan.engine.worker_preload"]

_WORKER_ENGINE: Engine | None = None
_WORKER_ERROR: SegurPlanError | None = None


def init_worker(backend: str, packs_path: tuple[Path, ...] | None = None) -> None:
    """Pool initializer: one Engine per worker process (packs discovered, rules compiled once).

    An engine that cannot start (e.g. a pack installed twice) is kept as the error that
    :func:`worker_plan` then reports on every profile.
    """
    global _WORKER_ENGINE, _WORKER_ERROR
    _WORKER_ENGINE, _WORKER_ERROR = None, None
    try:
        _WORKER_ENGINE = Engine(backend=backend, packs_path=packs_path)
    except SegurPlanError as exc:  # e.g. a pack installed twice: reported on every profile
        _WORKER_ERROR = exc
    gc.freeze()  # the preloaded modules: never traversed again by the collector (nor copied on write)


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` with the engine preloaded where the system has it, else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def worker_plan(task: BatchTask) -> BatchResult:
    """Plan one task with the engine of this worker process (:func:`init_worker` first)."""
    if _WORKER_ENGINE is None:
        assert _WORKER_ERROR is not None
        return _error(task, _WORKER_ERROR)
    return plan_file(_WORKER_ENGINE, task)


def _worker_plan_chunk(chunk: Sequence[BatchTask]) -> list[BatchResult]:
    """A few profiles per round trip to the worker (a bug in the engine: that profile only)."""
    results = []
    for task in chunk:
        try:
            results.append(worker_plan(task))
        except Exception as exc:
            results.append(_crashed(task, exc))
    return results


def chunks(tasks: Sequence[BatchTask], workers: int) -> list[tuple[BatchTask, ...]]:
    """The tasks cut into the groups sent to a worker at once (guided scheduling): a group is
    about a quarter of each worker's share of what remains, at most 8 and at least 1, so that
    round trips are few while many profiles remain and the last groups are single profiles:
    the workers finish together instead of one waiting for the other's last group."""
    out, start = [], 0
    while start < len(tasks):
        size = max(1, min(8, (len(tasks) - start) // (workers * 4)))
        out.append(tuple(tasks[start:start + size]))
        start += size
    return out


def _crashed(task: BatchTask, exc: BaseException) -> BatchResult:
    if isinstance(exc, BrokenProcessPool):
        why = "le processus de calcul s'est arrêté brutalement"
    else:
        why = f"erreur interne ({type(exc).__name__} : {exc})"
    return BatchResult(task.rel, "error", message=f"{task.path} : plan non calculé, {why}")


# ---------------------------------------------------------------------------- the batch


def check_backend(backend: str | None) -> str:
    """The concrete backend name; an unusable one is refused before any worker starts."""
    name = resolve_backend_name(backend)
    if name == "durable" and not durable_backend.available():
        raise BackendUnavailableError("durable", durable_backend.IMPORT_ERROR or "non installé")
    return name


def make_tasks(directory: Path | str, out_dir: Path | str, *, today: dt.date, fmt: str = "json",
               recursive: bool = False, rem: Path | None = None) -> list[BatchTask]:
    directory, out_dir = Path(directory), Path(out_dir)
    tasks = []
    for path in find_profiles(directory, recursive=recursive):
        rel = path.relative_to(directory).as_posix()
        out_rel = output_rel(rel, fmt)
        tasks.append(BatchTask(path, rel, out_dir / out_rel, out_rel, today, fmt, rem))
    return tasks


def run_batch(
    directory: Path | str,
    out_dir: Path | str,
    *,
    today: dt.date,
    fmt: str = "json",
    jobs: int | None = None,
    recursive: bool = False,
    backend: str | None = None,
    on_result: Callable[[BatchResult], None] | None = None,
    write_summary: bool = True,
    rem: Path | str | None = None,
    packs_path: Sequence[Path | str] | None = None,
) -> BatchSummary:
    """Plan every profile of ``directory`` into ``out_dir``; see the module docstring.

    ``on_result`` is called in this process as each profile completes (a progress bar);
    ``jobs`` defaults to ``os.cpu_count()``. Raises :class:`BatchError` (no such folder, no
    profile), :class:`RendererUnavailableError` or :class:`BackendUnavailableError` before
    planning anything; per-profile errors are results, never exceptions. ``rem``: a REM every
    profile is planned against (read once here: an unusable file fails before any plan);
    ``packs_path``: folders of local packs (default: ``SEGUR_PLAN_PACKS_PATH``).
    """
    renderer(fmt)  # an unavailable format fails once, here, not once per profile
    backend_name = check_backend(backend)
    rem_path = Path(rem) if rem is not None else None
    if rem_path is not None:
        load_table(RemSource.from_path(rem_path))  # also fills the disk cache the workers read
    tasks = make_tasks(directory, out_dir, today=today, fmt=fmt, recursive=recursive, rem=rem_path)
    if not tasks:
        where = " (sous-dossiers compris)" if recursive else ""
        raise BatchError(f"Aucun profil *.toml dans {directory}{where}", path=directory)
    if is_stdout(out_dir):
        raise BatchError("batch -o attend un dossier (un plan par profil), pas « - »", path=out_dir)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchError(f"Le dossier de sortie {out_dir} n'est pas un dossier : rien n'a été écrit", path=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(today, fmt, backend_name)
    paths = None if packs_path is None else tuple(Path(p) for p in packs_path)
    summary.results = run_tasks(tasks, jobs=jobs, backend=backend_name, on_result=on_result, packs_path=paths)
    written = [t.output for t, r in zip(tasks, summary.results, strict=True) if r.ok]
    sync_files(written)  # one flush for every plan of the batch, before the summary
    if write_summary:
        write_file(out_dir / SUMMARY_NAME, summary.to_json().encode("utf-8"))  # synced now: durable last
        sync_folder(out_dir)
    return summary


def _reserved(task: BatchTask) -> BatchResult | None:
    if task.output_rel == SUMMARY_NAME:
        return BatchResult(task.rel, "error", message=(
            f"{task.path} : son plan s'écrirait dans {SUMMARY_NAME}, nom réservé au résumé du lot ; "
            "renommez ce profil"))
    return None


def run_tasks(tasks: Sequence[BatchTask], *, jobs: int | None = None, backend: str = "native",
              on_result: Callable[[BatchResult], None] | None = None,
              packs_path: tuple[Path, ...] | None = None) -> list[BatchResult]:
    """Plan ``tasks`` (in this process when ``jobs`` is 1, else in worker processes); file order."""
    results: dict[str, BatchResult] = {}

    def done(result: BatchResult) -> None:
        results[result.file] = result
        if on_result is not None:
            on_result(result)

    todo = []
    for task in tasks:
        reserved = _reserved(task)
        if reserved is not None:
            done(reserved)
        else:
            todo.append(task)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if packs_path is None:  # read here: a worker forked from a forkserver has the environment of its start
        packs_path = packs_path_from_env()
    if todo and workers == 1:
        engine = Engine(backend=backend, packs_path=packs_path)
        for task in todo:
            try:
                result = plan_file(engine, task)
            except Exception as exc:  # a bug in the engine: this profile only (reported, typed)
                result = _crashed(task, exc)
            done(result)
    elif todo:
        pool = ProcessPoolExecutor(workers, mp_context=_context(),
                                   initializer=init_worker, initargs=(backend, packs_path))
        try:
            pending: dict[Future[list[BatchResult]], tuple[BatchTask, ...]] = {
                pool.submit(_worker_plan_chunk, chunk): chunk for chunk in chunks(todo, workers)}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    chunk = pending.pop(future)
                    try:
                        chunk_results = future.result()
                    except Exception as exc:  # a worker died: the profiles it held
                        chunk_results = [_crashed(task, exc) for task in chunk]
                    for result in chunk_results:
                        done(result)
        except BaseException:  # Ctrl-C: do not wait for the profiles not started yet
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    return [results[t.rel] for t in tasks]
