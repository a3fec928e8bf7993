"""The dashboard: the goal, progress, time and budget, and what each role is doing now."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from mathteam.memory import Memory
from mathteam.tui.messages import TeamStateChanged
from mathteam.tui.reading import Overview, overview
from mathteam.tui.screens.base import MemoryScreen
from mathteam.tui.widgets.claim_view import status_text

CLAIM_ORDER = ("formally_verified", "proved", "refuted", "checked", "conjectured", "open")


def ago(stamp: str) -> str:
    try:
        seconds = (datetime.now(timezone.utc) - datetime.fromisoformat(stamp)).total_seconds()
    except ValueError:
        return stamp
    if seconds < 60:
        return f"{seconds:.0f} s ago"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


class DashboardScreen(MemoryScreen):
    """Key 1: the project at a glance."""

    DEFAULT_CSS = """
    DashboardScreen #overview { padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "app.start", "Start"),
        Binding("x", "app.pause", "Pause"),
        Binding("a", "app.add_conjecture", "Conjecture"),
        Binding("t", "app.add_task", "Task"),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="overview")

    def show_no_run(self) -> None:
        project = self.team_app.project
        self.query_one("#overview", Static).update(Group(
            Text.assemble(("Goal  ", "bold"), project.config.project.goal),
            self._team_line(None),
            Text(f"No run yet: the memory {project.memory_path} does not exist. Press s to start the team.",
                 style="yellow")))

    def show_memory(self, memory: Memory) -> None:
        self.query_one("#overview", Static).update(self._overview(overview(memory, self.team_app.project)))

    def on_team_state_changed(self, message: TeamStateChanged) -> None:
        self.reload(force=True)

    def _team_line(self, pending: int | None) -> Text:
        """The team's state; while it waits, how many items wait now (read from the memory: the
        count the run paused with is stale as soon as a person decides one)."""
        steering = self.team_app.steering
        style = {"running": "bold green", "pausing": "yellow", "failed": "bold red", "waiting": "bold magenta"}
        line = Text.assemble(("Team  ", "bold"), (steering.state, style.get(steering.state, "bold")))
        detail = steering.detail
        if steering.state == "waiting" and pending is not None:
            detail = (f"{pending} item(s) wait for a decision (review screen)" if pending else
                      "every item is decided: press s to let the team act on the decisions")
        if detail:
            line.append(f" — {detail}")
        return line

    def _overview(self, facts: Overview) -> Group:
        project = self.team_app.project
        done, total = facts.tasks.get("done", 0), sum(facts.tasks.values())
        progress = Table.grid(padding=(0, 1))
        progress.add_row(Text("Tasks", style="bold"), ProgressBar(total=max(total, 1), completed=done, width=30),
                         Text(f"{done} done, {total - done} left of {total}"))
        claims = Table.grid(padding=(0, 2))
        claims.add_row(Text("Claims", style="bold"), *(
            Text.assemble(status_text(status), f" {facts.claims.get(status, 0)}") for status in CLAIM_ORDER))
        budget = project.config.budget.wall_clock_seconds
        spent = Text.assemble(("Spent  ", "bold"), f"{facts.seconds_spent:.1f} s of {budget:g} s wall clock",
                              f" · model cost ${facts.cost:.4f}")
        reviews = Text.assemble(("Review  ", "bold"), (f"{facts.pending_reviews} item(s) wait",
                                                       "bold magenta" if facts.pending_reviews else "dim"),
                                " (key 4)" if facts.pending_reviews else "")
        now = Table(title="What each role did last", title_justify="left", expand=True, box=None,
                    header_style="bold", padding=(0, 1))
        now.add_column("who", no_wrap=True)
        now.add_column("last action", ratio=2)
        now.add_column("about", ratio=2, overflow="ellipsis", no_wrap=True)
        now.add_column("when", no_wrap=True)
        live = self.team_app.live_role
        for name, event in sorted(facts.roles.items(), key=lambda item: -item[1].id):
            who = Text(name, style="bold green" if name == live else "")
            now.add_row(who, event.action, event.subject or "", ago(event.at))
        return Group(Text.assemble(("Goal  ", "bold"), facts.goal), self._team_line(facts.pending_reviews),
                     progress, claims,
                     spent, reviews, Text(""), now)
