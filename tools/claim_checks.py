"""Checkers for a free-form claim's machine-checkable forms: a Python predicate, a sympy identity, an
SMT-LIB term. Each returns a ``CheckVerdict`` (data, never an exception for a bad claim).

* Python ``holds(x)`` over ``instances`` runs only in the sandbox. A failing instance refutes only once a
  second, separate sandbox run of ``holds`` on that instance alone returns ``False``; every instance
  holding gives ``checked`` ("holds for all N instances tried"), never ``proved``. A predicate that
  raises, hangs, returns a non-bool or prints past the output limit gives no verdict, and says why.
* A sympy ``Eq(lhs, rhs)`` is parsed and checked inside the sandbox too (``domains/freeform/identity``).
* An SMT-LIB term goes to z3 (its own parser, in this process): the negation unsatisfiable proves it, a
  model refutes it once plain Python re-evaluates the body there and finds it false.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import z3
from pydantic import Field, JsonValue

from ..domains.freeform import identity as identity_module
from ..domains.freeform.smt import SmtError, body_of, evaluate, has_quantifier, negation_script
from .results import FrozenModel
from .sandbox import Completed, Failed, LimitHit, Limits, SandboxRun, run_python
from .z3_support import Z3_VERSION, check_interruptibly

Runner = Callable[[str, Any, Limits], SandboxRun]
"""Runs code on JSON inputs in the sandbox; the team passes one that stores every run in the memory."""

PREDICATE_LIMITS = Limits(cpu_seconds=60, wall_seconds=90, memory_mb=1024, output_bytes=200_000)
CONFIRM_LIMITS = Limits(cpu_seconds=20, wall_seconds=30, memory_mb=1024, output_bytes=200_000)
IDENTITY_LIMITS = Limits(cpu_seconds=60, wall_seconds=90, memory_mb=2048, output_bytes=200_000)
PYTHON = f"python {sys.version.split()[0]}"


class CheckVerdict(FrozenModel):
    """What one checker said about one form of a claim."""

    form: Literal["python", "sympy", "smt"]
    """Which form was checked."""
    verdict: Literal["proved", "refuted", "checked", "none"]
    """`checked` only for a predicate that held on every instance tried; `none`: no verdict."""
    checker: str
    """The tool and its version, e.g. ``z3 4.13.0``."""
    detail: str
    """One line a person reads: the method, the counterexample, or why there is no verdict."""
    payload: dict[str, JsonValue] = Field(default_factory=dict)
    """The evidence: counterexample, instances tried, proof steps, runs' sha256."""


def default_runner(code: str, inputs: Any, limits: Limits) -> SandboxRun:
    return run_python(code, inputs, limits)


# --- Python predicates -------------------------------------------------------------------------

PREDICATE_HARNESS = r'''
import ast, time
namespace = {"__name__": "claim"}
exec(compile(inputs["python"], "<claim python>", "exec"), namespace)
holds = namespace.get("holds")
if not callable(holds):
    emit({"verdict": "none", "reason": "the python form defines no function holds(x)"})
    raise SystemExit(0)

def literal(x):
    text = repr(x)
    try:
        return text if ast.literal_eval(text) == x else None
    except Exception:
        return None

class _OutOfTime(Exception):
    pass

_in_holds = False

def _out_of_time(signum, frame):
    # One slow holds(x) (say, on the edge case 2**31 - 1) must not carry the run past its deadline
    # into the sandbox's CPU limit, which would lose every verdict already found: stop inside it.
    if _in_holds:
        raise _OutOfTime()

def trial(xs, deadline):
    global _in_holds
    tried = 0
    if deadline is not None:
        import signal
        signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
    for index, x in enumerate(xs):
        if deadline is not None and time.monotonic() > deadline:
            return {"verdict": "holds", "tried": tried, "stopped": "time"}
        try:
            _in_holds = True
            result = holds(x)
        except _OutOfTime:
            return {"verdict": "holds", "tried": tried, "stopped": "time"}
        finally:
            _in_holds = False
        if type(result) is not bool:
            return {"verdict": "none", "reason": f"holds({text(x)}) returned {type(result).__name__}, not bool",
                    "tried": tried}
        if not result:
            return {"verdict": "fails", "index": index, "instance": literal(x), "shown": text(x), "tried": tried + 1}
        tried += 1
    return {"verdict": "holds", "tried": tried}

def text(x):
    shown = repr(x)
    return shown if len(shown) <= 200 else shown[:200] + "..."
'''

CHECK_ALL = PREDICATE_HARNESS + r'''
emit(trial(eval(inputs["instances"], namespace), None))
'''

