"""One review item as a person needs it to decide: what is asked, its evidence, and the claim behind it."""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from mathteam.memory import Review
from mathteam.tui.widgets.claim_view import ClaimDetails, decision_text, details_renderable

LONG_VALUE_LINES = 3


def evidence_renderable(evidence: dict) -> list[RenderableType]:
    """An item's evidence: short values as `key: value`, Lean and long text in their own panels."""
    short, panels = [], []
    for key, value in evidence.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
        if "lean" in key:
            panels.append(Panel(Syntax(shown, "lean4", word_wrap=True, theme="ansi_dark"), title=key,
                                title_align="left"))
        elif shown.count("\n") >= LONG_VALUE_LINES or len(shown) > 300:
            lines = shown.splitlines()
            clipped = "\n".join(lines[:60]) + (f"\n… {len(lines) - 60} more lines" if len(lines) > 60 else "")
            panels.append(Panel(Text(clipped), title=key, title_align="left"))
        else:
            short.append(Text.assemble((f"{key}: ", "bold"), shown))
    return [*short, *panels]


def review_renderable(review: Review, details: ClaimDetails | None) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble((f"#{review.id} ", "bold"), (f"{review.gate} gate", "bold magenta"),
                      f"  about {review.subject or '—'}"),
        Text(review.question),
        Text(f"asked by {review.requested_by} at {review.requested_at}", style="dim"),
    ]
    if review.status != "pending":
        parts.append(decision_text(review))
    parts += evidence_renderable(review.evidence)
    if details is not None:
        parts.append(Panel(details_renderable(details), title="the claim", title_align="left",
                           border_style="dim"))
    return Group(*parts)


class ReviewView(VerticalScroll):
    """A scrolling view of one review item; `show(review, details)` replaces what it shows."""

    DEFAULT_CSS = """
    ReviewView { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """

    def compose(self):
        yield Static("Nothing waits for a decision.", id="review-body")

    def show(self, review: Review | None, details: ClaimDetails | None = None) -> None:
        body = self.query_one("#review-body", Static)
        if review is None:
            body.update(Text("Nothing waits for a decision.", style="dim"))
        else:
            body.update(review_renderable(review, details))
        self.scroll_home(animate=False)
