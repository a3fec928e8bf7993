"""The free-form domain wired into the team: a goal in words, decomposed and worked on by model brains,
and claims with checkable forms (checks.py) posed in the file or proposed by the conjecturer's model.

The model interface (stable; providers such as `llama_cpp` only need to answer these JSON schemas,
named by the reply model's class in `response_format`): planner → `Plan` (plan.py), example-generator
→ `CodeCandidates` (compute.py), conjecturer → `Conjectures` (conjectures.py: statement, python with
`holds`/`domain`, instances, sympy, smt, lean_statement), prover → `InformalProof` (proofs.py, with
optional sympy/smt forms), formalizer → `LeanDrafts` (lean.py), writer → `Prose` (agents/llm/writer.py).
The research loop (research.py) re-plans after each round from the memory.

Every role here thinks with its model (`[team]`); the planner's model decomposes the goal into tasks
for the others (plan.py), and only checkers (the sandbox's runs, Lean with the acceptance gate)
change a claim's status. Pure parts live in domains/freeform/.
"""

from __future__ import annotations

from mathteam.agents.freeform import checks, compute, conjectures, lean, plan, proofs, report, research
from mathteam.agents.llm.writer import write_prose_into_report
from mathteam.agents.report_parts import report_task
from mathteam.domain import Domain
from mathteam.domains.freeform.settings import Freeform
from mathteam.memory import Memory, Task

def task_for_claim(memory: Memory, claim_id: str) -> Task | None:
    """The pending check of a claim, which the conjecture and statement gates hold."""
    return next((task for task in memory.tasks(status="pending", kind=checks.KIND)
                 if task.inputs.get("claim") == claim_id), None)


DOMAIN = Domain(
    kind="freeform",
    settings=Freeform,
    plan=plan.freeform_plan,
    write_report=report.write_freeform_report,
    symbolic={"writer": {"report": report_task}, "prover": checks.SYMBOLIC},
    gated_kinds=frozenset({checks.KIND}),
    before_step=lambda memory, context: research.before_step(memory, context.project),
    task_for_claim=task_for_claim,
    model={
        "planner": {"decompose": plan.decompose},
        "example_generator": {"compute": compute.compute},
        "conjecturer": {"conjecture": conjectures.conjecture_freeform},
        "prover": {"prove": proofs.prove},
        "formalizer": {"formalize": lean.formalize},
        "writer": {"report": write_prose_into_report},
    },
)
