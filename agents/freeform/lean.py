"""The formalizer's model brain: Lean 4 proofs of claims that carry a Lean statement, repaired from Lean's errors.

The statement is the claim's own (fixed when the claim was made); the model writes only imports and
the proof, and the file is assembled here, so a draft cannot weaken what it proves. Several drafts
are checked at once (best-of-N); while none passes Lean and the acceptance gate, the errors go back
for a revision, up to ``ROUNDS`` rounds. Without a Lean toolchain every file is `not checked` and
nothing becomes verified.
"""

from __future__ import annotations

import re
from pathlib import Path

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents.llm.brain import Reply, ask_model, model_actor
from mathteam.graph.context import TeamContext
from mathteam.memory import Artifact, Claim, Evidence, Memory, Task
from mathteam.tools import lean_check, lean_gate
from mathteam.tools.command_runner import subprocess_runner

ROUNDS = 3
"""Check-and-revise rounds per claim (the first round's drafts included)."""
DRAFTS = 3
"""Drafts checked in the first round."""
PER_TASK = 2
CHECK_SECONDS = 300
# Seams: tests swap in a toolchain and a runner that replays recorded Lean output.
find_toolchain = lean_check.find_lean
RUNNER = subprocess_runner
_IMPORT = re.compile(r"^[A-Z][A-Za-z0-9_.]*$")


class LeanDraft(Reply):
    imports: list[str] = []
    """Modules to import, e.g. `Mathlib.Tactic`; only names, no `import` keyword."""
    proof: str = Field(min_length=1)
    """What follows `:=` in the theorem, e.g. `by omega`."""


class LeanDrafts(Reply):
    drafts: list[LeanDraft] = Field(min_length=1)
    """One to three independent attempts."""


def theorem_name(claim_id: str) -> str:
    return "claim_" + re.sub(r"[^A-Za-z0-9_]", "_", claim_id)


def assemble(name: str, statement: str, draft: LeanDraft) -> tuple[str, str]:
    """The file's header (imports) and the whole file, with the axioms printed for the gate."""
    header = "".join(f"import {m}\n" for m in draft.imports if _IMPORT.match(m))
    source = f"{header}\ntheorem {name} : {statement} := {draft.proof.strip()}\n"
    return header, lean_gate.with_axiom_prints(source, [name])


def targets(memory: Memory) -> list[Claim]:
    done = {a.claim_id for a in memory.artifacts(kind="lean") if a.claim_id}
    return [c for c in memory.claims(status=["open", "conjectured", "checked", "proved"])
            if c.data.get("lean_statement") and c.id not in done]


def formalize(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    results = dict(task.outputs.get("claims", {}))
    for claim in targets(memory)[:PER_TASK]:
        result = formalize_claim(memory, task, runtime, claim)
        if result is None:
            return  # a budget ran out: the task waits until it is raised
        results[claim.id] = result
        memory.update_task_outputs(task.id, {**memory.task(task.id).outputs, "claims": results})
    outcome = ", ".join(f"{claim}: {status}" for claim, status in results.items()) or "no claim has a Lean statement"
    memory.finish_tasks({task.id: {"claims": results, "result": outcome}}, model_actor(runtime, "formalizer"))


def formalize_claim(memory: Memory, task: Task, runtime: Runtime[TeamContext], claim: Claim) -> str | None:
    """Draft, check, revise; returns what became of the claim (None: stopped by a spent budget)."""
    name, statement = theorem_name(claim.id), claim.data["lean_statement"]
    toolchain = find_toolchain()
    folder = runtime.context.project.run_dir / "lean" / "freeform"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.lean"
    ask = (f"# Claim\n\n{claim.statement}\n\n# Lean statement (fixed)\n\n"
           f"theorem {name} : {statement} := <your proof>\n\nGive at most {DRAFTS} drafts.")
    errors: list[str] = []
    source = ""
    for round_ in range(1, ROUNDS + 1):
        if round_ > 1:
            ask = (f"# Lean statement (fixed)\n\ntheorem {name} : {statement}\n\n# Your last file\n\n{source}\n\n"
                   f"# What Lean and the acceptance gate said\n\n" + "\n".join(errors[:20]) +
                   "\n\nReply with one revised draft.")
        reply = ask_model(memory, task, runtime, "formalizer", ask, LeanDrafts, close_on_failure=False)
        if reply is None:
            return None if runtime.context.models.spent_budget() else _record(
                memory, runtime, claim, path, source, "failed", "the model gave no usable draft")
        for draft in reply.drafts[:DRAFTS if round_ == 1 else 1]:
            header, source = assemble(name, statement, draft)
            approval = lean_gate.approve(header, {name: f": {statement}"})
            path.write_text(source, encoding="utf-8")
            if toolchain is None:
                return _record(memory, runtime, claim, path, source, "not checked", lean_check.NO_TOOLCHAIN)
            result = lean_check.check_lean_file(path, toolchain, timeout_s=CHECK_SECONDS, runner=RUNNER)
            verdict = lean_gate.gate(source, result, approval)
            if isinstance(verdict, lean_gate.Accepted):
                return _settle(memory, runtime, claim, path, source, name, statement, verdict, round_)
            errors = [*(f"line {m.pos.line}: {m.text}" for m in getattr(result, "errors", ())),
                      *verdict.reasons]
    return _record(memory, runtime, claim, path, source, "failed",
                   f"no draft passed after {ROUNDS} rounds: " + "; ".join(errors[:3]))


def _relative(runtime: Runtime[TeamContext], path: Path) -> str:
    return str(path.relative_to(runtime.context.project.run_dir))


def _record(memory: Memory, runtime: Runtime[TeamContext], claim: Claim, path: Path, source: str,
            status: str, detail: str) -> str:
    memory.add_artifact(Artifact(id=f"lean:{claim.id}", kind="lean", path=_relative(runtime, path),
                                 claim_id=claim.id, check_status=status, detail=detail[:2000]),
                        model_actor(runtime, "formalizer"))
    return status


def _settle(memory: Memory, runtime: Runtime[TeamContext], claim: Claim, path: Path, source: str, name: str,
            statement: str, verdict: lean_gate.Accepted, round_: int) -> str:
    actor = model_actor(runtime, "formalizer")
    with memory.atomic():
        _record(memory, runtime, claim, path, source, "compiled", f"accepted in round {round_}")
        memory.settle_claim(Evidence(
            claim_id=claim.id, kind="lean", verdict="proves", accepted=True,
            checker="Lean 4 compiled it; acceptance gate: the claim's own statement, standard axioms only",
            payload={"path": _relative(runtime, path), "theorem": name, "statement": statement,
                     "axioms": list(verdict.axioms.get(name, ())), "source": source, "round": round_}),
            actor, status="formally_verified")
    return "formally_verified"
