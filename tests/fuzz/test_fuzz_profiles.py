"""Fuzzing (issue 8): any profile input gives a Plan or a typed ``SegurPlanError``, never another exception.

Inputs, each through the entry points a portal or the CLI uses:

- dicts (``parse_profile`` then ``Engine.plan``): valid profiles with random values in every field
  (random texts with NUL bytes, surrogates and right-to-left marks; dates over the whole calendar,
  mostly within the programme's years 2000–2100 that the profile accepts; datetimes with odd
  offsets; profils of the pack or of another one; unknown exigence, proof and journey ids; lists
  of every length up to a few thousand items); the same profiles mutated (a value replaced by
  junk, wrapped in a list, a key removed or added); junk-heavy profiles and plain junk (nested
  lists and tables, huge integers, NaN, bytes…); with both rule backends (durable-rules receives
  the strings as facts);
- JSON text (what a portal sends): the same documents through ``json.dumps``/``json.loads``;
- TOML files (``Engine.plan_file``, as ``segur-plan plan`` reads them, with the financing file a
  profile points to): valid TOML written by tomli-w from a generated profile, then
  damaged at random places; lines shaped like a profile with edge values; raw bytes (bad UTF-8,
  BOM, NUL);
- the corpus of malformed files in ``corpus/`` (TOML, JSON, and XLSX built at test time for the
  REM importer), replayed file by file: each must give a typed error;
- financing files (``parse_financing``/``load_financing`` then ``check_financing``): the example
  financing files mutated, damaged on disk, raw bytes, and a corpus of malformed ones.

Bounded and deterministic for CI: ``derandomize=True``, no example database, a fixed
``max_examples`` (multiplied by ``SEGUR_PLAN_FUZZ_SCALE``, default 1, for a longer local run;
``pytest tests/fuzz --hypothesis-show-statistics`` shows how many examples were plans).

Crashes found by this fuzzing (untyped exceptions: dates at the calendar's limits, deep nesting)
are kept as regression tests with their minimal inputs (``FOUND_CRASHES``, and the corpus files
named after them). A crash found and not fixed yet gets an ``xfail(raises=…, strict=True)`` test
with its minimal input (a corpus file: ``CORPUS_CRASHES``), so that its fix is noticed, and its
domain is kept out of the strategies until then.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import math
import os
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from segur_plan.engine.api import Engine
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render import render_json
from segur_plan.engine.rules import durable_backend

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCALE = max(1, int(os.environ.get("SEGUR_PLAN_FUZZ_SCALE", "1")))


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                               HealthCheck.function_scoped_fixture],
    )


REGISTRY = PackRegistry.discover()
ENGINES = {"native": Engine(REGISTRY, backend="native")}
if durable_backend.available():
    ENGINES["durable"] = Engine(REGISTRY, backend="durable")


# ---------------------------------------------------------------------------- vocabulary of the packs

def _vocabulary() -> dict[str, list[str]]:
    packs = REGISTRY.ids(include_socles=True)
    profils, exigences, proofs, steps = set(), set(), set(), set()
    for pack_id in packs:
        pack = REGISTRY.get(pack_id).pack
        for p in pack.profils:
            profils.update((p.id, p.label, *p.aliases))
        for e in pack.exigences:
            exigences.add(e.id)
            for s in e.scenarios:
                proofs.add(s.id)
                proofs.update(pr.id for pr in s.preuves)
        steps.update(s.id for s in pack.journey)
    sections = {e.split(".")[1] for e in exigences if e.count(".") >= 2}
    return {
        "packs": [*packs, *(p.lower() for p in packs), "NOPE", " HOP-DPI ", "HOP‐DPI"],
        "profils": sorted(profils), "exigences": sorted(exigences)[:400], "proofs": sorted(proofs)[:400],
        "steps": sorted(steps), "sections": sorted(sections),
    }


VOCAB = _vocabulary()

# ---------------------------------------------------------------------------- junk

ODD_CHARS = st.sampled_from(["\x00", "\ud800", "\udfff", "\u202e", "\ufeff", "\u00a0", "é", "Ω", "𝔘", "\n", "\r",
                             "\t", '"', "'", "\\", "[", "]", "=", "#", ".", " ", "\x7f", "\u2028"])
TEXT = st.text(st.one_of(st.characters(), ODD_CHARS), max_size=30)
INTS = st.one_of(st.integers(-10, 10), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
                 st.integers(min_value=-(2**70), max_value=-(2**63) + 2))
ZONES = st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=14)),
                         dt.timezone(-dt.timedelta(hours=23, minutes=59)), dt.timezone(dt.timedelta(minutes=1))])
# The whole calendar (the profile accepts the years of the programme, 2000–2100: the others are
# typed errors), plus a dense window where plans are made.
DATES = st.one_of(st.dates(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
                  st.sampled_from([dt.date.min, dt.date.max, dt.date(2000, 1, 1), dt.date(2100, 12, 31),
                                   dt.date(2024, 2, 29), dt.date(2024, 8, 31)]))
DATETIMES = st.one_of(
    st.datetimes(timezones=ZONES),
    st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2026, 12, 31), timezones=ZONES),
    st.sampled_from([dt.datetime(2025, 3, 30, 2, 30), dt.datetime(2025, 10, 26, 2, 30),  # DST gap and fold
                     dt.datetime.min, dt.datetime.max, dt.datetime(2100, 12, 31, 23, 59),
                     dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))]),
)
SCALARS = st.one_of(st.none(), st.booleans(), INTS, st.floats(), TEXT, DATES, DATETIMES, st.times(),
                    st.binary(max_size=8))
JUNK = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(TEXT, kids, max_size=4),
                    max_leaves=10)


def field(*plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a plausible value, sometimes junk."""
    return st.one_of(*plausible, *plausible, JUNK)


