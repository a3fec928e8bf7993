"""A one-line filter for a table: every word typed must appear in a row (case-insensitive)."""

from __future__ import annotations

from textual.widgets import Input


def matches(words: str, *cells: object) -> bool:
    haystack = " ".join(str(cell) for cell in cells).lower()
    return all(word in haystack for word in words.lower().split())


class FilterBar(Input):
    """Escape returns focus to the table below; the screen filters on `Input.Changed`."""

    DEFAULT_CSS = """
    FilterBar { margin: 0 0; }
    """
    BINDINGS = [("escape", "leave", "Back to the table")]

    def __init__(self, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)

    def action_leave(self) -> None:
        self.screen.focus_next()
