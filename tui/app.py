"""The mathteam Textual app: six screens over one project's memory, the team in a worker, one factory."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Iterable

from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from mathteam.errors import MathTeamError
from mathteam.memory import Event
from mathteam.project import Project, load_project
from mathteam.tui import actions
from mathteam.tui.messages import MemoryChanged, TeamProgress, TeamStateChanged
from mathteam.tui.reading import reading
from mathteam.tui.screens.base import MemoryScreen
from mathteam.tui.screens.claims import ClaimsScreen
from mathteam.tui.screens.dashboard import DashboardScreen
from mathteam.tui.screens.log import LogScreen
from mathteam.tui.screens.plan import PlanScreen
from mathteam.tui.screens.report import ReportScreen
from mathteam.tui.screens.review import ReviewScreen
from mathteam.tui.steering import Steering
from mathteam.tui.widgets.input_dialog import InputDialog

SCREENS = {"dashboard": ("1", DashboardScreen), "plan": ("2", PlanScreen), "claims": ("3", ClaimsScreen),
           "review": ("4", ReviewScreen), "log": ("5", LogScreen), "report": ("6", ReportScreen)}
FEED_LIMIT = 5000
BUSY_SECONDS = 5.0
"""A run elsewhere that wrote an event this recently is taken to be working still."""


class MathTeamApp(App):
    """Steer the team, watch it work, and clear the review queue."""

    TITLE = "mathteam"
    MODES = {name: screen for name, (_, screen) in SCREENS.items()}
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        *(Binding(key, f"switch_mode('{name}')", name.capitalize(),
                  group=Binding.Group("View", compact=True)) for name, (key, _) in SCREENS.items()),
        # Steering works from every screen; the dashboard's footer shows these keys.
        Binding("s", "start", "Start", show=False),
        Binding("x", "pause", "Pause", show=False),
        Binding("a", "add_conjecture", "Conjecture", show=False),
        Binding("t", "add_task", "Task", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, project: Project, reviewer: str, poll_seconds: float = 1.0) -> None:
        super().__init__()
        self.project = project
        self.reviewer = reviewer
        self.poll_seconds = poll_seconds
        self.busy_seconds = BUSY_SECONDS
        self.steering = Steering(self, project)
        self.feed: list[Event] = []
        """The latest events, oldest first (the log screen catches up from it)."""
        self.last_event_id = 0
        self.live_role: str | None = None
        self._quitting = False
        self._own_events_until = 0
        """Events up to this id were written by this UI's own team (not a run elsewhere)."""
        self._last_error: str | None = None

    def on_mount(self) -> None:
        self._show_team()
        self.poll_memory()
        self.set_interval(self.poll_seconds, self.poll_memory)

    # --- watching ------------------------------------------------------------------------------

    def poll_memory(self) -> None:
        """Read the events written since the last poll (by this UI's team, a headless run, or anyone)."""
        try:
            with reading(self.project) as memory:
                events = memory.events(after_id=self.last_event_id, limit=FEED_LIMIT) if memory else []
        except sqlite3.Error as error:
            self.report_error("Could not read the memory", error)
            return
        if not events:
            return
        self.last_event_id = events[-1].id
        self.feed = (self.feed + events)[-FEED_LIMIT:]
        screen = self._memory_screen()
        if screen is not None:
            screen.post_message(MemoryChanged(events))

    def _memory_screen(self) -> MemoryScreen | None:
        """The screen on top, when it shows the memory (not a dialog, not while shutting down)."""
        try:
            screen = self.screen
        except ScreenStackError:
            return None
        return screen if isinstance(screen, MemoryScreen) else None

    def other_run_active(self) -> float | None:
        """Seconds since the last event, when it is recent and this UI's team is not the writer."""
        team_events = [event for event in self.feed[-50:]
                       if event.actor_kind == "role" and event.id > self._own_events_until]
        if self.steering.running or not team_events:
            return None
        age = (datetime.now(timezone.utc) - datetime.fromisoformat(team_events[-1].at)).total_seconds()
        return age if age < self.busy_seconds else None

    def report_error(self, what: str, error: BaseException) -> None:
        """Errors are notifications, never tracebacks; the same error is not repeated every poll."""
        line = error.one_line() if isinstance(error, MathTeamError) else str(error)
        if line != self._last_error:
            self._last_error = line
            self.notify(f"{what}: {line}", severity="error", timeout=8)

    # --- steering --------------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.steering.running:
            self.notify("The team is already working.", severity="warning")
            return
        self.poll_memory()
        age = self.other_run_active()
        if age is not None:
            self.notify(f"Another run is working on this project (last event {age:.0f} s ago): it is shown "
                        "live here; start once it stops.", severity="warning", timeout=6)
            return
        self.steering.start()

    def action_pause(self) -> None:
        if not self.steering.pause():
            self.notify(f"The team is not running ({self.steering.state}).", severity="warning")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.steering.worker_changed(event.worker)

    def on_team_progress(self, message: TeamProgress) -> None:
        if message.progress.role:
            self.live_role = message.progress.role
        activity = f" — {message.progress.activity}" if message.progress.activity else ""
        self._show_team(f"{message.progress.tasks_done}/{message.progress.tasks_total} tasks{activity}")

    def on_team_state_changed(self, message: TeamStateChanged) -> None:
        if message.state not in ("running", "pausing"):
            self.live_role = None
            self.poll_memory()
            self._own_events_until = self.last_event_id
        self._show_team()
        if message.state in ("paused", "waiting", "stopped", "done", "failed"):
            severity = "error" if message.state == "failed" else "information"
            self.notify(f"Team {message.state}: {message.detail}", severity=severity, timeout=6)
        screen = self._memory_screen()
        if screen is not None:
            screen.post_message(TeamStateChanged(message.state, message.detail))
        if self._quitting and not self.steering.running:
            self.exit()

    def _show_team(self, extra: str = "") -> None:
        """The team's state in the header's title, so every screen shows it; screens own the subtitle."""
        self.title = " · ".join(filter(None, (self.project.name, f"team {self.steering.state}", extra)))
        self.sub_title = f"as {self.reviewer}"

    # --- a person's contributions ----------------------------------------------------------------

    def action_add_conjecture(self) -> None:
        self.push_screen(InputDialog("Add a conjecture", f"It is recorded as {self.reviewer}'s; the team will "
                                     "try to prove or refute it.", placeholder="x ◇ y = y ◇ x => x = x ◇ x"),
                         partial(self._contribute, actions.add_conjecture))

    def action_add_task(self) -> None:
        self.push_screen(InputDialog("Add a task", "Compute every magma of this size (1 to 3) and refute "
                                     "what they refute:", placeholder="3"),
                         partial(self._contribute, self._examples_task))

    def _examples_task(self, project: Project, text: str, person: str):
        if not text.strip().isdigit():
            raise actions.ContributionError(f"{text!r}: type a size, 1 to 3")
        return actions.add_examples_task(project, int(text), person)

    def _contribute(self, add, text: str | None) -> None:
        if not text:
            return
        try:
            added = add(self.project, text, self.reviewer)
        except MathTeamError as error:
            self.report_error("Not added", error)
            return
        self._last_error = None
        self.notify(f"Added {added.id} as {self.reviewer}'s. Press s to let the team work on it.")
        self.poll_memory()

    # --- quitting and the command palette ---------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; a running team first finishes its step, so the memory and checkpoint agree."""
        if self.steering.running and not self._quitting:
            self._quitting = True
            self.steering.pause()
            self.notify("Stopping the team after its current step, then quitting (q again: quit now).")
            return
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for name, (key, _) in SCREENS.items():
            yield SystemCommand(f"Show {name}", f"Switch to the {name} screen (key {key})",
                                partial(self.switch_mode, name))
        yield SystemCommand("Start or resume the team", "Run the team in the background (key s)", self.action_start)
        yield SystemCommand("Pause the team", "Stop after the current step (key x)", self.action_pause)
        yield SystemCommand("Add a conjecture", "LAW => LAW, recorded as yours (key a)", self.action_add_conjecture)
        yield SystemCommand("Add a task", "Compute all magmas of a size (key t)", self.action_add_task)


def create_app(project_path: str | Path, reviewer: str | None = None, poll_seconds: float = 1.0) -> MathTeamApp:
    """The one factory the CLI and the tests use; a bad project file raises ProjectFileError here."""
    return MathTeamApp(load_project(project_path), actions.reviewer_name(reviewer), poll_seconds=poll_seconds)


def run_tui(path: str | Path, reviewer: str | None = None) -> int:
    """`mathteam tui PROJECT.toml`: run the app in this terminal until the person quits."""
    create_app(path, reviewer).run()
    return 0