def some(strategy: st.SearchStrategy[Any], max_size: int = 4) -> st.SearchStrategy[Any]:
    """A short list, or (rarely) a huge one of one repeated item."""
    huge = st.builds(lambda item, n: [item] * n, strategy, st.integers(200, 2000))
    return st.one_of(st.lists(strategy, max_size=max_size), st.lists(strategy, max_size=max_size), huge)


def table(required: dict[str, st.SearchStrategy[Any]],
          optional: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """A table with its keys (some left out), sometimes an unknown key, sometimes not a table at all."""
    known = st.fixed_dictionaries(required, optional=optional)
    extra = st.builds(lambda d, k, v: {**d, k: v}, known, TEXT, JUNK)
    return st.one_of(known, known, known, extra, JUNK)


def vocab(name: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(VOCAB[name]), TEXT)


# A junk-heavy profile: every field is plausible or junk, tables sometimes carry unknown keys.
SOLUTION = {"name": field(TEXT, st.just("Solution"))}
SOLUTION_OPT = {"editor": field(TEXT), "version": field(TEXT, st.just("5.2"))}
JUNKY_PROFILE = table(
    {"referencement": table({"pack": field(st.sampled_from(VOCAB["packs"]))}, {
        "t0": field(DATES), "parcours": field(st.sampled_from(["mono-editeur", "groupement", "marque-blanche"])),
        "trigger": field(st.sampled_from(["initial", "major-version", "referentiel-update", "audit"])),
        "already_referenced": field(some(st.sampled_from(["vague-1", "vague-2", "VAGUE-1"]) | TEXT)),
        "financing": field(st.booleans()), "cycle_start": field(DATES)})},
    {
        "schema_version": field(st.just(1), st.integers(-1, 3)),
        "solution": table(SOLUTION, SOLUTION_OPT),
        "solutions": field(some(table(SOLUTION, {**SOLUTION_OPT, "profils": field(some(vocab("profils")))}))),
        "profils": table({}, {"declared": field(some(vocab("profils")))}),
        "prerequisites": table({}, {
            "cnda_nie": field(TEXT, st.just("NIE-1")), "cnda_nil": field(TEXT, st.just("NIL-1")),
            "cnda_request_status": field(st.sampled_from(["none", "depose", "pre-examen", "en-cours", "homologue"])),
            "insi": field(st.booleans()), "dmp": field(st.booleans())}),
        "marque_blanche": table({"original_editor": field(TEXT)}, {
            "modified": field(st.booleans()), "modified_areas": field(some(vocab("sections")))}),
        "proofs": field(some(table({"id": field(vocab("proofs"))}, {
            "status": field(st.sampled_from(["todo", "collected", "deposited", "validated", "rejected"])),
            "date": field(DATES), "file": field(TEXT), "solution": field(TEXT, st.just("Solution")),
            "note": field(TEXT)}))),
        "audit_findings": field(some(table({"requirement": field(vocab("exigences"))}, {"note": field(TEXT)}))),
        "ans_requests": field(some(table({"received": field(DATETIMES)}, {
            "subject": field(TEXT), "answered": field(st.booleans())}))),
        "journey": table({}, {"done": field(some(vocab("steps")))}),
    },
)

NAME = st.one_of(st.text(st.one_of(st.characters(), ODD_CHARS), min_size=1, max_size=30), st.just("DPI Exemple"))
MAYBE_TEXT = st.one_of(st.none(), NAME)
PACKS = [i for i in REGISTRY.ids()]


#: Values of ``financing_file`` (relative to the profile file, in the test's work folder): a valid
#: example, a file the fuzz rewrites with junk, a profile, a folder, absent files, a device.
FINANCING_REFS = ["financement-exemple.toml", "financement.toml", "financement.json", "profil.toml", ".", "",
                  "absent.toml", "../absent.json", "/nonexistent/x.toml", os.devnull, "é/ü.toml"]


# Mostly inside the programme's years (2000–2100, what the profile accepts), sometimes anywhere.
VALID_DATES = st.one_of(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
                        st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), DATES)
