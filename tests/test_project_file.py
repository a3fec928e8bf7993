"""A bad project file is one line on stderr naming the file, the field and the problem, and exit 2."""

from __future__ import annotations

import pytest

from mathteam.cli import main
from mathteam.project import load_project
from helpers import project_text


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_quickstart_project_loads_with_46_laws(repo):
    project = load_project(repo / "projects" / "quickstart.toml")
    assert [law.name for law in project.config.domain.named_laws][:3] == ["Equation1", "Equation2", "Equation3"]
    assert len(project.config.domain.named_laws) == 46
    assert project.run_dir.name == "quickstart"


def test_user_laws_with_their_own_names_and_star_for_the_operation(write_project):
    path = write_project(laws='["Commutative: x * y = y * x", "Assoc: (a*b)*c = a*(b*c)", "etp:4"]')
    named = load_project(path).config.domain.named_laws
    assert [(law.name, str(law.law)) for law in named] == [
        ("Commutative", "x ◇ y = y ◇ x"), ("Assoc", "(x ◇ y) ◇ z = x ◇ (y ◇ z)"), ("Equation4", "x = x ◇ y")]
    assert named[0].etp_number == 43


BROKEN = {
    "missing file": (None, "file not found"),
    "not TOML": ("[project\nname = 1", "not valid TOML"),
    "missing field": (project_text().replace('name = "small"\n', ""), "[project] name: missing"),
    "mistyped field": (project_text(budget="wall_clock_seconds = \"soon\""),
                       "[budget] wall_clock_seconds: Input should be a valid number"),
    "unknown role": (project_text() + '\n[team]\npainter = "symbolic"\n', "[team] painter: unknown field"),
    "unknown domain": (project_text().replace("magma_implications", "knot_theory"),
                       "[domain] kind: unknown domain 'knot_theory'"),
    "law that does not parse": (project_text(laws='["x ◇ = y", "etp:4"]'),
                                "[domain] laws: 'x ◇ = y': expected a variable or '('"),
    "etp number out of range": (project_text(laws='"etp:0-5"'), "[domain] laws: etp:0 is out of range"),
    "juxtaposition": (project_text(laws='["xy = yx", "etp:4"]'),
                      "[domain] laws: 'xy = yx': juxtaposition is not read as the operation (write x ◇ y)"),
    "terms side by side": (project_text(laws='["x (y * z) = (x * y) * z", "etp:4"]'),
                           "juxtaposition is not read as the operation: write ◇ (or *) between the two terms"),
    "one law given twice": (project_text(laws='["x * y = y * x", "b * a = a * b"]'),
                            "[domain] laws: the 2 laws given are one law up to renaming variables and swapping "
                            "sides (x ◇ y = y ◇ x): name at least two different laws"),
    "unknown brain": (project_text() + '\n[team]\nprover = "oracle"\n', "[team] prover: unknown brain 'oracle'"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_project_file_exits_2_with_one_line_naming_field_and_problem(kind, write_project, capsys, tmp_path):
    text, expected = BROKEN[kind]
    path = tmp_path / "missing.toml" if text is None else write_project(text)
    code, out, err = run_cli(capsys, "run", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"Error: {path}: ")
    assert expected in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "runs").exists(), "a bad project file must not create a run"


def test_status_before_any_run_says_how_to_start(write_project, capsys):
    path = write_project()
    code, _, err = run_cli(capsys, "status", str(path))
    assert code == 2
    assert err.splitlines() == [f"Error: {path}: no run yet (no memory at {path.parent / 'runs/small/memory.sqlite'})",
                                f"Try: mathteam run {path}"]
