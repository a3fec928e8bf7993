"""The example-generator: computes the data conjectures come from (magmas, terms, model-written code)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.dispatch import run_batch
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch


def example_generator(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    """Do the batch's tasks with the handlers the project's domain gives."""
    return run_batch("example_generator", batch, runtime)