VALID_DATETIMES = st.one_of(st.datetimes(dt.datetime(2000, 1, 2), dt.datetime(2100, 12, 30), timezones=ZONES),
                            st.datetimes(dt.datetime(2000, 1, 2), dt.datetime(2100, 12, 30), timezones=ZONES),
                            DATETIMES)


@st.composite
def valid_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A profile the model accepts (coherent parcours, solutions, proofs), with random values in it:
    random texts (NUL bytes, surrogates…), dates from year 1 to 9999, profils of the pack or of
    another pack, unknown exigence, proof and journey ids, lists of every length."""
    pack_id = draw(st.sampled_from(PACKS))
    pack = REGISTRY.get(pack_id).pack
    own = sorted({n for p in pack.profils for n in (p.id, p.label, *p.aliases)})
    profil_names = st.one_of(st.sampled_from(own), st.sampled_from(own), vocab("profils")) if own else vocab("profils")
    parcours = draw(st.sampled_from(["mono-editeur", "mono-editeur", "groupement", "marque-blanche"]))
    ref: dict[str, Any] = {"pack": draw(st.sampled_from([pack_id, pack_id.lower()]))}
    for key, strategy in (("t0", VALID_DATES), ("cycle_start", VALID_DATES), ("financing", st.booleans()),
                          ("trigger", st.sampled_from(["initial", "major-version", "referentiel-update", "audit"])),
                          ("already_referenced", some(st.sampled_from(["vague-1", "vague-2"]) | NAME, 3))):
        if draw(st.booleans()):
            ref[key] = draw(strategy)
    ref["parcours"] = parcours
    data: dict[str, Any] = {"referencement": ref}
    if draw(st.booleans()):
        data["schema_version"] = 1
    names: list[str] = []
    if parcours == "groupement":
        names = draw(st.lists(NAME, min_size=2, max_size=4, unique=True))
        data["solutions"] = [
            {"name": n, **({"profils": draw(st.lists(profil_names, max_size=3))} if draw(st.booleans()) else {})}
            for n in names]
    else:
        data["solution"] = {"name": draw(NAME), "editor": draw(MAYBE_TEXT), "version": draw(MAYBE_TEXT)}
        data["solution"] = {k: v for k, v in data["solution"].items() if v is not None}
    if parcours == "marque-blanche":
        data["marque_blanche"] = {"original_editor": draw(NAME), "modified": draw(st.booleans()),
                                  "modified_areas": draw(st.lists(vocab("sections"), max_size=3))}
    if draw(st.booleans()):
        data["profils"] = {"declared": draw(st.lists(profil_names, max_size=4))}
    if draw(st.booleans()):
        data["prerequisites"] = {
            "cnda_nie": draw(st.sampled_from(["NIE-1", " x "])), "cnda_nil": draw(st.sampled_from(["NIL-1", "é"])),
            "cnda_request_status": draw(st.sampled_from(["none", "depose", "pre-examen", "en-cours", "homologue"])),
            "insi": draw(st.booleans()), "dmp": draw(st.booleans())}
    proof = st.fixed_dictionaries({"id": vocab("proofs")}, optional={
        "status": st.sampled_from(["todo", "collected", "deposited", "validated", "rejected"]),
        "date": VALID_DATES, "file": NAME, "note": NAME,
        **({"solution": st.sampled_from(names)} if names else {})})
    data["proofs"] = draw(some(proof, 6))
    data["audit_findings"] = draw(some(st.fixed_dictionaries({"requirement": vocab("exigences")},
                                                             optional={"note": NAME}), 3))
    data["ans_requests"] = draw(some(st.fixed_dictionaries({"received": VALID_DATETIMES}, optional={
        "subject": TEXT, "answered": st.booleans()}), 3))
    if draw(st.booleans()):
        data["journey"] = {"done": draw(st.lists(vocab("steps"), max_size=6))}
    if draw(st.integers(0, 3)) == 0:  # read by Engine.plan_file only, relative to the profile file
        data["financing_file"] = draw(st.sampled_from(FINANCING_REFS))
    return data


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:5]):
            out += _paths(v, (*prefix, i))
    return out


def mutate(draw: st.DrawFn, data: Any, leaves: st.SearchStrategy[Any], times: tuple[int, int] = (1, 3)) -> Any:
    """One to three mutations of ``data`` (in place): a value replaced by a leaf (junk or a
    plausible value), wrapped in a list, a key removed, an unknown key added."""
    for _ in range(draw(st.integers(*times))):
        path = draw(st.sampled_from(_paths(data)))
        how = draw(st.sampled_from(["replace", "replace", "wrap", "delete", "extra"]))
        if not path:
            data = draw(leaves) if how == "replace" else data
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if how == "replace":
            parent[last] = draw(leaves)
        elif how == "wrap":
            parent[last] = [parent[last]]
        elif how == "delete" and isinstance(parent, dict):
            del parent[last]
        elif how == "extra" and isinstance(parent[last], dict):
            parent[last][draw(TEXT)] = draw(JUNK)
    return data


@st.composite
def mutated_profiles(draw: st.DrawFn) -> Any:
    """A valid profile with one to three mutations (see :func:`mutate`)."""
    return mutate(draw, draw(valid_profiles()), JUNK)


PROFILE = st.one_of(valid_profiles(), valid_profiles(), mutated_profiles(), mutated_profiles(), JUNKY_PROFILE)
TODAY = st.one_of(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.dates())  # today: any date


# ---------------------------------------------------------------------------- the property


def note(what: str) -> None:
    """Count outcomes (``pytest --hypothesis-show-statistics``): plans must not be rare."""
    if currently_in_test_context():
        event(what)


def plan_or_typed_error(data: Any, today: dt.date, backend: str = "native") -> Plan | SegurPlanError:
    """The property itself: anything but a Plan or a SegurPlanError escapes and fails the test."""
    engine = ENGINES[backend]
    try:
        plan = engine.plan(parse_profile(data), today=today)
    except SegurPlanError as exc:
        assert str(exc) and exc.message  # a message for the user, whatever the input
        note(f"erreur typée : {type(exc).__name__}")
        return exc
    render_json(plan)  # the plan renders too
    note("plan")
    return plan


def load_or_typed_error(path: Path, today: dt.date) -> Plan | SegurPlanError:
    """A profile file the way ``segur-plan plan`` reads it (with the financing file it points to)."""
    try:
        plan = ENGINES["native"].plan_file(path, today=today)
    except SegurPlanError as exc:
        assert str(exc) and exc.message
        note(f"erreur typée (fichier) : {type(exc).__name__}")
        return exc
    render_json(plan)
    note("plan")
    return plan


# ---------------------------------------------------------------------------- dicts


@bounded(250)
@given(data=PROFILE, today=TODAY)
def test_any_profile_dict_gives_a_plan_or_a_typed_error(data: Any, today: dt.date) -> None:
    plan_or_typed_error(data, today)


@pytest.mark.skipif("durable" not in ENGINES, reason="durable-rules indisponible")
@bounded(60)
@given(data=PROFILE, today=TODAY)
def test_any_profile_dict_with_durable_rules(data: Any, today: dt.date) -> None:
    """Strings with NUL bytes and surrogates reach durable-rules' C core as facts."""
    plan_or_typed_error(data, today, backend="durable")


