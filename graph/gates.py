"""The approval gate: the one node that waits for people (`interrupt`), then acts on their decisions."""

from __future__ import annotations

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from mathteam.graph.context import TeamContext
from mathteam.graph.decisions import apply_decisions
from mathteam.graph.state import TeamState


def approval_gate(state: TeamState, runtime: Runtime[TeamContext]) -> dict:
    """Wait (if the planner found nothing else to do), then apply whatever was decided.

    `interrupt` comes first: a resumed node runs again from its start, so nothing before it may
    change anything. Decisions are read from the memory, where `mathteam review` and the TUI
    record them, not from the resume value, so none is lost if the process dies in between.
    """
    if state.get("gate_wait"):
        with runtime.context.memory() as memory:
            waiting = [{"id": r.id, "gate": r.gate, "subject": r.subject, "question": r.question}
                       for r in memory.reviews(status="pending")]
        if waiting:
            interrupt({"items": waiting})
    with runtime.context.memory() as memory:
        apply_decisions(memory, runtime.context)
    return {"gate_wait": False}
