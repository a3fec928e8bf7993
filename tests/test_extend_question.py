"""Adding a law to a finished project: the pairs already settled stay settled; only the new law's pairs run."""

from __future__ import annotations

import pytest
from helpers import project_text

from mathteam.cli import main
from mathteam.export import claim_rows
from mathteam.memory import Memory
from mathteam.project import load_project
from mathteam.runner import run_project

BEFORE, AFTER = '"etp:3,8,12,16"', '"etp:3,8,12,16,14,29"'


def snapshot(path):
    with Memory.open(load_project(path).memory_path) as memory:
        claims = {c.id: (c.status, c.reason) for c in memory.claims()}
        evidence = {(e.claim_id, e.kind, e.checker) for e in memory.evidence()}
        tasks = {t.id: t.outputs for t in memory.tasks(kind="implication")}
        answers = {(r["lhs"], r["rhs"]): r["status"] for r in claim_rows(memory)}
    return claims, evidence, tasks, answers


def test_adding_laws_settles_only_the_new_pairs_and_agrees_with_a_fresh_run(write_project, tmp_path):
    path = write_project(name="growing", laws=BEFORE)
    assert run_project(load_project(path)).status == "done"
    claims_before, evidence_before, tasks_before, _ = snapshot(path)
    assert len(claims_before) == 12

    path.write_text(path.read_text().replace(BEFORE, AFTER), encoding="utf-8")
    assert run_project(load_project(path)).status == "done"
    claims, evidence, tasks, answers = snapshot(path)
    assert len(claims) == 30
    for claim_id, state in claims_before.items():
        assert claims[claim_id] == state, f"{claim_id} was settled before and stays exactly so"
        assert tasks[f"pair:{claim_id}"] == tasks_before[f"pair:{claim_id}"], "its task did not run again"
    new_evidence = {e for e in evidence if e[0] not in claims_before}
    assert evidence - new_evidence == evidence_before, "no evidence added or lost for the old pairs"
    assert all(claims[c][0] in ("proved", "refuted") for c in claims), "every new pair is settled"

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_path = fresh / "project.toml"
    fresh_path.write_text(project_text(name="fresh", laws=AFTER), encoding="utf-8")
    assert run_project(load_project(fresh_path)).status == "done"
    assert answers == snapshot(fresh_path)[3], "the same answers as a run on all the laws from the start"

    project = load_project(path)
    report = project.report_path.read_text(encoding="utf-8")
    assert "Equation14" in report and "Equation29" in report, "the report was written again"
    with Memory.open(project.memory_path) as memory:
        assert any(e.action == "question extended" for e in memory.events())
        lean = {a.claim_id for a in memory.artifacts(kind="lean")}
    assert "Equation14=>Equation16" in lean or "Equation29=>Equation16" in lean, "the new pairs get Lean"


@pytest.mark.parametrize("change", [('"etp:3,8,12,16"', '"etp:3,8,12"'),            # a law removed
                                    ('"etp:3,8,12,16"', '["etp:3,8,12", "Equation16: x = y ◇ x"]')])  # one changed
def test_removing_or_changing_a_law_is_still_refused(write_project, capsys, change):
    old, new = change
    path = write_project(name="fixed", laws=old)
    assert main(["run", "--quiet", str(path)]) == 0
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", "--quiet", str(path)]) == 2
    assert "not only by additions" in capsys.readouterr().err