CONFIRM_ONE = PREDICATE_HARNESS + r'''
if inputs.get("instance") is not None:
    x = ast.literal_eval(inputs["instance"])
else:
    import itertools
    x = next(itertools.islice(eval(inputs["instances"], namespace), inputs["index"], None))
result = holds(x)
emit({"value": result if type(result) is bool else None, "type": type(result).__name__})
'''


def check_predicate(python: str, instances: str, run: Runner = default_runner,
                    limits: Limits = PREDICATE_LIMITS) -> CheckVerdict:
    """Every instance of ``instances`` through ``holds``, in the sandbox; a failure confirmed on its own."""
    inputs = {"python": python, "instances": instances}
    first = run(CHECK_ALL, inputs, limits)
    return _predicate_verdict(first, python, instances, run, f"the instances {instances}")


def _predicate_verdict(first: SandboxRun, python: str, instances: str, run: Runner, where: str,
                       extra: dict | None = None) -> CheckVerdict:
    checker = f"sandboxed {PYTHON}"
    payload: dict[str, JsonValue] = {"instances": instances, "run_sha256": first.code_sha256, **(extra or {})}
    problem = _run_problem(first)
    if problem:
        return CheckVerdict(form="python", verdict="none", checker=checker, payload=payload,
                            detail=f"no verdict: {problem}")
    found = first.outcome.result
    if found["verdict"] == "none":
        return CheckVerdict(form="python", verdict="none", checker=checker, payload=payload,
                            detail=f"no verdict: {found['reason']}")
    if found["verdict"] == "holds":
        payload["tried"] = found["tried"]
        stopped = " (stopped at the time limit)" if found.get("stopped") else ""
        return CheckVerdict(form="python", verdict="checked", checker=checker, payload=payload,
                            detail=f"holds for all {found['tried']:,} instances tried ({where}){stopped}")
    confirm_inputs = {"python": python, "instances": instances, "instance": found["instance"],
                      "index": found["index"]}
    second = run(CONFIRM_ONE, confirm_inputs, CONFIRM_LIMITS)
    payload |= {"counterexample": found["shown"], "literal": found["instance"], "index": found["index"],
                "confirm_sha256": second.code_sha256}
    problem = _run_problem(second)
    if problem or second.outcome.result.get("value") is not False:
        why = problem or f"holds returned {second.outcome.result.get('value')!r} ({second.outcome.result.get('type')})"
        return CheckVerdict(form="python", verdict="none", checker=checker, payload=payload,
                            detail=f"no verdict: holds({found['shown']}) was False, but a second evaluation "
                                   f"on that instance alone gave {why}")
    return CheckVerdict(form="python", verdict="refuted", checker=checker, payload=payload,
                        detail=f"holds({found['shown']}) is False (instance {found['index']} of {where}), "
                               f"confirmed by a separate sandbox run on that instance alone")


def _run_problem(run: SandboxRun) -> str | None:
    outcome = run.outcome
    if isinstance(outcome, LimitHit):
        return f"the sandbox stopped it ({outcome.limit}: {outcome.detail})"
    if isinstance(outcome, Failed):
        return f"the predicate failed: {outcome.reason}"
    if not isinstance(outcome, Completed) or not isinstance(outcome.result, dict):
        return "the check left no result"
    return None


# --- the counterexample hunt --------------------------------------------------------------------

