"""What every screen shares: header and footer, and reloading from the memory when shown or changed."""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header

from mathteam.errors import MathTeamError
from mathteam.memory import Memory
from mathteam.tui.messages import MemoryChanged
from mathteam.tui.reading import reading

if TYPE_CHECKING:
    from mathteam.tui.app import MathTeamApp


class MemoryScreen(Screen):
    """A view of part of the memory; subclasses build `compose_body` and fill it in `show_memory`."""

    MIN_RELOAD_SECONDS = 0.0
    """Screens with big tables reload at most this often while a run writes."""

    def __init__(self) -> None:
        super().__init__()
        self._last_reload = 0.0
        self._reload_timer: Timer | None = None

    @property
    def team_app(self) -> "MathTeamApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def show_memory(self, memory: Memory) -> None:
        raise NotImplementedError

    def show_no_run(self) -> None:
        """Before the first run created the memory."""

    def on_screen_resume(self) -> None:
        self.reload(force=True)

    def on_memory_changed(self, message: MemoryChanged) -> None:
        self.reload()

    def reload(self, force: bool = False) -> None:
        wait = self.MIN_RELOAD_SECONDS - (time.monotonic() - self._last_reload)
        if not force and wait > 0:
            if self._reload_timer is None:
                self._reload_timer = self.set_timer(wait, self._delayed_reload)
            return
        self._last_reload = time.monotonic()
        try:
            with reading(self.team_app.project) as memory:
                if memory is None:
                    self.show_no_run()
                else:
                    self.show_memory(memory)
        except (sqlite3.Error, MathTeamError, OSError) as error:
            self.team_app.report_error("Could not read the memory", error)

    def _delayed_reload(self) -> None:
        self._reload_timer = None
        self.reload(force=True)
