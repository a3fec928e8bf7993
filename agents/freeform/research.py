"""The free-form research loop: after each round the planner re-plans from the memory.

A round is the work of one plan: the first is the planner model's decomposition of the goal; each
later one is a conjecture task (the conjecturer gets the refuted conjectures with their
counterexamples, the checked ones, and the proved lemmas as context, and asks for
`[team] conjecture_candidates` candidates, every one of them checked) and, when the prover has a
model, a prove task for the claims that came out `checked`. The loop stops when the goal's claims are
settled, when `[budget] max_rounds_without_progress` rounds in a row settled or checked nothing new,
or after `[domain] max_rounds` rounds; a spent budget stops the whole run (the planner's rule). The
reason is kept in the memory (`loop_stopped`) for the console and the report.
"""

from __future__ import annotations

import json

from mathteam.memory import SETTLED, Actor, Memory, Task
from mathteam.project import Project

PLANNER = Actor.role("planner")
ROUND_PREFIX = "ff:r"
PROGRESS = ("checked", "proved", "refuted", "formally_verified")


def loops(project: Project) -> bool:
    """The loop runs when the conjecturer thinks with a model and the project allows further rounds."""
    return project.config.team.conjecturer != "symbolic" and project.config.domain.max_rounds > 0


def progress_snapshot(memory: Memory) -> str:
    """What counts as progress: which claims stand checked, proved, refuted or verified."""
    return json.dumps(sorted((c.id, c.status) for c in memory.claims(status=list(PROGRESS))))


def goal_claims_settled(memory: Memory) -> bool:
    """The goal posed claims (in the file or by the planner), and each is proved, refuted or verified."""
    posed = [c for c in memory.claims() if c.id.startswith(("goal:", "claim:"))]
    return bool(posed) and all(c.status in SETTLED for c in posed)


def before_step(memory: Memory, project: Project) -> None:
    """When a round's work is done, decide: another round (its tasks added) or stop (and say why)."""
    if not loops(project) or memory.get_meta("loop_stopped"):
        return
    pending = [t for t in memory.tasks(status="pending") if t.kind != "report"]
    if pending or memory.task("plan:goal") is None or memory.task("plan:goal").status != "done":
        return
    finished = int(memory.get_meta("loop_round") or 1)
    snapshot = progress_snapshot(memory)
    idle = int(memory.get_meta("loop_idle") or 0)
    idle = 0 if snapshot != (memory.get_meta("loop_snapshot") or "[]") else idle + 1
    budget = project.config.budget.max_rounds_without_progress
    reason = None
    if goal_claims_settled(memory):
        reason = f"the goal's claims are settled (after round {finished})"
    elif idle >= budget:
        reason = f"{idle} round(s) in a row settled or checked nothing new (max_rounds_without_progress = {budget})"
    elif finished - 1 >= project.config.domain.max_rounds:
        reason = f"max_rounds = {project.config.domain.max_rounds} research round(s) after the first plan are done"
    with memory.atomic():
        memory.set_meta("loop_snapshot", snapshot)
        memory.set_meta("loop_idle", str(idle))
        if reason:
            memory.set_meta("loop_stopped", reason)
            memory.record_event(PLANNER, "research loop stopped", outputs={"reason": reason, "rounds": finished})
            return
        number = finished + 1
        tasks = [Task(id=f"{ROUND_PREFIX}{number}:conjecture", kind="conjecture", role="conjecturer",
                      priority=number * 10, title=f"Round {number}: new conjectures from what the memory holds",
                      inputs={"instructions": "Use the refuted conjectures' counterexamples, the checked "
                                              "conjectures and the proved lemmas below.", "round": number})]
        if project.config.team.prover != "symbolic":
            tasks.append(Task(id=f"{ROUND_PREFIX}{number}:prove", kind="prove", role="prover",
                              priority=number * 10 + 5, title=f"Round {number}: prove the checked conjectures",
                              depends_on=[tasks[0].id, "check:*"], inputs={"round": number}))
        if project.config.team.formalizer != "symbolic":
            tasks.append(Task(id=f"{ROUND_PREFIX}{number}:formalize", kind="formalize", role="formalizer",
                              priority=number * 10 + 7, title=f"Round {number}: Lean proofs of the claims with a "
                              "Lean statement", depends_on=[tasks[-1].id, "check:*"], inputs={"round": number}))
        memory.add_tasks(tasks, PLANNER)
        memory.set_meta("loop_round", str(number))
        memory.record_event(PLANNER, "research round planned", subject=tasks[0].id,
                            outputs={"round": number, "rounds_without_progress": idle})


def context_for_conjecturer(memory: Memory, limit: int = 12) -> dict:
    """What the conjecturer is told: refuted conjectures with their counterexamples, checked ones, proved lemmas."""
    refuted, checked, proved = [], [], []
    for claim in memory.claims():
        if claim.status == "refuted":
            against = [e.payload.get("detail") or e.kind for e in memory.evidence(claim.id)
                       if e.accepted and e.verdict == "refutes"]
            refuted.append({"statement": claim.statement, "counterexample": against[-1] if against else ""})
        elif claim.status == "checked":
            support = [e.payload.get("detail") for e in memory.evidence(claim.id) if e.accepted]
            checked.append({"statement": claim.statement, "checked": "; ".join(filter(None, support))})
        elif claim.status in ("proved", "formally_verified"):
            proved.append({"statement": claim.statement, "by": claim.reason})
    return {"refuted (do not propose these again; mind their counterexamples)": refuted[-limit:],
            "checked on instances, not proved": checked[-limit:], "proved lemmas": proved[-limit:]}


def tally(memory: Memory) -> list[tuple[str, int, int, int, int]]:
    """Per author (role and model): claims proposed, and how many of them stand refuted, checked, proved."""
    rows: dict[str, list[int]] = {}
    for claim in memory.claims():
        row = rows.setdefault(claim.author, [0, 0, 0, 0])
        row[0] += 1
        row[1] += claim.status == "refuted"
        row[2] += claim.status == "checked"
        row[3] += claim.status in ("proved", "formally_verified")
    return [(author, *counts) for author, counts in rows.items()]


def loop_section(memory: Memory, project: Project) -> list[str]:
    """The report's account of the loop: rounds, why it stopped, and the tally per role and model."""
    lines = ["## Research loop", ""]
    rounds = int(memory.get_meta("loop_round") or 1)
    stopped = memory.get_meta("loop_stopped")
    if loops(project):
        lines.append(f"Rounds: {rounds} (the first plan and {rounds - 1} research round(s)). "
                     + (f"Stopped: {stopped}." if stopped else "Not finished: the run stopped before the loop did."))
    else:
        lines.append("No research loop (the conjecturer has no model, or `max_rounds = 0`).")
    lines += ["", "| proposed by | proposed | refuted | checked | proved |", "|---|---|---|---|---|"]
    lines += [f"| {author} | {n} | {r} | {c} | {p} |" for author, n, r, c, p in tally(memory)]
    return lines + [""]
