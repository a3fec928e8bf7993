"""The report: report.md rendered as Markdown, re-read whenever the file changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from mathteam.errors import MathTeamError
from mathteam.memory import Memory
from mathteam.tui.screens.base import MemoryScreen


class ReportScreen(MemoryScreen):
    """Key 6: what the writer wrote."""

    DEFAULT_CSS = """
    ReportScreen #report { padding: 0 1; }
    """
    BINDINGS = [Binding("w", "write", "Rewrite report")]

    def __init__(self) -> None:
        super().__init__()
        self._stamp: float | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="report-scroll"):
            yield Markdown("", id="report")

    def on_mount(self) -> None:
        self.query_one("#report-scroll").focus()

    def show_no_run(self) -> None:
        self.show_memory(None)

    def show_memory(self, memory: Memory | None) -> None:
        path = self.team_app.project.report_path
        stamp = path.stat().st_mtime if path.exists() else None
        if stamp == self._stamp and stamp is not None:
            return
        self._stamp = stamp
        text = path.read_text(encoding="utf-8") if stamp is not None else (
            f"*No report yet.* The writer puts it at `{path}` at the end of a run; press **w** to write it now.")
        self.query_one("#report", Markdown).update(text)
        self.sub_title = str(path.name)

    def action_write(self) -> None:
        from mathteam.agents.writer import write_report

        project = self.team_app.project
        if not project.memory_path.exists():
            self.notify("No run yet: start the team (s) first.", severity="warning")
            return
        try:
            with Memory.open(project.memory_path) as memory:
                write_report(project, memory)
        except (MathTeamError, OSError) as error:
            self.team_app.report_error("Could not write the report", error)
            return
        self._stamp = None
        self.reload(force=True)
        self.notify(f"Report written to {project.report_path}")
