"""The report of a free-form project: the plan, the computations, the claims with their evidence, model usage."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mathteam.graph.models import MODEL_REQUEST
from mathteam.agents.freeform import research
from mathteam.agents.report_parts import contributions, save_report
from mathteam.memory import Actor, Memory
from mathteam.project import ROLES, Project

ACTOR = Actor.role("writer")


def _cell(text: object, limit: int = 160) -> str:
    flat = " ".join(str(text if text is not None else "").split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def write_freeform_report(project: Project, memory: Memory) -> Path:
    """(Re)write `report.md` from the memory; returns its path."""
    from mathteam.agents.llm.writer import prose_section

    config = project.config
    brains = [f"{role} = {getattr(config.team, role)}" for role in ROLES]
    lines = [f"# {project.name}", "", f"**Goal.** {config.project.goal}", "",
             f"Brains: {', '.join(brains)}.", ""]
    lines += [prose_section(memory)] if memory.get_meta("report_prose") else []
    lines += plan_section(memory) + computations_section(memory) + claims_section(memory)
    lines += checks_section(memory) + research.loop_section(memory, project)
    lines += informal_section(memory) + lean_section(memory) + usage_section(memory)
    lines += contributions(memory)
    return save_report(project, memory, lines, ACTOR)


def plan_section(memory: Memory) -> list[str]:
    lines = ["## Plan", ""]
    plan = memory.task("plan:goal")
    if plan is not None and plan.outputs.get("summary"):
        lines += [plan.outputs["summary"], ""]
    if plan is not None and plan.outputs.get("dropped"):
        lines += ["Left out of the plan: " + "; ".join(plan.outputs["dropped"]) + ".", ""]
    lines += ["| task | role | status | result |", "|---|---|---|---|"]
    for task in memory.tasks():
        if task.kind == "report":
            continue
        result = task.outputs.get("result") or ("; ".join(task.outputs.get("failures", [])) or "")
        lines.append(f"| {_cell(task.title)} (`{task.id}`) | {task.role} | {task.status} | {_cell(result)} |")
    return lines + [""]


def computations_section(memory: Memory) -> list[str]:
    tasks = [t for t in memory.tasks(kind="compute") if t.outputs.get("runs")]
    if not tasks:
        return []
    lines = ["## Computations", "", "Model-written programs, run in the sandbox; a run is kept when it "
             "completed and produced output.", ""]
    for task in tasks:
        lines += [f"### {task.title}", ""]
        for run in task.outputs["runs"]:
            shown = run["result"] if run["result"] is not None else run["stdout"].strip()
            lines.append(f"- candidate {run['candidate'] + 1}: {run['outcome']}"
                         + (f" — `{_cell(json.dumps(shown) if not isinstance(shown, str) else shown, 300)}`"
                            if run["kept"] else f" ({_cell(run.get('problem'))})"))
        lines.append("")
    return lines


def claims_section(memory: Memory) -> list[str]:
    claims = memory.claims()
    lines = ["## Claims", ""]
    if not claims:
        return lines + ["No claims were made.", ""]
    counts = Counter(c.status for c in claims)
    lines += [", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + ".", "",
              "| claim | statement | status | accepted evidence | author |", "|---|---|---|---|---|"]
    for claim in claims:
        accepted = [f"{e.kind} ({e.checker})" for e in memory.evidence(claim.id) if e.accepted]
        lines.append(f"| `{claim.id}` | {_cell(claim.statement, 300)} | {claim.status} | "
                     f"{_cell('; '.join(accepted) or 'none')} | {_cell(claim.author)} |")
    return lines + ["", "A status other than `open` or `conjectured` needs evidence a checker accepted; "
                        "a model's say-so never changes a status.", ""]


def checks_section(memory: Memory) -> list[str]:
    """Each claim with checkable forms: its forms, then every check's verdict and evidence, in order."""
    claims = [c for c in memory.claims() if c.data.get("forms")]
    if not claims:
        return []
    lines = ["## Checks", "", "Each claim's forms and what each checker said. `checked` means every instance "
             "tried holds: it is not a proof.", ""]
    for claim in claims:
        lines += [f"### `{claim.id}`: {claim.statement}", "", f"**Status: {claim.status}.**", ""]
        forms = claim.data["forms"]
        for name in ("python", "instances", "sympy", "smt", "lean"):
            if forms.get(name):
                text = forms[name].strip()
                lines += ([f"- {name}:", "", "```python" if name == "python" else "```", text, "```", ""]
                          if "\n" in text else [f"- {name}: `{text}`"])
        lines += [""]
        steps = {}
        for task in memory.tasks(kind="check_claim"):
            if task.inputs.get("claim") == claim.id:
                steps.update(task.outputs.get("verdicts") or {})
                for step, verdict in (task.outputs.get("verdicts") or {}).items():
                    checker = f" ({verdict['checker']})" if verdict.get("checker") else ""
                    lines.append(f"- {step}: **{verdict['verdict']}**{checker}: {verdict['detail']}")
        if forms.get("lean"):
            lean = [a for a in memory.artifacts(kind="lean") if a.claim_id == claim.id]
            lines.append(f"- lean: {lean[-1].check_status if lean else 'not checked (no Lean attempt was made)'}")
        if not steps and not forms.get("lean"):
            lines.append("- not checked yet")
        lines.append("")
    return lines


