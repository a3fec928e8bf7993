"""The terminal UI, driven by Textual's pilot over real project memories: every screen and every action."""

from __future__ import annotations

import asyncio
import io
import itertools
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import project_text
from rich.console import Console
from textual.app import ScreenStackError
from textual.css.query import NoMatches, WrongType
from textual.widgets import DataTable, Input, Markdown, RichLog, Static, TextArea

from mathteam.cli import main
from mathteam.memory import SETTLED, Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tui import actions
from mathteam.tui.app import MathTeamApp, create_app
from mathteam.tui.screens.log import BACKLOG
from mathteam.tui.widgets.claim_view import ClaimView, claim_details, details_renderable
from mathteam.tui.widgets.edit_dialog import EditDialog
from mathteam.tui.widgets.input_dialog import InputDialog

SMALL_LAWS = '"etp:1-8"'
# Laws whose conjectures a person is asked about (a certificate settles the others unasked).
GATED_LAWS = '"etp:3-5,8,9,23"'
SIZE = (80, 24)
RUN_UNTIL = Path(__file__).with_name("run_until.py")


def plain(renderable, width: int = 78) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def static_text(widget: Static) -> str:
    """What a Static shows, as plain text (its content is a rich renderable)."""
    return plain(widget.content)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """A small project the team ran to the end: 56 implications among 8 laws, all settled."""
    folder = tmp_path_factory.mktemp("finished")
    path = folder / "project.toml"
    path.write_text(project_text(name="small", laws=SMALL_LAWS), encoding="utf-8")
    assert run_project(load_project(path)).status == "done"
    return folder


@pytest.fixture(scope="module")
def gated_run(tmp_path_factory) -> Path:
    """The same project with a conjecture gate: the run paused with items waiting."""
    folder = tmp_path_factory.mktemp("gated")
    path = folder / "project.toml"
    path.write_text(project_text(name="gated", laws=GATED_LAWS, approval='gates = ["conjecture"]'),
                    encoding="utf-8")
    assert run_project(load_project(path)).status == "paused"
    return folder


def copy_of(folder: Path, tmp_path: Path) -> Path:
    """A private copy of a module-wide run, so a test may change its memory."""
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target / "project.toml"


