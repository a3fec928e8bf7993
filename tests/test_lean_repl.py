"""The REPL adapter against a fake REPL speaking the protocol: answers, recycling, and failures never read as clean.

The fake is a small Python program written to the protocol of leanprover-community/repl (its README
and ``REPL/JSON.lean``): blank-line separated JSON commands in, pretty-printed JSON answers each
followed by a blank line out. It compiles nothing; words in the command make it misbehave.
"""

from __future__ import annotations

import stat
import sys
import textwrap
import types
from pathlib import Path

import pytest

from mathteam.domains.magma.lean import (
    NAMESPACE,
    approved_statement,
    lean_module,
    module_header,
    refutation_theorem,
    singleton_theorem,
)
from mathteam.domains.magma.terms import parse_law
from mathteam.tools.lean_check import Compiled, Crashed, Failed, OutOfMemory, TimedOut
from mathteam.tools.lean_gate import TheoremAccepted, TheoremRejected, approve, gate_theorems, with_axiom_prints
from mathteam.tools.lean_repl import (
    LeanInteractRepl,
    LeanRepl,
    ReplConfig,
    ReplRejected,
    check_source,
    find_repl,
    open_repl,
    rss_mb,
)

FAKE_REPL = textwrap.dedent("""\
    import json, os, re, sys, time
    envs, hoard = 0, []

    def commands():
        lines = []
        for line in sys.stdin:
            if line.strip():
                lines.append(line)
            elif lines:
                yield "".join(lines)
                lines = []

    def message(severity, line, data):
        return {"severity": severity, "pos": {"line": line, "column": 0},
                "endPos": {"line": line, "column": 5}, "data": data}

    for text in commands():
        request = json.loads(text)
        cmd = request["cmd"]
        if "env" in request and request["env"] >= envs:
            print(json.dumps({"message": "Unknown environment."}, indent=1), end="\\n\\n", flush=True)
            continue
        if "CRASH" in cmd:
            print("PANIC at fake", file=sys.stderr, flush=True)
            sys.exit(3)
        if "OOM" in cmd:
            print("INTERNAL PANIC: out of memory", file=sys.stderr, flush=True)
            sys.exit(1)
        if "HANG" in cmd:
            time.sleep(60)
        if "LEAK" in cmd:
            hoard.append(b"x" * (150 * 1024 * 1024))
        if "GARBAGE" in cmd:
            print("this is not json\\n{oops", end="\\n\\n", flush=True)
            continue
        messages, sorries = [], []
        for number, line in enumerate(cmd.split("\\n"), 1):
            if line.startswith("PID"):
                messages.append(message("info", number, str(os.getpid())))
            found = re.match(r"#print axioms (\\S+)", line)
            if found:
                axioms = "sorryAx" if "BROKEN" in cmd and "Equation2_implies" in found.group(1) else "propext"
                messages.append(message("info", number, f"'{found.group(1)}' depends on axioms: [{axioms}]"))
            if "BROKEN" in line:
                messages.append(message("error", number, "type mismatch"))
            if line.strip() == "sorry":
                messages.append(message("warning", number - 2, "declaration uses 'sorry'"))
                sorries.append({"pos": {"line": number, "column": 2}, "endPos": {"line": number, "column": 7},
                                "goal": "⊢ True", "proofState": 0})
        answer = {"env": envs}
        envs += 1
        if messages:
            answer["messages"] = messages
        if sorries:
            answer["sorries"] = sorries
        print(json.dumps(answer, indent=1, ensure_ascii=False), end="\\n\\n", flush=True)
    """)


@pytest.fixture
def fake_repl(tmp_path) -> Path:
    script = tmp_path / "bin" / "repl"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\n" + FAKE_REPL)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def repl(script: Path, **settings) -> LeanRepl:
    return LeanRepl(ReplConfig(command=(str(script),), **settings))


def pid_of(session: LeanRepl) -> int:
    response = session.run("PID")
    return int(response["messages"][0]["data"])


