"""The terminal UI, driven by Textual's pilot over real project memories: every screen and every action."""

from __future__ import annotations

import asyncio
import io
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


async def wait_until(pilot, condition, timeout_s: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds; a generous bound, so load only slows the test."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await pilot.pause(0.02)


async def wait_for_team(app: MathTeamApp, pilot) -> None:
    """Until the team's worker ended and the app and its screen handled the state it ended in."""
    await app.workers.wait_for_complete()
    await wait_until(pilot, lambda: not app.steering.running and f"team {app.steering.state}" in app.title)
    # The app handled the state change and posted it to the screen; a callback queued behind it runs
    # once the screen handled it too.
    handled = asyncio.Event()
    app.screen.call_later(handled.set)
    await asyncio.wait_for(handled.wait(), 30)


@pytest.mark.asyncio
async def test_every_screen_shows_the_memory_at_80x24(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overview = static_text(app.screen.query_one("#overview", Static))
        assert "Which of these laws imply which?" in overview
        assert "proved 30" in overview and "refuted 26" in overview
        assert "writer" in overview  # what each role did last
        await pilot.press("2")
        assert app.screen.query_one("#tasks", DataTable).row_count == 60  # 56 pairs + 4 computations
        await pilot.press("3")
        assert app.screen.query_one("#claims", DataTable).row_count == 56
        await pilot.press("4")
        assert app.screen.query_one("#reviews", DataTable).row_count == 0
        await pilot.press("5")
        with Memory.open(load_project(path).memory_path) as memory:
            last = memory.events()[-1].id
        assert app.screen.shown_id == last
        assert len(app.screen.query_one(RichLog).lines) >= min(last, BACKLOG)  # a line or more per event
        await pilot.press("6")
        await pilot.pause()
        assert "small" in app.screen.query_one(Markdown).source
        await pilot.press("1")
        assert type(app.screen).__name__ == "DashboardScreen"
    assert errors(app) == []


@pytest.mark.asyncio
async def test_claims_filter_sort_and_evidence(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "slash", *"refuted", "escape")
        await pilot.pause()
        table = app.screen.query_one("#claims", DataTable)
        assert table.row_count == 26
        await pilot.press("o")  # sort by status
        assert app.screen.sort_column == "status"
        await pilot.press("o", "o")  # by author
        assert app.screen.sort_column == "author"
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        details = app.screen.query_one(ClaimView)
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
    app = make_app(copy_of(finished_run, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"pair:Equation2=>Equation1", "escape")
        await pilot.pause()
        assert app.screen.query_one("#tasks", DataTable).row_count == 1
        body = static_text(app.screen.query_one("#task-body", Static))
        assert "pair:Equation2=>Equation1" in body
        assert '"claim": "Equation2=>Equation1"' in body  # inputs
        assert "attempts" in body or "result" in body  # outputs
        assert "task done" in body  # its events


@pytest.mark.asyncio
async def test_approve_records_the_reviewer_and_the_event(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#reviews", DataTable)
        pending = table.row_count
        assert pending > 0
        first = app.screen.selected()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.query_one("#reviews", DataTable).row_count == pending - 1
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
        await pilot.press("4")
        first = app.screen.selected()
        await pilot.press("n")
        assert isinstance(app.screen, InputDialog)
        await pilot.press("escape")
        with Memory.open(load_project(path).memory_path) as memory:
            assert memory.review(first.id).status == "pending"
        await pilot.press("n", "enter")  # an empty reason is refused in the dialog
        assert isinstance(app.screen, InputDialog)
        await pilot.press(*"too strong", "enter")
        await pilot.pause()
    with Memory.open(load_project(path).memory_path) as memory:
        decided = memory.review(first.id)
    assert (decided.status, decided.reason, decided.decided_by) == ("rejected", "too strong", "alice")


@pytest.mark.asyncio
async def test_edit_opens_the_statement_and_records_the_edit(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        first = app.screen.selected()
        await pilot.press("e")
        assert isinstance(app.screen, EditDialog)
        editor = app.screen.query_one(TextArea)
        assert "=>" in editor.text  # opens with the conjecture written as laws
        await pilot.press(*"x=y=>x=x*x", "ctrl+s")  # the proposal opens selected: typing replaces it
        await pilot.pause()
    with Memory.open(load_project(path).memory_path) as memory:
        decided = memory.review(first.id)
    assert (decided.status, decided.edit, decided.decided_by) == ("edited", "x=y=>x=x*x", "alice")


@pytest.mark.asyncio
async def test_an_edit_that_does_not_parse_is_a_notification_keeps_the_text_and_changes_nothing(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        first = app.screen.selected()
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "not a law at all"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog), "the dialog stays open, so the edit is not lost"
        assert app.screen.query_one(TextArea).text == "not a law at all"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
    assert any("does not parse" in message for message in errors(app))
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.review(first.id).status == "pending"


@pytest.mark.asyncio
async def test_decisions_then_resume_let_the_team_act_on_them(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "y", "y", "n", *"no", "enter")
        await pilot.pause()
        with Memory.open(load_project(path).memory_path) as memory:
            rest = [review.id for review in memory.reviews(status="pending")]
            rejected = memory.reviews(status="rejected")[0].subject
        for item in rest:  # the same library call the keys make, to keep the test short
            actions.decide(load_project(path), item, "approved", "alice")
        await pilot.press("s")
        await wait_for_team(app, pilot)
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
        await pilot.press("a")
        assert isinstance(app.screen, InputDialog)
        app.screen.query_one(Input).value = "x * y = y * x => x = y"
        await pilot.press("enter")
        await pilot.pause()
        with Memory.open(load_project(path).memory_path) as memory:
            claim = memory.claim("Person1=>Equation2")
            assert claim is not None and claim.author == "person alice" and claim.status == "conjectured"
            assert memory.task("pair:Person1=>Equation2").status == "pending"
        await pilot.press("s")
        await wait_for_team(app, pilot)
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
        await pilot.press("a")
        app.screen.query_one(Input).value = "x * y = y * x => x = y"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await wait_for_team(app, pilot)
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
        await pilot.press("4", "Y")
        assert isinstance(app.screen, InputDialog)
        await pilot.press(*str(threshold), "enter")
        await pilot.pause()
        with Memory.open(load_project(path).memory_path) as memory:
            assert {item.id for item in memory.reviews(status="approved")} == well_tested
            assert all(item.decided_by == "alice" for item in memory.reviews(status="approved"))
        await pilot.press("Y", *"all", "enter")
        await pilot.pause()
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.reviews(status="pending") == []


@pytest.mark.asyncio
async def test_the_dashboards_waiting_line_follows_the_decisions(gated_run, tmp_path):
    path = copy_of(gated_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for_team(app, pilot)
        assert app.steering.state == "waiting"
        with Memory.open(load_project(path).memory_path) as memory:
            waiting = [item.id for item in memory.reviews(status="pending")]
        app.screen.reload(force=True)
        await pilot.pause()
        assert f"waiting — {len(waiting)} item(s) wait" in static_text(app.screen.query_one("#overview", Static))
        actions.decide(load_project(path), waiting[0], "approved", "alice")
        app.screen.reload(force=True)
        await pilot.pause()
        assert f"waiting — {len(waiting) - 1} item(s) wait" in static_text(app.screen.query_one("#overview", Static))
        for item in waiting[1:]:
            actions.decide(load_project(path), item, "approved", "alice")
        app.screen.reload(force=True)
        await pilot.pause()
        overview = static_text(app.screen.query_one("#overview", Static))
        assert "every item is decided: press s" in overview.replace("\n", " ")


@pytest.mark.asyncio
async def test_a_conjecture_that_does_not_parse_is_refused_with_a_notification(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"x = y", "enter")
        await pilot.pause()
    assert any("LAW => LAW" in message for message in errors(app))
    with Memory.open(load_project(path).memory_path) as memory:
        assert len(memory.claims()) == 56


@pytest.mark.asyncio
async def test_add_task_by_hand_is_recorded_as_the_persons(finished_run, tmp_path):
    path = copy_of(finished_run, tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "1", "enter")
        await pilot.pause()
    with Memory.open(load_project(path).memory_path) as memory:
        task = memory.task("examples:exhaustive:1:alice")
        assert task is not None and task.status == "pending" and task.role == "example_generator"
        added = [e for e in memory.events() if e.action == "task added"]
        assert [(e.actor, e.subject) for e in added] == [("person alice", task.id)]


@pytest.fixture
def held_team(monkeypatch) -> threading.Event:
    """The UI's team holds after its third step until the test lets it go, so a pause lands mid-run."""
    from mathteam.tui import steering

    release = threading.Event()

    def held(project, on_progress=None, should_stop=None):
        steps = iter(range(1_000_000))

        def progress(step):
            if next(steps) == 3:
                release.wait(10)
            on_progress(step)

        return run_project(project, on_progress=progress, should_stop=should_stop)

    monkeypatch.setattr(steering, "run_project", held)
    return release


@pytest.mark.asyncio
async def test_start_pause_and_resume_from_the_ui(tmp_path, held_team):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="steer", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert app.steering.state == "running"
        await pilot.press("x")
        assert app.steering.state == "pausing"
        held_team.set()
        await wait_for_team(app, pilot)
        assert app.steering.state == "paused", app.steering.detail
        with Memory.open(load_project(path).memory_path) as memory:
            assert memory.task_counts().get("pending", 0) > 0
        await pilot.press("s")
        await wait_for_team(app, pilot)
        assert app.steering.state == "done", app.steering.detail
        await pilot.press("1")
        assert "proved 30" in static_text(app.screen.query_one("#overview", Static))
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.claim_counts() == {"proved": 30, "refuted": 26}


@pytest.mark.asyncio
async def test_quit_while_the_team_runs_stops_it_first(tmp_path, held_team):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="quit", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "q")
        assert app.steering.state == "pausing"
        held_team.set()
        await app.workers.wait_for_complete()
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
    app = make_app(path, busy_seconds=5.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        headless = subprocess.Popen([sys.executable, "-m", "mathteam", "run", str(path), "--quiet"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seen_running = False
        while headless.poll() is None:
            await pilot.pause(0.1)
            if app.last_event_id and not seen_running:
                seen_running = True
                await pilot.press("s")  # refused: the other run is working
                await pilot.press("t", "1", "enter")  # a person's write while the run writes
        output = headless.communicate()[0]
        with Memory.open(load_project(path).memory_path) as memory:
            total = len(memory.events())
        await wait_until(pilot, lambda: app.screen.shown_id >= total)
        assert app.screen.shown_id == total  # the log followed every event
    assert headless.returncode == 0, output
    assert "locked" not in output
    assert errors(app) == []
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.task("examples:exhaustive:1:alice") is not None
    assert any("Another run is working" in message for _, message in app.notices)


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
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Start or resume the team", "Pause the team", "Add a conjecture", "Show review"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape")


@pytest.mark.asyncio
async def test_before_any_run_the_dashboard_says_so(tmp_path):
    path = tmp_path / "project.toml"
    path.write_text(project_text(name="fresh", laws=SMALL_LAWS), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No run yet" in static_text(app.screen.query_one("#overview", Static))
        for key in "23456":
            await pilot.press(key)
        await pilot.press("a", *"x = y => x = x", "enter")  # nothing planned yet: refused, not crashed
        await pilot.pause()
    assert any("no run yet" in message for message in errors(app))
    assert not load_project(path).memory_path.exists()  # looking around created nothing
