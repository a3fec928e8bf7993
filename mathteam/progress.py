"""Progress of a run on stderr: a live bar on a terminal, a plain line now and then in a log."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mathteam.runner import StepProgress

PLAIN_EVERY_S = 5.0


def claims_text(claims: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(claims.items()))


class RunProgress:
    """Context manager whose `update(step)` the runner calls after every step."""

    def __init__(self, console: Console, quiet: bool = False):
        self.console = console
        self.quiet = quiet
        self.live = console.is_terminal and not quiet
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[claims]}"), TimeElapsedColumn(), console=console,
                            disable=not self.live)
        self.started = time.monotonic()
        self.last_line = 0.0
        self.last_role: str | None = None

    def __enter__(self) -> "RunProgress":
        self.bar.__enter__()
        self.track = self.bar.add_task("tasks", total=None, claims="")
        return self

    def __exit__(self, *exc_info) -> None:
        self.bar.__exit__(*exc_info)

    def update(self, step: StepProgress) -> None:
        if self.live:
            self.bar.update(self.track, completed=step.tasks_done, total=step.tasks_total or None,
                            description=step.activity or (f"tasks ({step.role})" if step.role else "tasks"),
                            claims=claims_text(step.claims))
            return
        now = time.monotonic()
        changed = (step.role is not None and step.role != self.last_role) or bool(step.activity)
        if not self.quiet and (changed or now - self.last_line >= PLAIN_EVERY_S):
            self.console.print(f"[{now - self.started:6.1f} s] {step.role or 'planner'}: "
                               f"{step.tasks_done}/{step.tasks_total} tasks done; "
                               f"claims {claims_text(step.claims)}"
                               + (f" — {step.activity}" if step.activity else ""), highlight=False)
            self.last_line = now
        if step.role is not None:
            self.last_role = step.role