def test_answers_carry_env_messages_and_sorries_and_envs_build_on_each_other(fake_repl):
    with repl(fake_repl) as session:
        first = session.run("def f := 2\n#print axioms f")
        assert first == {"env": 0, "messages": [{"severity": "info", "pos": {"line": 2, "column": 0},
                                                 "endPos": {"line": 2, "column": 5},
                                                 "data": "'f' depends on axioms: [propext]"}]}
        assert session.run("example : f = 2 := rfl", env=0) == {"env": 1}
        assert session.run("example : True := by\n  trivial", env=7) == ReplRejected(
            message="environment 7 does not exist in this REPL process "
                    "(it was never made here, or the REPL was recycled since)")


def test_check_source_classifies_like_a_file_check(fake_repl):
    with repl(fake_repl) as session:
        clean = check_source(session, "theorem t : True := trivial\n#print axioms t")
        assert isinstance(clean, Compiled)
        assert clean.messages[0].severity == "information"
        assert clean.messages[0].text == "'t' depends on axioms: [propext]"
        with_sorry = check_source(session, "theorem t : True := by\n\n  sorry")
        assert isinstance(with_sorry, Failed) and with_sorry.uses_sorry
        broken = check_source(session, "theorem t : True := BROKEN")
        assert isinstance(broken, Failed) and broken.errors[0].text == "type mismatch"


def test_a_hanging_command_is_timed_out_and_the_next_command_gets_a_fresh_repl(fake_repl):
    with repl(fake_repl) as session:
        before = pid_of(session)
        assert isinstance(check_source(session, "HANG", timeout_s=0.5), TimedOut)
        assert pid_of(session) != before
        assert session.restarts == 1


def test_a_repl_that_dies_is_a_crash_with_its_last_words(fake_repl):
    with repl(fake_repl) as session:
        result = check_source(session, "theorem t : True := trivial -- CRASH")
        assert isinstance(result, Crashed)
        assert result.exit_code == 3 and "PANIC at fake" in result.stderr
        assert isinstance(check_source(session, "theorem t : True := trivial"), Compiled)


def test_a_repl_out_of_memory_is_out_of_memory(fake_repl):
    with repl(fake_repl, memory_mb=4096) as session:
        result = check_source(session, "OOM")
        assert isinstance(result, OutOfMemory) and result.limit_mb == 4096


def test_garbage_instead_of_an_answer_is_a_crash_not_a_clean_check(fake_repl):
    with repl(fake_repl) as session:
        result = check_source(session, "GARBAGE")
        assert isinstance(result, Crashed) and "unparseable REPL answer" in result.stderr


def test_the_repl_is_recycled_after_n_commands(fake_repl):
    with repl(fake_repl, max_commands=3) as session:
        pids = [pid_of(session) for _ in range(7)]
    assert len(set(pids[:3])) == 1 and len(set(pids)) == 3
    assert pids[2] != pids[3] and pids[5] != pids[6]


def test_the_repl_is_recycled_when_its_resident_memory_grows_past_the_limit(fake_repl):
    with repl(fake_repl, max_rss_mb=100) as session:
        before = pid_of(session)
        assert rss_mb(before) < 100
        session.run("LEAK")
        assert rss_mb(before) > 100
        after = pid_of(session)
    assert after != before and rss_mb(after) == 0  # and the closed REPL is gone


