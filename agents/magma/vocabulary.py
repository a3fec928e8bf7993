"""An implication as the team records it: the claim `A=>B` and the `pair:` task that settles it, built in one place."""

from __future__ import annotations

from mathteam.domains.magma.implications import claim_id, task_id
from mathteam.domains.magma.terms import Law
from mathteam.memory import Claim, ClaimStatus, Task

KIND = "implication"
"""The kind of an implication's claim and of its per-pair task."""


def implication_claim(a: str, law_a: Law | str, b: str, law_b: Law | str, author: str,
                      status: ClaimStatus = "open", reason: str | None = None, **data) -> Claim:
    """The claim that law `a` implies law `b`, with both laws' text in its data."""
    return Claim(id=claim_id(a, b), kind=KIND, author=author, status=status, reason=reason,
                 statement=f"{a} ({law_a}) implies {b} ({law_b})",
                 data={"hypothesis": a, "conclusion": b, "hypothesis_law": str(law_a),
                       "conclusion_law": str(law_b), **data})


def pair_task(a: str, b: str, priority: float, title_note: str = "", depends_on: list[str] | None = None,
              outputs: dict | None = None) -> Task:
    """The task that settles `a => b`, done by the prover (then the targeted search)."""
    claim = claim_id(a, b)
    return Task(id=task_id(claim), kind=KIND, role="prover", priority=priority, depends_on=depends_on or [],
                title=f"Settle {a} => {b}" + (f" ({title_note})" if title_note else ""),
                inputs={"claim": claim, "hypothesis": a, "conclusion": b}, outputs=outputs or {})
