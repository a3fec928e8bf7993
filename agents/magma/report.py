"""The writer's magma report: the question, the answers with their evidence, the implication graph, who did what."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mathteam.agents.magma import report_details
from mathteam.agents.magma.engine import uses_bulk
from mathteam.agents.magma.question import MagmaQuestion
from mathteam.agents.report_parts import contributions, save_report
from mathteam.domains.magma.implications import task_id
from mathteam.domains.preorder import equivalence_classes, hasse_edges
from mathteam.memory import Actor, Artifact, Memory
from mathteam.project import Project
from mathteam.tools.graphviz import render_svg

ACTOR = Actor.role("writer")


def write_magma_report(project: Project, memory: Memory) -> Path:
    """(Re)write `report.md` and the implication graph beside it; returns the report's path."""
    if uses_bulk(project):
        from mathteam.agents.magma.bulk_report import write_bulk_report
        return write_bulk_report(project, memory)
    run_dir = project.run_dir
    claims = memory.claims()
    laws = MagmaQuestion.of(project, memory).named
    names = [item.name for item in laws]
    proved = {(c.data["hypothesis"], c.data["conclusion"]) for c in claims
              if c.status in ("proved", "formally_verified")}
    classes = equivalence_classes(names, proved)
    edges = hasse_edges(classes, proved)
    dot_path = run_dir / "implications.dot"
    formulas = {item.name: str(item.law) for item in laws}
    dot_path.write_text(report_details.implication_dot(classes, edges, formulas), encoding="utf-8")
    svg = render_svg(dot_path)

    status = Counter(c.status for c in claims)
    lines = [f"# {project.name}", "", f"**Question.** {project.config.project.goal}", ""]
    lines += ["## Answer in numbers", "",
              f"{len(laws)} laws, {len(claims)} ordered pairs (implications asked about).", "",
              "| status | claims |", "|---|---|"]
    lines += [f"| {s} | {status.get(s, 0)} |" for s in
              ("proved", "refuted", "formally_verified", "conjectured", "open")]
    lines += ["", "## The laws", "", "| name | law |", "|---|---|"]
    lines += [f"| {item.name} | `{item.law}` |" for item in laws]
    lines += ["", "## Equivalence classes", "",
              f"{len(classes)} classes of laws that imply each other (by proved implications).", ""]
    lines += report_details.class_list(classes, formulas)
    lines += ["", "## Implication graph", "",
              f"Between classes, {len(edges)} edges of the Hasse diagram (an arrow: implies). "
              f"DOT source: `{dot_path.name}`" + (f"; drawing: `{svg.name}`." if svg else
                                                  "; Graphviz is not installed, so no drawing."), ""]
    if svg:
        lines += [f"![implication graph]({svg.name})", ""]
    lines += open_questions(memory, claims)
    lines += report_details.counterexamples(memory, classes, formulas)
    lines += report_details.prover_chains(memory, MagmaQuestion.of(project, memory))
    lines += contributions(memory)
    lines += lean_section(memory)
    path = save_report(project, memory, lines, ACTOR)
    memory.add_artifact(Artifact(id="implications.dot", kind="dot", path=dot_path.name), ACTOR)
    return path


def open_questions(memory: Memory, claims: list) -> list[str]:
    """The implications nobody settled; those a reviewer rejected or replaced are not questions
    the team left open, and get their own section."""
    set_aside = {review.subject: review for review in memory.reviews(status=["rejected", "edited"])
                 if review.gate in ("conjecture", "statement")}
    unsettled = [c for c in claims if c.status in ("open", "conjectured")]
    rejected = [c for c in unsettled if c.id in set_aside]
    unsettled = [c for c in unsettled if c.id not in set_aside]
    lines = ["## Open questions", ""]
    if not unsettled:
        lines += ["None: every implication asked about is settled"
                  + (", or was set aside by a reviewer (below)." if rejected else "."), ""]
    else:
        lines += ["| claim | status | why | attempts |", "|---|---|---|---|"]
        for claim in unsettled:
            task = memory.task(task_id(claim.id))
            attempts = "; ".join(a["result"] for a in (task.outputs.get("attempts", []) if task else []))
            lines.append(f"| {claim.statement} | {claim.status} | {claim.reason or ''} | {attempts} |")
        lines.append("")
    return lines + rejected_conjectures(rejected, set_aside)


def rejected_conjectures(claims: list, decisions: dict) -> list[str]:
    if not claims:
        return []
    lines = ["## Conjectures rejected or replaced by a reviewer", "",
             "Not attempted after the decision, so neither proved nor refuted here.", "",
             "| claim | gate | decision | by | why |", "|---|---|---|---|---|"]
    for claim in claims:
        review = decisions[claim.id]
        why = review.reason if review.status == "rejected" else f"replaced by the edit `{review.edit}`"
        lines.append(f"| {claim.statement} | {review.gate} | {review.status} | "
                     f"{review.decided_by} at {review.decided_at} | {why} |")
    return lines + [""]


def lean_section(memory: Memory) -> list[str]:
    artifacts = [a for a in memory.artifacts(kind="lean") if a.claim_id]
    if not artifacts:
        return ["## Lean", "", "No Lean files were written.", ""]
    checks = Counter(a.check_status for a in artifacts)
    files = sorted({a.path.split("#")[0] for a in artifacts})
    lines = ["## Lean", "", f"{len(artifacts)} settled claims have a Lean 4 statement and proof, in "
             f"{len(files)} files under `lean/`."]
    lines += [f"- {status}: {n}" for status, n in checks.items()]
    if checks.get("not checked"):
        lines.append("\n**Not checked**: no Lean toolchain was found, so these files were not compiled "
                     "and nothing here is formally verified.")
    return lines + [""]
