"""A small question's pairs on the one engine (agents/magma/pairs.py): what each pair is settled by, and when."""

from __future__ import annotations

from types import SimpleNamespace

from helpers import project_text
from mathteam import review
from mathteam.agents.magma import bulk, pairs
from mathteam.agents.magma.pairs import PLANNER
from mathteam.agents.magma.question import MagmaQuestion
from mathteam.agents.magma.vocabulary import implication_claim, pair_task
from mathteam.cli import main
from mathteam.domains.magma.implication_matrix import TRUE
from mathteam.domains.magma.laws import parse_law_spec
from mathteam.memory import Evidence, Memory
from mathteam.project import load_project
from mathteam.runner import run_project
from mathteam.tools.bulk_engine import SEARCH_TOOL, BulkEngine, EngineConfig
from mathteam.tools.bulk_provers import compress


def test_a_proof_its_recheck_refuses_is_kept_unaccepted_and_the_run_goes_on(write_project, monkeypatch):
    # Equation3 => Equation8 needs the prover: with every prover output refused by its re-check,
    # the pair must not be proved by it, and the run must not stop on it.
    monkeypatch.setattr(pairs, "check_proof", lambda log, laws, k: False)
    path = write_project(project_text(laws='"etp:2,3,8"'))
    assert run_project(load_project(path)).status == "done"
    assert run_project(load_project(path)).status == "done"  # resumed: nothing stored twice
    with Memory.open(load_project(path).memory_path) as memory:
        refused = [e for e in memory.evidence() if e.kind == "atp_proof"]
        assert refused and not any(e.accepted for e in refused)
        assert len({e.claim_id for e in refused}) == len(refused)
        for cid in {e.claim_id for e in refused}:
            claim = memory.claim(cid)
            accepted = [e.kind for e in memory.evidence(cid) if e.accepted]
            assert claim.status in ("open", "proved") and "atp_proof" not in accepted
            assert (claim.status == "proved") == bool(accepted)


def test_a_bulk_question_keeps_a_refused_proof_unaccepted_and_goes_on(write_project, monkeypatch):
    monkeypatch.setattr(bulk, "check_proof", lambda log, laws, k: False)
    path = write_project(project_text(laws='"etp:2,3,8"', extra='engine = "bulk"'))
    assert run_project(load_project(path)).status == "done"
    with Memory.open(load_project(path).memory_path) as memory:
        direct = [e for e in memory.evidence() if e.claim_id == "Equation3=>Equation8"]
        assert direct and not any(e.accepted for e in direct)
        assert memory.claim("Equation3=>Equation8").status == "open"


def test_a_run_killed_as_a_pass_begins_still_runs_that_pass_on_resume(write_project, monkeypatch):
    path = write_project(project_text(laws='"etp:2,3,8"'))
    real_add_tasks = Memory.add_tasks

    def dies_adding_the_first_round(memory, tasks, actor):
        tasks = list(tasks)
        if any(task.kind == "bulk_prove" for task in tasks):
            raise KeyboardInterrupt  # the process is killed here
        return real_add_tasks(memory, tasks, actor)

    monkeypatch.setattr(Memory, "add_tasks", dies_adding_the_first_round)
    try:
        run_project(load_project(path))
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the run never began a pass of the proving loop")
    monkeypatch.setattr(Memory, "add_tasks", real_add_tasks)
    assert run_project(load_project(path)).status == "done"
    with Memory.open(load_project(path).memory_path) as memory:
        # Only the prover settles it: had the pass been lost, the pair would be closed as open.
        assert memory.claim("Equation3=>Equation8").status == "proved"
        assert memory.task("bulk:prove:0:1").status == "done"


REJECTED = "Equation4=>Equation24"
THROUGH_REJECTED = ("Equation12=>Equation24", "Equation4=>Equation25", "Equation12=>Equation25")


def run_rejecting_one_conjecture(write_project):
    # Equation4 and Equation12 are equivalent, and every proof of Equation12 => Equation24 or of
    # Equation4 => Equation25 the engine has runs through Equation4 => Equation24: once a person
    # rejects that one, no chain of proved claims reaches them.
    path = write_project(project_text(laws='"etp:4,12,24,25"', approval='gates = ["conjecture"]'))
    assert run_project(load_project(path)).status == "paused"
    with Memory.open(load_project(path).memory_path) as memory:
        for item in review.pending(memory):
            decision = "rejected" if item.subject == REJECTED else "approved"
            review.decide(memory, item.id, decision, "alice", reason="not wanted" if decision == "rejected" else None)
    assert run_project(load_project(path)).status == "done"
    return Memory.open(load_project(path).memory_path)


def test_a_pair_proved_only_through_a_pair_rejected_at_a_gate_gets_a_proof_of_its_own(write_project):
    with run_rejecting_one_conjecture(write_project) as memory:
        claim = memory.claim(REJECTED)
        assert claim.status == "open" and "rejected at the conjecture gate by alice" in claim.reason
        assert memory.evidence(REJECTED) == []  # the rejected pair itself is left alone
        unsettled = [c.id for c in memory.claims() if c.status not in ("proved", "refuted")]
        assert unsettled == [REJECTED]
        for cid in THROUGH_REJECTED:
            assert any(e.accepted and e.verdict == "proves" for e in memory.evidence(cid)), cid


