"""The plan: every task with its status; the selected task's inputs, outputs and events."""

from __future__ import annotations

import json

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from mathteam.memory import Memory, Task
from mathteam.tui.reading import events_about, reading
from mathteam.tui.screens.base import MemoryScreen
from mathteam.tui.widgets.filter_bar import FilterBar, matches

STATUS_STYLE = {"done": "green", "pending": "yellow"}


class PlanScreen(MemoryScreen):
    """Key 2: the task graph."""

    MIN_RELOAD_SECONDS = 2.0
    DEFAULT_CSS = """
    PlanScreen #tasks { height: 1fr; }
    PlanScreen #task-detail { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [Binding("slash", "filter", "Filter")]

    def __init__(self) -> None:
        super().__init__()
        self._tasks: dict[str, Task] = {}
        self._shown: list[tuple[str, str]] = []

    def compose_body(self) -> ComposeResult:
        yield FilterBar("filter tasks: words in status, role, id or title (/)", id="task-filter")
        table = DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
        table.add_column("status", key="status", width=7)
        table.add_column("role", key="role", width=17)
        table.add_column("task", key="title")
        yield table
        with VerticalScroll(id="task-detail"):
            yield Static("Select a task to see its inputs, outputs and events.", id="task-body")

    def on_mount(self) -> None:
        self.query_one("#tasks", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#task-filter", FilterBar).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload(force=True)

    def show_memory(self, memory: Memory) -> None:
        self._tasks = {task.id: task for task in memory.tasks()}
        words = self.query_one("#task-filter", FilterBar).value
        rows = [task for task in self._tasks.values() if matches(words, task.status, task.role, task.id, task.title)]
        signature = [(task.id, task.status) for task in rows]
        if signature == self._shown:
            return
        self._shown = signature
        table = self.query_one("#tasks", DataTable)
        selected = self._selected_id(table)
        table.clear()
        for task in rows:
            table.add_row(Text(task.status, style=STATUS_STYLE.get(task.status, "")), task.role, task.title,
                          key=task.id)
        if selected in self._tasks and any(task.id == selected for task in rows):
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self.sub_title = f"{len(rows)} of {len(self._tasks)} tasks"

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        task = self._tasks.get(event.row_key.value) if event.row_key else None
        if task is None:
            return
        with reading(self.team_app.project) as memory:
            subjects = [task.id, *(str(v) for k, v in task.inputs.items() if k == "claim")]
            events = events_about(memory, subjects) if memory is not None else []
        self.query_one("#task-body", Static).update(task_renderable(task, events))

    @staticmethod
    def _selected_id(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def task_renderable(task: Task, events) -> Group:
    def dumped(value) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1) if value else "—"

    parts = [
        Text.assemble((task.id, "bold"), "  ", (task.status, STATUS_STYLE.get(task.status, "")),
                      f"  {task.kind} · {task.role} · priority {task.priority:g}"),
        Text(task.title),
        Text.assemble(("depends on: ", "bold"), ", ".join(task.depends_on) or "—"),
        Text.assemble(("inputs: ", "bold"), dumped(task.inputs)),
        Text.assemble(("outputs: ", "bold"), dumped(task.outputs)),
        Text("events:", style="bold"),
    ]
    for event in events:
        parts.append(Text(f"  {event.at[11:19]} {event.actor}: {event.action}"
                          + (f" {json.dumps(event.outputs, ensure_ascii=False)}" if event.outputs else "")))
    if not events:
        parts.append(Text("  none yet", style="dim"))
    return Group(*parts)
