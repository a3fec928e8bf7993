"""The Lean formalizer: Lean 4 statements and proofs for settled claims, in the domain's own rendering.

Whatever the domain, only what Lean and the acceptance gate (tools/lean_gate) accept counts, and
without a Lean toolchain every file is recorded `not checked`, never verified.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.dispatch import run_batch
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch


def formalizer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    return run_batch("formalizer", batch, runtime)
