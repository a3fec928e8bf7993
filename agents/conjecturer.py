"""The conjecturer: proposes what the computed data suggests; it never settles anything."""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.dispatch import run_batch
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch


def conjecturer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    return run_batch("conjecturer", batch, runtime)
