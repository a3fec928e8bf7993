"""The sequences domain wired into the team: plan, terms, guesses, relations, proofs, Lean and the report.

The mathematics (guessing, symbolic proofs, Lean text) is in domains/sequences/.
"""

from __future__ import annotations

from mathteam.agents.llm.writer import write_with_prose
from mathteam.agents.report_parts import report_task
from mathteam.agents.sequences import conjectures, lean, plan, proofs, report, terms
from mathteam.domain import Domain
from mathteam.domains.sequences.settings import Sequences

DOMAIN = Domain(
    kind="sequences",
    settings=Sequences,
    plan=plan.make_plan,
    write_report=report.write_sequences_report,
    symbolic={
        "example_generator": {plan.TERMS: terms.compute_terms},
        "conjecturer": {plan.GUESS: conjectures.guess_sequence, plan.RELATIONS: conjectures.find_sequence_relations},
        "prover": {plan.PROVE: proofs.prove_sequence_claim},
        "formalizer": {plan.FORMALIZE: lean.formalize_sequences},
        "writer": {plan.REPORT: report_task},
    },
    model={"writer": {plan.REPORT: write_with_prose}},
    # A conjecture waits at the conjecture and statement gates before the prover takes it.
    gated_kinds=frozenset({plan.PROVE}),
)
