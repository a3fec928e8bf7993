"""The planner's plan for a sequences project: terms, then guesses and relations, proofs, Lean, report."""

from __future__ import annotations

from mathteam.memory import Claim, Task
from mathteam.project import Project

TERMS, GUESS, RELATIONS, PROVE, FORMALIZE, REPORT = (
    "sequence_terms", "sequence_guess", "sequence_relations", "sequence_proof", "sequence_lean", "report")
"""Task kinds: the domain (agents/sequences/__init__.py) maps each to its handler in this package."""


def make_plan(project: Project) -> tuple[list[Task], list[Claim]]:
    """Per sequence a computation and a guess; one search for relations; the prover's tasks come
    from the conjecturer, one per conjecture (`prove:CLAIM`); then Lean and the report."""
    tasks: list[Task] = []
    for spec in project.config.domain.sequences:
        source = "compute" if spec.code is not None else "read"
        tasks.append(Task(id=f"terms:{spec.name}", kind=TERMS, role="example_generator", priority=0,
                          title=f"{source.capitalize()} the first terms of {spec.name}",
                          inputs={"sequence": spec.name, "origin": "project"}))
        tasks.append(Task(id=f"guess:{spec.name}", kind=GUESS, role="conjecturer", priority=1,
                          depends_on=[f"terms:{spec.name}"],
                          title=f"Guess closed forms, recurrences and generating functions of {spec.name}",
                          inputs={"sequence": spec.name}))
    tasks += [
        Task(id="relations", kind=RELATIONS, role="conjecturer", priority=2, depends_on=["terms:*"],
             title="Look for relations between the sequences (equal, shifted, multiples, combinations)"),
        Task(id="formalize", kind=FORMALIZE, role="formalizer", priority=5,
             depends_on=["guess:*", "relations", "prove:*"],
             title="Write Lean 4 statements for the sequences, small cases decided"),
        Task(id="report", kind=REPORT, role="writer", priority=6, depends_on=["formalize"],
             title="Write the report"),
    ]
    return tasks, []
