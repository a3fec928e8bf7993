"""Start, pause and resume the team from the UI: `run_project` in a worker thread, stopped cooperatively."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Literal

from textual.worker import Worker, WorkerState

from mathteam.errors import MathTeamError
from mathteam.project import Project
from mathteam.runner import STOPPED_ON_REQUEST, RunOutcome, run_project
from mathteam.tui.messages import TeamProgress, TeamStateChanged

if TYPE_CHECKING:
    from textual.app import App

TeamState = Literal["idle", "running", "pausing", "paused", "waiting", "stopped", "done", "failed"]
WORKER_NAME = "team"


class Steering:
    """The team of this UI: at most one run at a time, paused by a flag it checks between steps."""

    def __init__(self, app: "App", project: Project) -> None:
        self.app = app
        self.project = project
        self.state: TeamState = "idle"
        self.detail = ""
        self._stop = threading.Event()
        self._worker: Worker | None = None

    @property
    def running(self) -> bool:
        return self.state in ("running", "pausing")

    def start(self) -> bool:
        """Start (or resume) the team; False if it is already running."""
        if self.running:
            return False
        self._stop.clear()
        self._set("running", "the team is working")
        self._worker = self.app.run_worker(self._run, name=WORKER_NAME, group=WORKER_NAME, thread=True,
                                           exit_on_error=False, description="mathteam run")
        return True

    def pause(self) -> bool:
        """Ask the team to stop after its current step; False if it is not running."""
        if self.state != "running":
            return False
        self._stop.set()
        self._set("pausing", "stopping after the current step")
        return True

    def _run(self) -> RunOutcome:
        return run_project(self.project, on_progress=lambda step: self.app.post_message(TeamProgress(step)),
                           should_stop=self._stop.is_set)

    def worker_changed(self, worker: Worker) -> None:
        """Called by the app for every worker state change; acts on this team's worker only."""
        if worker is not self._worker or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if worker.state == WorkerState.ERROR:
            error = worker.error
            line = error.one_line() if isinstance(error, MathTeamError) else f"{type(error).__name__}: {error}"
            self._set("failed", line)
            return
        outcome: RunOutcome = worker.result
        claims = ", ".join(f"{n} {status}" for status, n in sorted(outcome.claims.items()))
        if outcome.status == "paused":
            self._set("waiting", f"{len(outcome.waiting)} item(s) wait for a decision (review screen)")
        elif outcome.status == "stopped" and outcome.stop_reason == STOPPED_ON_REQUEST:
            self._set("paused", f"paused; press s to resume ({claims})")
        elif outcome.status == "stopped":
            self._set("stopped", f"{outcome.stop_reason} ({claims})")
        elif outcome.status == "failed":
            self._set("failed", outcome.stop_reason or "model steps failed")
        else:
            self._set("done", f"finished: {claims}")

    def _set(self, state: TeamState, detail: str) -> None:
        self.state, self.detail = state, detail
        self.app.post_message(TeamStateChanged(state, detail))
