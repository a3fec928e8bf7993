"""The writer's report for a bulk magma run, read from the engine's log and matrix (read-only, no engine)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mathteam.agents.magma.bulk import EXAMPLES, engine_folder
from mathteam.agents.magma.question import example_id
from mathteam.agents.report_parts import contributions, save_report
from mathteam.domains.magma.implication_matrix import FALSE, ImplicationMatrix
from mathteam.domains.magma.readable import table_rows
from mathteam.memory import Actor, Memory
from mathteam.project import Project
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.bulk_reader import check_proofs, check_refutations, count_by_evidence, read_run
from mathteam.tools.bulk_reader import export_rows as pair_rows

ACTOR = Actor.role("writer")
RECHECKED_REFUTATIONS = 20_000
"""Refutations the report re-checks with the plain-Python checker (all of them below this)."""


def write_bulk_report(project: Project, memory: Memory) -> Path:
    laws = project.config.domain.named_laws
    log, matrix = read_engine(project)
    raw = matrix.counts()
    # The matrix counts the diagonal (every law implies itself); the question is about pairs.
    counts = {"proved": raw["true"] - len(laws), "refuted": raw["false"], "open": raw["unknown"]}
    pairs = len(laws) * (len(laws) - 1)
    settled = pairs - counts["open"]
    lines = [f"# {project.name}", "", f"**Question.** {project.config.project.goal}", "",
             "## Answer in numbers", "",
             f"{len(laws)} laws, {pairs} ordered pairs; {settled} settled "
             f"({100 * settled / max(pairs, 1):.3f} %), {matrix.class_count()} classes of "
             "laws that imply each other.", "", "| status | pairs |", "|---|---|"]
    lines += [f"| {status} | {n} |" for status, n in counts.items()]
    lines += ["", "## By kind of evidence", "", "| evidence | pairs |", "|---|---|"]
    by_evidence = count_by_evidence(matrix, log)
    lines += [f"| {kind} | {n} |" for kind, n in by_evidence.items()]
    lines += ["", "Derived pairs (transitivity) point at the chain of direct results behind them; the "
                  "export names the evidence of every pair.", ""]
    # Refutations are not claims in a bulk run (one magma settles thousands of pairs): credit them here.
    refuted_by = [(EXAMPLES.label(), f"{kind.removeprefix('refuted: ')} (refutes the pairs)", n)
                  for kind, n in by_evidence.items() if kind.startswith("refuted: ")]
    lines += ["## Phases", "", "| phase | seconds |", "|---|---|"]
    timings = log.marks.get("timings", {}) or {}
    lines += [f"| {phase} | {seconds:.1f} |" for phase, seconds in timings.items()] + [""]
    lines += checks_section(project, matrix, log)
    lines += open_section(memory)
    lines += contributions(memory, refuted_by)
    lines += ["## Lean", "", "A bulk run writes no Lean files; the direct results can be formalized "
                             "as in the pair-by-pair mode.", ""]
    return save_report(project, memory, lines, ACTOR)


def read_engine(project: Project) -> tuple[EvidenceLog, ImplicationMatrix]:
    """The run's log and matrix, read-only; empty before the engine's first phase."""
    laws = len(project.config.domain.named_laws)
    try:
        return read_run(engine_folder(project), laws)
    except FileNotFoundError:
        log = EvidenceLog(laws=laws)
        return log, log.replay()


def export_rows(project: Project, memory: Memory) -> Iterator[dict]:
    """One row per ordered pair, streamed from the matrix (never all in memory), read-only."""
    named = project.config.domain.named_laws
    laws = {item.name: str(item.law) for item in named}
    log, matrix = read_engine(project)
    readable: dict[str, str] = {}  # a magma's table as text, once per magma (it refutes many pairs)
    for lhs, rhs, status, kind, evidence_id in pair_rows(matrix, log, [i.name for i in named]):
        evidence = f"{kind} {evidence_id}".strip()
        if kind == "counterexample":
            if evidence_id not in readable:
                table = log.table(int(evidence_id.removeprefix("magma")))
                readable[evidence_id] = f"{example_id(table)} (x ◇ y by rows: {table_rows(table)})"
            evidence = f"{kind} {evidence_id} = {readable[evidence_id]}"
        yield {"lhs": lhs, "rhs": rhs, "lhs_law": laws[lhs], "rhs_law": laws[rhs], "status": status,
               "claim_status": status, "evidence": evidence, "checker": "", "lean": "", "reason": ""}


def checks_section(project: Project, matrix: ImplicationMatrix, log: EvidenceLog) -> list[str]:
    laws = [item.law for item in project.config.domain.named_laws]
    false_pairs = int((matrix.state == FALSE).sum())
    fraction = min(1.0, RECHECKED_REFUTATIONS / max(false_pairs, 1))
    refutations = check_refutations(matrix, log, laws, fraction=fraction)
    proofs = check_proofs(matrix, log, laws)
    return ["## Independent re-checks", "",
            f"- refutations: {refutations['checked']} of {refutations['false_pairs']} re-checked on their "
            f"stored tables by plain Python; {refutations['failed']} failed",
            f"- direct proofs: {proofs['direct_proofs']} re-checked (status lines re-read, certificates "
            f"re-derived, mirrors re-derived); {proofs['direct_failed']} failed",
            f"- transitivity chains: {proofs['chains_checked']} random derived pairs re-walked link by "
            f"link; {proofs['chains_failed']} failed", ""]


def open_section(memory: Memory, shown: int = 50) -> list[str]:
    open_claims = memory.claims(status="open")
    lines = ["## Open questions", ""]
    if not open_claims:
        return lines + ["None recorded (the run is finished with every pair settled, or still running).", ""]
    lines += [f"{len(open_claims)} pairs stay open; the first {min(shown, len(open_claims))}:", "",
              "| claim | attempts |", "|---|---|"]
    lines += [f"| {c.statement} | {c.reason} |" for c in open_claims[:shown]]
    return lines + [""]
