"""The log: the live event stream, newest last, following new events as the poll brings them."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import RichLog

from mathteam.memory import Event, Memory
from mathteam.tui.messages import MemoryChanged
from mathteam.tui.screens.base import MemoryScreen

KIND_STYLE = {"person": "bold magenta", "system": "dim"}
BACKLOG = 300
"""Events shown when the log first opens; older ones stay in the memory (a long run has thousands)."""


def event_line(event: Event) -> Text:
    line = Text.assemble((event.at[11:19], "dim"), " ",
                         (event.actor, KIND_STYLE.get(event.actor_kind, "cyan")), " ", (event.action, "bold"))
    if event.subject:
        line.append(f" {event.subject}")
    if event.outputs:
        line.append(" " + json.dumps(event.outputs, ensure_ascii=False)[:160], style="dim")
    return line


class LogScreen(MemoryScreen):
    """Key 5: everything the team and people did, as it happens."""

    DEFAULT_CSS = """
    LogScreen RichLog { height: 1fr; }
    """
    BINDINGS = [Binding("f", "follow", "Follow")]

    def __init__(self) -> None:
        super().__init__()
        self.shown_id = 0

    def compose_body(self) -> ComposeResult:
        yield RichLog(id="log", max_lines=5000, wrap=True, auto_scroll=True, min_width=40)

    def on_mount(self) -> None:
        self.query_one(RichLog).focus()

    def show_memory(self, memory: Memory) -> None:
        feed = self.team_app.feed
        if self.shown_id == 0 and len(feed) > BACKLOG:
            self.query_one(RichLog).write(Text(f"… {feed[-BACKLOG].id - 1} earlier events are in the memory",
                                               style="dim italic"))
            feed = feed[-BACKLOG:]
        self.catch_up(feed)
        self.call_after_refresh(self.action_follow)  # lines written before the first layout start at the top

    def on_memory_changed(self, message: MemoryChanged) -> None:
        self.catch_up(message.events)

    def catch_up(self, events: list[Event]) -> None:
        log = self.query_one(RichLog)
        for event in events:
            if event.id > self.shown_id:
                log.write(event_line(event))
                self.shown_id = event.id
        self.sub_title = f"{self.shown_id} events"

    def action_follow(self) -> None:
        log = self.query_one(RichLog)
        log.auto_scroll = True
        log.scroll_end(animate=False)
