"""Approval gates: the run stops where the project says, and each person's decision is obeyed once."""

from __future__ import annotations

import threading

import pytest

from helpers import project_text
from mathteam import review
from mathteam.cli import main
from mathteam.errors import ReviewError
from mathteam.graph import decisions
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

# Six laws whose conjectures need a prover: a certificate (an instance, `x = x`) settles a
# conjecture without asking anyone, so laws 1-5 alone would leave nothing to ask about.
LAWS = '"etp:3-5,8,9,23"'
ALL_GATES = 'gates = ["plan", "conjecture", "statement", "report"]'


def gated(write_project, approval: str = ALL_GATES):
    return write_project(name="gated", laws=LAWS, approval=approval)


def memory_of(path) -> Memory:
    return Memory.open(load_project(path).memory_path)


def decide_pending(path, gate: str, decision: str = "approved", who: str = "carol") -> list[int]:
    with memory_of(path) as memory:
        ids = [item.id for item in review.pending(memory) if item.gate == gate]
        for item_id in ids:
            review.decide(memory, item_id, decision, who, reason="not wanted" if decision == "rejected" else None)
    return ids


def test_run_pauses_at_the_plan_gate_with_exit_3_and_says_what_waits(write_project, capsys):
    path = gated(write_project)
    assert main(["run", "--quiet", str(path)]) == 3
    out = capsys.readouterr().out
    assert "paused at an approval gate; 1 item(s) wait" in out
    assert "[1] plan: Approve the plan" in out
    assert f"mathteam review {path}" in out
    with memory_of(path) as memory:
        assert memory.claim_counts() == {"open": 30}, "nothing may run before the plan is approved"


def test_decisions_across_several_runs_are_obeyed_and_reach_the_report_and_export(write_project, capsys):
    path = gated(write_project)
    assert run_project(load_project(path)).status == "paused"
    decide_pending(path, "plan", who="alice")
    outcome = run_project(load_project(path))
    assert outcome.status == "paused" and {item["gate"] for item in outcome.waiting} == {"conjecture"}

    with memory_of(path) as memory:
        by_subject = {item.subject: item.id for item in review.pending(memory)}
        review.decide(memory, by_subject["Equation4=>Equation23"], "rejected", "alice", reason="too easy")
        review.decide(memory, by_subject["Equation5=>Equation8"], "edited", "bob",
                      edit="x = y ◇ x => x = x ◇ (x ◇ (x ◇ x))")
    decide_pending(path, "conjecture")
    assert run_project(load_project(path)).status == "paused"  # now the statements wait
    decide_pending(path, "statement")
    assert run_project(load_project(path)).status == "paused"  # the report's sign-off
    decide_pending(path, "report", who="dana")
    assert run_project(load_project(path)).status == "done"

    with memory_of(path) as memory:
        rejected = memory.claim("Equation4=>Equation23")
        assert rejected.status == "open" and "rejected at the conjecture gate by alice" in rejected.reason
        assert "too easy" in rejected.reason
        replaced = memory.claim("Equation5=>Equation8")
        assert replaced.status == "open" and "replaced by bob's edit" in replaced.reason
        [edited] = [c for c in memory.claims() if c.author == "person bob"]
        assert edited.data["conclusion_law"] == "x = x ◇ (x ◇ (x ◇ x))" and edited.status == "proved"
        assert edited.id == f"Equation5=>{edited.data['conclusion']}" and edited.data["conclusion"].startswith("Edit")
        assert memory.task("report").status == "done"
        applied = [e for e in memory.events() if e.action == "review applied"]
        assert len(applied) == len(memory.reviews()) == len({e.subject for e in applied})
    text = load_project(path).report_path.read_text(encoding="utf-8")
    assert "| alice | conjecture | rejected | 1 |" in text and "| bob | conjecture | edited | 1 |" in text
    assert "bob proposed 1 claim(s)" in text

    assert main(["export", str(path), "--format", "json"]) == 0
    exported = capsys.readouterr().out
    assert "rejected at the conjecture gate by alice" in exported and edited.id in exported


