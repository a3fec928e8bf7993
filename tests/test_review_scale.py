"""Review at scale: decisions over many items, no questions a certificate answers, a fast CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mathteam import review
from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

LAWS = '"etp:1-5,43"'
# Laws with conjectures a person is asked about (a certificate settles the others unasked).
ASKED_LAWS = '"etp:3-5,8,9,23"'


def memory_of(path) -> Memory:
    return Memory.open(load_project(path).memory_path)


@pytest.mark.parametrize("approval", ['gates = ["report"]', 'gates = ["report"]\npolicy = { report = "auto" }'])
def test_approve_all_with_a_report_gate_finishes_the_report(write_project, approval):
    path = write_project(name="signed", laws=LAWS, approval=approval)
    approve_all = "auto" not in approval
    assert run_project(load_project(path), approve_all=approve_all).status == "done"
    with memory_of(path) as memory:
        assert memory.task("report").status == "done", "the report task must not be left waiting"
        [item] = memory.reviews(gate="report")
        assert item.status == "approved" and item.applied_at is not None


def conjecture_gated(write_project):
    path = write_project(name="many", laws=ASKED_LAWS, approval='gates = ["conjecture"]')
    assert run_project(load_project(path)).status == "paused"
    return path


def waiting(path) -> dict[int, object]:
    with memory_of(path) as memory:
        return {item.id: item for item in review.pending(memory)}


def test_approve_a_list_of_ids_and_ranges_decides_exactly_those(write_project, capsys):
    path = conjecture_gated(write_project)
    ids = sorted(waiting(path))
    assert len(ids) >= 5
    chosen = [ids[0], *ids[2:5]]
    text = f"{ids[0]},{ids[2]}-{ids[4]}"
    capsys.readouterr()
    assert main(["review", str(path), "approve", text, "--as", "alice", "--comment", "fine"]) == 0
    assert f"{len(chosen)} items approved by alice (conjecture {len(chosen)})" in capsys.readouterr().out
    with memory_of(path) as memory:
        decided = {item.id: item for item in memory.reviews() if item.status != "pending"}
    assert sorted(decided) == chosen
    assert all(item.decided_by == "alice" and item.comment == "fine" for item in decided.values())


def test_reject_every_waiting_item_of_a_gate_filtered_by_examples(write_project, capsys):
    path = conjecture_gated(write_project)
    items = waiting(path)
    support = sorted({item.evidence["examples_survived"] for item in items.values()})
    assert len(support) >= 2, "the filter must separate something"
    threshold = support[-1]
    expected = sorted(n for n, item in items.items() if item.evidence["examples_survived"] >= threshold)
    argv = ["review", str(path), "reject", "--gate", "conjecture", "--min-examples", str(threshold),
            "--reason", "enough of these", "--as", "bob"]
    assert main(argv) == 0
    with memory_of(path) as memory:
        rejected = sorted(item.id for item in memory.reviews(status="rejected"))
        assert rejected == expected
        assert len(memory.reviews(status="pending")) == len(items) - len(expected)
    assert main(["review", str(path), "approve", "--gate", "conjecture", "--as", "bob"]) == 0
    assert run_project(load_project(path)).status == "done"
    with memory_of(path) as memory:
        for item_id in expected:
            claim = memory.claim(items[item_id].subject)
            assert claim.status == "open" and "enough of these" in claim.reason


@pytest.mark.parametrize("argv, message", [
    (["approve", "1,2,999"], "no review item 999"),
    (["approve", "3-1"], "a range runs from the smaller id to the larger"),
    (["approve", "1;2"], "is not a list of item ids"),
    (["approve"], "name the items"),
    (["approve", "1", "--gate", "conjecture"], "name the items"),
    (["reject", "1-3", "--reason", " "], "a rejection needs a reason"),
    (["approve", "--gate", "plan"], "no item waits for a decision at the plan gate"),
    (["approve", "--gate", "conjecture", "--min-examples", "100000"], "with at least 100000 examples"),
])
def test_a_bad_selection_exits_2_with_one_line_and_decides_nothing(write_project, capsys, argv, message):
    path = conjecture_gated(write_project)
    before = waiting(path)
    capsys.readouterr()
    assert main(["review", str(path), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert waiting(path).keys() == before.keys()


def test_a_list_with_one_decided_item_decides_none_of_them(write_project, capsys):
    path = conjecture_gated(write_project)
    first, second, third = sorted(waiting(path))[:3]
    assert main(["review", str(path), "approve", str(second), "--as", "ann"]) == 0
    capsys.readouterr()
    assert main(["review", str(path), "reject", f"{first}-{third}", "--reason", "no", "--as", "ben"]) == 2
    assert f"item {second} already decided (item {second} was approved by ann" in capsys.readouterr().err
    left = waiting(path)
    assert first in left and third in left and second not in left


HEAVY = ("langgraph", "textual", "sympy", "sqlite_utils", "numpy", "mathteam.agents", "mathteam.graph",
         "mathteam.runner", "mathteam.tui", "mathteam.project", "z3", "pysat", "matplotlib")


@pytest.mark.parametrize("action", [[], ["show", "1"], ["approve", "1", "--as", "ann"],
                                    ["reject", "2,3", "--reason", "no", "--as", "ann"]])
def test_review_loads_no_team_no_mathematics_and_no_ui(write_project, action):
    """What keeps `mathteam review` fast: it reads the queue and nothing else (figures: bench/README.md)."""
    path = conjecture_gated(write_project)
    script = ("import sys; from mathteam.cli import main; code = main(sys.argv[1:]); "
              f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} "
              f"or any(m.startswith(h + '.') or m == h for h in {HEAVY!r})); "
              "print('HEAVY', heavy); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, "review", str(path), *action],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout, done.stdout.splitlines()[-1]


def test_the_cli_knows_the_same_gates_as_the_project_file():
    from mathteam.cli import GATE_NAMES
    from mathteam.project import GATES
    assert GATE_NAMES == GATES


def test_conjectures_a_certificate_settles_are_not_asked_but_proved_with_it(write_project):
    path = write_project(name="trivial", laws='"etp:1-5,8,9,23"', approval='gates = ["conjecture", "statement"]')
    assert run_project(load_project(path)).status == "paused"
    with memory_of(path) as memory:
        asked = {item.subject for item in memory.reviews()}
        tasks = {t.inputs["claim"]: t for t in memory.tasks(kind="implication")}
    # `x = x ◇ y => x = x ◇ x` (an instance), `... => x = x` (both sides alike), `x = y => ...`
    # (one element): a certificate answers each, so nobody is asked.
    for trivial in ("Equation4=>Equation3", "Equation8=>Equation1", "Equation2=>Equation23"):
        assert trivial not in asked
        assert "settled at once by a syntactic certificate" in tasks[trivial].outputs["conjecture_gate"]
    assert {"Equation3=>Equation8", "Equation9=>Equation3"} <= asked, "the real questions are still asked"
    with memory_of(path) as memory:
        for trivial in ("Equation4=>Equation3", "Equation8=>Equation1", "Equation2=>Equation23"):
            assert memory.claim(trivial).status == "proved"
            [evidence] = memory.evidence(claim_id=trivial)
            assert evidence.kind == "syntactic_proof" and evidence.accepted


def test_review_of_a_project_that_has_not_run_or_is_broken_says_so_in_one_line(write_project, capsys):
    path = write_project(name="never", laws=ASKED_LAWS)
    assert main(["review", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"Error: {path}: no run yet (no memory at {load_project(path).memory_path})"
    broken = write_project(text='[project]\nname = "bad name!"\ngoal = "g"\n', filename="broken.toml")
    assert main(["run", str(broken)]) == 2
    from_run = capsys.readouterr().err
    assert main(["review", str(broken)]) == 2
    assert capsys.readouterr().err == from_run, "the very line `mathteam run` gives"
