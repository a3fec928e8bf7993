"""The writer's report for a sequences project: the sequences, the conjectures with their status and
evidence, the relations, the computations behind them, and a plot of the terms (PNG, log scale; symmetric log when a term is 0 or negative)."""

from __future__ import annotations

import json
from pathlib import Path

from mathteam.agents.sequences.terms import stored_terms
from mathteam.agents.report_parts import contributions, save_report
from mathteam.memory import Actor, Artifact, Claim, Memory
from mathteam.project import Project

ACTOR = Actor.role("writer")
PLOT = "sequences.png"
SHOWN_TERMS = 10


def write_sequences_report(project: Project, memory: Memory) -> Path:
    """(Re)write `report.md` and `sequences.png` beside it; returns the report's path."""

    specs = project.config.domain.sequences
    terms = {spec.name: stored for spec in specs if (stored := stored_terms(memory, spec.name)) is not None}
    plot = plot_terms(terms, project.run_dir / PLOT)
    claims = memory.claims()
    counts = memory.claim_counts()
    lines = [f"# {project.name}", "", f"**Question.** {project.config.project.goal}", "",
             "Every formula below was guessed from computed terms and checked on more terms than it was "
             "fitted on. A claim is **proved** only where a checker re-derived a symbolic proof; such a "
             "proof shows that two descriptions agree (a closed form and a recurrence), not that the "
             "objects a definition counts obey them, which stays **conjectured, checked up to n = N**.", "",
             "| status | claims |", "|---|---|"]
    lines += [f"| {status} | {counts.get(status, 0)} |" for status in ("proved", "conjectured", "open")]
    lines += ["", "## The sequences", "", "| name | counts | source | first terms | computed |", "|---|---|---|---|---|"]
    for spec in specs:
        offset, values = terms.get(spec.name, (spec.offset, []))
        shown = ", ".join(str(v) for v in values[:SHOWN_TERMS]) + (", …" if len(values) > SHOWN_TERMS else "")
        lines.append(f"| {spec.name} | {spec.description or '—'} | {'definition (Python)' if spec.code else 'given terms'}"
                     f" | {shown or '—'} | {_computed(memory, spec.name, offset, values)} |")
    if plot:
        words = "log scale" if axis_scale(terms) == "log" else "symmetric log scale, linear between -1 and 1"
        lines += ["", f"![the first terms, {words}]({plot.name})", ""]
    lines += ["", "## Conjectures and results", ""]
    for spec in specs:
        lines += _sequence_section(memory, spec.name, [c for c in claims if c.data.get("sequence") == spec.name])
    lines += _relations(memory, [c for c in claims if c.kind == "sequence_relation"])
    lines += _computations(memory)
    lines += contributions(memory)
    lines += _lean(memory)
    with memory.atomic():
        path = save_report(project, memory, lines, ACTOR)
        if plot:
            memory.add_artifact(Artifact(id=PLOT, kind="png", path=plot.name), ACTOR)
    return path


def axis_scale(terms: dict[str, tuple[int, list[int]]]) -> str:
    """``log`` when every term is positive; otherwise ``symlog`` (logarithmic beyond 1, linear
    around 0) so that a(n) = 0 or a negative term is drawn where it is rather than left out."""
    values = [v for _, vs in terms.values() for v in vs]
    return "log" if values and all(v > 0 for v in values) else "symlog"


def plotted_points(terms: dict[str, tuple[int, list[int]]]) -> dict[str, list[tuple[int, int]]]:
    """(n, a(n)) for every term of every sequence: every term is drawn, zeros and negatives included."""
    return {name: [(offset + i, v) for i, v in enumerate(values)] for name, (offset, values) in terms.items()
            if values}


def plot_terms(terms: dict[str, tuple[int, list[int]]], path: Path) -> Path | None:
    """Each sequence's terms against n, on the scale ``axis_scale`` picks; None when there is nothing."""
    points = plotted_points(terms)
    if not points:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = axis_scale(terms)
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    try:
        for name, pairs in points.items():
            axes.plot([p[0] for p in pairs], [float(p[1]) for p in pairs], marker="o", markersize=3, label=name)
        if scale == "symlog":
            axes.set_yscale("symlog", linthresh=1)
        else:
            axes.set_yscale("log")
        axes.set_xlabel("n")
        axes.set_ylabel("a(n)")
        axes.set_title("First terms" + (" (symmetric log scale: linear between -1 and 1)" if scale == "symlog"
                                        else ""))
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(path, format="png")
    finally:
        plt.close(figure)
    return path


