"""The Lean check seam: finding a toolchain, parsing ``--json`` output, classifying outcomes."""

from __future__ import annotations

import stat
import sys
import time
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from mathteam.domains.magma.lean import lean_module, refutation_theorem
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.errors import ToolUnavailable
from mathteam.tools.lean_check import (
    DEFAULT_MEMORY_MB,
    NO_TOOLCHAIN,
    Compiled,
    Crashed,
    Failed,
    LeanCheckResult,
    LeanToolchain,
    NotChecked,
    OutOfMemory,
    TimedOut,
    check_lean_file,
    find_lean,
    memory_limit_mb,
    parse_messages,
)
from mathteam.tools.command_runner import RunOutput

FIXTURES = Path(__file__).parent / "fixtures" / "lean"
FAKE = LeanToolchain(command=("lean",))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def replaying(stdout: str, exit_code: int | None = 0, stderr: str = "", timed_out: bool = False):
    """A runner that prints ``stdout`` and records the command it was given."""
    calls: list[tuple[str, ...]] = []

    def runner(command, stdin, timeout):
        calls.append(tuple(command))
        return RunOutput(stdout, stderr, exit_code, timed_out)

    runner.calls = calls
    return runner


@pytest.fixture
def lean_file(tmp_path: Path) -> Path:
    path = tmp_path / "Check.lean"
    path.write_text("theorem t : 1 = 1 := rfl\n")
    return path


