"""The claims: a sortable, filterable table; the selected claim with all its evidence."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from mathteam.memory import Claim, Memory
from mathteam.tui.reading import reading
from mathteam.tui.screens.base import MemoryScreen
from mathteam.tui.widgets.claim_view import ClaimView, claim_details, status_text
from mathteam.tui.widgets.filter_bar import FilterBar, matches

SORTABLE = ("id", "status", "kind", "author")


def natural(text: str) -> list:
    """`Equation2` before `Equation10`."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


class ClaimsScreen(MemoryScreen):
    """Key 3: every claim, its status and author; Enter-free: moving the cursor shows the evidence."""

    MIN_RELOAD_SECONDS = 2.0
    DEFAULT_CSS = """
    ClaimsScreen #claims { height: 1fr; }
    ClaimsScreen ClaimView { height: 1fr; }
    """
    BINDINGS = [Binding("slash", "filter", "Filter"), Binding("o", "sort", "Sort")]

    def __init__(self) -> None:
        super().__init__()
        self._claims: dict[str, Claim] = {}
        self._shown: list[tuple[str, str]] = []
        self.sort_column = "id"
        self.sort_reverse = False

    def compose_body(self) -> ComposeResult:
        yield FilterBar("filter claims: words in id, status, kind or author (/)", id="claim-filter")
        table = DataTable(id="claims", cursor_type="row", zebra_stripes=True)
        table.add_column("claim", key="id", width=24)
        table.add_column("status", key="status", width=12)
        table.add_column("kind", key="kind", width=11)
        table.add_column("author", key="author")
        yield table
        yield ClaimView()

    def on_mount(self) -> None:
        self.query_one("#claims", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#claim-filter", FilterBar).focus()

    def action_sort(self) -> None:
        """Cycle the sort column: claim, status, kind, author."""
        self.sort_by(SORTABLE[(SORTABLE.index(self.sort_column) + 1) % len(SORTABLE)])

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        self.sort_by(column, keep_direction=True)

    def sort_by(self, column: str, keep_direction: bool = False) -> None:
        if not keep_direction:
            self.sort_reverse = False
        self.sort_column = column
        self._shown = []
        self.reload(force=True)
        self.notify(f"claims sorted by {column}{' (reversed)' if self.sort_reverse else ''}", timeout=2)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload(force=True)

    def visible_claims(self) -> list[Claim]:
        words = self.query_one("#claim-filter", FilterBar).value
        rows = [claim for claim in self._claims.values()
                if matches(words, claim.id, claim.status, claim.kind, claim.author)]
        rows.sort(key=lambda claim: (natural(str(getattr(claim, self.sort_column))), natural(claim.id)),
                  reverse=self.sort_reverse)
        return rows

    def show_memory(self, memory: Memory) -> None:
        self._claims = {claim.id: claim for claim in memory.claims()}
        rows = self.visible_claims()
        signature = [(claim.id, claim.status) for claim in rows]
        if signature == self._shown:
            return
        self._shown = signature
        table = self.query_one("#claims", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for claim in rows:
            table.add_row(claim.id, status_text(claim.status), claim.kind, claim.author, key=claim.id)
        if selected is not None and any(claim.id == selected for claim in rows):
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self.sub_title = f"{len(rows)} of {len(self._claims)} claims · sorted by {self.sort_column}"

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value not in self._claims:
            return
        with reading(self.team_app.project) as memory:
            details = claim_details(memory, self.team_app.project, event.row_key.value) if memory else None
        self.query_one(ClaimView).show(details)
