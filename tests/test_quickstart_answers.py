"""The quickstart's 2,070 answers agree, pair by pair, with the E prover asked about every pair alone."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from mathteam.export import claim_rows
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tools.eprover import find_eprover, prove_with_e
from mathteam.tools.results import Disproved, Proved

pytestmark = pytest.mark.slow


def test_every_quickstart_pair_matches_e_run_on_that_pair_alone(tmp_path, repo):
    if find_eprover() is None:
        pytest.skip("the E prover (eprover) is not installed: bash scripts/setup.sh installs it")
    shutil.copy(repo / "projects" / "quickstart.toml", tmp_path / "quickstart.toml")
    project = load_project(tmp_path / "quickstart.toml")
    assert run_project(project).status == "done"
    with Memory.open(project.memory_path) as memory:
        rows = claim_rows(memory)
    laws = {item.name: item.law for item in project.config.domain.named_laws}
    assert len(rows) == 2070
    assert {row["status"] for row in rows} == {"proved", "refuted"}, "every pair settled"

    def e_says(row: dict) -> str:
        result = prove_with_e(laws[row["lhs"]], laws[row["rhs"]], seconds=5)
        return {Proved: "proved", Disproved: "refuted"}.get(type(result), result.outcome)

    with ThreadPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(e_says, rows))
    disagreements = [(row["lhs"], row["rhs"], row["status"], verdict)
                     for row, verdict in zip(rows, verdicts) if verdict != row["status"]]
    assert disagreements == []
