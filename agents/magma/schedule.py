"""The planner's magma work: the plan (pairs or bulk phases) and the next step on the implications, by cheapest evidence."""

from __future__ import annotations

from mathteam.agents import review_requests
from mathteam.agents.decision import Decision, split
from mathteam.agents.magma import bulk, plan
from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma import lean, syntactic
from mathteam.graph.context import TeamContext
from mathteam.memory import SETTLED, Actor, Claim, Memory, Task
from mathteam.project import Project

ACTOR = Actor.role("planner")
PAIR = "implication"
"""The kind of a per-pair task (`pair:A=>B`), which this module schedules."""


def make_plan(project: Project) -> tuple[list[Task], list[Claim]]:
    """Bulk phases above the engine's threshold, else one claim and task per ordered pair."""
    if bulk.uses_bulk(project):
        return bulk.plan(project)
    domain = project.config.domain
    return plan.make_plan(domain.named_laws, domain.exhaustive_sizes)


def before_step(memory: Memory, context: TeamContext) -> None:
    """A bulk run's next phase, when the last one ended."""
    if bulk.uses_bulk(context.project):
        bulk.follow_ups(memory, context)


def schedule(memory: Memory, context: TeamContext, pairs: list[Task]) -> Decision | None:
    """Order the proving rounds once, then take the next step on the ready pairs."""
    if memory.get_meta("rounds_planned") != "yes":
        plan.plan_rounds(memory, pairs, ACTOR)
        pairs = [task for task in memory.tasks(status="pending") if task.kind == PAIR]
    return next_implication_step(memory, context, pairs)


def next_implication_step(memory: Memory, context: TeamContext, pairs: list[Task]) -> Decision | None:
    """Close settled pairs; send conjectures a person cleared (if gates ask) to the prover, then
    to targeted search. None when every remaining pair waits for a person."""
    workers = context.project.config.budget.workers
    status = {claim.id: claim for claim in memory.claims()}
    finished: dict[str, dict] = {}
    to_prove: list[Task] = []
    to_search: list[Task] = []
    for task in pairs:
        claim = status[task.inputs["claim"]]
        attempts = task.outputs.get("attempts", [])
        tried = {attempt["by"] for attempt in attempts}
        if claim.status in SETTLED:
            finished[task.id] = {**task.outputs, "result": claim.status}
        elif "prover" not in tried:
            to_prove.append(task)
        elif "example_generator" not in tried:
            to_search.append(task)
        else:
            finished[task.id] = {**task.outputs, "result": "open"}
    if finished:
        memory.finish_tasks(finished, ACTOR)
        still_open = [task.inputs["claim"] for task in pairs
                      if finished.get(task.id, {}).get("result") == "open"]
        if still_open:
            memory.mark_claims(still_open, "open", "neither the prover nor the targeted search settled it",
                               ACTOR)
    if to_prove and review_requests.required_gates(context):
        laws = {item.name: item.law for item in MagmaQuestion.of(context.project, memory).named}
        to_prove = request_conjecture_reviews(memory, context, to_prove, laws)
        if memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
            return Decision("approval_gate", [])
    if to_prove:
        # One round at a time: the transitive-reduction round first, so that later rounds can
        # settle most pairs by transitivity instead of calling the prover.
        lowest = min(task.priority for task in to_prove)
        round_ = [task.id for task in to_prove if task.priority == lowest]
        return Decision("prover", split(round_, workers))
    if to_search:
        return Decision("example_generator", split([task.id for task in to_search], workers))
    if finished:
        return Decision("planner", [])  # only bookkeeping happened: look again
    return None


CERTIFICATES = {"Substitution": "the conclusion is an instance of the hypothesis",
                "Reflexivity": "the conclusion's two sides are the same term",
                "SingletonHypothesis": "the hypothesis forces a magma of one element"}


def support(memory: Memory, law_name: str) -> int:
    """How many computed examples satisfied this law: how much testing a conjecture from it survived."""
    examples = memory.task("examples:exhaustive")
    sizes = examples.outputs.get("sizes", {}) if examples else {}
    return sum(info.get("satisfying", {}).get(law_name, 0) for info in sizes.values())


def request_conjecture_reviews(memory: Memory, context: TeamContext, waiting: list[Task],
                               laws: dict) -> list[Task]:
    """For conjectures not yet cleared, ask (or clear those the narrowing exempts); returns the cleared."""
    gates = review_requests.required_gates(context)
    minimum = context.project.config.approval.conjecture_min_examples
    cleared = []
    for task in waiting:
        done = task.outputs.get("cleared", [])
        gate = next((g for g in gates if g not in done), None)
        if gate is None:
            cleared.append(task)
            continue
        claim_id = task.inputs["claim"]
        hypothesis, conclusion = task.inputs["hypothesis"], task.inputs["conclusion"]
        certificate = syntactic.syntactic_proof(laws[hypothesis], laws[conclusion])
        if certificate is not None:
            # Nothing to judge: a certificate settles it at once (an instance of the hypothesis,
            # a conclusion `x = x`, a hypothesis forcing one element); the prover settles it
            # with that certificate, re-checked, as its evidence.
            note = f"not asked: settled at once by a syntactic certificate ({CERTIFICATES[type(certificate).__name__]})"
            left = [g for g in gates if g not in done]
            memory.update_task_outputs(task.id, {**task.outputs, "cleared": [*done, *left],
                                                 **{f"{g}_gate": note for g in left}})
            cleared.append(task)
            continue
        examples = support(memory, hypothesis)
        if examples < minimum:
            memory.update_task_outputs(task.id, {**task.outputs, "cleared": [*done, gate],
                                                 f"{gate}_gate": f"not asked: {examples} examples < {minimum}"})
            continue
        evidence = {"hypothesis": f"{hypothesis}: {laws[hypothesis]}",
                    "conclusion": f"{conclusion}: {laws[conclusion]}", "examples_survived": examples}
        if gate == "statement":
            evidence["lean_statement"] = lean.reviewed_statement(hypothesis, laws[hypothesis],
                                                                 conclusion, laws[conclusion])
            question = f"Approve the formal statement of {claim_id} before it is proved?"
        else:
            question = f"Approve the conjecture {claim_id} ({laws[hypothesis]}  ⇒  {laws[conclusion]})?"
        review_requests.ask(memory, context, gate, question, claim_id, evidence)
    return cleared
