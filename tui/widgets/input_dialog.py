"""A one-line question in a dialog (a rejection's reason, a conjecture): Enter answers, Escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class InputDialog(ModalScreen[str | None]):
    """Dismissed with the typed text (never empty), or None when cancelled."""

    DEFAULT_CSS = """
    InputDialog { align: center middle; }
    InputDialog > Vertical {
        width: 76; max-width: 100%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    InputDialog .title { text-style: bold; }
    InputDialog .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, prompt: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.prompt, self.placeholder, self.value = title, prompt, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Label(self.prompt)
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Label("Enter to confirm · Escape to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify("Type something first, or press Escape to cancel.", severity="warning")
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