def test_a_decision_is_applied_exactly_once_even_if_the_run_dies_while_applying(write_project, monkeypatch):
    path = gated(write_project, approval='gates = ["conjecture"]')
    run_project(load_project(path))
    with memory_of(path) as memory:
        first, second = [item.id for item in review.pending(memory)][:2]
        review.decide(memory, first, "rejected", "alice", reason="no")
        review.decide(memory, second, "edited", "bob", edit="x = y => x = (x ◇ x) ◇ x")

    calls = {"n": 0}
    original = decisions.APPLY["conjecture"]

    def dies_on_the_second(memory, context, item):
        calls["n"] += 1
        original(memory, context, item)
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is stopped in the middle of applying

    monkeypatch.setitem(decisions.APPLY, "conjecture", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        run_project(load_project(path))
    monkeypatch.setitem(decisions.APPLY, "conjecture", original)
    run_project(load_project(path))
    with memory_of(path) as memory:
        applied = [e.subject for e in memory.events() if e.action == "review applied"]
        assert applied.count(str(first)) == 1 and applied.count(str(second)) == 1
        edits = [c for c in memory.claims() if c.author == "person bob"]
        assert len(edits) == 1, "the edit's new claim was added once, not twice"
        assert len(memory.tasks(ids=[f"pair:{edits[0].id}"])) == 1


def test_two_reviewers_deciding_one_item_at_once_one_wins_the_other_is_told(write_project):
    path = gated(write_project, approval='gates = ["plan"]')
    run_project(load_project(path))
    results: list[str] = []

    def decide(who: str, decision: str) -> None:
        with memory_of(path) as memory:
            try:
                review.decide(memory, 1, decision, who, reason="no")
                results.append(f"{who} won")
            except ReviewError as error:
                results.append(f"{who} refused: {error}")

    threads = [threading.Thread(target=decide, args=(who, d)) for who, d in (("ann", "approved"), ("ben", "rejected"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.split()[1] for r in results) == ["refused:", "won"], results
    with memory_of(path) as memory:
        decided = [e for e in memory.events() if e.action.startswith("review ") and e.actor_kind == "person"]
        assert len(decided) == 1


@pytest.mark.parametrize("argv, message", [
    (["approve", "99"], "no review item 99"),
    (["reject", "1", "--reason", "   "], "a rejection needs a reason"),
    (["edit", "1", "--file", "EDIT"], "items at the plan gate cannot be edited"),
])
def test_bad_review_input_exits_2_with_one_line_and_changes_nothing(write_project, capsys, tmp_path, argv, message):
    path = gated(write_project, approval='gates = ["plan"]')
    run_project(load_project(path))
    (tmp_path / "EDIT").write_text("anything")
    argv = [a if a != "EDIT" else str(tmp_path / "EDIT") for a in argv]
    capsys.readouterr()
    assert main(["review", str(path), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    with memory_of(path) as memory:
        assert memory.review(1).status == "pending"


def test_an_edit_that_does_not_parse_is_refused(write_project, capsys, tmp_path):
    path = gated(write_project, approval='gates = ["conjecture"]')
    run_project(load_project(path))
    (tmp_path / "edit.txt").write_text("x = y => x ◇")
    with memory_of(path) as memory:
        item_id = review.pending(memory)[0].id
    assert main(["review", str(path), "edit", str(item_id), "--file", str(tmp_path / "edit.txt")]) == 2
    assert "the edit does not parse" in capsys.readouterr().err
    with memory_of(path) as memory:
        assert memory.review(item_id).status == "pending"


def test_approve_all_runs_unattended_and_records_that_it_approved(write_project):
    path = gated(write_project)
    assert run_project(load_project(path), approve_all=True).status == "done"
    with memory_of(path) as memory:
        items = memory.reviews()
        assert items and all(item.status == "approved" and item.decided_by == "mathteam" for item in items)
        assert all("unattended" in item.comment for item in items)


def test_conjecture_gate_narrowed_to_well_tested_conjectures(write_project):
    approval = 'gates = ["conjecture"]\nconjecture_min_examples = 3'
    path = gated(write_project, approval=approval)
    run_project(load_project(path))
    with memory_of(path) as memory:
        asked = {item.subject for item in memory.reviews()}
        tasks = {t.inputs["claim"]: t for t in memory.tasks(kind="implication")}
    assert asked, "some conjectures survived 3 or more examples"
    exempt = [cid for cid, t in tasks.items() if "not asked" in str(t.outputs.get("conjecture_gate", ""))]
    assert exempt and not set(exempt) & asked


def test_conjecture_gate_stops_a_sequences_project_before_anything_is_proved(tmp_path, repo):
    text = (repo / "projects" / "sequences.toml").read_text(encoding="utf-8")
    assert "gates = []" in text
    path = tmp_path / "sequences.toml"
    path.write_text(text.replace("gates = []", 'gates = ["conjecture"]'), encoding="utf-8")
    outcome = run_project(load_project(path))
    assert outcome.status == "paused"
    with memory_of(path) as memory:
        asked = {item.subject: item.id for item in review.pending(memory)}
        assert "dyck:closed_form=recurrence" in asked
        assert memory.claim_counts().get("proved", 0) == 0, "nothing is proved before a person approves"
        with pytest.raises(ReviewError, match="claims cannot be edited at the conjecture gate"):
            review.decide(memory, asked["dyck:closed_form=recurrence"], "edited", "alice", edit="x = y => x = x")
        review.decide(memory, asked["dyck:closed_form=recurrence"], "rejected", "alice", reason="not now")
        for subject, item_id in asked.items():
            if subject != "dyck:closed_form=recurrence":
                review.decide(memory, item_id, "approved", "bob")
    assert run_project(load_project(path)).status == "done"
    with memory_of(path) as memory:
        rejected = memory.claim("dyck:closed_form=recurrence")
        assert rejected.status == "open" and "rejected at the conjecture gate by alice" in rejected.reason
        assert memory.claim("binary_trees:closed_form=recurrence").status == "proved"
