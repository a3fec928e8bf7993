"""A free-form project against an OpenAI-compatible server on 127.0.0.1: real HTTP, every request an event,
budgets that stop the run and let it resume, and a server that misbehaves without hurting the memory."""

from __future__ import annotations

import sqlite3

import pytest
from llm_helpers import CODE, CONJECTURES, LEAN, PLAN, PROOF, PROSE, SCRIPT, freeform_text, replies

from mathteam.agents.freeform import lean as llm_formalizer
from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from loopback import LoopbackServer, error, garbage, reply, slow

MODEL_ACTOR = "(local, openai_compatible loopback-model)"


@pytest.fixture(autouse=True)
def no_lean(monkeypatch):
    """Whatever is installed here, these runs see no Lean toolchain (the formalizer tests fake one)."""
    monkeypatch.setattr(llm_formalizer, "find_toolchain", lambda: None)


def requests_recorded(memory: Memory) -> list:
    return [e for e in memory.events() if e.action == "model request"]


def intact(path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_freeform_run_makes_real_requests_and_records_each_with_its_tokens(write_project):
    with LoopbackServer(replies(*SCRIPT, tokens=(25, 12))) as server:
        path = write_project(freeform_text(server.base_url))
        outcome = run_project(load_project(path))
        sent = server.requests
    assert outcome.status == "done", outcome
    assert len(sent) == len(SCRIPT)
    assert "You are the planner" in sent[0]["messages"][0]["content"]
    assert "For which n is n^2 + n + 41 prime?" in sent[0]["messages"][1]["content"]
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        events = requests_recorded(memory)
        assert [e.role for e in events] == ["planner", "example_generator", "conjecturer", "prover",
                                            "formalizer", "writer"]
        assert all((e.outputs["tokens_in"], e.outputs["tokens_out"]) == (25, 12) for e in events)
        assert all(e.outputs["model"] == "local" and e.outputs["provider"] == "openai_compatible" for e in events)
        assert all(e.outputs["latency_s"] >= 0 and e.seconds is not None for e in events)
        assert [e.subject for e in events] == ["plan:goal", "ff:table", "ff:guess", "ff:proof", "ff:lean", "report"]
        assert {t.status for t in memory.tasks()} == {"done"}
        [claim] = memory.claims()
        # The model's conjecture, its informal proof and its unchecked Lean file change no status.
        assert claim.status == "conjectured" and claim.author == f"conjecturer {MODEL_ACTOR}"
        [proof] = memory.evidence(claim.id)
        assert (proof.kind, proof.accepted) == ("informal_proof", False)
        assert proof.payload["gaps"] == PROOF["gaps"]
        [lean] = memory.artifacts(kind="lean")
        assert lean.check_status == "not checked"
        table = memory.task("ff:table").outputs
        assert [run["kept"] for run in table["runs"]] == [True, False]
        assert table["runs"][0]["result"] == {"values": [n * n + n + 41 for n in range(10)]}
        assert len(memory.computations()) == 2
    report = project.report_path.read_text(encoding="utf-8")
    assert PROSE["summary"] in report and "prose is not checked" in report
    assert "| writer | local | 1 | 0 | 25 | 12 |" in report
    assert "Informal proofs (not checked)" in report and "not checked" in report


def test_token_budget_stops_the_run_says_which_and_resumes_only_when_raised(write_project, capsys):
    with LoopbackServer(replies(*SCRIPT[:3])) as server:
        path = write_project(freeform_text(server.base_url, budget="tokens = 70"))
        assert main(["run", str(path), "--quiet"]) == 6  # stopped early: a budget is spent
        asked = len(server.requests)
    out = capsys.readouterr().out
    assert "stopped early: token budget of 70 spent (run); raise it in" in out
    assert asked == 3  # 30 tokens each: the third request passes the limit; the fourth is never sent
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        assert memory.task("ff:proof").status == "pending"
        assert any(e.action == "model step refused" for e in memory.events())
    assert "**Stopped early**: token budget of 70 spent (run)." in project.report_path.read_text(encoding="utf-8")

    with LoopbackServer(replies(PROOF)) as server:  # not raised: spending is replayed, nothing is sent
        path.write_text(freeform_text(server.base_url, budget="tokens = 70"))
        outcome = run_project(load_project(path))
        assert server.requests == []
    assert (outcome.status, outcome.stop_reason) == ("stopped", "token budget of 70 spent (run)")

    with LoopbackServer(replies(PROOF, LEAN, PROSE)) as server:
        path.write_text(freeform_text(server.base_url, budget="tokens = 100000"))
        outcome = run_project(load_project(path))
        assert len(server.requests) == 3
    assert outcome.status == "done"
    with Memory.open(project.memory_path) as memory:
        events = requests_recorded(memory)
        assert len(events) == 6 and sum(e.outputs["tokens_in"] + e.outputs["tokens_out"] for e in events) == 180
        assert {t.status for t in memory.tasks()} == {"done"}


@pytest.mark.parametrize("budget, reason", [
    ("calls = 2", "call budget of 2 spent (run)"),
    ("[budget.roles.planner]\ncalls = 1", "call budget of 1 spent (planner)"),
])
def test_call_budgets_run_wide_and_per_role_stop_the_run(write_project, budget, reason):
    with LoopbackServer(replies(*SCRIPT)) as server:
        path = write_project(freeform_text(server.base_url, budget=budget))
        outcome = run_project(load_project(path))
    assert (outcome.status, outcome.stop_reason) == ("stopped", reason)


def test_garbage_errors_and_timeouts_fail_steps_cleanly_and_the_memory_stays_whole(write_project):
    steps = [garbage(), error(500),                                  # plan: fails once
             slow(), *replies(PLAN),                                 # plan: a timeout, then an answer
             *replies("I would rather not write code.", "{}"),       # compute: unparseable after a repair
             *replies(CODE),                                         # compute: second try
             error(500), error(502)]                                 # conjecture: fails; then the script is spent
    with LoopbackServer(steps) as server:
        path = write_project(freeform_text(server.base_url))
        outcome = run_project(load_project(path))
        sent = len(server.requests)
    # The conjecture step failed twice and everything after it depends on it: the run says so (exit 5).
    assert outcome.status == "failed"
    assert outcome.stop_reason.startswith("model steps failed (1 task(s) could not go on): conjecturer: local "
                                          f"(openai_compatible, model loopback-model, at {server.base_url}): ")
    project = load_project(path)
    intact(project.memory_path)
    with Memory.open(project.memory_path) as memory:
        events = requests_recorded(memory)
        assert len(events) == sent
        kinds = [(e.outputs["status"], e.outputs["error_kind"]) for e in events[:4]]
        assert kinds == [("failed", "malformed"), ("failed", "server"), ("failed", "timeout"), ("ok", None)]
        failures = [e for e in memory.events() if e.action == "model step failed"]
        assert {e.subject for e in failures} == {"plan:goal", "ff:table", "ff:guess"}
        assert memory.task("ff:table").outputs["kept"] == [0]
        guess = memory.task("ff:guess")
        assert guess.status == "pending" and len(guess.outputs["failures"]) == 2  # failed, not done
        assert memory.claims() == []

    # The model is back: the failed step is retried and the run completes.
    with LoopbackServer(replies(CONJECTURES, PROOF, LEAN, PROSE)) as server:
        path.write_text(freeform_text(server.base_url))
        outcome = run_project(load_project(path))
        assert len(server.requests) == 4
    assert outcome.status == "done"
    with Memory.open(project.memory_path) as memory:
        assert {t.status for t in memory.tasks()} == {"done"}
        assert [c.status for c in memory.claims()] == ["conjectured"]
    assert "Who did what" in project.report_path.read_text(encoding="utf-8")


def test_model_code_waits_at_the_run_code_gate_until_a_person_approves_it(write_project):
    with LoopbackServer(replies(PLAN, CODE)) as server:
        path = write_project(freeform_text(server.base_url, approval='gates = ["run_code"]'))
        outcome = run_project(load_project(path))
    assert outcome.status == "paused"
    [item] = outcome.waiting
    assert item["gate"] == "run_code" and item["subject"] == "ff:table"
    project = load_project(path)
    with Memory.open(project.memory_path) as memory:
        assert memory.computations() == []
        review = memory.review(item["id"])
        assert review.evidence["code"] == CODE["candidates"][0]["code"]
        from mathteam.memory import Actor
        memory.decide_review(item["id"], "approved", Actor.person("ada"))
    with LoopbackServer([]) as server:
        path.write_text(freeform_text(server.base_url, approval='gates = ["run_code"]'))
        outcome = run_project(load_project(path))
    assert outcome.status == "paused"  # the second candidate asks in its turn
    with Memory.open(project.memory_path) as memory:
        assert len(memory.computations()) == 1
        assert memory.task("ff:table").outputs["runs"][0]["kept"] is True


def test_freeform_without_a_model_planner_exits_2_naming_the_settings_it_needs(write_project, capsys):
    text = freeform_text("http://127.0.0.1:9/v1").replace('planner = "local"', 'planner = "symbolic"')
    assert main(["run", str(write_project(text))]) == 2
    err = capsys.readouterr().err
    assert "[team] planner: a freeform project without [[domain.claims]] needs a model brain" in err
    assert "[models.NAME]" in err and "base_url" in err


def test_plan_gate_asks_again_about_the_plan_the_model_made(write_project):
    with LoopbackServer(replies(PLAN)) as server:
        path = write_project(freeform_text(server.base_url, approval='gates = ["plan"]'))
        first = run_project(load_project(path))
        assert server.requests == []  # the model may not plan before a person lets it
        project = load_project(path)
        from mathteam.memory import Actor
        with Memory.open(project.memory_path) as memory:
            memory.decide_review(first.waiting[0]["id"], "approved", Actor.person("ada"))
        second = run_project(project)
        assert len(server.requests) == 1
    assert first.status == second.status == "paused"
    [item] = second.waiting
    assert item["gate"] == "plan" and "6 tasks" in item["question"]
    with Memory.open(project.memory_path) as memory:
        assert memory.task("ff:table").status == "pending"
        assert memory.computations() == []


def test_the_plan_keeps_only_tasks_a_model_can_do_within_the_limit_and_no_forward_dependencies():
    from mathteam.agents.freeform.plan import Plan, tasks_from

    plan = Plan.model_validate({"summary": "s", "extra": "ignored", "tasks": [
        {"key": "Table 1", "kind": "compute", "title": "t", "depends_on": ["later"]},
        {"key": "later", "kind": "prove", "title": "p", "depends_on": ["table-1", "nowhere"]},
        {"key": "lean", "kind": "formalize", "title": "f"},
        {"key": "later", "kind": "compute", "title": "again"},
        {"key": "more", "kind": "compute", "title": "m"}]})
    tasks, dropped = tasks_from(plan, ["compute", "prove"], max_tasks=2)
    assert [(t.id, t.role, t.depends_on) for t in tasks] == [
        ("ff:table-1", "example_generator", []), ("ff:later", "prover", ["ff:table-1"])]
    assert dropped == ["lean: no model brain does formalize tasks", "later: the key is used twice",
                       "more: beyond the limit of 2 tasks"]


def test_a_hosted_model_without_its_key_stops_the_run_with_one_line_and_exit_2(write_project, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    text = freeform_text("http://127.0.0.1:9/v1").replace(
        'provider = "openai_compatible"', 'provider = "openai"').replace('base_url = "http://127.0.0.1:9/v1"', "")
    path = write_project(text)
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Error: model 'local' needs a key: $OPENAI_API_KEY is not set" in err
    assert "Try: export OPENAI_API_KEY=..." in err
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.task("plan:goal").status == "pending"


def test_a_model_reply_streaming_in_shows_as_the_role_s_activity(write_project):
    activities: list[str] = []
    with LoopbackServer(replies(*SCRIPT)) as server:
        path = write_project(freeform_text(server.base_url))
        run_project(load_project(path), on_progress=lambda step: step.activity and activities.append(step.activity))
    assert any(a.startswith("planner: model reply streaming (") for a in activities), activities