@bounded(60)
@given(data=JUNK, today=TODAY)
def test_anything_at_all_gives_a_typed_error(data: Any, today: dt.date) -> None:
    assert isinstance(plan_or_typed_error(data, today), SegurPlanError)


@bounded(20)
@given(depth=st.integers(1, 3000), leaf=JUNK)
def test_deeply_nested_junk_gives_a_typed_error(depth: int, leaf: Any) -> None:
    nested = leaf
    for n in range(depth):
        nested = [nested] if n % 2 else {"x": nested}
    data = {"solution": {"name": "x"}, "referencement": {"pack": "HOP-DPI"}, "profils": nested}
    assert isinstance(plan_or_typed_error(data, dt.date(2025, 3, 1)), SegurPlanError)


def test_the_valid_profiles_strategy_does_make_plans() -> None:
    """The property would be weak if every example were refused at validation: a good share of
    the valid-ish profiles must reach the rules and give a plan (the others: unknown profils, a
    blank NIE…). About a third do; the bound leaves room for hypothesis' generation to vary."""
    outcomes: list[bool] = []

    @bounded(40)
    @given(data=valid_profiles())
    def run(data: dict[str, Any]) -> None:
        outcomes.append(isinstance(plan_or_typed_error(data, dt.date(2025, 3, 1)), Plan))

    run()
    assert sum(outcomes) >= len(outcomes) // 5, f"{sum(outcomes)} plans sur {len(outcomes)} exemples"