def test_a_pair_proved_only_through_a_rejected_pair_and_not_on_its_own_says_so(write_project, monkeypatch):
    monkeypatch.setattr(BulkEngine, "prove_directly", lambda engine, pairs, seconds, deadline=None: 0)
    with run_rejecting_one_conjecture(write_project) as memory:
        for cid in THROUGH_REJECTED:
            claim = memory.claim(cid)
            assert claim.status == "open" and claim.reason == pairs.OPEN_REASONS[TRUE], cid
            [task] = [t for t in memory.tasks(kind=pairs.PAIR) if t.inputs["claim"] == cid]
            assert "not attempted" not in str(task.outputs["attempts"])


def test_a_project_naming_e_where_e_is_missing_exits_2_with_one_line(write_project, monkeypatch, capsys, tmp_path):
    path = write_project(project_text(laws='"etp:2,3,8"') + '\n[tools]\nprover = "eprover"\n')
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    assert main(["run", "--quiet", str(path)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert error[-1] == (f'Error: {path}: [tools] prover: prover "eprover": eprover is not on PATH; install it '
                         '(Debian/Ubuntu: apt install eprover), or use "auto" (z3 where E is missing)')
    assert "Traceback" not in "\n".join(error)


def test_an_open_pair_says_z3_tried_it_as_the_prover(tmp_path):
    question = MagmaQuestion(tuple(parse_law_spec("etp:2,3")))
    engine = BulkEngine(question.laws, tmp_path, EngineConfig(prover="z3", e_seconds=(2.0,)))
    engine.log.add_attempt(1, 0, "z3", 2.0, "unknown")
    engine.log.add_attempt(1, 0, SEARCH_TOOL, 4.0, "no magma of size 4")
    a, b = question.named[1].name, question.named[0].name
    with Memory.open(":memory:") as memory:
        memory.add_claims([implication_claim(a, question.laws[1], b, question.laws[0], "planner")], PLANNER)
        memory.add_tasks([pair_task(a, b, 1.0)], PLANNER)
        [task] = memory.tasks(kind=pair_task(a, b, 1.0).kind)
        pairs.close_open(memory, engine, question, [task])
        assert memory.task(task.id).outputs["attempts"] == [
            {"by": "prover", "result": "z3 2 s: unknown"},
            {"by": "example_generator", "result": f"{SEARCH_TOOL} 4 s: no magma of size 4"}]


def test_a_mirror_proof_counts_only_where_the_laws_are_mirror_images(write_project, tmp_path):
    project = load_project(write_project(project_text(laws='"etp:2,3,8"')))
    question = MagmaQuestion.of(project)
    engine = BulkEngine(question.laws, tmp_path / "engine", EngineConfig())
    hub = engine.log.add_proof(0, 1, "singleton")
    engine.matrix.add_true(0, 1, hub)
    # Logged as the mirror image of Equation2 => Equation3, which mirrors onto itself, not onto this pair.
    engine.matrix.add_true(1, 2, engine.log.add_proof(1, 2, "dual", of=hub))
    with Memory.open(":memory:") as memory:
        for i, j in ((0, 1), (1, 2)):
            a, b = question.named[i].name, question.named[j].name
            memory.add_claims([implication_claim(a, question.laws[i], b, question.laws[j], "planner")], PLANNER)
            memory.add_tasks([pair_task(a, b, 1.0)], PLANNER)
        pairs.settle(memory, SimpleNamespace(project=project), engine)
        assert memory.claim("Equation2=>Equation3").status == "proved"
        assert memory.claim("Equation3=>Equation8").status == "open"
        [refused] = memory.evidence("Equation3=>Equation8")
        assert refused.kind == "duality" and not refused.accepted
        # Then the pair gets a proof of its own (pairs.stranded): that one settles it.
        engine.log.add_proof(1, 2, "eprover", version="E test", status_line="# SZS status Theorem", seconds=0.1,
                             output_z=compress("# Proof found!\n# SZS status Theorem for Equation3=>Equation8\n"))
        pairs.settle(memory, SimpleNamespace(project=project), engine)
        assert memory.claim("Equation3=>Equation8").status == "proved"
        assert [e.kind for e in memory.evidence("Equation3=>Equation8") if e.accepted] == ["atp_proof"]


def test_a_pass_closes_no_pair_open_that_a_chain_of_proved_claims_reaches(write_project, tmp_path):
    # After laws were added the engine starts afresh: it does not know the claims proved before.
    project = load_project(write_project(project_text(laws='"etp:2,3,8"')))
    question = MagmaQuestion.of(project)
    engine = BulkEngine(question.laws, tmp_path / "engine", EngineConfig())
    names = [item.name for item in question.named]
    with Memory.open(":memory:") as memory:
        for i, j in ((0, 1), (1, 2), (0, 2)):
            memory.add_claims([implication_claim(names[i], question.laws[i], names[j], question.laws[j],
                                                 "planner")], PLANNER)
        for i, j in ((0, 1), (1, 2)):
            cid = f"{names[i]}=>{names[j]}"
            memory.settle_claim(Evidence(claim_id=cid, kind="atp_proof", verdict="proves", accepted=True,
                                         checker="test", payload={}), PLANNER)
        memory.add_tasks([pair_task(names[0], names[2], 1.0)], PLANNER)
        pairs.close_open(memory, engine, question, memory.tasks(status="pending", kind=pairs.PAIR))
        claim = memory.claim(f"{names[0]}=>{names[2]}")
        assert claim.status == "proved"
        [evidence] = memory.evidence(claim.id)
        assert evidence.kind == "transitivity" and evidence.payload["chain"] == [
            f"{names[0]}=>{names[1]}", f"{names[1]}=>{names[2]}"]
        assert memory.task(pair_task(names[0], names[2], 1.0).id).outputs["result"] == "proved"
