"""The formalizer's model brain against a Lean that answers with recorded-format output: drafts are checked,
errors go back for repair, and only a file Lean compiled and the gate accepted settles a claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from llm_helpers import freeform_text, replies

from mathteam.agents.freeform import lean as llm_formalizer
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tools.lean_check import LeanToolchain
from loopback import LoopbackServer
from mathteam.tools.command_runner import RunOutput

STATEMENT = "∀ n : Nat, (n * n + n + 41) % 2 = 1"
NAME = "claim_goal_1"
PLAN = {"summary": "Formalize the goal's claim.", "tasks": [{"key": "lean", "kind": "formalize", "title": "Lean"}],
        "claims": [{"statement": "n*n+n+41 is odd", "lean_statement": STATEMENT}]}


def message(severity: str, text: str, line: int = 2) -> str:
    return json.dumps({"fileName": "/tmp/x.lean", "pos": {"line": line, "column": 0},
                       "endPos": {"line": line, "column": 5}, "keepFullRange": False,
                       "severity": severity, "caption": "", "data": text})


ERROR = RunOutput(message("error", "unsolved goals\nn : Nat\n⊢ (n * n + n + 41) % 2 = 1") + "\n", "", 1)
SORRY = RunOutput(message("warning", "declaration uses 'sorry'") + "\n"
                  + message("information", f"'{NAME}' depends on axioms: [sorryAx]", 4) + "\n", "", 0)
CLEAN = RunOutput(message("information", f"'{NAME}' depends on axioms: [propext]", 4) + "\n", "", 0)


class FakeLean:
    """Answers each check with the next recorded-format output, keeping the files it was given."""

    def __init__(self, outputs):
        self.outputs = list(outputs)
        self.sources: list[str] = []

    def __call__(self, command, stdin, timeout):
        self.sources.append(Path(command[-1]).read_text(encoding="utf-8"))
        return self.outputs.pop(0)


@pytest.fixture
def lean(monkeypatch):
    def install(*outputs):
        fake = FakeLean(outputs)
        monkeypatch.setattr(llm_formalizer, "find_toolchain", lambda: LeanToolchain(command=("lean",)))
        monkeypatch.setattr(llm_formalizer, "RUNNER", fake)
        return fake
    return install


def run(write_project, *bodies):
    with LoopbackServer(replies(*bodies)) as server:
        path = write_project(freeform_text(server.base_url, writer="symbolic"))
        project = load_project(path)
        outcome = run_project(project)
        return project, outcome, server.requests


def test_errors_go_back_to_the_model_and_the_repaired_proof_settles_the_claim(write_project, lean):
    fake = lean(SORRY, ERROR, CLEAN)
    drafts = {"drafts": [{"proof": "by sorry"}, {"proof": "by intro n; simp"}]}
    revision = {"drafts": [{"proof": "by intro n; omega"}]}
    project, outcome, sent = run(write_project, PLAN, drafts, revision)
    assert outcome.status == "done"
    assert len(sent) == 3 and "unsolved goals" in sent[2]["messages"][-1]["content"]
    assert [s.split(":= ")[1].split("\n")[0] for s in fake.sources] == ["by sorry", "by intro n; simp",
                                                                        "by intro n; omega"]
    assert all(f"theorem {NAME} : {STATEMENT} :=" in s for s in fake.sources)
    with Memory.open(project.memory_path) as memory:
        claim = memory.claim("goal:1")
        assert claim.status == "formally_verified"
        [evidence] = memory.evidence("goal:1")
        assert (evidence.kind, evidence.accepted, evidence.payload["round"]) == ("lean", True, 2)
        assert evidence.payload["axioms"] == ["propext"]
        [artifact] = memory.artifacts(kind="lean")
        assert artifact.check_status == "compiled"


def test_a_draft_that_only_compiles_with_sorry_or_errors_never_settles_anything(write_project, lean):
    lean(SORRY, SORRY, SORRY)
    project, outcome, sent = run(write_project, PLAN, {"drafts": [{"proof": "by sorry"}]},
                                 {"drafts": [{"proof": "sorry"}]}, {"drafts": [{"proof": "by admit"}]})
    assert outcome.status == "done" and len(sent) == 4  # the plan, then three rounds
    with Memory.open(project.memory_path) as memory:
        assert memory.claim("goal:1").status == "open"
        assert memory.evidence("goal:1") == []
        [artifact] = memory.artifacts(kind="lean")
        assert artifact.check_status == "failed" and "after 3 rounds" in artifact.detail


def test_without_lean_the_draft_is_kept_not_checked_and_nothing_is_verified(write_project, monkeypatch):
    monkeypatch.setattr(llm_formalizer, "find_toolchain", lambda: None)
    project, outcome, sent = run(write_project, PLAN, {"drafts": [{"proof": "by intro n; omega"}]})
    assert outcome.status == "done" and len(sent) == 2
    with Memory.open(project.memory_path) as memory:
        assert memory.claim("goal:1").status == "open"
        [artifact] = memory.artifacts(kind="lean")
        assert artifact.check_status == "not checked"
    assert "nothing here is formally verified" in project.report_path.read_text(encoding="utf-8")
