"""The free-form domain wired into the team: a goal in words, decomposed and worked on by model brains.

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

DOMAIN = Domain(
    kind="freeform",
    settings=Freeform,
    plan=plan.freeform_plan,
    write_report=report.write_freeform_report,
    symbolic={"writer": {"report": report_task}, "prover": checks.SYMBOLIC},
    gated_kinds=frozenset({checks.KIND}),
    before_step=research.before_step,
    model={
        "planner": {"decompose": plan.decompose},
        "example_generator": {"compute": compute.compute},
        "conjecturer": {"conjecture": conjectures.conjecture_freeform},
        "prover": {"prove": proofs.prove},
        "formalizer": {"formalize": lean.formalize},
        "writer": {"report": write_prose_into_report},
    },
)