def test_the_gate_judges_repl_checked_theorems_one_by_one(fake_repl):
    laws = {"Equation2": parse_law("x = y"), "Equation4": parse_law("x = x ◇ y"),
            "Equation43": parse_law("x ◇ y = y ◇ x")}
    names = {"Equation4_not_implies_Equation43": ("Equation4", "Equation43", False),
             "Equation2_implies_Equation43": ("Equation2", "Equation43", True)}
    theorems = [refutation_theorem("Equation4", laws["Equation4"], "Equation43", laws["Equation43"], [[0, 0], [1, 1]]),
                singleton_theorem("Equation2", laws["Equation2"], "Equation43", laws["Equation43"])]
    source = with_axiom_prints(lean_module("Gate", theorems, laws), [f"{NAMESPACE}.{n}" for n in names])
    approval = approve(module_header("Gate", laws), {
        name: approved_statement(a, b, proves=proves) for name, (a, b, proves) in names.items()}, namespace=NAMESPACE)
    broken = source.replace("all_eq _ _\n", "all_eq _ _ -- BROKEN\n")
    with repl(fake_repl) as session:
        report = gate_theorems(broken, check_source(session, broken), approval)
        assert report.theorems["Equation4_not_implies_Equation43"] == TheoremAccepted(axioms=("propext",))
        rejected = report.theorems["Equation2_implies_Equation43"]
        assert isinstance(rejected, TheoremRejected) and rejected.reasons[0].startswith("error at line")
        assert "Equation2_implies_Equation43" in gate_theorems(source, check_source(session, source), approval).accepted


def test_find_repl_reads_the_environment_and_the_lake_project(tmp_path, monkeypatch, fake_repl):
    monkeypatch.setenv("MATHTEAM_LEAN_REPL", f"{fake_repl} --flag")
    assert find_repl() == ReplConfig(command=(str(fake_repl), "--flag"))
    monkeypatch.delenv("MATHTEAM_LEAN_REPL")
    monkeypatch.delenv("MATHTEAM_LEAN_PROJECT", raising=False)
    assert find_repl() is None
    project = tmp_path / "proofs"
    built = project / ".lake" / "packages" / "REPL" / ".lake" / "build" / "bin" / "repl"
    built.parent.mkdir(parents=True)
    built.write_text("")
    lake = fake_repl.parent / "lake"
    lake.write_text("#!/bin/sh\n")
    lake.chmod(0o755)
    monkeypatch.setenv("MATHTEAM_LEAN_PROJECT", str(project))
    assert find_repl(search_path=str(fake_repl.parent)) == ReplConfig(
        command=(str(lake), "-d", str(project.resolve()), "env", str(built)), cwd=str(project.resolve()))
    assert find_repl(search_path=str(tmp_path / "nowhere")) is None  # no lake


def test_lean_interact_is_used_only_when_importable(tmp_path, monkeypatch):
    monkeypatch.delenv("MATHTEAM_LEAN_REPL", raising=False)
    monkeypatch.setitem(sys.modules, "lean_interact", None)  # importing it raises ImportError
    assert open_repl(tmp_path) is None

    calls = []

    class Server:
        def __init__(self, config):
            calls.append(("start", config.project.directory))

        def run_dict(self, request, timeout=None):
            calls.append(("run", request, timeout))
            if request["cmd"] == "HANG":
                raise TimeoutError("The Lean server did not respond in time")
            if request["cmd"] == "DIE":
                raise ConnectionAbortedError("The Lean server closed unexpectedly.")
            return {"env": 0}

        def restart(self):
            calls.append(("restart",))

        def kill(self):
            calls.append(("kill",))

    fake = types.SimpleNamespace(
        LeanServer=Server, LeanREPLConfig=lambda project: types.SimpleNamespace(project=project),
        LocalProject=lambda directory, auto_build: types.SimpleNamespace(directory=directory))
    monkeypatch.setitem(sys.modules, "lean_interact", fake)
    session = open_repl(tmp_path)
    assert isinstance(session, LeanInteractRepl)
    assert isinstance(check_source(session, "theorem t : True := trivial"), Compiled)
    assert isinstance(check_source(session, "HANG", timeout_s=3), TimedOut)
    assert isinstance(check_source(session, "DIE"), Crashed)
    session.close()
    assert calls[0] == ("start", str(tmp_path)) and calls[-1] == ("kill",)
    assert ("run", {"cmd": "HANG"}, 3) in calls
