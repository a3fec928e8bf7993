"""Pydantic models of the project memory's rows, and the Actor every write is attributed to."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

ClaimStatus = Literal["open", "conjectured", "checked", "proved", "refuted", "formally_verified"]
SETTLED = ("proved", "refuted", "formally_verified")
CHECKED = "checked"
"""Every instance a checker tried holds: evidence, never a proof (a later check may still refute it)."""
TaskStatus = Literal["pending", "done"]
CheckStatus = Literal["not checked", "compiled", "failed"]


class Row(BaseModel):
    """Base of every memory row model: immutable, no stray keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Actor(Row):
    """Who did something: a role thinking with a brain and maybe a tool, or a person."""

    kind: Literal["role", "person", "system"]
    """`role` for a team member, `person` for a human decision, `system` for bookkeeping."""
    name: str
    """The role (`prover`), the person's name, or `mathteam`."""
    brain: str | None = None
    """`symbolic` or a model name; only for roles."""
    tool: str | None = None
    """The tool that did the work (`eprover`, `z3`, `numpy`), if any."""
    tool_version: str | None = None
    """That tool's version, as it reports it."""

    @classmethod
    def role(cls, name: str, brain: str = "symbolic", tool: str | None = None,
             tool_version: str | None = None) -> "Actor":
        return cls(kind="role", name=name, brain=brain, tool=tool, tool_version=tool_version)

    @classmethod
    def person(cls, name: str) -> "Actor":
        return cls(kind="person", name=name)

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind="system", name="mathteam")

    def label(self) -> str:
        """`prover (symbolic, eprover 2.6)`, `person alice`."""
        if self.kind == "person":
            return f"person {self.name}"
        details = [part for part in (self.brain, " ".join(filter(None, (self.tool, self.tool_version)))) if part]
        return f"{self.name} ({', '.join(details)})" if details else self.name


class Task(Row):
    id: str
    """Stable id, e.g. `pair:Equation4=>Equation7` or `examples:exhaustive:3`."""
    kind: str
    """What sort of work: `examples`, `conjecture`, `implication`, `formalize`, `report`."""
    role: str
    """The role that does it."""
    title: str
    status: TaskStatus = "pending"
    priority: float = 0.0
    """Lower runs sooner: the planner's estimate of how cheap the evidence is."""
    depends_on: list[str] = []
    """Tasks that must be done first (the plan is a DAG)."""
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}


class Claim(Row):
    id: str
    kind: str
    """`implication` for the magma domain."""
    statement: str
    """The claim in words and symbols."""
    data: dict[str, Any] = {}
    """Domain data, e.g. `{"hypothesis": "Equation4", "conclusion": "Equation7"}`."""
    status: ClaimStatus = "open"
    reason: str | None = None
    """Why the status is what it is, in words (e.g. why a claim is still open)."""
    author: str
    """The actor label of whoever proposed the claim."""


class Evidence(Row):
    """A piece of evidence; `accepted` is the checker's verdict, required to settle a claim."""

    claim_id: str
    kind: Literal["counterexample", "atp_proof", "syntactic_proof", "transitivity", "duality",
                  "lean", "human", "informal_proof", "symbolic_proof", "instance_check", "smt_proof",
                  "unsettled_check"]
    verdict: Literal["proves", "refutes", "supports", "none"]
    """`supports`: every instance tried holds (status `checked`); `none`: a check that gave no verdict."""
    checker: str
    """What re-checked it, independently of what produced it."""
    accepted: bool
    payload: dict[str, Any] = {}
    """The evidence itself: a table and assignment, a prover's output, a chain of claims."""
    author: str = ""


class Artifact(Row):
    id: str
    kind: Literal["lean", "report", "dot", "svg", "png", "export"]
    path: str
    """Relative to the run folder."""
    claim_id: str | None = None
    check_status: CheckStatus | None = None
    """For Lean files: `not checked` unless a real Lean compiled it."""
    detail: str | None = None


class Event(Row):
    id: int
    at: str
    actor: str
    actor_kind: str
    role: str | None = None
    brain: str | None = None
    tool: str | None = None
    action: str
    subject: str | None = None
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    seconds: float | None = None
    cost: float | None = None


ReviewStatus = Literal["pending", "approved", "rejected", "edited"]


class Review(Row):
    """An item waiting for (or given) a person's decision at an approval gate."""

    id: int
    gate: str
    """`plan`, `conjecture`, `statement`, `run_code` or `report`."""
    subject: str | None = None
    """What it is about: a claim id, a task id, a file."""
    question: str
    """What is asked, in words."""
    evidence: dict[str, Any] = {}
    """What the person needs to decide: examples, prover output, Lean source, code."""
    requested_by: str
    requested_at: str
    status: ReviewStatus = "pending"
    decided_by: str | None = None
    decided_at: str | None = None
    comment: str | None = None
    reason: str | None = None
    """Why it was rejected."""
    edit: str | None = None
    """The person's replacement (a corrected statement), for `edited`."""
    applied_at: str | None = None
    """When the run acted on the decision; None while it has not."""