HUNT = PREDICATE_HARNESS + r'''
import itertools, random
base = list(itertools.islice(eval(inputs["instances"], namespace), inputs["sample"]))
seen = set(repr(x) for x in base)
def shape(x):
    if type(x) is int:
        return ("int", None)
    if type(x) is tuple and x and all(type(v) is int for v in x):
        return ("tuple", len(x))
    return None
shapes = {shape(x) for x in base}
if len(shapes) != 1 or None in shapes:
    emit({"verdict": "none", "reason": "the hunt extends instance spaces of integers or tuples of integers only"})
    raise SystemExit(0)
kind, arity = shapes.pop()
in_domain = namespace.get("domain")
if not callable(in_domain):
    emit({"verdict": "none", "reason": "the python form defines no domain(x): nothing beyond its instances is "
                                       "known to lie in the claim's domain"})
    raise SystemExit(0)
flat = [v for x in base for v in ((x,) if kind == "int" else x)]
low, high = min(flat), max(flat)
nonnegative = low >= 0
outside = 0
rng = random.Random(inputs["seed"])
def make(values):
    return values[0] if kind == "int" else tuple(values)
def fits(values):
    global outside
    try:
        inside = in_domain(make(list(values))) is True
    except Exception:
        inside = False
    outside += not inside
    return inside
candidates, sources = [], {}
def add(values, source):
    if fits(values):
        x = make(list(values))
        if repr(x) not in seen:
            seen.add(repr(x)); candidates.append(x); sources[repr(x)] = source
width = arity or 1
for x in inputs.get("seeds", []):
    if shape(x if not isinstance(x, list) else tuple(x)) == (kind, arity):
        add(list(x) if isinstance(x, list) else ([x] if kind == "int" else list(x)), "data in the memory")
if inputs.get("only_seeds"):
    inputs["extend"] = inputs["random"] = 0
edges = [] if inputs.get("only_seeds") else [0, 1, 2, -1, -2, high + 1]
# The large edge cases come after the extension and the random ones: a predicate that takes time
# linear in its argument (a sum up to n) can spend the whole budget on 2**31 - 1 alone, and a call
# running in C code is not stopped at the deadline, only by the sandbox's limit, losing the verdict.
large_edges = [] if inputs.get("only_seeds") else [2 * high + 1, 10 * high + 1, high ** 2 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1]
for e in edges:
    add([e] * width, "edge case")
step = max(1, high - low + 1)
for offset in range(inputs["extend"]):
    v = high + 1 + offset
    add([v] + [rng.randint(low, v) for _ in range(width - 1)], f"beyond the largest instance ({high})")
for _ in range(inputs["random"]):
    add([rng.randint(-100 * step, 100 * step + high) for _ in range(width)],
        f"random in [{-100 * step}, {100 * step + high}]")
for e in large_edges:
    add([e] * width, "edge case")
deadline = time.monotonic() + inputs["seconds"]
found = trial(candidates, deadline)
found["candidates"] = len(candidates)
found["bounds"] = {"low": low, "high": high, "kind": kind, "arity": arity, "outside_domain": outside}
if found["verdict"] == "fails":
    found["source"] = sources.get(repr(candidates[found["index"]]))
emit(found)
'''


def hunt_counterexample(python: str, instances: str, seconds: float, seeds: list | None = None,
                        run: Runner = default_runner, seed: int = 0, only_seeds: bool = False) -> CheckVerdict:
    """Search beyond the claim's own instances: data already in the memory (``seeds``) first, then edge
    cases, the integers just past the largest instance, and random ones (same shape as the instances),
    keeping only candidates the python form's ``domain(x)`` accepts (without it nothing beyond the
    instances is known to be in the claim's domain, and there is no hunt); within ``seconds``. `checked`
    here means "no counterexample among those tried"."""
    inputs = {"python": python, "instances": instances, "sample": 100_000, "seeds": (seeds or [])[:500],
              "extend": 20_000, "random": 20_000, "seconds": seconds, "seed": seed, "only_seeds": only_seeds}
    limits = Limits(cpu_seconds=int(seconds) + 20, wall_seconds=seconds + 30, memory_mb=1024, output_bytes=200_000)
    first = run(HUNT, inputs, limits)
    hunt_list = "the data already in the memory" if only_seeds else "a hunt beyond the claim's instances"
    if _run_problem(first) is None and first.outcome.result.get("verdict") == "fails":
        found = first.outcome.result
        # Confirm by literal value (the hunt's instances are integers or tuples of integers).
        verdict = _predicate_verdict(first, python, instances, run, hunt_list,
                                     extra={"hunt": found.get("bounds"), "source": found.get("source"),
                                            "candidates": found.get("candidates")})
        return verdict
    verdict = _predicate_verdict(first, python, instances, run, hunt_list)
    result = first.outcome.result if isinstance(first.outcome, Completed) and isinstance(first.outcome.result, dict) else {}
    if verdict.verdict == "checked" and result.get("bounds"):
        bounds = result["bounds"]
        if only_seeds:
            detail = f"no counterexample among {result['tried']:,} values already in the memory"
            return verdict.model_copy(update={"detail": detail, "payload": {**verdict.payload, "hunt": bounds}})
        detail = (f"no counterexample among {result['tried']:,} of {result['candidates']:,} further instances "
                  f"(edge cases, {bounds['high'] + 1} and beyond, random; those in domain(x))"
                  + (", stopped at the time limit" if result.get("stopped") else ""))
        return verdict.model_copy(update={"detail": detail, "payload": {**verdict.payload, "hunt": bounds}})
    return verdict


# --- sympy identities -----------------------------------------------------------------------------

