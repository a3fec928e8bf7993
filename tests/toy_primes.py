"""A toy domain that lives only in the tests: which of some numbers are prime.

It is the example of docs/domains.md: everything a kind of mathematics gives the team, in one
file, registered from outside the package. Its layers are the real ones in miniature:

- mathematics (what `domains/<name>/` would hold): pure functions, no memory, no tools;
- the `[domain]` section (what `domains/<name>/settings.py` would hold);
- role handlers, plan and report (what `agents/<name>/` would hold), and the `Domain` object.

The example-generator trial-divides each number up to a bound and refutes "n is prime" with a
factor the checker re-multiplies; the conjecturer conjectures the rest; the prover proves each
conjecture with a certificate (every divisor up to √n tried) that a second function re-checks, or
refutes it with the factor the search's bound missed.
The conjecture and statement gates stop proofs when the project asks for them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import Field

from mathteam.agents.report_parts import contributions, report_task, save_report
from mathteam.domain import Domain
from mathteam.domains.section import DomainSection
from mathteam.memory import Actor, Claim, Evidence, Memory, Task
from mathteam.project import Project

KIND = "toy_primes"


# --- mathematics (pure) ---------------------------------------------------------------------

def smallest_factor(n: int, up_to: int) -> int | None:
    """The smallest factor 1 < d ≤ min(up_to, √n) of n, or None when there is none in that range."""
    for d in range(2, min(up_to, math.isqrt(n)) + 1):
        if n % d == 0:
            return d
    return None


def factor_checks(n: int, factor: int) -> bool:
    """A refutation's check, independent of the search: a proper factor divides n."""
    return 1 < factor < n and n % factor == 0


def primality_certificate(n: int) -> list[int]:
    """The divisors tried: every d with 2 ≤ d ≤ √n (none divides a prime)."""
    return list(range(2, math.isqrt(n) + 1))


def certificate_checks(n: int, tried: list[int]) -> bool:
    """A proof's check: the certificate covers 2..√n and no entry divides n."""
    return n >= 2 and tried == list(range(2, math.isqrt(n) + 1)) and all(n % d for d in tried)


# --- the [domain] section -------------------------------------------------------------------

class ToyPrimes(DomainSection):
    kind: Literal["toy_primes"]
    """Which of `numbers` are prime."""
    numbers: list[int] = Field(min_length=1)
    """The numbers asked about (each at least 2)."""
    search_up_to: int = Field(default=10, ge=2)
    """The example-generator tries divisors up to this bound only; the prover goes to √n."""


# --- role handlers, plan, report ------------------------------------------------------------

EXAMPLES = Actor.role("example_generator", tool="trial division")
CONJECTURER = Actor.role("conjecturer")
PROVER = Actor.role("prover", tool="trial division to the square root")
WRITER = Actor.role("writer")


def claim_id(n: int) -> str:
    return f"prime:{n}"


def plan(project: Project) -> tuple[list[Task], list[Claim]]:
    numbers = project.config.domain.numbers
    claims = [Claim(id=claim_id(n), kind="primality", statement=f"{n} is prime", data={"n": n},
                    author=Actor.role("planner").label()) for n in numbers]
    tasks = [
        Task(id="search", kind="toy_search", role="example_generator", priority=0,
             title="Look for small factors"),
        Task(id="conjecture", kind="toy_conjecture", role="conjecturer", priority=1, depends_on=["search"],
             title="Conjecture that the numbers without a small factor are prime"),
        Task(id="report", kind="report", role="writer", priority=9, depends_on=["conjecture", "prove:*"],
             title="Write the report"),
    ]
    return tasks, claims


def search(memory: Memory, task: Task, runtime, shared: dict) -> None:
    bound = runtime.context.project.config.domain.search_up_to
    refuted = []
    with memory.atomic():
        for claim in memory.claims(status="open"):
            n = claim.data["n"]
            factor = smallest_factor(n, bound)
            if factor is not None:
                memory.settle_claim(Evidence(
                    claim_id=claim.id, kind="counterexample", verdict="refutes", accepted=factor_checks(n, factor),
                    checker="the factor re-divided", payload={"factor": factor}), EXAMPLES)
                refuted.append(claim.id)
        memory.finish_tasks({task.id: {"refuted": refuted, "bound": bound}}, EXAMPLES)


def conjecture(memory: Memory, task: Task, runtime, shared: dict) -> None:
    surviving = memory.claims(status="open")
    with memory.atomic():
        memory.mark_claims([c.id for c in surviving], "conjectured", "no small factor", CONJECTURER)
        # A task per conjecture, named `prove:<claim>`: the gates' decisions find it by that name.
        memory.add_tasks([Task(id=f"prove:{c.id}", kind="toy_prove", role="prover", priority=2,
                               title=f"Prove that {c.data['n']} is prime", inputs={"claim": c.id})
                          for c in surviving], CONJECTURER)
        memory.finish_tasks({task.id: {"conjectured": len(surviving)}}, CONJECTURER)


def prove(memory: Memory, task: Task, runtime, shared: dict) -> None:
    """Trial division to √n: a certificate that n is prime, or the factor the search's bound missed."""
    claim = memory.claim(task.inputs["claim"])
    n = claim.data["n"]
    factor = smallest_factor(n, n)
    with memory.atomic():
        if factor is None:
            tried = primality_certificate(n)
            memory.settle_claim(Evidence(
                claim_id=claim.id, kind="symbolic_proof", verdict="proves", accepted=certificate_checks(n, tried),
                checker="every divisor up to the square root re-tried", payload={"tried": tried}), PROVER)
        else:
            memory.settle_claim(Evidence(
                claim_id=claim.id, kind="counterexample", verdict="refutes", accepted=factor_checks(n, factor),
                checker="the factor re-divided", payload={"factor": factor}), PROVER)
        memory.finish_tasks({task.id: {"result": "proved" if factor is None else f"refuted by {factor}"}}, PROVER)


def write_report(project: Project, memory: Memory) -> Path:
    lines = [f"# {project.name}", "", f"**Question.** {project.config.project.goal}", "",
             "| number | status | evidence |", "|---|---|---|"]
    for claim in memory.claims():
        evidence = "; ".join(f"{e.kind} ({e.checker})" for e in memory.evidence(claim.id) if e.accepted)
        lines.append(f"| {claim.data['n']} | {claim.status} | {evidence or claim.reason or ''} |")
    lines += ["", *contributions(memory)]
    return save_report(project, memory, lines, WRITER)


DOMAIN = Domain(
    kind=KIND,
    settings=ToyPrimes,
    plan=plan,
    write_report=write_report,
    symbolic={
        "example_generator": {"toy_search": search},
        "conjecturer": {"toy_conjecture": conjecture},
        "prover": {"toy_prove": prove},
        "writer": {"report": report_task},
    },
    gated_kinds=frozenset({"toy_prove"}),
)
