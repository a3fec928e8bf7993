"""A claim with every piece of its evidence: counterexample grids, prover output, Lean source, decisions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from mathteam.memory import Artifact, Claim, Evidence, Memory, Review
from mathteam.project import Project

STATUS_STYLE = {"proved": "green", "formally_verified": "bold green", "refuted": "red",
                "checked": "cyan", "conjectured": "yellow", "open": "dim"}
MAX_OUTPUT_LINES = 40


@dataclass(frozen=True)
class ClaimDetails:
    """Everything the memory and the run folder hold about one claim."""

    claim: Claim
    evidence: list[Evidence]
    lean: list[tuple[Artifact, str]]
    """Each Lean artifact with the excerpt of its file about this claim."""
    decisions: list[Review]


def claim_details(memory: Memory, project: Project, claim_id: str) -> ClaimDetails | None:
    claim = memory.claim(claim_id)
    if claim is None:
        return None
    rows = memory.db.query("select * from artifacts where claim_id = ? order by rowid", [claim_id])
    artifacts = [Artifact(**{k: v for k, v in row.items() if k != "created_at"}) for row in rows]
    lean = [(artifact, lean_excerpt(project.run_dir / artifact.path, claim)) for artifact in artifacts
            if artifact.kind == "lean"]
    decisions = [review for review in memory.reviews() if review.subject == claim_id]
    return ClaimDetails(claim, memory.evidence(claim_id), lean, decisions)


def lean_excerpt(path: Path, claim: Claim) -> str:
    """The declaration in `path` whose name mentions both sides of the claim, else the file's head."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return f"-- cannot read {path.name}: {error.strerror}"
    names = [str(claim.data[key]) for key in ("hypothesis", "conclusion") if key in claim.data]
    # The sides in order, each a whole name: Equation1 must not match Equation12.
    pattern = ".*".join(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![0-9])" for name in names)
    for block in re.split(r"\n\s*\n", text):
        header = re.match(r"\s*(?:theorem|lemma|example)\s+(\S+)", block)
        if header and names and re.search(pattern, header.group(1)):
            return block.strip()
    return "\n".join(text.splitlines()[:30])


def status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


def magma_grid(table: list[list[int]], assignment: list[int] | None = None) -> Table:
    """An operation table as a grid: row a, column b holds a ◇ b."""
    grid = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    grid.add_column("◇", style="bold", justify="right")
    for b in range(len(table)):
        grid.add_column(str(b), justify="right")
    for a, row in enumerate(table):
        grid.add_row(str(a), *(str(entry) for entry in row))
    return grid


def payload_renderable(payload: dict[str, Any]) -> RenderableType:
    """A piece of evidence's payload: tables as grids, long outputs as text, the rest as key: value."""
    parts: list[RenderableType] = []
    rest = dict(payload)
    if isinstance(rest.get("table"), list):
        parts.append(magma_grid(rest.pop("table")))
        if "assignment" in rest:
            values = rest.pop("assignment")
            parts.append(Text("assignment: " + ", ".join(map(str, values)) + " (the variables in order)"))
    for key in ("output", "proof", "source_code"):
        if isinstance(rest.get(key), str):
            parts.append(Text(_truncated(rest.pop(key)), style="cyan"))
    if isinstance(rest.get("chain"), list):
        parts.append(Text("chain: " + "  →  ".join(map(str, rest.pop("chain")))))
    for key, value in rest.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(Text(f"{key}: {_truncated(shown)}"))
    return Group(*parts) if parts else Text("(no payload)", style="dim")


def decision_text(review: Review) -> Text:
    text = Text(f"#{review.id} {review.gate} gate: ")
    text.append(review.status, style={"approved": "green", "rejected": "red", "edited": "yellow"}.get(
        review.status, "bold"))
    if review.decided_by:
        text.append(f" by {review.decided_by} at {review.decided_at}")
    for label, value in (("comment", review.comment), ("reason", review.reason), ("edit", review.edit)):
        if value:
            text.append(f"\n  {label}: {value}")
    return text


def details_renderable(details: ClaimDetails) -> RenderableType:
    claim = details.claim
    head = Text.assemble((claim.id, "bold"), "  ", status_text(claim.status), f"  {claim.kind}")
    parts: list[RenderableType] = [
        head, Text(claim.statement), Text(f"author: {claim.author}", style="dim")]
    if claim.reason:
        parts.append(Text(f"why: {claim.reason}", style="dim"))
    if not details.evidence:
        parts.append(Text("No evidence stored yet.", style="dim italic"))
    for piece in details.evidence:
        verdict = "accepted" if piece.accepted else "NOT accepted"
        title = f"{piece.kind} · {piece.verdict} · {verdict} by {piece.checker}"
        parts.append(Panel(payload_renderable(piece.payload), title=title, title_align="left",
                           subtitle=piece.author or None, subtitle_align="right"))
    for artifact, excerpt in details.lean:
        check = artifact.check_status or "not checked"
        title = f"Lean · {artifact.path} · {check}"
        body: list[RenderableType] = [Syntax(excerpt, "lean4", word_wrap=True, theme="ansi_dark")]
        if artifact.detail:
            body.append(Text(artifact.detail, style="dim"))
        parts.append(Panel(Group(*body), title=title, title_align="left",
                           border_style="green" if check == "compiled" else "yellow"))
    for review in details.decisions:
        title = "waiting for a person's decision" if review.status == "pending" else "the person's decision"
        parts.append(Panel(decision_text(review), title=title, title_align="left"))
    return Group(*parts)


def _truncated(text: str) -> str:
    lines = text.splitlines()
    if len(lines) <= MAX_OUTPUT_LINES:
        return text
    return "\n".join(lines[:MAX_OUTPUT_LINES]) + f"\n… {len(lines) - MAX_OUTPUT_LINES} more lines"


class ClaimView(VerticalScroll):
    """A scrolling view of one claim; `show(details)` replaces what it shows."""

    DEFAULT_CSS = """
    ClaimView { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """

    def compose(self):
        yield Static("Select a claim to see its statement and evidence.", id="claim-body")

    def show(self, details: ClaimDetails | None) -> None:
        body = self.query_one("#claim-body", Static)
        body.update(details_renderable(details) if details else Text("No such claim.", style="dim"))
        self.scroll_home(animate=False)