def check_identity(text: str, run: Runner = default_runner, seed: int = 0,
                   limits: Limits = IDENTITY_LIMITS) -> CheckVerdict:
    """Parse, prove exactly or refute at a point: all of it in the sandbox (model text is never evaluated here)."""
    source = Path(identity_module.__file__).read_text(encoding="utf-8")
    code = source + "\n\nimport sympy as _sympy\nemit({**check_identity(inputs['text'], inputs['seed']), " \
                    "'sympy': _sympy.__version__})\n"
    result = run(code, {"text": text, "seed": seed}, limits)
    problem = _run_problem(result)
    if problem:
        return CheckVerdict(form="sympy", verdict="none", checker="sympy (sandboxed)", detail=f"no verdict: {problem}",
                            payload={"identity": text})
    found = result.outcome.result
    checker = f"sympy {found.get('sympy', '?')} (sandboxed)"
    payload = {"identity": text, "run_sha256": result.code_sha256, **{k: v for k, v in found.items() if k != "sympy"}}
    if found["verdict"] == "proved":
        return CheckVerdict(form="sympy", verdict="proved", checker=checker, payload=payload,
                            detail=f"proved by {found['method']}; both sides agree at "
                                   f"{len(found['points_agreeing'])} integer points")
    if found["verdict"] == "refuted":
        point = ", ".join(f"{k} = {v}" for k, v in found["point"].items())
        return CheckVerdict(form="sympy", verdict="refuted", checker=checker, payload=payload,
                            detail=f"the sides differ at {point}: {found['lhs']} ≠ {found['rhs']}")
    return CheckVerdict(form="sympy", verdict="none", checker=checker, payload=payload,
                        detail=f"no verdict: {found['reason']}")


# --- SMT-LIB terms --------------------------------------------------------------------------------

def check_smt(text: str, seconds: float = 10.0) -> CheckVerdict:
    """z3 on the negation: unsat proves, a model refutes after Python re-evaluates it, anything else is none."""
    checker = f"z3 {Z3_VERSION}"
    try:
        script, binders = negation_script(text)
    except SmtError as error:
        return CheckVerdict(form="smt", verdict="none", checker=checker, detail=f"no verdict: the smt form: {error}",
                            payload={"term": text})
    context = z3.Context()
    solver = z3.Solver(ctx=context)
    started = time.monotonic()
    try:
        solver.from_string(script)
        answer = check_interruptibly(solver, context, seconds)
    except z3.Z3Exception as error:
        message = error.value.decode() if isinstance(error.value, bytes) else str(error.value)
        return CheckVerdict(form="smt", verdict="none", checker=checker, payload={"term": text},
                            detail=f"no verdict: z3 cannot read the smt form: {message.strip()[:300]}")
    elapsed = round(time.monotonic() - started, 3)
    payload: dict[str, JsonValue] = {"term": text, "script": script, "seconds": elapsed}
    if answer == z3.unsat:
        return CheckVerdict(form="smt", verdict="proved", checker=checker, payload={**payload, "status": "unsat"},
                            detail=f"z3 {Z3_VERSION} finds the negation unsatisfiable ({elapsed:g} s)")
    if answer == z3.sat:
        return _refuted_by_model(text, solver.model(), binders, checker, payload)
    reason = solver.reason_unknown()
    return CheckVerdict(form="smt", verdict="none", checker=checker, payload={**payload, "status": "unknown",
                        "reason": reason}, detail=f"no verdict: z3 answered unknown ({reason}) within {seconds:g} s")


def _refuted_by_model(text: str, model: z3.ModelRef, binders: list[tuple[str, str]], checker: str,
                      payload: dict) -> CheckVerdict:
    values: dict[str, Any] = {}
    for declaration in model.decls():
        value = model[declaration]
        name = declaration.name()
        if z3.is_int_value(value):
            values[name] = value.as_long()
        elif z3.is_rational_value(value):
            from fractions import Fraction
            values[name] = Fraction(value.numerator_as_long(), value.denominator_as_long())
        elif z3.is_true(value) or z3.is_false(value):
            values[name] = z3.is_true(value)
    for name, sort in binders:
        values.setdefault(name, False if sort == "Bool" else 0)  # z3 leaves irrelevant variables out
    shown = {name: str(values[name]) for name, _ in binders}
    payload = {**payload, "status": "sat", "model": shown}
    body = body_of(text)
    if has_quantifier(body):
        return CheckVerdict(form="smt", verdict="none", checker=checker, payload=payload,
                            detail="no verdict: z3 found a model, but a quantified body cannot be re-evaluated in Python")
    try:
        holds = evaluate(body, values)
    except SmtError as error:
        return CheckVerdict(form="smt", verdict="none", checker=checker, payload=payload,
                            detail=f"no verdict: z3's model could not be re-evaluated in Python ({error})")
    if holds is not False:
        return CheckVerdict(form="smt", verdict="none", checker=checker, payload=payload,
                            detail="no verdict: z3's model does not falsify the body when re-evaluated in Python")
    point = ", ".join(f"{k} = {v}" for k, v in shown.items())
    return CheckVerdict(form="smt", verdict="refuted", checker=f"{checker}; model re-evaluated in Python",
                        payload=payload, detail=f"false at {point} (z3's model, re-evaluated in Python)")


def as_json(verdict: CheckVerdict) -> str:
    return json.dumps(verdict.model_dump(mode="json"), ensure_ascii=False)
