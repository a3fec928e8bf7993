"""The magma-implications domain wired into the team: which laws of magmas imply which.

Small questions get a claim, a task and the gates per ordered pair (plan.py, schedule.py); above
60 laws the bulk engine works on the implication matrix (bulk.py). The mathematics is in
domains/magma/.
"""

from __future__ import annotations

from mathteam.agents.llm.writer import write_with_prose
from mathteam.agents.magma import bulk, bulk_report, conjectures, examples, extend, lean, proofs, report, schedule
from mathteam.agents.magma.contributions import CONTRIBUTIONS
from mathteam.agents.magma.review_edit import EDITS
from mathteam.agents.report_parts import report_task
from mathteam.domain import Domain
from mathteam.domains.magma.implications import task_id
from mathteam.domains.magma.settings import MagmaImplications
from mathteam.export import claim_rows
from mathteam.memory import Memory
from mathteam.project import Project


def export_rows(project: Project, memory: Memory):
    """A bulk run's rows come from its engine's log, read-only (every ordered pair); a small run's
    from its claims."""
    if bulk.uses_bulk(project):
        return bulk_report.export_rows(project, memory)
    return claim_rows(memory)


DOMAIN = Domain(
    kind="magma_implications",
    settings=MagmaImplications,
    plan=schedule.make_plan,
    write_report=report.write_magma_report,
    symbolic={
        "example_generator": {"examples": examples.exhaustive, "implication": examples.targeted_search,
                              "bulk_examples": bulk.bulk_examples, "bulk_search": bulk.bulk_search},
        "conjecturer": {"conjecture": conjectures.conjecture_implications,
                        "bulk_conjecture": bulk.bulk_conjecture},
        "prover": {"implication": proofs.prove_implication, "bulk_syntactic": bulk.bulk_syntactic,
                   "bulk_prove": bulk.bulk_prove},
        "formalizer": {"formalize": lean.formalize_task},
        "writer": {"report": report_task},
    },
    model={
        "conjecturer": {"conjecture": conjectures.conjecture_with_model},
        "writer": {"report": write_with_prose},
    },
    scheduled_kinds=frozenset({schedule.PAIR}),
    schedule=schedule.schedule,
    before_step=schedule.before_step,
    numerous_kinds=frozenset({schedule.PAIR}),
    task_for_claim=lambda memory, claim_id: memory.task(task_id(claim_id)),
    edits=EDITS,
    contributions=CONTRIBUTIONS,
    export_rows=export_rows,
    extend=extend.extend_question,
)