def informal_section(memory: Memory) -> list[str]:
    proofs = memory.evidence(kind="informal_proof")
    if not proofs:
        return []
    lines = ["## Informal proofs (not checked)", ""]
    for proof in proofs:
        word = "proof" if proof.verdict == "proves" else "disproof"
        lines += [f"### {word.capitalize()} of `{proof.claim_id}` by {proof.author}", "",
                  proof.payload.get("argument", "").strip(), ""]
        gaps = proof.payload.get("gaps") or []
        lines += (["**Gaps:**", ""] + [f"- {gap}" for gap in gaps] if gaps else ["No gaps were declared."]) + [""]
    return lines


def lean_section(memory: Memory) -> list[str]:
    artifacts = [a for a in memory.artifacts(kind="lean") if a.claim_id]
    if not artifacts:
        return ["## Lean", "", "No Lean files were written.", ""]
    lines = ["## Lean", "", "| claim | file | check |", "|---|---|---|"]
    lines += [f"| `{a.claim_id}` | `{a.path}` | {a.check_status} |" for a in artifacts]
    if any(a.check_status == "not checked" for a in artifacts):
        lines.append("\n**Not checked**: no Lean toolchain was found, so these files were not compiled and "
                     "nothing here is formally verified.")
    return lines + [""]


def usage_section(memory: Memory) -> list[str]:
    """Requests, tokens, cost and seconds per role and model, from the memory's request events."""
    rows: dict[tuple, list] = {}
    for event in memory.events():
        if event.action != MODEL_REQUEST:
            continue
        out = event.outputs
        row = rows.setdefault((out.get("role"), out.get("model")), [0, 0, 0, 0, 0.0, 0.0])
        row[0] += 1
        row[1] += out.get("status") != "ok"
        row[2] += int(out.get("tokens_in") or 0)
        row[3] += int(out.get("tokens_out") or 0)
        row[4] += float(out.get("cost_usd") or 0.0)
        row[5] += float(out.get("latency_s") or 0.0)
    if not rows:
        return []
    lines = ["## Model usage", "", "| role | model | requests | failed | tokens in | tokens out | cost (USD) | seconds |",
             "|---|---|---|---|---|---|---|---|"]
    for (role, model), (n, failed, tin, tout, cost, seconds) in sorted(rows.items(), key=lambda kv: str(kv[0])):
        lines.append(f"| {role} | {model} | {n} | {failed} | {tin} | {tout} | {cost:.4f} | {seconds:.1f} |")
    return lines + [""]
