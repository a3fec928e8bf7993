"""The claims of a project as flat rows, for CSV or JSON export."""

from __future__ import annotations

import csv
import json
from typing import Iterable, TextIO

from mathteam.domains.magma.readable import table_rows
from mathteam.memory import Memory

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