def make_app(path: Path, busy_seconds: float = 0.0) -> MathTeamApp:
    """The app as the CLI makes it, polling fast; by default it does not wait out a fixture's fresh run."""
    app = create_app(path, reviewer="alice", poll_seconds=0.2)
    app.busy_seconds = busy_seconds
    app.notices = []  # type: ignore[attr-defined]
    original = app.notify

    def recording(message, **kwargs):
        app.notices.append((kwargs.get("severity", "information"), message))
        original(message, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return app


def errors(app: MathTeamApp) -> list[str]:
    return [message for severity, message in app.notices if severity == "error"]


NOT_THERE_YET = (NoMatches, ScreenStackError, WrongType)
"""What querying a screen raises while it is still being pushed or mounted."""


async def wait_until(pilot, condition, what=None, timeout_s: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds; a generous bound, so load only slows the test.

    `pilot.press` and a bare `pilot.pause()` are no barrier: between keys and after the last one
    Textual waits until the process *looks* idle by its CPU time, which a loaded machine fakes (a
    process that is not scheduled uses no CPU), so a key's action, a pushed screen's mount or a
    focus change may not have happened yet. Every test therefore waits for what it asserts next.
    A condition that queries a screen still being mounted counts as not yet held.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if condition():
                return
        except NOT_THERE_YET:
            pass
        assert time.monotonic() < deadline, f"the condition never held: {what() if what else ''}"
        try:
            await pilot.pause(0.02)
        except ScreenStackError:  # the app quit while the test waited (it then has no screen to pause on)
            await asyncio.sleep(0.02)


def screen_is(app: MathTeamApp, name: str) -> bool:
    return type(app.screen).__name__ == name


def rows(app: MathTeamApp, selector: str) -> int:
    return app.screen.query_one(selector, DataTable).row_count


def overview_text(app: MathTeamApp) -> str:
    return static_text(app.screen.query_one("#overview", Static))


def notified(app: MathTeamApp, text: str) -> int:
    """How many notifications so far contain ``text``."""
    return sum(text in message for _, message in app.notices)


HOME_FOCUS = {"PlanScreen": "#tasks", "ClaimsScreen": "#claims", "ReviewScreen": "#reviews", "LogScreen": "#log",
              "ReportScreen": "#report-scroll"}
"""The widget each screen focuses as it mounts. Until it has, Textual's auto-focus may hold a filter
field, and a key meant for the app (the next screen's number) would be typed into the filter."""


async def show(app: MathTeamApp, pilot, key: str, name: str, loaded=lambda: True) -> None:
    """Press a screen's key and wait until that screen is on top, focused as it means to be, and ``loaded()``."""
    await pilot.press(key)
    await wait_until(pilot, lambda: screen_is(app, name) and loaded() and (
        name not in HOME_FOCUS or app.screen.query_one(HOME_FOCUS[name]).has_focus),
        lambda: (type(app.screen).__name__, app.focused, loaded(), app.notices))


async def open_review(app: MathTeamApp, pilot) -> None:
    """Key 4, until the queue was read from the memory (its subtitle counts what is pending)."""
    await show(app, pilot, "4", "ReviewScreen", lambda: (app.screen.sub_title or "").endswith("pending"))


async def dialog(app: MathTeamApp, pilot, *keys: str, kind=InputDialog) -> None:
    """Press the key(s) that open a dialog and wait until its field has the focus, so typing lands there."""
    field = TextArea if kind is EditDialog else Input
    await pilot.press(*keys)
    await wait_until(pilot, lambda: isinstance(app.screen, kind) and app.screen.query_one(field).has_focus,
                     lambda: (type(app.screen).__name__, app.focused, loaded(), app.notices))


async def answer(app: MathTeamApp, pilot, text: str, then: str, key: str = "enter", closes: bool = True) -> None:
    """Type into the open dialog, confirm, and wait until a notification containing ``then`` came
    and (unless the answer is refused, ``closes=False``) the dialog is gone, so later keys reach the screen."""
    before = notified(app, then)
    if text:
        # Typed keys are handed on to the field's own queue, while a priority key (the editor's
        # ctrl+s) acts at once: confirm only once the field shows what was typed.
        field = app.screen.query_one(TextArea) if isinstance(app.screen, EditDialog) else app.screen.query_one(Input)
        await pilot.press(*text)
        await wait_until(pilot, lambda: (field.text if isinstance(field, TextArea) else field.value) == text,
                         lambda: field)
    await pilot.press(key)
    await wait_until(pilot, lambda: notified(app, then) > before and (
        not closes or not isinstance(app.screen, (InputDialog, EditDialog))), lambda: app.notices)


async def wait_for_dashboard(app: MathTeamApp, pilot) -> None:
    """Until the first screen read the memory (or found none)."""
    await wait_until(pilot, lambda: "Goal" in overview_text(app))


def team_endings(app: MathTeamApp) -> int:
    """How many runs of the UI's team ended: the app notifies each ending ("Team paused: ...")."""
    return notified(app, "Team ")


async def wait_for_team(app: MathTeamApp, pilot, endings_before: int) -> None:
    """Until the UI's team ended one more run than ``endings_before``, and its screen handled that.

    Counting endings, not looking at the state, keeps a key that has not started the team yet from
    passing for a run that already ended.
    """
    await wait_until(pilot, lambda: team_endings(app) > endings_before, lambda: (app.steering.state, app.notices))
    assert not app.steering.running and f"team {app.steering.state}" in app.title
    # The app notified, then posted the state to the screen; a callback queued behind it runs once
    # the screen handled it too.
    handled = asyncio.Event()
    app.screen.call_later(handled.set)
    await asyncio.wait_for(handled.wait(), 30)


async def run_team(app: MathTeamApp, pilot) -> None:
    """Key s, until that run of the team ended."""
    endings = team_endings(app)
    await pilot.press("s")
    await wait_for_team(app, pilot, endings)


@pytest.mark.asyncio
async def test_every_screen_shows_the_memory_at_80x24(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        overview = overview_text(app)
        assert "Which of these laws imply which?" in overview
        assert "proved 30" in overview and "refuted 26" in overview
        assert "writer" in overview  # what each role did last
        with Memory.open(load_project(path).memory_path) as memory:
            steps = sum(task.id.startswith("bulk:") for task in memory.tasks())
        assert steps >= 2  # the engine's proving rounds and searches, a task each
        await show(app, pilot, "2", "PlanScreen", lambda: rows(app, "#tasks") > 0)
        assert rows(app, "#tasks") == 60 + steps  # 56 pairs + 4 computations + the engine's steps
        await show(app, pilot, "3", "ClaimsScreen", lambda: rows(app, "#claims") > 0)
        assert rows(app, "#claims") == 56
        await open_review(app, pilot)
        assert rows(app, "#reviews") == 0
        with Memory.open(load_project(path).memory_path) as memory:
            last = memory.events()[-1].id
        await show(app, pilot, "5", "LogScreen", lambda: app.screen.shown_id > 0)
        assert app.screen.shown_id == last
        assert len(app.screen.query_one(RichLog).lines) >= min(last, BACKLOG)  # a line or more per event
        await show(app, pilot, "6", "ReportScreen", lambda: app.screen.query_one(Markdown).source)
        assert "small" in app.screen.query_one(Markdown).source
        await show(app, pilot, "1", "DashboardScreen")
    assert errors(app) == []


@pytest.mark.asyncio
async def test_claims_filter_sort_and_evidence(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await show(app, pilot, "3", "ClaimsScreen", lambda: rows(app, "#claims") == 56)
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.screen.query_one("#claim-filter").has_focus)
        await pilot.press(*"refuted", "escape")
        table = app.screen.query_one("#claims", DataTable)
        await wait_until(pilot, lambda: table.has_focus and table.row_count == 26, lambda: table.row_count)
        await pilot.press("o")  # sort by status
        await wait_until(pilot, lambda: app.screen.sort_column != "id")
        assert app.screen.sort_column == "status"
        await pilot.press("o", "o")  # by author
        await wait_until(pilot, lambda: app.screen.sort_column == "author", lambda: app.screen.sort_column)
        await pilot.press("down")
        second = str(table.get_row_at(1)[0])
        details = app.screen.query_one(ClaimView)
        await wait_until(pilot, lambda: table.cursor_row == 1
                         and second in static_text(details.query_one("#claim-body", Static)))
        shown = static_text(details.query_one("#claim-body", Static))
        assert "counterexample · refutes · accepted" in shown
        assert "◇" in shown  # the operation table drawn as a grid
        assert "Lean ·" in shown and "not checked" in shown  # the Lean source with its check status


def test_claim_details_render_grid_prover_output_and_lean(finished_run):
    project = load_project(finished_run / "project.toml")
    with Memory.open(project.memory_path) as memory:
        refuted = next(c for c in memory.claims(status="refuted"))
        proved = next(c for c in memory.claims(status="proved"))
        grid = plain(details_renderable(claim_details(memory, project, refuted.id)))
        proof = plain(details_renderable(claim_details(memory, project, proved.id)))
        table = memory.evidence(refuted.id)[0].payload["table"]
    assert refuted.id in grid and "counterexample" in grid
    for a, row in enumerate(table):  # every row of the magma's table appears as a line of the grid
        assert re.search(rf"^│?\s*{a}\s+" + r"\s+".join(map(str, row)) + r"\s", grid, re.MULTILINE)
    hypothesis, conclusion = proved.data["hypothesis"], proved.data["conclusion"]
    assert f"theorem {hypothesis}_implies_{conclusion}" in proof  # the Lean declaration for this claim


@pytest.mark.asyncio
async def test_plan_selection_shows_inputs_outputs_and_events(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    with Memory.open(load_project(path).memory_path) as memory:
        tasks = len(memory.tasks())  # 56 pairs, 4 computations and the engine's steps
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await show(app, pilot, "2", "PlanScreen", lambda: rows(app, "#tasks") == tasks)
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.screen.query_one("#task-filter").has_focus)
        await pilot.press(*"pair:Equation2=>Equation1", "escape")
        await wait_until(pilot, lambda: rows(app, "#tasks") == 1 and "pair:Equation2=>Equation1" in static_text(
            app.screen.query_one("#task-body", Static)), lambda: rows(app, "#tasks"))
        body = static_text(app.screen.query_one("#task-body", Static))
        assert '"claim": "Equation2=>Equation1"' in body  # inputs
        assert "attempts" in body or "result" in body  # outputs
        assert "task done" in body  # its events


@pytest.mark.asyncio
async def test_approve_records_the_reviewer_and_the_event(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        pending = rows(app, "#reviews")
        assert pending > 0
        first = app.screen.selected()
        await pilot.press("y")
        await wait_until(pilot, lambda: notified(app, f"Item {first.id} ") > 0, lambda: app.notices)
        assert rows(app, "#reviews") == pending - 1
    with Memory.open(load_project(path).memory_path) as memory:
        decided = memory.review(first.id)
        assert (decided.status, decided.decided_by) == ("approved", "alice")
        event = memory.events()[-1]
        assert (event.action, event.actor, event.subject) == ("review approved", "person alice", str(first.id))


@pytest.mark.asyncio
async def test_reject_asks_for_a_reason_and_escape_changes_nothing(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        first = app.screen.selected()
        await dialog(app, pilot, "n")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_is(app, "ReviewScreen"))
        with Memory.open(load_project(path).memory_path) as memory:
            assert memory.review(first.id).status == "pending"
        await dialog(app, pilot, "n")
        await answer(app, pilot, "", then="Type something first", closes=False)  # an empty reason is refused in the dialog
        assert isinstance(app.screen, InputDialog)
        await answer(app, pilot, "too strong", then=f"Item {first.id} rejected")
    with Memory.open(load_project(path).memory_path) as memory:
        decided = memory.review(first.id)
    assert (decided.status, decided.reason, decided.decided_by) == ("rejected", "too strong", "alice")


@pytest.mark.asyncio
async def test_edit_opens_the_statement_and_records_the_edit(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        first = app.screen.selected()
        await dialog(app, pilot, "e", kind=EditDialog)
        editor = app.screen.query_one(TextArea)
        assert "=>" in editor.text  # opens with the conjecture written as laws
        # The proposal opens selected, so typing replaces it (the dialog selects it as it mounts).
        await wait_until(pilot, lambda: editor.selected_text == editor.text)
        await answer(app, pilot, "x=y=>x=x*x", then=f"Item {first.id} edited", key="ctrl+s")
    with Memory.open(load_project(path).memory_path) as memory:
        decided = memory.review(first.id)
    assert (decided.status, decided.edit, decided.decided_by) == ("edited", "x=y=>x=x*x", "alice")


@pytest.mark.asyncio
async def test_an_edit_that_does_not_parse_is_a_notification_keeps_the_text_and_changes_nothing(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        first = app.screen.selected()
        await dialog(app, pilot, "e", kind=EditDialog)
        app.screen.query_one(TextArea).text = "not a law at all"
        await answer(app, pilot, "", then="does not parse", key="ctrl+s", closes=False)
        assert isinstance(app.screen, EditDialog), "the dialog stays open, so the edit is not lost"
        assert app.screen.query_one(TextArea).text == "not a law at all"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EditDialog))
        assert type(app.screen).__name__ == "ReviewScreen"
    assert any("does not parse" in message for message in errors(app))
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.review(first.id).status == "pending"


@pytest.mark.asyncio
async def test_decisions_then_resume_let_the_team_act_on_them(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        for _ in range(2):
            await pilot.press("y")
            await wait_until(pilot, lambda: notified(app, "approved by alice") > _, lambda: app.notices)
        await dialog(app, pilot, "n")
        await answer(app, pilot, "no", then="rejected by alice")
        with Memory.open(load_project(path).memory_path) as memory:
            rest = [review.id for review in memory.reviews(status="pending")]
            rejected = memory.reviews(status="rejected")[0].subject
            assert len(memory.reviews(status="approved")) == 2
        for item in rest:  # the same library call the keys make, to keep the test short
            actions.decide(load_project(path), item, "approved", "alice")
        await run_team(app, pilot)
        assert app.steering.state == "done", app.steering.detail
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.reviews(status="pending") == []
        assert all(review.applied_at for review in memory.reviews())
        assert all(claim.status in SETTLED for claim in memory.claims() if claim.id != rejected)
        assert memory.claim(rejected).status == "open" and "no" in memory.claim(rejected).reason


@pytest.mark.asyncio
async def test_add_conjecture_is_the_persons_claim_and_the_team_settles_it(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await dialog(app, pilot, "a")
        app.screen.query_one(Input).value = "x * y = y * x => x = y"
        await answer(app, pilot, "", then="Added Person1=>Equation2")
        with Memory.open(load_project(path).memory_path) as memory:
            claim = memory.claim("Person1=>Equation2")
            assert claim is not None and claim.author == "person alice" and claim.status == "conjectured"
            assert memory.task("pair:Person1=>Equation2").status == "pending"
        await run_team(app, pilot)
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim("Person1=>Equation2").status == "refuted"  # commutative magmas need not be trivial


@pytest.mark.asyncio
async def test_a_persons_conjecture_on_a_finished_run_rewrites_the_report_and_gets_lean(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    project = load_project(path)
    before = project.report_path.read_text(encoding="utf-8")
    assert "Person1" not in before
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await dialog(app, pilot, "a")
        app.screen.query_one(Input).value = "x * y = y * x => x = y"
        await answer(app, pilot, "", then="Added Person1=>Equation2")
        await run_team(app, pilot)
        assert app.steering.state == "done", app.steering.detail
    after = project.report_path.read_text(encoding="utf-8")
    assert "| Person1 | `x ◇ y = y ◇ x` |" in after, "the report was written again, with the person's law"
    with Memory.open(project.memory_path) as memory:
        assert memory.task("report").status == "done" and memory.task("formalize").status == "done"
        [lean] = [a for a in memory.artifacts(kind="lean") if a.claim_id == "Person1=>Equation2"]
    source = (project.run_dir / lean.path).read_text(encoding="utf-8")
    assert "Person1" in source, "the person's refuted claim has its Lean like any other"


@pytest.mark.asyncio
async def test_shift_y_approves_a_whole_gate_optionally_the_well_tested_conjectures(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    with Memory.open(load_project(path).memory_path) as memory:
        waiting = memory.reviews(status="pending")
    threshold = max(item.evidence["examples_survived"] for item in waiting)
    well_tested = {item.id for item in waiting if item.evidence["examples_survived"] >= threshold}
    assert 0 < len(well_tested) < len(waiting)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await open_review(app, pilot)
        await dialog(app, pilot, "Y")
        await answer(app, pilot, str(threshold), then="gate approved by alice")
        with Memory.open(load_project(path).memory_path) as memory:
            assert {item.id for item in memory.reviews(status="approved")} == well_tested
            assert all(item.decided_by == "alice" for item in memory.reviews(status="approved"))
        await dialog(app, pilot, "Y")
        await answer(app, pilot, "all", then="gate approved by alice")
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.reviews(status="pending") == []


@pytest.mark.asyncio
async def test_the_dashboards_waiting_line_follows_the_decisions(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        await run_team(app, pilot)
        assert app.steering.state == "waiting"
        with Memory.open(load_project(path).memory_path) as memory:
            waiting = [item.id for item in memory.reviews(status="pending")]
        # reload() reads the memory and redraws the overview at once: no waiting needed after it.
        app.screen.reload(force=True)
        assert f"waiting — {len(waiting)} item(s) wait" in overview_text(app)
        actions.decide(load_project(path), waiting[0], "approved", "alice")
        app.screen.reload(force=True)
        assert f"waiting — {len(waiting) - 1} item(s) wait" in overview_text(app)
        for item in waiting[1:]:
            actions.decide(load_project(path), item, "approved", "alice")
        app.screen.reload(force=True)
        assert "every item is decided: press s" in overview_text(app).replace("\n", " ")


@pytest.mark.asyncio
async def test_a_conjecture_that_does_not_parse_is_refused_with_a_notification(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await dialog(app, pilot, "a")
        await answer(app, pilot, "x = y", then="LAW => LAW")
    assert any("LAW => LAW" in message for message in errors(app))
    with Memory.open(load_project(path).memory_path) as memory:
        assert len(memory.claims()) == 56


@pytest.mark.asyncio
async def test_add_task_by_hand_is_recorded_as_the_persons(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await dialog(app, pilot, "t")
        await answer(app, pilot, "1", then="Added examples:exhaustive:1:alice")
    with Memory.open(load_project(path).memory_path) as memory:
        task = memory.task("examples:exhaustive:1:alice")
        assert task is not None and task.status == "pending" and task.role == "example_generator"
        added = [e for e in memory.events() if e.action == "task added"]
        assert [(e.actor, e.subject) for e in added] == [("person alice", task.id)]


HOLD_LIMIT_S = 120.0
"""How long a held team waits for its test before it fails the run: a bound on a broken test, not a pace."""


@pytest.fixture
def held_team(monkeypatch):
    """The UI's team holds at its first step until the test lets it go: until then it can neither
    finish nor reach the check that stops it, so the test sees "running" and "pausing" for sure,
    and the pause lands mid-run."""
    from mathteam.tui import steering

    release = threading.Event()

    def held(project, on_progress=None, should_stop=None):
        steps = itertools.count()

        def progress(step):
            if next(steps) == 0 and not release.wait(HOLD_LIMIT_S):
                raise RuntimeError("the test never let the held team go on")
            on_progress(step)

        return run_project(project, on_progress=progress, should_stop=should_stop)

    monkeypatch.setattr(steering, "run_project", held)
    yield release
    release.set()  # a test that failed before letting it go must not leave the team's thread waiting


@pytest.mark.asyncio
async def test_start_pause_and_resume_from_the_ui(tmp_path, held_team):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="steer", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.steering.state != "idle")
        assert app.steering.state == "running"
        await pilot.press("x")
        await wait_until(pilot, lambda: app.steering.state != "running")
        assert app.steering.state == "pausing"
        held_team.set()
        await wait_for_team(app, pilot, endings_before=0)
        assert app.steering.state == "paused", app.steering.detail
        with Memory.open(load_project(path).memory_path) as memory:
            assert memory.task_counts().get("pending", 0) > 0
        await run_team(app, pilot)
        assert app.steering.state == "done", app.steering.detail
        await show(app, pilot, "1", "DashboardScreen")
        assert "proved 30" in overview_text(app)
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim_counts() == {"proved": 30, "refuted": 26}


@pytest.mark.asyncio
async def test_quit_while_the_team_runs_stops_it_first(tmp_path, held_team):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="quit", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.steering.state != "idle")
        await pilot.press("q")
        await wait_until(pilot, lambda: app.steering.state != "running")
        assert app.steering.state == "pausing"
        held_team.set()
        # The app quits by itself once the team stopped: wait for that, not for a fixed pause.
        await wait_until(pilot, lambda: app.return_code is not None)
        assert app.steering.state in ("paused", "done")
    assert app.return_code == 0
    # The memory is consistent: a headless run resumes it to the same answer.
    assert run_project(load_project(path)).claims == {"proved": 30, "refuted": 26}


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_headless_run_beside_the_ui_is_shown_live_and_nothing_is_locked(tmp_path):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="beside", laws='"etp:1-20"'), encoding="utf-8")
    # The other run is held mid-run below and writes nothing while held, so "recently" must cover
    # however long this machine takes to act on the keys: the UI must refuse to start all along.
    app = make_app(path, busy_seconds=3600.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)  # started: keys before that race the app's own start
        await show(app, pilot, "5", "LogScreen")
        # `mathteam run`, held once a claim is settled until a line comes on its stdin.
        with subprocess.Popen([sys.executable, str(RUN_UNTIL), str(path), "1", "--resume-on-input"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) as headless:
            output = await asyncio.to_thread(read_until_reached, headless)
            assert "REACHED" in output, output
            # Mid-run, with the run's memory and checkpoint open in the other process:
            await wait_until(pilot, lambda: app.other_run_active() is not None, lambda: app.last_event_id)
            await pilot.press("s")  # refused: the other run is working
            await wait_until(pilot, lambda: notified(app, "Another run is working") > 0, lambda: app.notices)
            assert not app.steering.running
            await dialog(app, pilot, "t")  # a person's write while the run holds the memory open
            await answer(app, pilot, "1", then="Added examples:exhaustive:1:alice")
            output += (await asyncio.to_thread(headless.communicate, "go on\n"))[0]
        with Memory.open(load_project(path).memory_path) as memory:
            total = len(memory.events())
        await wait_until(pilot, lambda: app.screen.shown_id >= total)
        assert app.screen.shown_id == total  # the log followed every event
    assert headless.returncode == 0, output
    assert "locked" not in output
    assert errors(app) == []
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.task("examples:exhaustive:1:alice") is not None


def read_until_reached(process: subprocess.Popen) -> str:
    """The process's output up to its `REACHED` line (or its end, if it ended first)."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("REACHED"):
            break
    return "".join(lines)


def test_reviewer_name_comes_from_as_then_environment_then_login(monkeypatch):
    monkeypatch.setenv("MATHTEAM_REVIEWER", "bob")
    assert actions.reviewer_name("carol") == "carol"
    assert actions.reviewer_name() == "bob"
    monkeypatch.delenv("MATHTEAM_REVIEWER")
    monkeypatch.setattr("getpass.getuser", lambda: "dana")
    assert actions.reviewer_name() == "dana"


def test_tui_command_with_a_missing_project_prints_one_line(tmp_path, capsys):
    assert main(["tui", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "file not found" in err and "Traceback" not in err


@pytest.mark.asyncio
async def test_command_palette_offers_the_team_commands(finished_run, tmp_path):
    app = make_app(copy_of(finished_run, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Start or resume the team", "Pause the team", "Add a conjecture", "Show review"} <= set(titles)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: screen_is(app, "CommandPalette"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_is(app, "DashboardScreen"))


@pytest.mark.asyncio
async def test_before_any_run_the_dashboard_says_so(tmp_path):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="fresh", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(app, pilot)
        assert "No run yet" in overview_text(app)
        for key, name in zip("23456", ("PlanScreen", "ClaimsScreen", "ReviewScreen", "LogScreen", "ReportScreen")):
            await show(app, pilot, key, name)
        await dialog(app, pilot, "a")  # nothing planned yet: refused, not crashed
        await answer(app, pilot, "x = y => x = x", then="no run yet")
    assert any("no run yet" in message for message in errors(app))
    assert not load_project(path).memory_path.exists()  # looking around created nothing
