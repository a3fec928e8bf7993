"""`mathteam export`: the claims of a project as flat rows, for CSV or JSON.

Export only reads: the memory, and for a bulk magma run the engine's evidence log and matrix
through tools/bulk_reader (no engine is built). It loads neither the team nor its agents: the rows
of a kind come from `DOMAINS.export_rows(kind)`, which finds a built-in domain's rows here without
importing the domain's agents.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Iterable, TextIO

from mathteam.domain import DOMAINS
from mathteam.domains.magma.readable import example_id, table_rows
from mathteam.errors import UserError
from mathteam.memory import Memory
from mathteam.project import Project, load_project
from mathteam.run_folder import open_existing_memory
from mathteam.tools.bulk_reader import ENGINE_FOLDER, INFINITE_MODEL, infinite_model_text, read_run_so_far
from mathteam.tools.bulk_reader import export_rows as pair_rows

EXIT_OK = 0

COLUMNS = ["lhs", "rhs", "lhs_law", "rhs_law", "status", "claim_status", "evidence", "checker",
           "lean", "reason"]
# Claims of other domains (sequences, free-form) have no laws: their statement stands in for them.
GENERIC_COLUMNS = ["id", "kind", "statement", "author", "status", "claim_status", "evidence", "checker",
                   "lean", "reason"]
EXPORT_STATUS = {"proved": "proved", "formally_verified": "proved", "refuted": "refuted",
                 "open": "open", "conjectured": "open", "checked": "checked"}


def claim_rows(memory: Memory) -> list[dict]:
    """One row per claim: the two laws, the status, and the accepted evidence that settled it."""
    evidence: dict[str, list] = {}
    for item in memory.evidence():
        if item.accepted:
            evidence.setdefault(item.claim_id, []).append(item)
    lean = {a.claim_id: a for a in memory.artifacts(kind="lean") if a.claim_id}
    rows = []
    for claim in memory.claims():
        accepted = evidence.get(claim.id, [])
        if claim.kind == "implication":
            head = {"lhs": claim.data.get("hypothesis"), "rhs": claim.data.get("conclusion"),
                    "lhs_law": claim.data.get("hypothesis_law"), "rhs_law": claim.data.get("conclusion_law")}
        else:
            head = {"id": claim.id, "kind": claim.kind, "statement": claim.statement, "author": claim.author}
        rows.append({
            **head, "status": EXPORT_STATUS[claim.status], "claim_status": claim.status,
            "evidence": "; ".join(describe_evidence(e.kind, e.payload) for e in accepted),
            "checker": "; ".join(e.checker for e in accepted),
            "lean": f"{lean[claim.id].path} ({lean[claim.id].check_status})" if claim.id in lean else "",
            "reason": claim.reason or "",
        })
    return rows


def describe_evidence(kind: str, payload: dict) -> str:
    """A short, human-readable name for a piece of evidence."""
    if payload.get("detail"):  # a free-form claim's check says what it found in one line
        return f"{kind}: {payload['detail']}"
    if kind == "counterexample":
        # The code names the magma; its table, row by row (row x holds x ◇ 0, x ◇ 1, …), reads it.
        table = payload.get("table")
        rows = f" (x ◇ y by rows: {table_rows(table)})" if isinstance(table, list) else ""
        return f"counterexample {payload.get('example')}{rows} at {tuple(payload.get('assignment', []))}"
    if kind == "atp_proof":
        return f"atp_proof {payload.get('tool')} {payload.get('version', '')}".strip()
    if kind == "syntactic_proof":
        return f"syntactic_proof {payload.get('certificate')}"
    if kind == "transitivity":
        return "transitivity " + " ; ".join(payload.get("chain", []))
    if kind == "duality":
        return f"duality of {payload.get('dual_claim')}"

    return kind


def magma_rows(project: Project, memory: Memory) -> Iterable[dict]:
    """The magma domain's rows: a bulk run's from its engine's log, read-only (every ordered pair);
    a small run's from its claims."""
    if project.config.domain.uses_bulk_engine:
        return bulk_pair_rows(project)
    return claim_rows(memory)


def bulk_pair_rows(project: Project) -> Iterator[dict]:
    """One row per ordered pair, streamed from the matrix (never all in memory), read-only."""
    named = project.config.domain.named_laws
    laws = {item.name: str(item.law) for item in named}
    named_by_name = {item.name: item for item in named}
    log, matrix = read_run_so_far(project.run_dir / ENGINE_FOLDER, len(named))
    readable: dict[str, str] = {}  # a magma's table as text, once per magma (it refutes many pairs)
    for lhs, rhs, status, kind, evidence_id in pair_rows(matrix, log, [i.name for i in named]):
        evidence = f"{kind} {evidence_id}".strip()
        if kind == "counterexample":
            if evidence_id not in readable:
                table = log.table(int(evidence_id.removeprefix("magma")))
                readable[evidence_id] = f"{example_id(table)} (x ◇ y by rows: {table_rows(table)})"
            evidence = f"{kind} {evidence_id} = {readable[evidence_id]}"
        elif kind == INFINITE_MODEL:
            key = f"{evidence_id}:{rhs}"  # the formula, and where the conclusion fails in it
            if key not in readable:
                readable[key] = infinite_model_text(log, int(evidence_id.removeprefix("magma")),
                                                    named_by_name[rhs].law)
            evidence = f"{kind} {evidence_id}: {readable[key]}"
        yield {"lhs": lhs, "rhs": rhs, "lhs_law": laws[lhs], "rhs_law": laws[rhs], "status": status,
               "claim_status": status, "evidence": evidence, "checker": "", "lean": "", "reason": ""}


def export_command(path: Path, fmt: str, output: str | None) -> int:
    """`mathteam export PROJECT [--format csv|json] [-o FILE]`."""
    project = load_project(path)
    domain_rows = DOMAINS.export_rows(project.config.domain.kind)
    with open_existing_memory(project) as memory:
        rows = domain_rows(project, memory) if domain_rows else claim_rows(memory)
        if output:
            target = Path(output)
            try:
                # A folder that does not exist yet is made, as `-o results/pairs.csv` suggests.
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "w", encoding="utf-8") as out:
                    count = write_rows(rows, fmt, out)
            except OSError as error:
                raise UserError(f"cannot write {output}: {error.strerror or error}") from None
            print(f"wrote {count} rows to {output}", file=sys.stderr)
        else:
            write_rows(rows, fmt, sys.stdout)
    return EXIT_OK


def write_rows(rows: Iterable[dict], fmt: str, out: TextIO) -> int:
    """Stream rows as CSV or as a JSON array, one row at a time (a bulk run has millions)."""
    count = 0
    if fmt == "csv":
        writer = None
        for row in rows:
            if writer is None:
                columns = COLUMNS if "lhs" in row else GENERIC_COLUMNS
                writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(("\n " if count == 0 else ",\n ") + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
