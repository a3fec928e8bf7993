"""An audit of a project memory: claims whose status no accepted checker evidence stands behind."""

from __future__ import annotations

from mathteam.memory.models import Claim, Evidence
from mathteam.memory.store import Memory

VERDICT_FOR = {"proved": "proves", "formally_verified": "proves", "refuted": "refutes", "checked": "supports"}
"""The evidence verdict each checker-given status needs."""
NOT_A_CHECK = {"informal_proof", "unsettled_check"}
"""Evidence kinds that never settle a claim: a model's prose proof, a check that gave no verdict."""


def backs(evidence: Evidence, status: str) -> bool:
    """Whether ``evidence`` is a checker's accepted verdict that gives ``status``."""
    return (evidence.accepted and evidence.kind not in NOT_A_CHECK and bool(evidence.checker)
            and evidence.verdict == VERDICT_FOR.get(status))


def unbacked_claims(memory: Memory) -> list[Claim]:
    """Claims that are proved, refuted, checked or formally verified without accepted evidence for that status
    from a checker (or a person's recorded decision); a model's word is never such evidence."""
    return [claim for claim in memory.claims(status=list(VERDICT_FOR))
            if not any(backs(item, claim.status) for item in memory.evidence(claim.id))]


def is_model_authored(claim: Claim) -> bool:
    """Whether a model proposed the claim (its author is a role thinking with a configured model)."""
    if "(" not in claim.author or claim.author.startswith("person "):  # `person (the project file)`
        return False
    brain = claim.author.split("(", 1)[1].split(",")[0].strip(") ")
    return brain != "symbolic"
