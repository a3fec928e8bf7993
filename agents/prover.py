"""The prover: settles conjectured claims; what it tries is the domain's (agents/<domain>/)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.dispatch import run_batch
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch


def prover(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    return run_batch("prover", batch, runtime)