# ---------------------------------------------------------------------------- JSON text


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


@bounded(150)
@given(data=PROFILE, today=TODAY)
def test_any_json_document_gives_a_plan_or_a_typed_error(data: Any, today: dt.date) -> None:
    try:
        text = json.dumps(_jsonable(data), ensure_ascii=False)  # NaN and Infinity included, as Python writes
    except UnicodeEncodeError:  # pragma: no cover - json.dumps does not encode
        assume(False)
    plan_or_typed_error(json.loads(text), today)


# ---------------------------------------------------------------------------- TOML files


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    for example in sorted((ROOT / "examples" / "financing").glob("*.toml"))[-1:]:
        shutil.copy(example, folder / "financement-exemple.toml")
    return folder


def _tomlable(value: Any) -> Any:
    """What TOML can hold: no null (the key is left out), bytes as text, times without offset."""
    if isinstance(value, dict):
        return {str(k): _tomlable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_tomlable(v) for v in value if v is not None]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, dt.time) and value.tzinfo is not None:
        return value.isoformat()
    return value


def _toml_text(data: Any) -> str | None:
    """The profile as TOML (tomli-w), when it can be written; None otherwise."""
    if not isinstance(data, dict):
        return None
    try:
        return tomli_w.dumps(_tomlable(data))
    except (TypeError, ValueError, RecursionError):
        return None


@bounded(80)
@given(data=PROFILE, today=TODAY,
       cuts=st.one_of(st.just([]), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), TEXT), min_size=1,
                                            max_size=3)))
def test_any_toml_file_gives_a_plan_or_a_typed_error(workdir: Path, data: Any, today: dt.date,
                                                    cuts: list[tuple[float, int, str]]) -> None:
    """Valid TOML written from a generated profile, then damaged at random places."""
    text = _toml_text(data)
    assume(text is not None)
    assert text is not None
    for where, length, insert in cuts:
        at = math.floor(where * len(text))
        text = text[:at] + insert + text[at + length:]
    path = workdir / "profil.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    load_or_typed_error(path, today)


@bounded(100)
@given(raw=st.one_of(st.binary(max_size=200), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.binary(max_size=50).map(lambda b: b"\xef\xbb\xbf" + b)))
def test_any_bytes_in_a_profile_file_give_a_typed_error_or_a_plan(workdir: Path, raw: bytes) -> None:
    path = workdir / "brut.toml"
    path.write_bytes(raw)
    load_or_typed_error(path, dt.date(2025, 3, 1))


@bounded(60)
@given(lines=st.lists(st.tuples(
    st.sampled_from(["[solution]", "[referencement]", "[profils]", "[prerequisites]", "[[proofs]]", "[[solutions]]",
                     "[marque_blanche]", "[journey]", "[[ans_requests]]", "[[audit_findings]]", ""]),
    st.sampled_from(["name", "pack", "t0", "declared", "parcours", "trigger", "id", "status", "date", "received",
                     "done", "cnda_nie", "requirement", "original_editor", "schema_version", "x"]),
    st.sampled_from(['"HOP-DPI"', '"x"', "1", "-0", "1e400", "nan", "inf", "true", "2024-02-30", "2025-03-01",
                     "9999-12-31", "0001-01-01", "2025-03-01T25:00:00", "2025-03-01T10:00:00+14:00", "[]",
                     '["Client lourd"]', "{}", '{a = 1}', '"\\u0000"', "'''\n'''", '"é"', "99999999999999999999"])),
    max_size=12))
def test_toml_shaped_text_gives_a_plan_or_a_typed_error(workdir: Path, lines: list[tuple[str, str, str]]) -> None:
    """Lines that look like a profile: tables, known keys, edge values (leap days, huge numbers…)."""
    text = "\n".join(f"{header}\n{key} = {value}" for header, key, value in lines)
    path = workdir / "forme.toml"
    path.write_text(text, encoding="utf-8")
    load_or_typed_error(path, dt.date(2025, 3, 1))


def test_paths_that_are_not_profile_files_give_typed_errors(workdir: Path) -> None:
    for path in (workdir / "absent.toml", workdir, Path(os.devnull)):
        assert isinstance(load_or_typed_error(path, dt.date(2025, 3, 1)), SegurPlanError)


