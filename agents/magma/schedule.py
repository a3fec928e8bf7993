"""The planner's magma work: the plan (pairs or bulk phases), and the pairs' side of each step: gates, passes, closing."""

from __future__ import annotations

from mathteam.agents import review_requests
from mathteam.agents.decision import Decision
from mathteam.agents.magma import bulk, pairs, plan
from mathteam.agents.magma.engine import engine_for, uses_bulk
from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma import lean, syntactic
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Claim, Memory, Task
from mathteam.project import Project

ACTOR = Actor.role("planner")
ENGINE_STEPS = ("bulk_prove", "bulk_search")


def make_plan(project: Project) -> tuple[list[Task], list[Claim]]:
    """Bulk phases above the engine's threshold, else one claim and task per ordered pair."""
    if uses_bulk(project):
        return bulk.plan(project)
    domain = project.config.domain
    return plan.make_plan(domain.named_laws, domain.exhaustive_sizes)


def before_step(memory: Memory, context: TeamContext) -> None:
    """The engine loop's next step, when the last one ended (a small question's too)."""
    bulk.follow_ups(memory, context)


def schedule(memory: Memory, context: TeamContext, ready: list[Task]) -> Decision | None:
    """The pairs' side of a planning step: settle what the engine answered, ask the gates about
    the conjectures not yet cleared, and when the engine is idle, begin a pass of its proving loop
    over the cleared pairs (the others are held from it), or close those the last pass was for
    and left unsettled. None when every remaining pair waits for a person."""
    engine = engine_for(context, memory)
    with memory.atomic():
        changed = pairs.settle(memory, context, engine)
    gates = review_requests.required_gates(context)
    pending = _still_pending(memory, ready)
    if gates:
        conjectured = {claim.id for claim in memory.claims(status="conjectured")}
        asked = [task for task in pending if task.inputs["claim"] in conjectured and not pairs.cleared(task, gates)]
        if asked:
            laws = {item.name: item.law for item in MagmaQuestion.of(context.project, memory).named}
            request_conjecture_reviews(memory, context, asked, laws)
            if memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
                return Decision("approval_gate", [])
            pending = _still_pending(memory, ready)
    free = [task for task in pending if pairs.cleared(task, gates)]
    busy = any(memory.tasks(status="pending", kind=kind) for kind in ENGINE_STEPS)
    if free and not busy:
        with memory.atomic():  # a pass is recorded with its first round, or not at all
            if first := pairs.next_pass(memory, context, engine, free):
                memory.add_tasks(first, ACTOR)
        return Decision("planner", [])
    return Decision("planner", []) if changed else None


def _still_pending(memory: Memory, ready: list[Task]) -> list[Task]:
    """The ready pairs as they stand now (settled ones gone, gate notes added)."""
    return memory.tasks(ids=[task.id for task in ready], status="pending")


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
