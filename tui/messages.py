"""The UI's typed messages: what changed in the memory, and what the team is doing.

None bubbles: each is posted straight to its handler (the app, or the screen on top).
"""

from __future__ import annotations

from textual.message import Message

from mathteam.memory import Event
from mathteam.runner import StepProgress


class MemoryChanged(Message, bubble=False):
    """The poll found new events in the memory (written by the UI's team, a headless run, or a person)."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events


class TeamProgress(Message, bubble=False):
    """The team in this UI finished a step (posted from its worker thread)."""

    def __init__(self, progress: StepProgress) -> None:
        super().__init__()
        self.progress = progress


class TeamStateChanged(Message, bubble=False):
    """The team in this UI started, was asked to pause, paused, finished or failed."""

    def __init__(self, state: str, detail: str = "") -> None:
        super().__init__()
        self.state = state
        self.detail = detail