# ---------------------------------------------------------------------------- known crashes


def _nested(depth: int) -> Any:
    value: Any = "Client lourd"
    for _ in range(depth):
        value = [value]
    return value


_BASE: dict[str, Any] = {"solution": {"name": "DPI"}, "referencement": {"pack": "HOP-DPI"}}

#: Minimal inputs that crashed the engine with an untyped exception, found by this fuzzing; now
#: typed errors (engine/loading.py: bounded repr, RecursionError caught; engine/models/profile.py:
#: dates limited to 2000–2100). name → (what crashed, profile dict)
FOUND_CRASHES: dict[str, tuple[str, dict[str, Any]]] = {
    "t0-an-9998": (
        "ValueError in engine/dates.py add_months: t0 + N months past year 9999",
        {**_BASE, "referencement": {"pack": "HOP-DPI", "t0": dt.date(9998, 1, 1)}}),
    "sollicitation-an-1-avec-fuseau": (
        "OverflowError in engine/planner/solicitations.py: astimezone(PARIS) of 0001-01-01T00:30+01:00",
        {**_BASE, "ans_requests": [{"received": "0001-01-01T00:30:00+01:00"}]}),
    "sollicitation-an-9999": (
        "OverflowError in engine/planner/solicitations.py: received + 24 h after 9999-12-31T00:00",
        {**_BASE, "ans_requests": [{"received": "9999-12-31T00:00:00"}]}),
    "listes-imbriquees-1200": (
        "RecursionError in engine/loading.py problems_from_validation: repr() of the value received",
        {**_BASE, "profils": {"declared": _nested(1200)}}),
}

@pytest.mark.parametrize("name", sorted(FOUND_CRASHES))
def test_inputs_that_crashed_give_a_typed_error(name: str) -> None:
    assert isinstance(plan_or_typed_error(FOUND_CRASHES[name][1], dt.date(2025, 3, 1)), SegurPlanError)


# ---------------------------------------------------------------------------- corpus of malformed files

CORPUS = Path(__file__).parent / "corpus"
#: Corpus files that crash the engine, not fixed yet (xfail): path → (exception, reason). Every
#: file that crashed before (t0-an-9998.toml, sollicitation-*.toml, tableaux-imbriques.toml,
#: imbrication-profonde.json, financement-chemin-octet-nul.toml) now gives a typed error.
CORPUS_CRASHES: dict[str, tuple[type[BaseException], str]] = {}


def corpus(kind: str) -> list[Any]:
    params = []
    for path in sorted((CORPUS / kind).iterdir()):
        key = f"{kind}/{path.name}"
        marks = []
        if key in CORPUS_CRASHES:
            exc, reason = CORPUS_CRASHES[key]
            marks.append(pytest.mark.xfail(raises=exc, strict=True, reason=reason))
        params.append(pytest.param(path, id=path.name, marks=marks))
    return params


def test_the_corpus_is_there() -> None:
    assert len(corpus("toml")) >= 30 and len(corpus("json")) >= 15 and len(corpus("json-syntax")) >= 8
    assert len(corpus("financing")) >= 6
    assert all((CORPUS / key).is_file() for key in CORPUS_CRASHES)
    assert all((CORPUS / "toml" / f"{name}.toml").is_file() for name in ("t0-an-9998", "sollicitation-an-9999"))


@pytest.mark.parametrize("path", corpus("toml"))
def test_malformed_toml_file_gives_a_typed_error(path: Path) -> None:
    result = load_or_typed_error(path, dt.date(2025, 3, 1))
    assert isinstance(result, SegurPlanError), "ce fichier du corpus a donné un plan"


def test_a_profile_with_a_utf8_bom_plans() -> None:
    """Once in the malformed corpus: a BOM (Windows editors write one) is accepted, as by the HTTP service."""
    path = CORPUS / "accepted" / "bom-utf8.toml"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert isinstance(load_or_typed_error(path, dt.date(2025, 3, 1)), Plan)


def decoded(path: Path) -> Any:
    """The caller's JSON decoding, with room on the stack (as a portal's own thread would have):
    deep nesting must then be handled by the engine, not by json.loads under pytest's frames."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + 5000)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("path", corpus("json"))
def test_malformed_json_profile_gives_a_typed_error(path: Path) -> None:
    """Well-formed JSON, malformed profile: after the caller's ``json.loads``, a typed error."""
    result = plan_or_typed_error(decoded(path), dt.date(2025, 3, 1))
    assert isinstance(result, SegurPlanError), "ce fichier du corpus a donné un plan"


