"""The E prover adapter: TPTP output, the SZS-status parser on recorded runs, and live runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathteam.domains.magma.terms import parse_law
from mathteam.tools.eprover import (
    eprover_version,
    extract_proof_steps,
    find_eprover,
    parse_output,
    prove_with_e,
    tptp_problem,
)
from mathteam.tools.errors import ToolCrashed, ToolUnavailable
from mathteam.tools.results import Disproved, Proved, TimedOut, Unknown
from mathteam.tools.command_runner import RunOutput

FIXTURES = Path(__file__).parent / "fixtures" / "eprover"
VERSION = "E 2.6 Floral Guranse (8e8bfa2a3f682a4a7d96975eaa7b1133c4267b13)"
LEFT_PROJECTION = parse_law("x = x ◇ y")
CONSTANT_ROWS = parse_law("x ◇ y = x ◇ z")
COMMUTATIVE = parse_law("x ◇ y = y ◇ x")
ASSOCIATIVE = parse_law("(x ◇ y) ◇ z = x ◇ (y ◇ z)")

live = pytest.mark.skipif(find_eprover() is None, reason="eprover is not on PATH (apt install eprover)")


def recorded(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text()


class FakeE:
    """Answers ``--version`` and replays one recorded proof run, remembering what it was asked."""

    def __init__(self, stdout: str = "", exit_code: int | None = 0, timed_out: bool = False):
        self.reply = RunOutput(stdout, "", exit_code, timed_out)
        self.calls: list[tuple[list[str], str, float]] = []

    def __call__(self, command, stdin, timeout):
        if "--version" in command:
            return RunOutput(VERSION + "\n", "", 0)
        self.calls.append((list(command), stdin, timeout))
        return self.reply


def test_problem_is_tptp_fof_with_every_variable_bound():
    problem = tptp_problem(LEFT_PROJECTION, CONSTANT_ROWS)
    assert problem == (
        "fof(hypothesis, axiom, ![X0,X1]: (X0 = m(X0,X1))).\n"
        "fof(goal, conjecture, ![X0,X1,X2]: (m(X0,X1) = m(X0,X2))).\n"
    )


def test_several_hypotheses_become_numbered_axioms():
    problem = tptp_problem([COMMUTATIVE, ASSOCIATIVE], parse_law("x = x"))
    assert "fof(hypothesis1, axiom, ![X0,X1]: (m(X0,X1) = m(X1,X0)))." in problem
    assert "fof(hypothesis2, axiom, ![X0,X1,X2]: (m(m(X0,X1),X2) = m(X0,m(X1,X2))))." in problem
    assert "fof(goal, conjecture, ![X0]: (X0 = X0))." in problem


def test_recorded_theorem_is_proved_with_its_proof_object_kept():
    result = parse_output(recorded("proved"), "", 0, version=VERSION, limit=2, seconds=0.01)
    assert isinstance(result, Proved)
    assert result.status_line == "# SZS status Theorem"
    assert "# SZS output start CNFRefutation" in result.output
    assert result.tool == "eprover" and result.version == VERSION


def test_recorded_counter_satisfiable_is_disproved():
    result = parse_output(recorded("counter_satisfiable"), "", 1, version=VERSION, limit=2, seconds=0.01)
    assert isinstance(result, Disproved)
    assert result.status_line == "# SZS status CounterSatisfiable"
    assert "SZS output start Saturation" in result.output


def test_recorded_resource_out_is_timed_out():
    result = parse_output(recorded("resource_out"), "", 7, version=VERSION, limit=1, seconds=1.0)
    assert isinstance(result, TimedOut)
    assert result.reason == "ResourceOut" and result.limit == 1


def test_gave_up_is_unknown_with_the_status_as_reason():
    output = "# No proof found!\n# SZS status GaveUp\n"
    result = parse_output(output, "", 9, version=VERSION, limit=2, seconds=0.1)
    assert isinstance(result, Unknown) and result.reason == "GaveUp"


def test_output_without_status_line_is_a_crash():
    with pytest.raises(ToolCrashed) as caught:
        parse_output("", "eprover: <stdin>:1: syntax error", 3, version=VERSION, limit=2, seconds=0.0)
    assert caught.value.exit_code == 3 and "syntax error" in caught.value.output


def test_runner_gets_the_problem_on_stdin_with_cpu_and_wall_limits():
    fake = FakeE(recorded("proved"), 0)
    result = prove_with_e(LEFT_PROJECTION, CONSTANT_ROWS, 1.5, binary="/opt/e/eprover", runner=fake)
    assert isinstance(result, Proved)
    [(command, stdin, timeout)] = fake.calls
    assert command == ["/opt/e/eprover", "--auto", "--silent", "--proof-object", "--cpu-limit=2"]
    assert stdin == tptp_problem(LEFT_PROJECTION, CONSTANT_ROWS)
    assert timeout > 2


def test_run_killed_at_the_wall_clock_limit_is_timed_out():
    fake = FakeE("", None, timed_out=True)
    result = prove_with_e(COMMUTATIVE, ASSOCIATIVE, 3, binary="/opt/e/eprover", runner=fake)
    assert isinstance(result, TimedOut) and result.reason == "wall-clock" and result.limit == 3


def test_missing_binary_is_tool_unavailable(tmp_path):
    with pytest.raises(ToolUnavailable):
        prove_with_e(COMMUTATIVE, ASSOCIATIVE, 1, binary=str(tmp_path / "eprover"))


def test_eprover_absent_from_path_is_tool_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_eprover() is None
    with pytest.raises(ToolUnavailable, match="not on PATH"):
        prove_with_e(COMMUTATIVE, ASSOCIATIVE, 1)


def test_proof_steps_are_split_into_name_role_formula_and_source():
    steps = extract_proof_steps(recorded("proved"))
    assert [s.name for s in steps[:2]] == ["goal", "hypothesis"]
    assert steps[1].role == "axiom" and steps[1].formula == "![X1, X2]:X1=m(X1,X2)"
    assert steps[-1].formula == "($false)"
    assert steps[-1].source.startswith("inference(cn,")


@pytest.mark.live
@live
def test_live_e_proves_a_consequence():
    result = prove_with_e(LEFT_PROJECTION, CONSTANT_ROWS, 2)
    assert isinstance(result, Proved)
    assert extract_proof_steps(result.output)[-1].formula == "($false)"


@pytest.mark.live
@live
def test_live_e_refutes_a_non_consequence():
    assert isinstance(prove_with_e(COMMUTATIVE, ASSOCIATIVE, 2), Disproved)


@pytest.mark.live
@live
def test_live_e_runs_out_of_time_on_a_hard_problem():
    problem = (FIXTURES / "resource_out.p").read_text().splitlines()[0]
    hypothesis, conclusion = problem.removeprefix("% ").split(" ⊢ ")
    result = prove_with_e(parse_law(hypothesis), parse_law(conclusion), 1)
    assert isinstance(result, TimedOut)


@pytest.mark.live
@live
def test_live_version_names_e():
    assert eprover_version().startswith("E ")
