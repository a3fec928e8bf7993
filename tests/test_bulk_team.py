"""The bulk engine inside the team: same answers as pair by pair, small memory, nothing redone."""

from __future__ import annotations

import csv
import io

import pytest

from helpers import project_text
from mathteam.cli import main
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.tools.eprover import find_eprover

LAWS = '"etp:1-46"'


def exported(path, capsys) -> dict[tuple[str, str], str]:
    capsys.readouterr()
    assert main(["export", str(path), "--format", "csv"]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {(row["lhs"], row["rhs"]): row["status"] for row in rows}


@pytest.fixture(scope="module")
def pair_answers(tmp_path_factory):
    path = tmp_path_factory.mktemp("pairs") / "project.toml"
    path.write_text(project_text(name="pairs", laws=LAWS, extra='engine = "pairs"'), encoding="utf-8")
    assert main(["run", "--quiet", str(path)]) == 0
    with Memory.open(load_project(path).memory_path) as memory:
        return {(c.data["hypothesis"], c.data["conclusion"]): c.status for c in memory.claims()}


def test_bulk_engine_gives_the_pair_by_pair_answers_with_far_fewer_rows(write_project, capsys, pair_answers):
    if find_eprover() is None:
        pytest.skip("the bulk engine's prover is the E prover (eprover), not installed here")
    path = write_project(name="bulk", laws=LAWS, extra='engine = "bulk"')
    assert main(["run", "--quiet", str(path)]) == 0
    answers = exported(path, capsys)
    assert len(answers) == 2070
    assert answers == pair_answers
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.db["claims"].count < 2070 / 2, "claims only for direct results, not for every pair"
        for claim in memory.claims(status="proved"):
            assert any(e.accepted for e in memory.evidence(claim.id)), claim.id
        tables = memory.db["tasks"].count
    report = load_project(path).report_path.read_text(encoding="utf-8")
    assert "0 failed" in report and "Independent re-checks" in report
    credited = [line for line in report.splitlines() if line.startswith("| example_generator")]
    assert credited and sum(int(line.rsplit("|", 2)[1]) for line in credited) == \
        sum(1 for status in answers.values() if status == "refuted")

    assert main(["run", "--quiet", str(path)]) == 0  # again: nothing left to do
    with Memory.open(load_project(path).memory_path) as memory:
        assert memory.db["tasks"].count == tables
    assert exported(path, capsys) == answers


def test_proving_rounds_go_on_past_round_nine_and_a_stale_report_is_written_again(write_project):
    # Task ids sort as text, "bulk:prove:0:10" before "bulk:prove:0:9"; the planner must still
    # take round 10 as the latest, and new work must reopen a report written too early.
    from mathteam.agents.magma import bulk as magma_bulk
    from mathteam.graph.context import TeamContext
    from mathteam.memory import Actor, Task

    path = write_project(name="rounds", laws=LAWS, extra='engine = "bulk"')
    project = load_project(path)
    person = Actor.person("tester")
    with Memory.open(project.memory_path) as memory:
        rounds = [Task(id=f"bulk:prove:0:{r}", kind="bulk_prove", role="prover", title="round", status="done",
                       inputs={"level": 0, "round": r, "seconds": 1.0}, outputs={"tried": 5}) for r in (9, 10)]
        searches = [Task(id="bulk:search:0:9", kind="bulk_search", role="example_generator", title="search", status="done",
                         outputs={"found": 0})]
        report = Task(id="report", kind="report", role="writer", title="report", status="done", depends_on=["bulk:*"])
        memory.add_tasks([*rounds, *searches, report], person)
        magma_bulk.follow_ups(memory, TeamContext(project=project))
        assert memory.task("bulk:search:0:10").status == "pending"
        assert memory.task("bulk:prove:0:11") is None
        assert memory.task("report").status == "pending"


def test_a_bulk_run_in_a_log_prints_what_each_phase_settled(write_project, capsys):
    if find_eprover() is None:
        pytest.skip("the bulk engine's prover is the E prover (eprover), not installed here")
    path = write_project(name="bulk-log", laws='"etp:1-20"', extra='engine = "bulk"')
    assert main(["run", str(path)]) == 0
    err = capsys.readouterr().err
    assert "matrix_affine: seconds" in err and "% settled" in err
    assert "100.000 % settled, 0 unknown" in err


def test_an_open_pair_of_non_representatives_names_the_representatives_question(write_project):
    from mathteam.agents.magma import bulk as magma_bulk

    path = write_project(name="open-reasons", laws='"etp:1-4"', extra='engine = "bulk"')
    project = load_project(path)
    engine = magma_bulk.open_engine(project)
    # Laws 2 and 3 (indices 1, 2) proved equivalent; nothing else known; E tried 0 ⇒ 1 and 3 ⇒ 1.
    engine.matrix.add_true(1, 2, 0)
    engine.matrix.add_true(2, 1, 0)
    engine.log.add_attempt(0, 1, "eprover", 1.0, "ResourceOut")
    engine.log.add_attempt(3, 1, "eprover", 1.0, "ResourceOut")
    with Memory.open(project.memory_path) as memory:
        magma_bulk.record_open_pairs(memory, project, engine)
        reasons = {(c.data["hypothesis"], c.data["conclusion"]): c.reason for c in memory.claims(status="open")}
    assert reasons[("Equation1", "Equation2")] == "eprover 1 s: ResourceOut"
    assert reasons[("Equation1", "Equation3")] == ("the same question as Equation1 implies Equation2 "
                                                  "(equivalent laws, proved): eprover 1 s: ResourceOut")
    assert reasons[("Equation4", "Equation3")].startswith("the same question as Equation4 implies Equation2")
    assert reasons[("Equation1", "Equation4")] == "not attempted: follows from no key pair"
    assert ("Equation2", "Equation3") not in reasons
