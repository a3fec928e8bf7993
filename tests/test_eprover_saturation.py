"""E's saturated clause set of hypotheses alone (tools/eprover.saturate): recorded runs and one live run."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathteam.domains.magma.terms import parse_law
from mathteam.tools.command_runner import RunOutput
from mathteam.tools.eprover import (
    SATURATION_STRATEGIES,
    SaturationStrategy,
    find_eprover,
    parse_saturated_equations,
    saturate,
)
from mathteam.tools.errors import ToolCrashed

FIXTURES = Path(__file__).parent / "fixtures" / "eprover"
ABSORPTION = parse_law("x ◇ (y ◇ x) = x")
live = pytest.mark.skipif(find_eprover() is None, reason="eprover is not on PATH (apt install eprover)")


class Replay:
    def __init__(self, stdout: str, timed_out: bool = False):
        self.reply = RunOutput(stdout, "", None if timed_out else 0, timed_out)
        self.calls: list[tuple[list[str], str, float]] = []

    def __call__(self, command, stdin, timeout):
        self.calls.append((list(command), stdin, timeout))
        return self.reply


def test_recorded_saturation_gives_its_equations_and_status():
    runner = Replay((FIXTURES / "saturated_Equation_x_yx.txt").read_text())
    result = saturate(ABSORPTION, 5, binary="eprover", runner=runner)
    assert result.status == "Satisfiable" and result.saturated
    assert set(result.equations) == {ABSORPTION, parse_law("(x ◇ y) ◇ y = x ◇ y")}
    assert result.other_clauses == 0 and result.strategy == "auto"
    command, stdin, timeout = runner.calls[0]
    assert "--print-saturated=eE" in command and "--cpu-limit=5" in command and "--auto" in command
    assert "conjecture" not in stdin and "axiom" in stdin and timeout > 5


def test_recorded_resource_out_is_not_saturated_and_has_no_equations():
    result = saturate(ABSORPTION, 1, binary="eprover",
                      runner=Replay((FIXTURES / "saturation_resource_out.txt").read_text()))
    assert result.status == "ResourceOut" and not result.saturated and result.equations == ()


def test_wall_clock_kill_and_missing_status():
    assert saturate(ABSORPTION, 1, binary="eprover", runner=Replay("", timed_out=True)).status == "wall-clock"
    with pytest.raises(ToolCrashed):
        saturate(ABSORPTION, 1, binary="eprover", runner=Replay("garbage\n"))


def test_strategy_options_reach_the_command():
    runner = Replay((FIXTURES / "saturated_Equation_x_yx.txt").read_text())
    strategy = SaturationStrategy("kbo-plain", ("--term-ordering=KBO6", "-H(1*Refinedweight(PreferGoals,1,1,1,1,1))"))
    assert saturate(ABSORPTION, 2, strategy, binary="eprover", runner=runner).strategy == "kbo-plain"
    assert runner.calls[0][0][1:3] == list(strategy.options)
    assert SATURATION_STRATEGIES[0].name == "auto"


def test_disequations_disjunctions_and_constants_are_counted_not_parsed():
    output = "\n".join([
        "cnf(i_0_1, plain, (m(X1,X2)=m(X2,X1))).",
        "cnf(i_0_2, negated_conjecture, (m(esk1_0,esk2_0)!=m(esk2_0,esk1_0))).",
        "cnf(i_0_3, plain, (m(X1,X1)=X1|m(X2,X1)=X2)).",
        "cnf(i_0_4, plain, (m(esk1_0,X1)=X1)).",
        "# Processed positive unit clauses:",
    ])
    laws, other = parse_saturated_equations(output)
    assert laws == [parse_law("x ◇ y = y ◇ x")] and other == 3


@pytest.mark.live
@live
def test_live_e_saturates_absorption():
    result = saturate(ABSORPTION, 5)
    assert result.saturated and ABSORPTION in result.equations
