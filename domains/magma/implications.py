"""The words of an implication between two named laws: its claim id `A=>B`, read back, and its task id.

The one source of these spellings: everything that builds or reads an implication's id goes
through here (agents/magma/vocabulary.py builds the claim and task from them).
"""

from __future__ import annotations

ARROW = "=>"
TASK_PREFIX = "pair:"
"""A per-pair task's id is `pair:` + its claim's id."""


def claim_id(hypothesis: str, conclusion: str) -> str:
    """`A=>B`: the claim that law A implies law B."""
    return f"{hypothesis}{ARROW}{conclusion}"


def parse_claim_id(claim: str) -> tuple[str, str]:
    """(A, B) of the claim id `A=>B`; ValueError when it is not one."""
    hypothesis, arrow, conclusion = claim.partition(ARROW)
    if not arrow or not hypothesis or not conclusion or ARROW in conclusion:
        raise ValueError(f"{claim!r} is not an implication id 'A=>B'")
    return hypothesis, conclusion


def task_id(claim: str) -> str:
    """The id of the task that settles the claim `claim`."""
    return f"{TASK_PREFIX}{claim}"
