"""A multi-line editor in a dialog (a corrected statement, a report): Ctrl+S saves, Escape cancels."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class EditDialog(ModalScreen[str | None]):
    """Dismissed with the edited text, or None when cancelled or left empty.

    With `save`, Ctrl+S hands it the text first: it returns None when the text was taken, else
    the problem, which is shown while the dialog stays open with the text as typed (a typo in a
    long edit must not cost the edit).
    """

    DEFAULT_CSS = """
    EditDialog { align: center middle; }
    EditDialog > Vertical {
        width: 90%; height: 80%; padding: 0 1; border: thick $accent; background: $surface;
    }
    EditDialog .title { text-style: bold; }
    EditDialog TextArea { height: 1fr; }
    EditDialog .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, text: str, save: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text, self.text, self.save = title, text, save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield TextArea(self.text, id="editor", soft_wrap=True)
            yield Label("Ctrl+S saves the edit · Escape cancels · typing replaces the selection", classes="hint")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.select_all()  # typing replaces the proposal; an arrow key keeps it for small changes

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.notify("The edit is empty; type the replacement or press Escape.", severity="warning")
            return
        problem = self.save(text) if self.save is not None else None
        if problem is not None:
            self.notify(problem, title="Not saved: fix the text, or press Escape", severity="error")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
