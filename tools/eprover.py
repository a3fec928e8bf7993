"""Prove or refute ``hypotheses ⊢ conclusion`` for magma laws with the E prover, via TPTP."""

from __future__ import annotations

import functools
import math
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ..domains.magma.terms import Law, Term, variables
from .errors import ToolCrashed, ToolUnavailable
from .results import Disproved, Proved, ProverResult, TimedOut, Unknown
from .command_runner import Runner, subprocess_runner

TOOL = "eprover"

# SZS statuses (http://www.tptp.org/Seminars/SZSOntologies/Summary.html) grouped by what they mean
# for a single conjecture over equational axioms.
_PROVED = {"Theorem", "Unsatisfiable", "ContradictoryAxioms"}
_DISPROVED = {"CounterSatisfiable", "Satisfiable"}
_OUT_OF_TIME = {"ResourceOut", "Timeout", "MemoryOut"}
_STATUS = re.compile(r"^# SZS status (\w+)", re.MULTILINE)
# Wall-clock slack on top of E's own CPU limit: start-up, proof printing, a busy machine.
_WALL_MARGIN = 2.0


def find_eprover() -> str | None:
    """Path of the ``eprover`` binary on PATH, or None."""
    return shutil.which("eprover")


@functools.lru_cache(maxsize=8)
def eprover_version(binary: str | None = None, runner: Runner = subprocess_runner) -> str:
    """E's version line, e.g. ``E 2.6 Floral Guranse (8e8bfa2...)``."""
    path = _binary(binary)
    done = runner([path, "--version"], "", 10.0)
    line = done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""
    if done.exit_code != 0 or not line:
        raise ToolCrashed(TOOL, "could not read the version", done.exit_code, done.stdout + done.stderr)
    return line


def tptp_term(term: Term) -> str:
    """``m(X,m(Y,Z))`` for ``x ◇ (y ◇ z)``."""
    if isinstance(term, int):
        return _variable(term)
    return f"m({tptp_term(term[0])},{tptp_term(term[1])})"


def tptp_formula(law: Law) -> str:
    """The universally closed equation ``![X,Y]: (lhs = rhs)``."""
    names = ",".join(_variable(v) for v in variables((law.lhs, law.rhs)))
    return f"![{names}]: ({tptp_term(law.lhs)} = {tptp_term(law.rhs)})"


def tptp_problem(hypotheses: Law | Sequence[Law], conclusion: Law) -> str:
    """A TPTP FOF problem: each hypothesis an axiom, the conclusion the conjecture."""
    hypotheses = [hypotheses] if isinstance(hypotheses, Law) else list(hypotheses)
    lines = [
        f"fof(hypothesis{'' if len(hypotheses) == 1 else i + 1}, axiom, {tptp_formula(h)})."
        for i, h in enumerate(hypotheses)
    ]
    lines.append(f"fof(goal, conjecture, {tptp_formula(conclusion)}).")
    return "\n".join(lines) + "\n"


def derived_equations(
    hypotheses: Law | Sequence[Law],
    processed: int = 100,
    *,
    binary: str | None = None,
    runner: Runner = subprocess_runner,
) -> list[Law]:
    """Unit equations E derives from the hypotheses alone (no conjecture), after ``processed``
    main-loop steps: the processed and the unprocessed positive unit clauses E prints. Each is a
    consequence of the hypotheses (E's inferences are sound), which a model search may add as extra
    clauses (the Mace4 idea). A step limit, not a time limit, so the answer does not depend on the load."""
    path = _binary(binary)
    command = [path, "--auto", "--silent", f"--processed-clauses-limit={processed}", "--print-saturated=eE"]
    done = runner(command, saturation_problem(hypotheses), 10.0 + processed / 50)
    # Clauses that are not a plain equation between terms of m and variables are not for the search.
    return parse_saturated_equations(done.stdout)[0]


@dataclass(frozen=True)
class SaturationStrategy:
    """A way to ask E for the saturated clause set of hypotheses alone: a name for the log and the
    options that choose E's search (ordering, weights, heuristic)."""

    name: str
    options: tuple[str, ...]


SATURATION_STRATEGIES: list[SaturationStrategy] = [SaturationStrategy("auto", ("--auto",))]
"""Strategies tried in turn by callers that want a saturated set (tools/bulk_rewriting): a strategy
that does not saturate within its time may still be saturated by the next one."""


@dataclass(frozen=True)
class Saturation:
    """What E printed for hypotheses given alone: its SZS status and the positive unit equations
    between terms of m and variables (as laws). ``Satisfiable`` means E saturated the set: no
    further inference adds anything. The equations are E's proposals only, to be certified by the
    caller (domains/magma/rewriting.certify), never trusted."""

    status: str
    """E's SZS status, or ``wall-clock`` when it was killed at the wall limit."""
    equations: tuple[Law, ...]
    other_clauses: int
    """Clauses printed that are not such equations (disequations, disjunctions, constants)."""
    strategy: str
    seconds: float

    @property
    def saturated(self) -> bool:
        return self.status in _DISPROVED


def saturation_problem(hypotheses: Law | Sequence[Law]) -> str:
    """TPTP FOF with each hypothesis an axiom and no conjecture."""
    hypotheses = [hypotheses] if isinstance(hypotheses, Law) else list(hypotheses)
    return "\n".join(f"fof(hypothesis{i + 1}, axiom, {tptp_formula(h)})." for i, h in enumerate(hypotheses)) + "\n"


