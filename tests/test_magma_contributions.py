"""A person's conjecture on a magma project: refuted by the smallest witness the team can show."""

from __future__ import annotations

import pytest
from helpers import project_text

from mathteam.agents.magma.contributions import add_conjecture
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    path = tmp_path_factory.mktemp("contrib") / "project.toml"
    path.write_text(project_text(name="contrib", laws='"etp:1-8"'), encoding="utf-8")
    assert run_project(load_project(path)).status == "done"
    return path


@pytest.mark.parametrize("text", [
    "x * y = y * x => x = y",  # both laws are the question's: the memory holds 2-element witnesses
    "x * (y * z) = (x * y) * z => x * y = y * x",  # a person's own laws, new to the memory
])
def test_a_persons_conjecture_is_refuted_by_the_smallest_witness(finished, text):
    project = load_project(finished)
    with Memory.open(project.memory_path) as memory:
        claim = add_conjecture(project, memory, text, "alice")
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        settled = memory.claim(claim.id)
        evidence = [e for e in memory.evidence(claim.id) if e.accepted]
    assert settled.status == "refuted"
    assert len(evidence[0].payload["table"]) == 2, evidence[0].payload