def write_script(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


def test_parse_messages_reads_lean_json_lines_and_keeps_other_lines():
    messages, other = parse_messages(fixture("decide_false.jsonl") + "plain text line\n\n")
    assert [m.severity for m in messages] == ["warning", "error"]
    error = messages[1]
    assert error.text.startswith("tactic 'decide' proved that the proposition")
    assert (error.pos.line, error.pos.column, error.end_pos.column) == (27, 55, 61)
    assert error.file_name == "/tmp/Refutation.lean"
    assert other == ["plain text line"]


def test_parse_messages_accepts_newer_fields_it_does_not_use():
    messages, _ = parse_messages(fixture("unknown_identifier.jsonl"))
    assert messages[0].text == "unknown identifier 'tableOq'"


def test_no_toolchain_means_not_checked_never_compiled(lean_file, monkeypatch, tmp_path):
    monkeypatch.delenv("MATHTEAM_LEAN_PROJECT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.elan/bin either
    assert find_lean() is None
    result = check_lean_file(lean_file)
    assert result == NotChecked(reason=NO_TOOLCHAIN)
    assert "install elan" in result.reason


def test_errors_make_the_check_fail(lean_file):
    result = check_lean_file(lean_file, FAKE, runner=replaying(fixture("decide_false.jsonl"), exit_code=1))
    assert isinstance(result, Failed)
    assert not result.uses_sorry
    assert [m.text for m in result.errors] == [
        "tactic 'decide' proved that the proposition\n  Equation43 (Fin 2)\nis false"
    ]
    assert len(result.warnings) == 1


def test_a_sorry_warning_alone_fails_the_check(lean_file):
    result = check_lean_file(lean_file, FAKE, runner=replaying(fixture("sorry_only.jsonl"), exit_code=0))
    assert isinstance(result, Failed)
    assert result.uses_sorry
    assert result.errors[0].text == "declaration uses 'sorry'"


def test_clean_output_compiles_with_its_warnings_and_information(lean_file):
    runner = replaying(fixture("clean_with_info.jsonl"))
    result = check_lean_file(lean_file, FAKE, runner=runner)
    assert isinstance(result, Compiled)
    assert [m.severity for m in result.warnings] == ["warning"]
    assert result.messages[0].text.endswith("does not depend on any axioms")
    assert runner.calls == [("lean", "--json", str(lean_file.resolve()))]


def test_failing_exit_without_error_messages_is_a_crash(lean_file):
    runner = replaying("INTERNAL PANIC\n", exit_code=134, stderr="Stack overflow")
    result = check_lean_file(lean_file, FAKE, runner=runner)
    assert result == Crashed(exit_code=134, stderr="Stack overflow\nINTERNAL PANIC", command=result.command)


def test_wall_clock_limit_gives_timed_out(lean_file):
    result = check_lean_file(lean_file, FAKE, timeout_s=7, runner=replaying("", exit_code=None, timed_out=True))
    assert result == TimedOut(limit=7, command=("lean", "--json", str(lean_file.resolve())))


def test_missing_file_is_a_caller_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        check_lean_file(tmp_path / "absent.lean", FAKE, runner=replaying(""))


def test_results_are_frozen_and_round_trip_through_json(lean_file):
    result = check_lean_file(lean_file, FAKE, runner=replaying(fixture("decide_false.jsonl"), exit_code=1))
    adapter = TypeAdapter(LeanCheckResult)
    assert adapter.validate_json(adapter.dump_json(result)) == result
    with pytest.raises(ValidationError):
        result.uses_sorry = True
    with pytest.raises(ValidationError):
        NotChecked(reason="x", verified=True)


def test_fake_lean_on_path_runs_end_to_end_through_a_subprocess(lean_file, tmp_path, monkeypatch):
    monkeypatch.delenv("MATHTEAM_LEAN_PROJECT", raising=False)
    bin_dir = tmp_path / "bin"
    write_script(bin_dir, "lean", f"cat '{FIXTURES / 'sorry_only.jsonl'}'\nexit 0\n")
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    toolchain = find_lean()
    assert toolchain == LeanToolchain(command=(str(bin_dir / "lean"),))
    result = check_lean_file(lean_file)
    assert isinstance(result, Failed) and result.uses_sorry

    write_script(bin_dir, "lean", f"cat '{FIXTURES / 'unknown_identifier.jsonl'}'\nexit 1\n")
    failed = check_lean_file(lean_file)
    assert isinstance(failed, Failed) and failed.errors[0].text == "unknown identifier 'tableOq'"


def test_fake_lean_past_its_limit_is_killed(lean_file, tmp_path):
    # `exec` so that killing the shell kills the sleeper, which would otherwise hold the pipe open.
    # It never ends by itself: only the kill at the limit stops it, however slow this machine is.
    script = write_script(tmp_path / "bin", "lean", "exec sleep 600\n")
    result = check_lean_file(lean_file, LeanToolchain(command=(str(script),)), timeout_s=0.3)
    assert isinstance(result, TimedOut)


def test_lake_project_is_checked_through_lake_env(lean_file, tmp_path, monkeypatch):
    project = tmp_path / "proofs"
    project.mkdir()
    (project / "lakefile.lean").write_text("import Lake\n")
    bin_dir = tmp_path / "bin"
    record = tmp_path / "argv.txt"
    write_script(bin_dir, "lake", f'printf "%s\\n" "$@" > "{record}"\nexit 0\n')
    toolchain = find_lean(project, search_path=str(bin_dir))
    assert toolchain.project_dir == str(project.resolve())
    assert isinstance(check_lean_file(lean_file, toolchain), Compiled)
    argv = record.read_text().splitlines()
    assert argv == ["-d", str(project.resolve()), "env", "lean", "--json", str(lean_file.resolve())]

    monkeypatch.setenv("MATHTEAM_LEAN_PROJECT", str(project))
    assert find_lean(search_path=str(bin_dir)) == toolchain


def test_a_configured_project_that_cannot_work_is_reported_loudly(tmp_path):
    with pytest.raises(ToolUnavailable, match="not a Lake project"):
        find_lean(tmp_path, search_path=str(tmp_path))
    (tmp_path / "lakefile.toml").write_text('name = "p"\n')
    with pytest.raises(ToolUnavailable, match="`lake` is not installed"):
        find_lean(tmp_path, search_path=str(tmp_path / "nowhere"))


def python_script(directory: Path, name: str, body: str) -> Path:
    script = write_script(directory, name, "")
    script.write_text(f"#!{sys.executable}\n" + body)
    return script


def test_a_fake_lean_allocating_past_the_memory_limit_is_out_of_memory_not_clean(lean_file, tmp_path):
    # It prints a clean-looking message first: what a stopped run printed must not count.
    script = python_script(tmp_path / "bin", "lean", (
        "import json, sys\n"
        "print(json.dumps({'fileName': sys.argv[-1], 'pos': {'line': 1, 'column': 0}, 'severity': 'information',"
        " 'data': \"'t' does not depend on any axioms\"}), flush=True)\n"
        "hoard = bytearray(1024 * 1024 * 1024)\n"
        "print('unreachable')\n"))
    result = check_lean_file(lean_file, LeanToolchain(command=(str(script),)), timeout_s=20, memory_mb=256)
    assert isinstance(result, OutOfMemory), result
    assert result.limit_mb == 256 and "MemoryError" in result.stderr


def test_the_same_fake_lean_without_the_small_limit_gets_its_memory(lean_file, tmp_path):
    script = python_script(tmp_path / "bin", "lean", "hoard = bytearray(300 * 1024 * 1024)\n")
    assert isinstance(check_lean_file(lean_file, LeanToolchain(command=(str(script),)), timeout_s=20,
                                      memory_mb=2048), Compiled)


def test_lean_reporting_out_of_memory_itself_is_out_of_memory(lean_file):
    runner = replaying(fixture("decide_false.jsonl"), exit_code=1, stderr="INTERNAL PANIC: out of memory")
    result = check_lean_file(lean_file, FAKE, runner=runner)
    assert isinstance(result, OutOfMemory) and result.exit_code == 1


def test_a_lean_killed_by_a_signal_is_a_crash_even_after_printing_errors(lean_file):
    result = check_lean_file(lean_file, FAKE, runner=replaying(fixture("decide_false.jsonl"), exit_code=-9))
    assert result == Crashed(exit_code=-9, stderr="killed by signal 9", command=result.command)


def test_the_memory_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("MATHTEAM_LEAN_MEMORY_MB", raising=False)
    assert memory_limit_mb() == DEFAULT_MEMORY_MB == 8192
    monkeypatch.setenv("MATHTEAM_LEAN_MEMORY_MB", "512")
    assert memory_limit_mb() == 512
    monkeypatch.setenv("MATHTEAM_LEAN_MEMORY_MB", "lots")
    with pytest.raises(ValueError, match="positive number of MiB"):
        memory_limit_mb()


def test_a_timeout_kills_the_whole_process_group(lean_file, tmp_path):
    # Like `lake env lean`: the shell forks a child that would keep the pipes open after the shell dies.
    # Were the child left alive, the check would wait out its 600 s for the pipes; the bound is far
    # from both that and the 0.5 s limit, so a loaded machine cannot fail it.
    script = write_script(tmp_path / "bin", "lean", "sleep 600 &\nwait\n")
    started = time.monotonic()
    result = check_lean_file(lean_file, LeanToolchain(command=(str(script),)), timeout_s=0.5)
    assert isinstance(result, TimedOut)
    assert time.monotonic() - started < 120


@pytest.mark.live
@pytest.mark.skipif(find_lean() is None, reason=NO_TOOLCHAIN)
def test_real_lean_compiles_a_generated_refutation(tmp_path):
    e4, e43 = parse_law("x = x ◇ y"), parse_law("x ◇ y = y ◇ x")
    table = [[0, 0, 0], [1, 1, 1], [2, 2, 2]]
    theorem = refutation_theorem("Equation4", e4, "Equation43", e43, table)
    source = lean_module("Live", [theorem], {"Equation4": e4, "Equation43": e43})
    path = tmp_path / "Live.lean"
    path.write_text(source)
    result = check_lean_file(path, timeout_s=300)
    assert isinstance(result, Compiled), result
