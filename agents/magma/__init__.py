"""The magma-implications domain wired into the team: which laws of magmas imply which.

One engine (tools/bulk_engine) answers every question, through the same steps and proving loop
(bulk.py runs them as tasks). A small question also gets a claim, a task and the gates per ordered
pair (plan.py, pairs.py, schedule.py); above 60 laws the memory keeps only the direct results.
The mathematics is in domains/magma/.
"""

from __future__ import annotations

from mathteam.agents.llm.writer import write_with_prose
from mathteam.agents.magma import bulk, conjectures, extend, lean, pairs, report, schedule
from mathteam.agents.magma.contributions import CONTRIBUTIONS
from mathteam.agents.magma.review_edit import EDITS
from mathteam.agents.magma.vocabulary import KIND as PAIR
from mathteam.agents.report_parts import report_task
from mathteam.domain import Domain
from mathteam.domains.magma.implications import task_id
from mathteam.domains.magma.settings import MagmaImplications
from mathteam.export import magma_rows


DOMAIN = Domain(
    kind="magma_implications",
    settings=MagmaImplications,
    plan=schedule.make_plan,
    write_report=report.write_magma_report,
    symbolic={
        "example_generator": {"examples": pairs.examples, "bulk_examples": bulk.bulk_examples,
                              "bulk_search": bulk.bulk_search},
        "conjecturer": {"conjecture": conjectures.conjecture_implications,
                        "bulk_conjecture": bulk.bulk_conjecture},
        "prover": {"bulk_syntactic": bulk.bulk_syntactic, "bulk_prove": bulk.bulk_prove},
        "formalizer": {"formalize": lean.formalize_task},
        "writer": {"report": report_task},
    },
    model={
        "conjecturer": {"conjecture": conjectures.conjecture_with_model},
        "writer": {"report": write_with_prose},
    },
    scheduled_kinds=frozenset({PAIR}),
    schedule=schedule.schedule,
    before_step=schedule.before_step,
    numerous_kinds=frozenset({PAIR}),
    task_for_claim=lambda memory, claim_id: memory.task(task_id(claim_id)),
    edits=EDITS,
    contributions=CONTRIBUTIONS,
    export_rows=magma_rows,  # also DOMAINS.export_rows' answer, found without these agents
    extend=extend.extend_question,
)