def _computed(memory: Memory, name: str, offset: int, values: list[int]) -> str:
    task = memory.task(f"terms:{name}")
    outputs = task.outputs if task else {}
    if not values:
        return f"no terms: {outputs.get('detail', 'not computed')}"
    span = f"n = {offset}…{offset + len(values) - 1}"
    if outputs.get("result") == "limit_hit":
        return f"{span}; stopped by the {outputs['limit']} limit ({outputs.get('detail', '')})"
    if outputs.get("stopped_at") is not None:
        return f"{span}; {outputs.get('detail', '')}"
    if outputs.get("run"):
        return f"{span} in {outputs.get('seconds', 0):.2f} s (run `{outputs['run'][:12]}`)"
    return span


def _sequence_section(memory: Memory, name: str, claims: list[Claim]) -> list[str]:
    lines = [f"### {name}", ""]
    if claims:
        lines += ["| claim | status | why / evidence |", "|---|---|---|"]
        for claim in claims:
            lines.append(f"| {_cell(claim.statement)} | **{claim.status}** | {_cell(_why(memory, claim))} |")
        lines.append("")
    guess = memory.task(f"guess:{name}")
    missing = guess.outputs.get("not_found", {}) if guess else {}
    if missing:
        lines += ["Searched without finding anything (absence within these bounds is not a proof):", ""]
        lines += [f"- {guesser}: {reason}" for guesser, reason in missing.items()]
        lines.append("")
    for claim in claims:
        for evidence in memory.evidence(claim.id):
            if evidence.accepted and evidence.kind == "symbolic_proof":
                lines += [f"Proof of `{claim.id}` ({evidence.checker}):", "",
                          f"> {evidence.payload['statement']}", ">"]
                lines += [f"> {i}. {step}" for i, step in enumerate(evidence.payload["steps"], 1)]
                lines.append("")
    return lines


def _why(memory: Memory, claim: Claim) -> str:
    if claim.status in ("proved", "formally_verified"):
        accepted = [e for e in memory.evidence(claim.id) if e.accepted]
        return "; ".join(f"{e.kind} by {e.author}, accepted by {e.checker}" for e in accepted)
    task = memory.task(f"prove:{claim.id}")
    return (task.outputs.get("reason") if task and task.status == "done" else None) or claim.reason or ""


def _relations(memory: Memory, claims: list[Claim]) -> list[str]:
    lines = ["## Relations between the sequences", ""]
    if not claims:
        return lines + ["None found among equalities, shifts by up to 3, polynomial multiples of degree <= 2 "
                        "and affine combinations of one or two other sequences.", ""]
    lines += ["| relation | status | why |", "|---|---|---|"]
    lines += [f"| {_cell(c.statement)} | **{c.status}** | {_cell(_why(memory, c))} |" for c in claims]
    return lines + [""]


def _computations(memory: Memory) -> list[str]:
    runs = memory.computations()
    lines = ["## Computations", "", "Every sandbox run, stored as evidence in the memory (code, inputs, "
             "outcome: `mathteam export`). The same code on the same inputs is answered from there.", ""]
    if not runs:
        return lines + ["No code was run.", ""]
    lines += ["| sequence | code sha256 | inputs | limits (CPU s / wall s / MiB) | outcome | seconds |",
              "|---|---|---|---|---|---|"]
    names = {example["data"].get("run"): example["data"]["sequence"] for example in memory.examples("sequence_terms")}
    for run in runs:
        limits = run["limits"]
        outcome = run["outcome"] + (f" ({run['limit_hit']})" if run["limit_hit"] else "")
        lines.append(f"| {names.get(run['key'], '—')} | `{run['code_sha256'][:12]}` | `{json.dumps(run['inputs'])}` | "
                     f"{limits['cpu_seconds']} / {limits['wall_seconds']:g} / {limits['memory_mb']} | {outcome} | "
                     f"{run['seconds']:.2f} |")
    return lines + [""]


def _lean(memory: Memory) -> list[str]:
    files = [a for a in memory.artifacts(kind="lean") if a.claim_id is None]
    if not files:
        return ["## Lean", "", "No Lean file was written.", ""]
    stated = [a.claim_id for a in memory.artifacts(kind="lean") if a.claim_id]
    lines = ["## Lean", ""]
    lines += [f"`{a.path}`: {a.check_status} ({a.detail})." for a in files]
    lines += ["", f"It defines each sequence with a conjectured recurrence by that recurrence, decides its first "
              f"terms, and states {len(stated)} conjectures ({', '.join(stated) or 'none'}) with small cases "
              "decided. **Not checked** means no Lean compiled it: nothing here is formally verified.", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