@pytest.mark.parametrize("path", corpus("json-syntax"))
def test_malformed_json_text_is_a_422_problem_in_the_http_service(path: Path) -> None:
    """The engine takes parsed documents; JSON text is decoded by the HTTP service (when installed)."""
    documents = pytest.importorskip("segur_plan.server.documents", reason="extra « server » non installé")
    problems = pytest.importorskip("segur_plan.server.problems")
    with pytest.raises(problems.Problem) as info:
        documents.decode("json", path.read_bytes())
    assert info.value.status == 422 and info.value.detail


# ---------------------------------------------------------------------------- XLSX (REM import), built here


def _workbook(path: Path, rows: list[list[Any]], title: str = "REM") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _layout_headers(layout_id: str) -> list[str]:
    from segur_plan.engine.rem_import import LAYOUTS

    layout = next(layout for layout in LAYOUTS if layout.id == layout_id)
    return [c.header for c in layout.columns]


def _truncated(path: Path) -> Path:
    _workbook(path, [_layout_headers("published"), ["x"] * 5])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupt_xml(path: Path) -> Path:
    import zipfile

    source = _workbook(path.with_suffix(".src.xlsx"), [["a"]])
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, b"<workbook><<&" if item.filename == "xl/workbook.xml" else data)
    return path


def _zip_without_workbook(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("bonjour.txt", "pas un classeur")
    return path


def _draft_two_rems(path: Path) -> Path:
    headers = _layout_headers("draft")
    row = dict.fromkeys(headers, "x")
    rows = [[{**row, "REM": rem, "ID Exigence": f"SC.X.0{n}"}[h] for h in headers]
            for n, rem in enumerate(["HOP-DPI", "BIO-SGL"])]
    return _workbook(path, [headers, *rows])


#: name → (builder writing the file, keyword arguments of import_rem)
XLSX_CASES: dict[str, tuple[Any, dict[str, Any]]] = {
    "texte-renomme": (lambda p: p.write_text("ceci n'est pas un classeur", encoding="utf-8") and p, {}),
    "vide": (lambda p: p.write_bytes(b"") or p, {}),
    "octets-au-hasard": (lambda p: p.write_bytes(bytes(range(256)) * 4) and p, {}),
    "zip-sans-classeur": (_zip_without_workbook, {}),
    "classeur-tronque": (_truncated, {}),
    "xml-corrompu": (_corrupt_xml, {}),
    "feuille-vide": (lambda p: _workbook(p, []), {}),
    "en-tetes-inconnus": (lambda p: _workbook(p, [["Nom", "Prénom", "Âge"], ["a", "b", 3]]), {}),
    "en-tetes-sans-lignes": (lambda p: _workbook(p, [_layout_headers("published")]), {}),
    "lignes-sans-identifiant": (lambda p: _workbook(p, [_layout_headers("published")] + [
        [None if h == "ID" else v for h in _layout_headers("published")] for v in (1, "x", dt.datetime(2025, 1, 1))]),
        {}),
    "plusieurs-rem": (_draft_two_rems, {}),
    "rem-absent": (_draft_two_rems, {"rem": "RAD-PACS"}),
    "dossier": (lambda p: p.mkdir() or p, {}),
    "absent": (lambda p: p, {}),
}


@pytest.mark.parametrize("name", sorted(XLSX_CASES))
def test_malformed_xlsx_gives_a_pack_error(tmp_path: Path, name: str) -> None:
    from segur_plan.engine.errors import PackError
    from segur_plan.engine.rem_import import import_rem

    builder, kwargs = XLSX_CASES[name]
    path = builder(tmp_path / f"{name}.xlsx")
    with pytest.raises(PackError) as info:
        import_rem(path, pack_id="FUZZ", released=dt.date(2025, 1, 1), reviewed=dt.date(2025, 1, 1), **kwargs)
    assert str(info.value)


CELL = st.one_of(st.none(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False),
                 st.booleans(), st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
                 st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=40),
                 st.sampled_from(["SC.PSC.01", "SC.PSC.01.01", "Général", "Client lourd", "=1/0", "Obsolète", " "]))


@bounded(25)
@given(layout=st.sampled_from(["published", "convergence", "older", "draft"]),
       rows=st.lists(st.lists(CELL, min_size=0, max_size=14), max_size=6))
def test_any_rem_rows_give_a_pack_or_a_pack_error(workdir: Path, layout: str, rows: list[list[Any]]) -> None:
    """A real header row, then random cells: a pack, or a PackError naming the problem."""
    from segur_plan.engine.errors import PackError
    from segur_plan.engine.rem_import import import_rem

    path = _workbook(workdir / "rem.xlsx", [_layout_headers(layout), *rows])
    try:
        import_rem(path, pack_id="FUZZ", released=dt.date(2025, 1, 1), reviewed=dt.date(2025, 1, 1),
                   rem="HOP-DPI" if layout == "draft" else None)
    except PackError as exc:
        assert str(exc)


