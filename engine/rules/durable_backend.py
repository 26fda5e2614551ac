"""durable-rules backend, hardened (see shared/design/durable-rules-notes.md).

durable-rules 2.0.28 is unmaintained and its C core has memory-safety bugs that ordinary use
hits. This adapter avoids each of them:

- no background dispatcher threads (their timers walk freed state): ``_QuietHost._run`` is a
  no-op;
- one fresh session id per evaluation, ``delete_state`` in ``finally``;
- every batch ends with a sentinel fact whose rule always fires, so the session never is
  deleted before a consequence ran, and a batch is never empty;
- a "sink" join that never completes handles every fact, so no fact is ever "unhandled";
- only equality joins (enforced by the linter);
- every consequence is wrapped: its exception is recorded for the session and re-raised,
  typed, after cleanup (durable would swallow it, KeyboardInterrupt included);
- one lock per backend: the C calls hold the GIL anyway, and the core is not known to be safe
  under concurrent calls.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import BackendUnavailableError, RuleEvaluationError
from .base import MAX_FIRINGS, Fact, Firing, OnFire
from .language import CompiledRule

try:  # pragma: no cover - depends on the interpreter
    from durable import engine as _durable
except Exception as exc:  # ImportError, or the undefined-symbol error of Python >= 3.13
    _durable = None
    IMPORT_ERROR: str | None = f"{type(exc).__name__}: {exc}"
else:
    IMPORT_ERROR = None

_SENTINEL = "__sentinel__"
_SINK = "__sink__"
_counter = itertools.count()


def available() -> bool:
    return _durable is not None


class _Evaluation:
    def __init__(self, on_fire: OnFire) -> None:
        self.on_fire = on_fire
        self.firings: set[Firing] = set()
        self.error: BaseException | None = None
        self.error_rule = ""


class DurableBackend:
    name = "durable"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        if _durable is None:
            raise BackendUnavailableError("durable", IMPORT_ERROR or "non installé")
        self._rules = {rule.key: rule for rule in rules}
        self._sessions: dict[str, _Evaluation] = {}
        self._lock = threading.Lock()
        self._ruleset = f"segur_plan_{next(_counter)}"
        definition: dict[str, Any] = {
            rule.key: dict(rule.durable_definition(), run=rule.key) for rule in rules
        }
        definition[_SENTINEL] = {"all": [{"m": {"kind": _SENTINEL}}], "run": _SENTINEL}
        definition[_SINK] = {
            "all": [{"a": {"$ex": {"kind": 1}}}, {"b": {"kind": "__never__"}}],
            "run": _SINK,
        }
        self._host = _QuietHost(self)
        # durable mutates the definition it is given (it pops "run").
        self._host.register_rulesets({self._ruleset: copy.deepcopy(definition)})

    def consequence(self, key: str) -> Any:
        def run(c: Any) -> None:
            session = self._sessions.get(c.s.sid)
            if session is None or session.error is not None or key in (_SENTINEL, _SINK):
                return
            try:
                rule = self._rules[key]
                bound = {alias: _plain(c._m[alias]) for alias in rule.aliases}
                firing = Firing(key, tuple((a, bound[a]["id"]) for a in rule.aliases))
                if firing in session.firings:
                    return
                session.firings.add(firing)
                if len(session.firings) > MAX_FIRINGS:
                    raise RuleEvaluationError(key, "trop d'activations (règles en boucle ?)")
                for derived in session.on_fire(key, bound):
                    with contextlib.suppress(_durable.MessageObservedException):  # known: same id
                        c.assert_fact(dict(derived, sid=c.s.sid))
            except BaseException as exc:  # durable would swallow it, Ctrl-C included
                session.error = exc
                session.error_rule = key

        return run

    def evaluate(self, facts: Sequence[Fact], on_fire: OnFire) -> list[Firing]:
        with self._lock:
            sid = f"e{next(_counter)}"
            session = _Evaluation(on_fire)
            self._sessions[sid] = session
            batch = [dict(fact, sid=sid) for fact in _unique(facts)]
            batch.append({"kind": _SENTINEL, "id": _SENTINEL, "sid": sid})
            try:
                state = self._host.assert_facts(self._ruleset, batch)
            except (_durable.MessageNotHandledException, _durable.MessageObservedException) as exc:
                raise RuleEvaluationError("(assertion)", getattr(exc, "message", str(exc))) from None
            finally:
                try:
                    self._host.delete_state(self._ruleset, sid)
                finally:
                    del self._sessions[sid]
        if session.error is not None:
            if isinstance(session.error, KeyboardInterrupt | SystemExit):
                raise session.error
            if isinstance(session.error, RuleEvaluationError):
                raise session.error
            raise RuleEvaluationError(session.error_rule, repr(session.error)) from session.error
        if isinstance(state, Mapping) and state.get("exception"):
            raise RuleEvaluationError("(durable)", str(state["exception"]))
        return sorted(session.firings)


def _unique(facts: Sequence[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for fact in facts:
        seen.setdefault(fact["id"], fact)
    return list(seen.values())


def _plain(fact: Mapping[str, Any]) -> Fact:
    return {k: v for k, v in dict(fact).items() if k != "sid"}


if _durable is not None:

    class _QuietHost(_durable.Host):  # type: ignore[misc]  # durable-rules ships no type stubs
        """A Host without the background dispatcher threads, resolving actions by rule key."""

        def __init__(self, backend: DurableBackend) -> None:
            self._backend = backend
            super().__init__()

        def _run(self) -> None:  # no timer threads: they cause use-after-free crashes
            return None

        def get_action(self, action_name: str) -> Any:
            return self._backend.consequence(action_name)
