"""The review queue: pending items with their evidence; approve, reject with a reason, or edit, by key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from mathteam.errors import MathTeamError
from mathteam.memory import Memory, Review
from mathteam.tui import actions
from mathteam.tui.reading import reading
from mathteam.tui.screens.base import MemoryScreen
from mathteam.tui.widgets.claim_view import claim_details
from mathteam.tui.widgets.edit_dialog import EditDialog
from mathteam.tui.widgets.input_dialog import InputDialog
from mathteam.tui.widgets.review_view import ReviewView

STATUS_STYLE = {"pending": "bold magenta", "approved": "green", "rejected": "red", "edited": "yellow"}


class ReviewScreen(MemoryScreen):
    """Key 4: what waits for a person's decision."""

    DEFAULT_CSS = """
    ReviewScreen #reviews { height: 1fr; max-height: 40%; }
    """
    BINDINGS = [
        Binding("y", "approve", "Approve"),
        Binding("Y", "approve_gate", "Approve gate"),
        Binding("n", "reject", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("h", "history", "All"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self._items: dict[int, Review] = {}

    def compose_body(self) -> ComposeResult:
        table = DataTable(id="reviews", cursor_type="row", zebra_stripes=True)
        table.add_column("#", key="id", width=4)
        table.add_column("status", key="status", width=9)
        table.add_column("gate", key="gate", width=10)
        table.add_column("about", key="subject", width=22)
        table.add_column("question", key="question")
        yield table
        yield ReviewView()

    def on_mount(self) -> None:
        self.query_one("#reviews", DataTable).focus()

    def show_no_run(self) -> None:
        self.query_one(ReviewView).show(None)

    def show_memory(self, memory: Memory) -> None:
        items = memory.reviews(status=None if self.show_all else "pending")
        table = self.query_one("#reviews", DataTable)
        if [(r.id, r.status) for r in items] == [(r.id, r.status) for r in self._items.values()] and table.row_count:
            return
        selected = self.selected()
        self._items = {review.id: review for review in items}
        table.clear()
        for review in items:
            table.add_row(str(review.id), Text(review.status, style=STATUS_STYLE.get(review.status, "")),
                          review.gate, review.subject or "", review.question, key=str(review.id))
        if selected is not None and selected.id in self._items:
            table.move_cursor(row=table.get_row_index(str(selected.id)), animate=False)
        pending = sum(review.status == "pending" for review in items)
        self.sub_title = f"{pending} pending" + (" · showing decided items too" if self.show_all else "")
        if not items:
            self.query_one(ReviewView).show(None)

    def selected(self) -> Review | None:
        table = self.query_one("#reviews", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._items.get(int(key)) if key is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        review = self._items.get(int(event.row_key.value)) if event.row_key and event.row_key.value else None
        if review is None:
            return
        with reading(self.team_app.project) as memory:
            details = (claim_details(memory, self.team_app.project, review.subject)
                       if memory is not None and review.subject else None)
        self.query_one(ReviewView).show(review, details)

    def _pending_selected(self) -> Review | None:
        review = self.selected()
        if review is None:
            self.notify("Nothing is selected: no item waits for a decision.", severity="warning")
            return None
        if review.status != "pending":
            self.notify(f"Item {review.id} was already {review.status} by {review.decided_by}.", severity="warning")
            return None
        return review

    def action_approve(self) -> None:
        review = self._pending_selected()
        if review is not None:
            self._decide(review, "approved")

    def action_approve_gate(self) -> None:
        """Every item waiting at the selected item's gate, optionally only the well-tested ones."""
        review = self._pending_selected()
        if review is None:
            return
        gate = review.gate
        waiting = sum(item.status == "pending" and item.gate == gate for item in self._items.values())

        def confirmed(answer: str | None) -> None:
            if answer is None:
                return
            if answer.lower() != "all" and not answer.isdigit():
                self.notify(f"{answer!r} is neither 'all' nor a number of examples; nothing was approved.",
                            severity="warning")
                return
            try:
                decided = actions.approve_gate(self.team_app.project, gate, self.team_app.reviewer,
                                               min_examples=int(answer) if answer.isdigit() else None)
            except MathTeamError as error:
                self.team_app.report_error(f"Nothing approved at the {gate} gate", error)
            else:
                self.notify(f"{len(decided)} item(s) at the {gate} gate approved by {self.team_app.reviewer}. "
                            "Press s to let the team act on them.")
            self._items = {}
            self.reload(force=True)

        self.app.push_screen(InputDialog(
            f"Approve the {gate} gate", f"Approve the {waiting} item(s) waiting at the {gate} gate? Type "
            "'all', or a number to approve only the conjectures that survived that many examples.",
            placeholder="all, or a minimum number of examples"), confirmed)

    def action_reject(self) -> None:
        review = self._pending_selected()
        if review is None:
            return

        def rejected(reason: str | None) -> None:
            if reason:
                self._decide(review, "rejected", reason=reason)

        self.app.push_screen(InputDialog(f"Reject item {review.id}", review.question,
                                         placeholder="the reason (required)"), rejected)

    def action_edit(self) -> None:
        review = self._pending_selected()
        if review is None:
            return

        def save(text: str) -> str | None:
            try:
                actions.decide(self.team_app.project, review.id, "edited", self.team_app.reviewer, edit=text)
            except MathTeamError as error:
                return f"Item {review.id} not edited: {error.one_line()}"
            return None

        def edited(text: str | None) -> None:
            if text:
                self.notify(f"Item {review.id} edited by {self.team_app.reviewer}. "
                            "Press s to let the team act on it.")
            self._items = {}
            self.reload(force=True)

        self.app.push_screen(EditDialog(f"Edit item {review.id}: {review.question}", self._edit_start(review),
                                        save=save), edited)

    def action_history(self) -> None:
        self.show_all = not self.show_all
        self._items = {}
        self.reload(force=True)

    def _edit_start(self, review: Review) -> str:
        """What the editor opens with: the conjecture as laws, the report's text, else the subject."""
        if isinstance(review.evidence.get("text"), str):
            return review.evidence["text"]
        with reading(self.team_app.project) as memory:
            claim = memory.claim(review.subject) if memory is not None and review.subject else None
        if claim is not None and {"hypothesis_law", "conclusion_law"} <= claim.data.keys():
            return f"{claim.data['hypothesis_law']} => {claim.data['conclusion_law']}"
        return review.subject or ""

    def _decide(self, review: Review, decision: str, reason: str | None = None, edit: str | None = None) -> None:
        reviewer = self.team_app.reviewer
        try:
            actions.decide(self.team_app.project, review.id, decision, reviewer, reason=reason, edit=edit)
        except MathTeamError as error:
            self.team_app.report_error(f"Item {review.id} not {decision}", error)
        else:
            self.notify(f"Item {review.id} {decision} by {reviewer}. Press s to let the team act on it.")
        self._items = {}
        self.reload(force=True)