# ---------------------------------------------------------------------------- financing files

try:
    from segur_plan.engine.financing import check_financing, load_financing, parse_financing
except ImportError:  # pragma: no cover - the module is written in parallel (issue 6)
    check_financing = load_financing = parse_financing = None  # type: ignore[assignment]

FINANCING_SEEDS = [tomllib.loads(p.read_text(encoding="utf-8"))
                   for p in sorted((ROOT / "examples" / "financing").glob("*.toml"))]
needs_financing = pytest.mark.skipif(parse_financing is None or not FINANCING_SEEDS,
                                     reason="segur_plan.engine.financing ou ses exemples absents")
FIN_LEAVES = st.one_of(
    JUNK, DATES, st.dates(),  # the financing calendar (working days, holidays) over the whole range
    st.from_regex(r"\A[0-9]{1,15}(\.[0-9]{1,3})?\Z"), st.decimals(allow_nan=True), st.floats(0, 1e6),
    st.from_regex(r"\A[0-9A-B]{9,14}\Z"), st.sampled_from(["avance", "solde", "va", "mom", "total", "partial",
                                                           "siret", "finess", "rpps", "AV-2025-01", "MDV-LGC"]),
)


@st.composite
def financing_documents(draw: st.DrawFn) -> Any:
    """An example financing file (examples/financing) with one to four mutations."""
    return mutate(draw, copy.deepcopy(draw(st.sampled_from(FINANCING_SEEDS))), FIN_LEAVES, (0, 4))


def report_or_typed_error(data: Any, today: dt.date, options: dict[str, Any]) -> Any:
    try:
        report = check_financing(parse_financing(data), today=today, **options)
    except SegurPlanError as exc:
        assert str(exc) and exc.message
        note(f"erreur typée : {type(exc).__name__}")
        return exc
    report.model_dump_json()
    note("rapport")
    return report


FIN_OPTIONS = st.fixed_dictionaries({}, optional={
    "pack_id": st.one_of(st.none(), st.sampled_from(VOCAB["packs"]), TEXT),
    "complete_dossier_date": st.one_of(st.none(), st.dates()),
    "avance_deadline": st.one_of(st.none(), st.dates())})


@needs_financing
@bounded(150)
@given(data=financing_documents(), today=TODAY, options=FIN_OPTIONS)
def test_any_financing_document_gives_a_report_or_a_typed_error(data: Any, today: dt.date,
                                                                options: dict[str, Any]) -> None:
    report_or_typed_error(data, today, options)


@needs_financing
@bounded(80)
@given(data=financing_documents(), suffix=st.sampled_from([".toml", ".json"]),
       damage=st.one_of(st.just(None), st.tuples(st.floats(0, 1), st.integers(0, 8), TEXT)))
def test_any_financing_file_gives_a_report_or_a_typed_error(workdir: Path, data: Any, suffix: str,
                                                            damage: tuple[float, int, str] | None) -> None:
    """Files read by ``load_financing`` (TOML or JSON by suffix), sometimes damaged."""
    if suffix == ".json":
        text: str | None = json.dumps(_jsonable(data), ensure_ascii=False, default=str)
    else:
        text = _toml_text(data)
    assume(text is not None)
    assert text is not None
    if damage is not None:
        where, length, insert = damage
        at = math.floor(where * len(text))
        text = text[:at] + insert + text[at + length:]
    path = workdir / f"financement{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        loaded = load_financing(path)
    except SegurPlanError as exc:
        assert str(exc)
        return
    check_financing(loaded, today=dt.date(2025, 11, 10)).model_dump_json()


@needs_financing
@bounded(40)
@given(raw=st.binary(max_size=200), suffix=st.sampled_from([".toml", ".json"]))
def test_any_bytes_in_a_financing_file_give_a_typed_error(workdir: Path, raw: bytes, suffix: str) -> None:
    path = workdir / f"brut{suffix}"
    path.write_bytes(raw)
    with contextlib.suppress(SegurPlanError):
        load_financing(path)


@pytest.mark.parametrize("path", corpus("financing"))
@needs_financing
def test_malformed_financing_file_gives_a_typed_error(path: Path) -> None:
    with pytest.raises(SegurPlanError):
        check_financing(load_financing(path), today=dt.date(2025, 11, 10))