def saturate(
    hypotheses: Law | Sequence[Law],
    seconds: float,
    strategy: SaturationStrategy = SATURATION_STRATEGIES[0],
    *,
    binary: str | None = None,
    runner: Runner = subprocess_runner,
) -> Saturation:
    """E on the hypotheses alone with a CPU limit of ``seconds`` (rounded up), printing its
    saturated clause set (``--print-saturated=eE``): the status and the unit equations it holds."""
    path = _binary(binary)
    cpu = max(1, math.ceil(seconds))
    command = [path, *strategy.options, "--silent", f"--cpu-limit={cpu}", "--print-saturated=eE"]
    started = time.monotonic()
    done = runner(command, saturation_problem(hypotheses), cpu + _WALL_MARGIN)
    elapsed = time.monotonic() - started
    if done.timed_out:
        return Saturation("wall-clock", (), 0, strategy.name, elapsed)
    match = _STATUS.search(done.stdout)
    if match is None:
        raise ToolCrashed(TOOL, f"no SZS status in output (exit code {done.exit_code})", done.exit_code,
                          done.stdout + done.stderr)
    equations, other = parse_saturated_equations(done.stdout)
    return Saturation(match.group(1), tuple(equations), other, strategy.name, elapsed)


def parse_saturated_equations(output: str) -> tuple[list[Law], int]:
    """The positive unit equations between terms of m and variables among the clauses E printed,
    and how many printed clauses were something else (a disequation, a disjunction, a Skolem
    constant)."""
    laws, other = [], 0
    for line in output.splitlines():
        if not (line.startswith("cnf(") or line.startswith("#cnf(")):
            continue
        match = _UNIT_EQUATION.match(line)
        try:
            if match is None:
                raise ValueError(line)
            laws.append(Law.of(*(_parse_tptp_term(side) for side in _top_level_split_equation(match.group(1)))))
        except ValueError:
            other += 1
    return laws, other


_UNIT_EQUATION = re.compile(r"^#?cnf\([^,]+,\s*plain,\s*\((.*)\)\)\.\s*$", re.MULTILINE)


def _top_level_split_equation(text: str) -> tuple[str, str]:
    """``lhs=rhs`` at bracket depth 0; ValueError for a disequation or a disjunction."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in "|!":
            raise ValueError(text)
        elif depth == 0 and char == "=":
            return text[:i], text[i + 1:]
    raise ValueError(text)


def _parse_tptp_term(text: str) -> Term:
    """``m(X1,m(X2,X1))`` back to a term; variables keep their numbers (Law.of renumbers them)."""
    text = text.strip()
    if re.fullmatch(r"X\d+", text):
        return int(text[1:])
    if text.startswith("m(") and text.endswith(")"):
        parts = _top_level_split(text[2:-1])
        if len(parts) == 2:
            return (_parse_tptp_term(parts[0]), _parse_tptp_term(parts[1]))
    raise ValueError(text)


def prove_with_e(
    hypotheses: Law | Sequence[Law],
    conclusion: Law,
    seconds: float,
    *,
    binary: str | None = None,
    runner: Runner = subprocess_runner,
) -> ProverResult:
    """Run E on the problem with a CPU limit of ``seconds`` (rounded up) and a slightly larger wall limit."""
    path = _binary(binary)
    version = eprover_version(path, runner)
    cpu = max(1, math.ceil(seconds))
    command = [path, "--auto", "--silent", "--proof-object", f"--cpu-limit={cpu}"]
    started = time.monotonic()
    done = runner(command, tptp_problem(hypotheses, conclusion), cpu + _WALL_MARGIN)
    elapsed = time.monotonic() - started
    if done.timed_out:
        return TimedOut(
            tool=TOOL, version=version, limit=cpu, reason="wall-clock", output=done.stdout, seconds=elapsed
        )
    return parse_output(done.stdout, done.stderr, done.exit_code, version=version, limit=cpu, seconds=elapsed)


def parse_output(
    stdout: str, stderr: str, exit_code: int | None, *, version: str, limit: float, seconds: float
) -> ProverResult:
    """Turn E's output into a result from its ``# SZS status`` line; no status line means E broke."""
    match = _STATUS.search(stdout)
    if match is None:
        raise ToolCrashed(TOOL, f"no SZS status in output (exit code {exit_code})", exit_code, stdout + stderr)
    status, line = match.group(1), match.group(0)
    common = {"tool": TOOL, "version": version, "output": stdout, "seconds": seconds}
    if status in _PROVED:
        return Proved(status_line=line, **common)
    if status in _DISPROVED:
        return Disproved(status_line=line, **common)
    if status in _OUT_OF_TIME:
        return TimedOut(limit=limit, reason=status, **common)
    return Unknown(reason=status, **common)


@dataclass(frozen=True)
class ProofStep:
    """One line of a TPTP proof object, split into its parts."""

    kind: str
    """``fof`` or ``cnf``."""
    name: str
    role: str
    formula: str
    source: str
    """Where it came from: ``file(...)`` or ``inference(rule, [...], [parents])``."""


def extract_proof_steps(output: str) -> list[ProofStep]:
    """The steps between ``SZS output start`` and ``SZS output end``, in the prover's order."""
    steps: list[ProofStep] = []
    inside = False
    for line in output.splitlines():
        if line.startswith("# SZS output start"):
            inside = True
        elif line.startswith("# SZS output end"):
            break
        elif inside and (line.startswith("fof(") or line.startswith("cnf(")):
            parts = _top_level_split(line[4 : line.rstrip().rindex(")")])
            steps.append(ProofStep(line[:3], parts[0], parts[1], parts[2], ", ".join(parts[3:])))
    return steps


def _top_level_split(text: str) -> list[str]:
    """Split on commas outside brackets and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _variable(index: int) -> str:
    return f"X{index}"


def _binary(binary: str | None) -> str:
    path = binary or find_eprover()
    if path is None:
        raise ToolUnavailable(TOOL, "eprover is not on PATH; install it (Debian/Ubuntu: apt install eprover)")
    return path
